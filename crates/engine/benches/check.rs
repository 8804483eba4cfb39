//! `cargo bench -p cpts-engine --bench check`: parse, language check and the full `cpts check`
//! (parse + check + model build + verify) of generated sound workflows of 1 000, 10 000 and
//! 100 000 steps. Generation happens outside the timed loop. Figures are in BENCHMARKS.md.
//! The allocator is the `cpts` binary's (mimalloc), so that `full` measures what `cpts check`
//! does.
// `criterion_group!` and `criterion_main!` generate undocumented functions.
#![allow(missing_docs)]

use cpts_diag::{FileId, Sources};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const SEED: u64 = 42;

/// The full `cpts check` of one file: language check, then every target built and verified.
fn full_check(sources: &Sources) -> usize {
    let checked = cpts_lang::check(sources);
    let mut findings = checked.diagnostics.len();
    for target in cpts_lang::model::targets(&checked) {
        let (model, problems) = cpts_lang::model::build(&checked, &target).expect("model builds");
        findings += problems.len() + cpts_engine::verify(&model).len();
    }
    findings
}

fn bench(c: &mut Criterion) {
    for steps in SIZES {
        let text = cpts_gen::workflow(&cpts_gen::Shape::new(steps, SEED));
        let mut sources = Sources::new();
        sources.add("genere.cpts", text.clone());
        // A generated workflow is clean: nothing to report but information.
        assert_eq!(
            full_check(&sources),
            0,
            "generated workflow of {steps} steps has findings"
        );

        let mut group = c.benchmark_group(format!("check/{steps}"));
        // Ten samples; flat sampling (the same iteration count in every sample) so that the
        // 100 000-step group takes ten runs per phase, not 1 + 2 + … + 10.
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if steps >= 100_000 { 10 } else { 4 }));
        group.bench_function(BenchmarkId::new("parse", steps), |b| {
            b.iter(|| cpts_lang::parse(FileId(0), black_box(&text)))
        });
        group.bench_function(BenchmarkId::new("parse+check", steps), |b| {
            b.iter(|| cpts_lang::check(black_box(&sources)))
        });
        group.bench_function(BenchmarkId::new("full", steps), |b| {
            b.iter(|| full_check(black_box(&sources)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
