//! `cargo bench -p cpts-plugin-host --bench plugins`: the cost of plugins, as BENCHMARKS.md
//! records it.
//!
//! - `call/guard`: one call of a guard (`centre-val-de-loire.msa_partenaire` on two departments)
//!   through [`Plugins::call`], as the engine makes it from a rule: arguments encoded, fuel and
//!   deadline set, the call, the result decoded.
//! - `call/guard-large`: the same with 200 departments (argument encoding and copying).
//! - `instantiate`: a new instance from the pre-instantiated component, then one call (what
//!   follows a failed call), minus nothing: compare with `call/guard`.
//! - `load/compile` and `load/cached`: loading a component with no cache (Cranelift compiles)
//!   and with a warm on-disk cache (deserialised).
// `criterion_group!` and `criterion_main!` generate undocumented functions.
#![allow(missing_docs)]

use cpts_diag::{FileId, Span};
use cpts_engine::{PluginCall, Plugins, Value};
use cpts_lang::model::{PluginDecl, PluginFunction};
use cpts_lang::types::Type;
use cpts_plugin_host::{Host, Options};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn cvl() -> &'static [u8] {
    cpts_plugins::bundled("centre-val-de-loire").expect("bundled")
}

fn decl() -> PluginDecl {
    let span = Span::new(FileId(0), 0, 0);
    PluginDecl {
        alias: "cvl".into(),
        package: "centre-val-de-loire".into(),
        version: "^0.1".into(),
        version_span: span,
        span,
        functions: vec![PluginFunction {
            name: "msa_partenaire".into(),
            params: vec![("departements".into(), Type::List(Box::new(Type::Text)))],
            ret: Type::Bool,
            validation: false,
            span,
        }],
    }
}

fn departments(n: usize) -> Vec<Value> {
    vec![Value::List(
        (0..n)
            .map(|i| Value::Text(format!("{}", 1 + i % 95)))
            .collect(),
    )]
}

fn bench(c: &mut Criterion) {
    let mut host = Host::new(Options::default()).unwrap();
    host.load_bytes(cvl()).unwrap();
    let decl = decl();
    for (name, n) in [("call/guard", 2), ("call/guard-large", 200)] {
        let args = departments(n);
        let call = PluginCall {
            plugin: &decl,
            function: &decl.functions[0],
            args: &args,
            span: decl.span,
        };
        c.bench_function(name, |b| b.iter(|| host.call(black_box(&call)).unwrap()));
    }
    let args = departments(2);
    let call = PluginCall {
        plugin: &decl,
        function: &decl.functions[0],
        args: &args,
        span: decl.span,
    };
    c.bench_function("instantiate", |b| {
        b.iter(|| {
            host.reset("centre-val-de-loire");
            host.call(black_box(&call)).unwrap()
        })
    });

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("compile", |b| {
        b.iter(|| {
            let mut host = Host::new(Options::default()).unwrap();
            host.load_bytes(cvl()).unwrap().size
        })
    });
    let cache = std::env::temp_dir().join(format!("cpts-bench-cache-{}", std::process::id()));
    let cached = Options {
        cache: Some(cache.clone()),
        ..Options::default()
    };
    // Warm the cache.
    Host::new(cached.clone())
        .unwrap()
        .load_bytes(cvl())
        .unwrap();
    group.bench_function("cached", |b| {
        b.iter(|| {
            let mut host = Host::new(cached.clone()).unwrap();
            host.load_bytes(cvl()).unwrap().size
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(cache);
}

criterion_group!(benches, bench);
criterion_main!(benches);
