//! Generates the text of large, valid and *sound* cpts workflows, deterministically from a seed,
//! for tests and benchmarks.
//!
//! A generated workflow has one version, sources everywhere, actors, documents, facts, a few
//! parameters and computed values, and a spine of steps and decisions that `cpts check` accepts
//! without any error or warning:
//!
//! - validations (decisions with one forward outcome `ok` and a rework loop `-> step` to a step
//!   the decision waits for, possibly indirectly),
//! - parallel branches joined with `all(…)`, now and then with a step waiting for `any(…)` of
//!   two branches (which the join also waits for, so nothing runs after the end),
//! - rare branching decisions (two forward outcomes), each branch a short chain, merged with
//!   `any(…)`,
//! - side steps nothing waits for but the end, which waits for `all(…)` of them and of the last
//!   spine node,
//! - `produces` / `requires document` and rules reading facts, a reader always coming after
//!   its producer on every path,
//! - deadlines anchored on a recent step, never shorter than the minimum `typical` durations
//!   that must fit in between.
//!
//! ```
//! let text = cpts_gen::workflow(&cpts_gen::Shape::new(50, 7));
//! assert!(text.starts_with("workflow genere"));
//! assert_eq!(text, cpts_gen::workflow(&cpts_gen::Shape::new(50, 7)));
//! ```
#![deny(missing_docs)]

use std::fmt::Write;

/// What to generate. Build it with [`Shape::new`] and adjust the knobs.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Number of steps and decisions (exactly).
    pub steps: usize,
    /// Seed of the pseudo-random generator: one seed, one text.
    pub seed: u64,
    /// Largest number of parallel branches in a block (at least 2).
    pub max_width: usize,
    /// Chance that a block on the spine is a parallel block.
    pub parallel_ratio: f64,
    /// Chance that a node is a validation (a decision with a rework loop).
    pub decision_ratio: f64,
    /// Chance that a node carries a deadline.
    pub deadline_ratio: f64,
    /// Chance that a parallel block has a step waiting for `any(…)` of two branches.
    pub any_ratio: f64,
    /// Chance that a block is a side step that only the end waits for.
    pub sink_ratio: f64,
    /// One branching decision (two forward outcomes) every this many nodes; 0 for none. The
    /// completion check simulates one run per extra forward outcome, so keep them rare.
    pub branching_every: usize,
    /// Chance that a step produces a new fact or document.
    pub data_ratio: f64,
    /// Chance that a node has a rule.
    pub rule_ratio: f64,
}

impl Shape {
    /// `steps` nodes from `seed`, with realistic proportions: one node in five a validation,
    /// one in ten with a deadline, one branching decision per thousand nodes.
    pub fn new(steps: usize, seed: u64) -> Shape {
        Shape {
            steps,
            seed,
            max_width: 3,
            parallel_ratio: 0.25,
            decision_ratio: 0.2,
            deadline_ratio: 0.1,
            any_ratio: 0.3,
            sink_ratio: 0.03,
            branching_every: 1000,
            data_ratio: 0.15,
            rule_ratio: 0.5,
        }
    }
}

impl Default for Shape {
    fn default() -> Shape {
        Shape::new(100, 0)
    }
}

/// The text of one file holding one workflow named `genere`, of exactly `shape.steps` steps and
/// decisions (at least one).
pub fn workflow(shape: &Shape) -> String {
    Gen::new(shape).run()
}

/// splitmix64: tiny, fast, good enough, and stable across platforms. Public so that tests which
/// generate inputs (the parser's differential test) draw them the same way.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)] // an endless generator, not an iterator
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, uniformly (`items` not empty).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// A fact or document some node produces.
#[derive(Clone, Copy, Debug)]
enum Data {
    Fact(usize),
    Doc(usize),
}

/// A prerequisite: a node, or one of a decision's outcomes.
#[derive(Clone, Copy, Debug)]
struct Ref {
    node: usize,
    outcome: Option<&'static str>,
}

impl Ref {
    fn node(node: usize) -> Ref {
        Ref {
            node,
            outcome: None,
        }
    }
}

enum Kind {
    Step,
    /// One forward outcome `ok`, one `reprise -> route`.
    Validation {
        route: usize,
    },
    /// Two forward outcomes `oui` and `non`.
    Branching,
}

/// How the prerequisites combine.
#[derive(Clone, Copy, PartialEq)]
enum Join {
    All,
    Any,
}

struct Spec<'a> {
    kind: Kind,
    after: &'a [Ref],
    join: Join,
    /// What is surely produced before the node.
    readable: &'a [Data],
    /// Steps the node surely waits for (deadline anchors).
    anchors: &'a [usize],
    produce: bool,
    deadline: bool,
}

const INITIAL_FACTS: usize = 8;
const ACTORS: usize = 6;
/// How many spine nodes are kept as rework targets and deadline anchors.
const RECENT: usize = 8;

struct Gen<'s> {
    shape: &'s Shape,
    rng: Rng,
    body: String,
    /// Per node: a lower bound on its earliest completion from the start, in days, with the
    /// shortest reading of units; an all-of and an any-of both take the latest prerequisite, so
    /// `earliest[v] - earliest[a]` bounds the longest path from an ancestor `a` to `v`.
    earliest: Vec<i64>,
    is_step: Vec<bool>,
    facts: usize,
    docs: usize,
}

impl<'s> Gen<'s> {
    fn new(shape: &'s Shape) -> Gen<'s> {
        Gen {
            shape,
            rng: Rng(shape.seed ^ 0x6370_7473_2d67_656e),
            body: String::with_capacity(shape.steps * 320),
            earliest: Vec::with_capacity(shape.steps),
            is_step: Vec::with_capacity(shape.steps),
            facts: 0,
            docs: 0,
        }
    }

    fn remaining(&self) -> usize {
        self.shape.steps.max(1) - self.earliest.len()
    }

    fn name(&self, node: usize) -> String {
        if self.is_step[node] {
            format!("e{node}")
        } else {
            format!("d{node}")
        }
    }

    fn reference(&self, r: Ref) -> String {
        match r.outcome {
            Some(o) => format!("{}.{o}", self.name(r.node)),
            None => self.name(r.node),
        }
    }

    fn cond(&self, refs: &[Ref], join: Join) -> String {
        if refs.len() == 1 {
            return self.reference(refs[0]);
        }
        let parts: Vec<String> = refs.iter().map(|&r| self.reference(r)).collect();
        let word = if join == Join::All { "all" } else { "any" };
        format!("{word}({})", parts.join(", "))
    }

    fn steps_of(&self, nodes: &[usize]) -> Vec<usize> {
        nodes.iter().copied().filter(|&n| self.is_step[n]).collect()
    }

    /// Writes one node and returns its id with what it produces.
    fn emit(&mut self, spec: Spec<'_>) -> (usize, Vec<Data>) {
        let id = self.earliest.len();
        let step = matches!(spec.kind, Kind::Step);
        let base = spec
            .after
            .iter()
            .map(|r| self.earliest[r.node])
            .max()
            .unwrap_or(0);
        self.is_step.push(step);
        self.earliest.push(base);
        let seed = self.shape.seed;
        let mut text = String::with_capacity(400);
        if step {
            let _ = writeln!(text, "  step e{id} \"Étape {id}\" {{");
        } else {
            let _ = writeln!(text, "  decision d{id} \"Décision {id}\" {{");
        }
        if !spec.after.is_empty() {
            let _ = writeln!(text, "    after {}", self.cond(spec.after, spec.join));
        }
        let _ = writeln!(text, "    actors a{}", self.rng.below(ACTORS));
        if self.rng.chance(0.7) {
            let (min, spread, unit, days) = match self.rng.below(4) {
                0 => (self.rng.range(1, 20), 10, "days", 1),
                1 => (self.rng.range(2, 15), 10, "working days", 1),
                2 => (self.rng.range(1, 4), 3, "weeks", 7),
                _ => (self.rng.range(1, 3), 3, "months", 28),
            };
            let max = min + self.rng.range(0, spread);
            let _ = writeln!(text, "    typical {min}..{max} {unit}");
            self.earliest[id] = base + (min * days) as i64;
        }
        let mut produced = Vec::new();
        if spec.produce && self.rng.chance(self.shape.data_ratio) {
            if self.rng.chance(0.6) {
                produced.push(Data::Fact(self.facts));
                let _ = writeln!(text, "    produces p{}", self.facts);
                self.facts += 1;
            } else {
                produced.push(Data::Doc(self.docs));
                let _ = writeln!(text, "    produces document doc{}", self.docs);
                self.docs += 1;
            }
        }
        let readable = spec.readable;
        if !readable.is_empty()
            && self.rng.chance(0.3)
            && let Data::Doc(k) = pick_recent(&mut self.rng, readable)
        {
            let _ = writeln!(text, "    requires document doc{k}");
        }
        if self.rng.chance(self.shape.rule_ratio) {
            let severity = ["error", "warning", "info"][self.rng.below(3)];
            let fact = if readable.is_empty() {
                None
            } else {
                Some(pick_recent(&mut self.rng, readable))
            };
            let (message, expect) = match fact {
                Some(Data::Fact(k)) if self.rng.chance(0.6) => (
                    format!("Le fait p{k} doit atteindre le seuil"),
                    format!("p{k} >= seuil_min"),
                ),
                _ => match self.rng.below(3) {
                    0 => {
                        let i = self.rng.below(INITIAL_FACTS);
                        (
                            format!("Le fait i{i} doit rester sous le plafond"),
                            format!("i{i} <= plafond"),
                        )
                    }
                    1 => (
                        "La liste doit compter des valeurs au-dessus du seuil".to_owned(),
                        "count(x in liste where x >= seuil_min) >= 0".to_owned(),
                    ),
                    _ => (
                        "La somme initiale doit dépasser le double du seuil".to_owned(),
                        "somme_initiale + double_seuil >= seuil_min or i0 > 0".to_owned(),
                    ),
                },
            };
            let _ = writeln!(
                text,
                "    rule r{id} {severity} \"{message}\" expect {expect} source \"cpts-gen, graine {seed}\""
            );
        }
        match spec.kind {
            Kind::Step => {}
            Kind::Validation { route } => {
                let _ = writeln!(text, "    outcome ok \"Validé\" p 0.8");
                let _ = writeln!(
                    text,
                    "    outcome reprise \"À reprendre\" p 0.2 -> {}",
                    self.name(route)
                );
            }
            Kind::Branching => {
                let _ = writeln!(text, "    outcome oui \"Voie A\" p 0.5");
                let _ = writeln!(text, "    outcome non \"Voie B\" p 0.5");
            }
        }
        if spec.deadline && !spec.anchors.is_empty() && self.rng.chance(self.shape.deadline_ratio) {
            let anchor = spec.anchors[self.rng.below(spec.anchors.len())];
            let least = self.earliest[id] - self.earliest[anchor];
            debug_assert!(least >= 0, "anchor e{anchor} is not an ancestor of {id}");
            let days = least.max(0) + self.rng.range(0, 14) as i64;
            let (amount, unit) = match self.rng.below(3) {
                0 => (days.max(1), "days"),
                1 => ((days + 6) / 7, "weeks"),
                _ => ((days + 27) / 28, "months"),
            };
            let expiry = if matches!(spec.kind, Kind::Validation { .. }) && self.rng.chance(0.5) {
                " on expiry ok"
            } else {
                ""
            };
            let _ = writeln!(
                text,
                "    deadline dl{id} {} {unit} after e{anchor}{expiry} source \"cpts-gen, graine {seed}\"",
                amount.max(1)
            );
        }
        let _ = writeln!(
            text,
            "    source \"cpts-gen, graine {seed}, nœud {id}\"\n  }}"
        );
        self.body.push_str(&text);
        (id, produced)
    }

    /// A chain of `len` nodes after `start` (validations now and then), for a parallel or
    /// branching block. Returns the last reference and what the chain produces.
    fn chain(
        &mut self,
        start: Ref,
        len: usize,
        recent: &[usize],
        readable: &[Data],
        produce: bool,
        deadline: bool,
    ) -> (Ref, Vec<Data>) {
        let mut prev = start;
        let mut local: Vec<usize> = Vec::new();
        let mut products = Vec::new();
        for _ in 0..len {
            let mut ancestors = self.steps_of(recent);
            ancestors.extend(self.steps_of(&local));
            let kind = if !ancestors.is_empty() && self.rng.chance(self.shape.decision_ratio) {
                Kind::Validation {
                    route: ancestors[self.rng.below(ancestors.len())],
                }
            } else {
                Kind::Step
            };
            let validation = matches!(kind, Kind::Validation { .. });
            let (id, made) = self.emit(Spec {
                kind,
                after: &[prev],
                join: Join::All,
                readable,
                anchors: &ancestors,
                produce,
                deadline,
            });
            products.extend(made);
            local.push(id);
            prev = if validation {
                Ref {
                    node: id,
                    outcome: Some("ok"),
                }
            } else {
                Ref::node(id)
            };
        }
        (prev, products)
    }

    fn run(mut self) -> String {
        let mut cur: Option<Ref> = None;
        let mut recent: Vec<usize> = Vec::new();
        let mut avail: Vec<Data> = Vec::new();
        let mut sinks: Vec<Ref> = Vec::new();
        let mut next_branching = self.shape.branching_every;
        let remember = |recent: &mut Vec<usize>, id: usize| {
            recent.push(id);
            if recent.len() > RECENT {
                recent.remove(0);
            }
        };
        while self.remaining() > 0 {
            let r = self.remaining();
            let Some(at) = cur else {
                let (id, made) = self.emit(Spec {
                    kind: Kind::Step,
                    after: &[],
                    join: Join::All,
                    readable: &[],
                    anchors: &[],
                    produce: true,
                    deadline: false,
                });
                avail.extend(made);
                remember(&mut recent, id);
                cur = Some(Ref::node(id));
                continue;
            };
            let anchors = self.steps_of(&recent);
            if self.shape.branching_every > 0 && self.earliest.len() >= next_branching && r >= 8 {
                next_branching += self.shape.branching_every;
                // A decision with two forward outcomes, a short chain on each, merged by any().
                let (d, _) = self.emit(Spec {
                    kind: Kind::Branching,
                    after: &[at],
                    join: Join::All,
                    readable: &avail,
                    anchors: &anchors,
                    produce: false,
                    deadline: true,
                });
                let la = self.rng.range(1, 3);
                let lb = self.rng.range(1, 3);
                let (a, _) = self.chain(
                    Ref {
                        node: d,
                        outcome: Some("oui"),
                    },
                    la,
                    &recent,
                    &avail,
                    false,
                    false,
                );
                let (b, _) = self.chain(
                    Ref {
                        node: d,
                        outcome: Some("non"),
                    },
                    lb,
                    &recent,
                    &avail,
                    false,
                    false,
                );
                let (m, made) = self.emit(Spec {
                    kind: Kind::Step,
                    after: &[a, b],
                    join: Join::Any,
                    readable: &avail,
                    anchors: &[],
                    produce: true,
                    deadline: false,
                });
                avail.extend(made);
                remember(&mut recent, d);
                remember(&mut recent, m);
                cur = Some(Ref::node(m));
            } else if r >= 4 && self.rng.chance(self.shape.parallel_ratio) {
                let width = self.rng.range(2, self.shape.max_width.max(2)).min(r / 2);
                let mut lens: Vec<usize> = (0..width).map(|_| self.rng.range(1, 3)).collect();
                // Keep room for the join (and the any-step).
                while lens.iter().sum::<usize>() + 2 > r {
                    let longest = (0..width).max_by_key(|&i| lens[i]).unwrap_or(0);
                    lens[longest] -= 1;
                }
                let mut lasts = Vec::new();
                let mut products = Vec::new();
                for len in lens.into_iter().filter(|&l| l > 0) {
                    let (last, made) = self.chain(at, len, &recent, &avail, true, true);
                    lasts.push(last);
                    products.extend(made);
                }
                if lasts.len() >= 2
                    && self.remaining() >= 2
                    && self.rng.chance(self.shape.any_ratio)
                {
                    let i = self.rng.below(lasts.len());
                    let j = (i + 1 + self.rng.below(lasts.len() - 1)) % lasts.len();
                    let (x, _) = self.emit(Spec {
                        kind: Kind::Step,
                        after: &[lasts[i], lasts[j]],
                        join: Join::Any,
                        readable: &avail,
                        anchors: &anchors,
                        produce: false,
                        deadline: true,
                    });
                    lasts.push(Ref::node(x));
                }
                avail.extend(products);
                let (join, made) = self.emit(Spec {
                    kind: Kind::Step,
                    after: &lasts,
                    join: Join::All,
                    readable: &avail,
                    anchors: &anchors,
                    produce: true,
                    deadline: true,
                });
                avail.extend(made);
                remember(&mut recent, join);
                cur = Some(Ref::node(join));
            } else if self.rng.chance(self.shape.sink_ratio) {
                let (id, _) = self.emit(Spec {
                    kind: Kind::Step,
                    after: &[at],
                    join: Join::All,
                    readable: &avail,
                    anchors: &anchors,
                    produce: false,
                    deadline: true,
                });
                sinks.push(Ref::node(id));
            } else {
                let kind = if !anchors.is_empty() && self.rng.chance(self.shape.decision_ratio) {
                    Kind::Validation {
                        route: anchors[self.rng.below(anchors.len())],
                    }
                } else {
                    Kind::Step
                };
                let validation = matches!(kind, Kind::Validation { .. });
                let (id, made) = self.emit(Spec {
                    kind,
                    after: &[at],
                    join: Join::All,
                    readable: &avail,
                    anchors: &anchors,
                    produce: true,
                    deadline: true,
                });
                avail.extend(made);
                remember(&mut recent, id);
                cur = Some(if validation {
                    Ref {
                        node: id,
                        outcome: Some("ok"),
                    }
                } else {
                    Ref::node(id)
                });
            }
        }
        let mut ends = vec![cur.expect("at least one node")];
        ends.extend(sinks);
        self.finish(&ends)
    }

    fn finish(self, ends: &[Ref]) -> String {
        let seed = self.shape.seed;
        let n = self.earliest.len();
        let mut out = String::with_capacity(self.body.len() + 64 * (self.facts + self.docs) + 4096);
        let _ = writeln!(
            out,
            "workflow genere \"Workflow généré ({n} nœuds, graine {seed})\" {{"
        );
        let _ = writeln!(out, "  source \"cpts-gen, graine {seed}\"");
        let _ = writeln!(
            out,
            "  version \"v1\" \"Version unique\" source \"cpts-gen\""
        );
        let actors: Vec<String> = (0..ACTORS)
            .map(|a| format!("a{a} \"Acteur {a}\""))
            .collect();
        let _ = writeln!(out, "  actors {{ {} }}", actors.join(", "));
        let docs: Vec<String> = (0..self.docs.max(1))
            .map(|d| format!("doc{d} \"Document {d}\""))
            .collect();
        let _ = writeln!(out, "  documents {{\n    {}\n  }}", docs.join(",\n    "));
        let mut facts: Vec<String> = (0..INITIAL_FACTS).map(|i| format!("i{i}: int")).collect();
        facts.push("liste: list<int>".to_owned());
        facts.extend((0..self.facts).map(|p| format!("p{p}: int")));
        let _ = writeln!(out, "  facts {{\n    {}\n  }}", facts.join(",\n    "));
        let _ = writeln!(
            out,
            "  param seuil_min \"Seuil minimal\": int = 0 source \"cpts-gen\""
        );
        let _ = writeln!(
            out,
            "  param plafond \"Plafond\": int = 1_000_000 source \"cpts-gen\""
        );
        let _ = writeln!(
            out,
            "  value somme_initiale \"Somme des faits initiaux\": int = i0 + i1 source \"cpts-gen\""
        );
        let _ = writeln!(
            out,
            "  value double_seuil \"Double du seuil\": int = seuil_min * 2 source \"cpts-gen\""
        );
        let _ = writeln!(
            out,
            "  rule coherence warning \"Les valeurs calculées doivent rester sous le plafond\"\n    expect somme_initiale + double_seuil <= plafond source \"cpts-gen\""
        );
        out.push_str(&self.body);
        let refs: Vec<String> = ends.iter().map(|&r| self.reference(r)).collect();
        let _ = writeln!(
            out,
            "  end \"Processus terminé\" after all({}) source \"cpts-gen\"",
            refs.join(", ")
        );
        out.push_str("}\n");
        out
    }
}

/// Mostly one of the last few items (recent data is what later steps read), sometimes any.
fn pick_recent(rng: &mut Rng, items: &[Data]) -> Data {
    let window = items.len().min(32);
    if rng.chance(0.8) {
        items[items.len() - 1 - rng.below(window)]
    } else {
        items[rng.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpts_diag::{Severity, Sources};

    /// Every finding at warning level or above of the full `cpts check` pipeline.
    fn findings(text: &str) -> Vec<String> {
        let mut sources = Sources::new();
        sources.add("g.cpts", text);
        let checked = cpts_lang::check(&sources);
        let mut all = checked.diagnostics.clone();
        if !cpts_diag::has_errors(&checked.diagnostics) {
            let targets = cpts_lang::model::targets(&checked);
            assert_eq!(targets.len(), 1);
            for t in &targets {
                let (model, problems) = cpts_lang::model::build(&checked, t).expect("model builds");
                assert_eq!(
                    model.nodes.len(),
                    text.matches("\n  step ").count() + text.matches("\n  decision ").count()
                );
                all.extend(problems);
                all.extend(cpts_engine::verify(&model));
            }
        }
        all.iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| format!("{} {}: {} {:?}", d.code.id, d.code.name, d.message, d.notes))
            .collect()
    }

    fn assert_clean(shape: &Shape) {
        let text = workflow(shape);
        let nodes = text.matches("\n  step ").count() + text.matches("\n  decision ").count();
        assert_eq!(nodes, shape.steps.max(1), "node count for {shape:?}");
        let found = findings(&text);
        assert!(found.is_empty(), "{shape:?}:\n{}", found.join("\n"));
    }

    #[test]
    fn same_seed_same_text_other_seed_other_text() {
        assert_eq!(workflow(&Shape::new(200, 3)), workflow(&Shape::new(200, 3)));
        assert_ne!(workflow(&Shape::new(200, 3)), workflow(&Shape::new(200, 4)));
    }

    #[test]
    fn tiny_workflows_are_clean() {
        for steps in [0, 1, 2, 3, 4, 5, 7, 9, 12] {
            for seed in 0..8 {
                assert_clean(&Shape::new(steps, seed));
            }
        }
    }

    #[test]
    fn small_workflows_are_clean() {
        for seed in 0..10 {
            assert_clean(&Shape::new(50, seed));
        }
    }

    #[test]
    fn medium_workflows_are_clean() {
        for seed in 0..4 {
            assert_clean(&Shape::new(500, seed));
        }
    }

    #[test]
    fn large_workflows_are_clean() {
        for seed in [1, 42] {
            assert_clean(&Shape::new(2000, seed));
        }
    }

    #[test]
    fn every_feature_at_once_is_clean() {
        for seed in 0..6 {
            let shape = Shape {
                max_width: 5,
                parallel_ratio: 0.5,
                decision_ratio: 0.4,
                deadline_ratio: 0.5,
                any_ratio: 0.8,
                sink_ratio: 0.1,
                branching_every: 25,
                data_ratio: 0.5,
                rule_ratio: 0.9,
                ..Shape::new(500, seed)
            };
            let text = workflow(&shape);
            for needle in [
                "any(",
                "all(",
                "-> e",
                "deadline",
                "on expiry ok",
                "outcome oui",
                "requires document",
                "produces p",
            ] {
                assert!(text.contains(needle), "seed {seed}: no `{needle}`");
            }
            assert_clean(&shape);
        }
    }
}
