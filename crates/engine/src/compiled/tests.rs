//! Differential tests: the compiled evaluator against the tree walker ([`Env`], the oracle) on
//! random expressions over random (sometimes ill-typed) facts, and on the status of generated
//! workflows with random facts and journals. Values, errors with their spans, explanations and
//! coverage records must agree.

use super::*;
use crate::calendar::Calendar;
use crate::coverage::Coverage;
use crate::eval::{EmptyJournal, Env, Journal};
use crate::exec::{Event, replay, status_by_tree_walk, status_covered};
use crate::plugins::NoPlugins;
use chrono::NaiveDate;
use cpts_diag::{FileId, Sources, Span};
use cpts_lang::model::{Target, build};
use cpts_lang::syntax::{Arg, BinOp, Call, Comprehension, Expr, ExprKind, Ident, Unit};
use cpts_lang::types::Type;

/// SplitMix64: deterministic, no dependency.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const TEXT: &str = r#"
enum couleur "Couleur" { rouge "Rouge", vert "Vert", bleu "Bleu" }
record fiche { a: int, s: text, o: int?, c: couleur }
workflow w "W" {
  version "v1" source "s"
  source "s"
  facts {
    i: int, d: decimal, t: text, b: bool, dt: date, du: duration, opt: int?,
    xs: list<int>, ds: list<decimal>, ts: set<text>, rs: list<fiche>, col: couleur,
    cs: set<couleur>, f: fiche, nested: list<list<int>>,
  }
  param p_int "P": int = 3 source "s"
  param p_list "L": list<text> = ["a", "b", "c"] source "s"
  param p_flag "F": bool = true source "s"
  value v_count "C": int = count(xs) + p_int source "s"
  value v_set "S": set<text> = distinct(r.s for r in rs) source "s"
  value v_ok "O": bool = p_flag and all(x in xs where x >= 0) source "s"
  step sa "A" { source "s" }
  step sb "B" { after sa  source "s" }
}
"#;

fn model() -> Model {
    let mut sources = Sources::new();
    sources.add("w.cpts", TEXT);
    let checked = cpts_lang::check(&sources);
    assert!(
        !cpts_diag::has_errors(&checked.diagnostics),
        "{:#?}",
        checked.diagnostics
    );
    let target = Target {
        workflow: "w".into(),
        version: "v1".into(),
        region: None,
    };
    build(&checked, &target).expect("builds").0
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// A random value of `ty`, now and then of another type or absent.
pub(crate) fn value(rng: &mut Rng, ty: &Type, enums: &BTreeMap<String, Vec<String>>) -> Value {
    if rng.chance(40) {
        return Value::None;
    }
    if rng.chance(60) {
        let other = [Type::Int, Type::Text, Type::Bool, Type::Decimal];
        let k = rng.below(other.len());
        return value(rng, &other[k], enums);
    }
    match ty {
        Type::Int => Value::Int(match rng.below(8) {
            0 => i64::MAX,
            1 => i64::MIN,
            _ => rng.below(20) as i64 - 5,
        }),
        Type::Decimal => Value::Decimal(match rng.below(6) {
            0 => -0.0,
            1 => 1e300,
            _ => (rng.below(40) as f64 - 10.0) / 4.0,
        }),
        Type::Bool => Value::Bool(rng.chance(2)),
        Type::Text => Value::Text(pick(rng, &["a", "b", "c", "m001", "", "Zé"]).into()),
        Type::Date => Value::Date(
            NaiveDate::from_ymd_opt(2020 + rng.below(6) as i32, 1 + rng.below(12) as u32, 1)
                .unwrap_or_default()
                + chrono::Days::new(rng.below(30) as u64),
        ),
        Type::Duration => Value::Duration(
            rng.below(30) as i64,
            [
                Unit::Days,
                Unit::WorkingDays,
                Unit::Weeks,
                Unit::Months,
                Unit::Years,
            ][rng.below(5)],
        ),
        Type::Enum(name) => match enums.get(&**name) {
            Some(cases) if !cases.is_empty() => Value::Enum(cases[rng.below(cases.len())].clone()),
            _ => Value::Enum("inconnu".into()),
        },
        Type::Record(r) => {
            let mut fields = BTreeMap::new();
            for (n, t) in &r.fields {
                if !rng.chance(30) {
                    fields.insert(n.clone(), value(rng, t, enums));
                }
            }
            Value::Record(fields)
        }
        Type::List(t) | Type::Set(t) => {
            let n = if rng.chance(4) {
                12 + rng.below(20)
            } else {
                rng.below(5)
            };
            let items = (0..n).map(|_| value(rng, t, enums)).collect();
            if matches!(ty, Type::Set(_)) {
                Value::set(items)
            } else {
                Value::List(items)
            }
        }
        Type::Optional(t) => {
            if rng.chance(3) {
                Value::None
            } else {
                value(rng, t, enums)
            }
        }
        Type::None | Type::Error => Value::None,
    }
}

/// Random facts for `model`.
pub(crate) fn facts(rng: &mut Rng, model: &Model) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (n, t) in &model.facts {
        if !rng.chance(15) {
            out.insert(n.clone(), value(rng, t, &model.enums));
        }
    }
    if rng.chance(10) {
        // A key of an enum's name: `couleur.rouge` then reads the (undeclared) fact.
        out.insert("couleur".into(), Value::Int(1));
    }
    out
}

/// A random journal: nodes whose prerequisites hold, in order, a few days apart.
pub(crate) fn journal(rng: &mut Rng, model: &Model) -> Vec<Event> {
    let mut events = Vec::new();
    let mut date = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap_or_default();
    let today = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default();
    let calendar = Calendar::national();
    for _ in 0..rng.below(model.nodes.len() * 2 + 1) {
        let h = replay(model, &events, today, &calendar);
        let ready: Vec<usize> = (0..model.nodes.len())
            .filter(|&v| {
                !h.records[v].done && model.nodes[v].after.as_ref().is_none_or(|c| h.holds(c))
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        let v = ready[rng.below(ready.len())];
        let outcomes = model.nodes[v].outcomes.len();
        events.push(Event {
            node: v,
            outcome: (outcomes > 0).then(|| rng.below(outcomes)),
            date,
            actor: None,
            evidence: None,
            note: None,
            span: model.nodes[v].span,
        });
        date = date + chrono::Days::new(1 + rng.below(40) as u64);
    }
    events
}

struct Gen<'r> {
    rng: &'r mut Rng,
    next_span: usize,
    locals: Vec<&'static str>,
}

impl Gen<'_> {
    fn span(&mut self) -> Span {
        self.next_span += 2;
        Span::new(FileId(0), self.next_span, self.next_span + 1)
    }

    fn ident(&mut self, name: &str) -> Ident {
        Ident {
            name: name.into(),
            span: self.span(),
        }
    }

    fn mk(&mut self, kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: self.span(),
        }
    }

    fn name(&mut self) -> String {
        if !self.locals.is_empty() && self.rng.chance(2) {
            return self.locals[self.rng.below(self.locals.len())].into();
        }
        pick(
            self.rng,
            &[
                "i", "d", "t", "b", "dt", "du", "opt", "xs", "ds", "ts", "rs", "col", "cs", "f",
                "nested", "p_int", "p_list", "p_flag", "v_count", "v_set", "v_ok", "inconnu",
                "couleur",
            ],
        )
        .into()
    }

    fn expr(&mut self, depth: usize) -> Expr {
        let leaf = depth == 0 || self.rng.chance(4);
        if leaf {
            let kind = match self.rng.below(11) {
                0 => ExprKind::Int(self.rng.below(7) as i64 - 2),
                1 => ExprKind::Decimal(pick(self.rng, &["0.5", "2.0", "1e3", "x"]).into()),
                2 => ExprKind::Text(pick(self.rng, &["a", "m001", ""]).into()),
                3 => ExprKind::Bool(self.rng.chance(2)),
                4 => ExprKind::None,
                5 => ExprKind::Date {
                    year: 2023,
                    month: 1 + self.rng.below(13) as u32,
                    day: 1 + self.rng.below(31) as u32,
                },
                6 => ExprKind::Duration(self.rng.below(5) as i64, Unit::Months),
                7 => ExprKind::Today,
                _ => {
                    let n = self.name();
                    ExprKind::Name(self.ident(&n))
                }
            };
            return self.mk(kind);
        }
        let d = depth - 1;
        let kind = match self.rng.below(14) {
            0 => {
                let field = pick(self.rng, &["a", "s", "o", "c", "rouge", "vert", "x"]);
                let base = if self.rng.chance(3) {
                    let n = pick(self.rng, &["couleur", "f", "inconnu"]);
                    let n = self.ident(n);
                    self.mk(ExprKind::Name(n))
                } else {
                    self.expr(d)
                };
                ExprKind::Member(Box::new(base), self.ident(field))
            }
            1 => ExprKind::Index(Box::new(self.expr(d)), Box::new(self.expr(d))),
            2 => ExprKind::Not(Box::new(self.expr(d))),
            3 => ExprKind::Neg(Box::new(self.expr(d))),
            4 => ExprKind::List((0..self.rng.below(4)).map(|_| self.expr(d)).collect()),
            5 => ExprKind::Record(
                (0..self.rng.below(3))
                    .map(|_| {
                        let k = pick(self.rng, &["a", "s", "z"]);
                        let k = self.ident(k);
                        (k, self.expr(d))
                    })
                    .collect(),
            ),
            6 | 7 => self.call(d),
            _ => {
                let ops = [
                    BinOp::Implies,
                    BinOp::Or,
                    BinOp::And,
                    BinOp::Eq,
                    BinOp::Ne,
                    BinOp::Lt,
                    BinOp::Le,
                    BinOp::Gt,
                    BinOp::Ge,
                    BinOp::In,
                    BinOp::NotIn,
                    BinOp::Add,
                    BinOp::Sub,
                    BinOp::Mul,
                    BinOp::Div,
                    BinOp::Rem,
                    BinOp::Coalesce,
                ];
                let op = ops[self.rng.below(ops.len())];
                ExprKind::Binary(op, Box::new(self.expr(d)), Box::new(self.expr(d)))
            }
        };
        self.mk(kind)
    }

    fn call(&mut self, d: usize) -> ExprKind {
        let f = pick(
            self.rng,
            &[
                "count", "sum", "min", "max", "all", "any", "distinct", "done", "date_of", "foo",
            ],
        );
        let args = match (f, self.rng.below(4)) {
            ("done" | "date_of", 0 | 1) => {
                let step = pick(self.rng, &["sa", "sb", "sz"]);
                let step = self.ident(step);
                vec![Arg::Expr(self.mk(ExprKind::Name(step)))]
            }
            (_, 0) => Vec::new(),
            (_, 1) => vec![Arg::Expr(self.expr(d))],
            _ => {
                let var: &'static str = pick(self.rng, &["x", "y"]);
                let collection = Box::new(self.expr(d));
                self.locals.push(var);
                let element = self.rng.chance(2).then(|| Box::new(self.expr(d)));
                let filter = self
                    .rng
                    .chance(3)
                    .then(|| Box::new(self.expr(d)))
                    .or_else(|| element.is_none().then(|| Box::new(self.expr(d))));
                self.locals.pop();
                let var = self.ident(var);
                let span = self.span();
                vec![Arg::Comprehension(Comprehension {
                    element,
                    var,
                    collection,
                    filter,
                    span,
                })]
            }
        };
        let function = self.ident(f);
        ExprKind::Call(Call {
            plugin: None,
            function,
            args,
        })
    }
}

struct Steps(Vec<bool>);

impl Journal for Steps {
    fn done(&self, node: NodeId) -> bool {
        self.0.get(node).copied().unwrap_or(false)
    }
    fn date_of(&self, node: NodeId) -> Option<NaiveDate> {
        self.done(node)
            .then(|| NaiveDate::from_ymd_opt(2023, 3, 1 + node as u32))
            .flatten()
    }
}

#[test]
fn random_expressions_agree_with_the_tree_walker() {
    let model = Arc::new(model());
    let mut rng = Rng(12);
    let today = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap_or_default();
    let mut errors = 0;
    for case in 0..3000 {
        let exprs: Vec<Expr> = (0..4)
            .map(|_| {
                let depth = 1 + rng.below(5);
                Gen {
                    rng: &mut rng,
                    next_span: 0,
                    locals: Vec::new(),
                }
                .expr(depth)
            })
            .collect();
        let refs: Vec<&Expr> = exprs.iter().collect();
        let (program, nodes) = Program::build(model.clone(), &refs);
        let facts_map = facts(&mut rng, &model);
        let facts = Facts::new(&program, &facts_map);
        let journal = Steps(vec![rng.chance(2), rng.chance(2)]);
        let (old_cov, new_cov) = (Coverage::new(), Coverage::new());
        let env = Env::new(&model, &facts_map, &journal, today, Calendar::national())
            .with_coverage(&old_cov);
        let cx = Ctx::new(
            &program,
            &facts,
            &journal,
            today,
            Calendar::national(),
            &NoPlugins,
            Some(&new_cov),
        );
        // Several expressions per context: the memo is shared as the tree walker's cache is.
        for (e, n) in exprs.iter().zip(&nodes) {
            let old = env.eval(e);
            let new = cx.eval(n, None).map(|v| v.to_value());
            errors += usize::from(old.is_err());
            assert_eq!(
                format!("{old:?}"),
                format!("{new:?}"),
                "case {case}: {e:#?}\nfacts {facts_map:?}"
            );
            assert_eq!(format!("{:?}", env.holds(e)), format!("{:?}", cx.holds(n)));
        }
        assert_eq!(old_cov.seen(), new_cov.seen(), "case {case}: coverage");
    }
    assert!(
        errors > 500 && errors < 10_000,
        "errors {errors}: both paths exercised"
    );
}

#[test]
fn values_are_evaluated_once_and_read_in_place() {
    let model = model();
    let program = Program::new(&model);
    let facts_map = BTreeMap::from([("xs".to_string(), Value::List(vec![Value::Int(2)]))]);
    let facts = Facts::new(&program, &facts_map);
    let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let cx = Ctx::new(
        &program,
        &facts,
        &EmptyJournal,
        today,
        Calendar::national(),
        &NoPlugins,
        None,
    );
    let slot = program.slot("v_count").unwrap_or(0);
    let first: *const Val = cx.named(slot).unwrap_or(&Val::None);
    let second: *const Val = cx.named(slot).unwrap_or(&Val::None);
    assert_eq!(
        first, second,
        "one evaluation, one value, read by reference"
    );
    assert!(matches!(cx.named(slot), Ok(Val::Int(4))));
}

#[test]
fn dependencies_are_transitive() {
    let model = model();
    let program = Program::new(&model);
    let fact = |n: &str| {
        model
            .facts
            .iter()
            .position(|(f, _)| f == n)
            .unwrap_or(usize::MAX)
    };
    let v = |n: &str| {
        model
            .values
            .iter()
            .position(|v| v.name == n)
            .unwrap_or(usize::MAX)
    };
    let count = program
        .value_deps(v("v_count"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(count.facts, vec![fact("xs")]);
    assert!(!count.today && !count.plugins && count.nodes.is_empty());
    let ok = program.value_deps(v("v_ok")).cloned().unwrap_or_default();
    assert_eq!(
        ok.facts,
        vec![fact("xs")],
        "through p_flag, which reads nothing"
    );
    assert!(program.param_deps(0).is_some_and(|d| d.facts.is_empty()));
    assert!(program.rule_deps(ItemRef::Workflow(0)).is_none());
}

#[test]
fn generated_workflows_have_the_same_status_both_ways() {
    for seed in 0..6u64 {
        let text = cpts_gen::workflow(&cpts_gen::Shape::new(40, seed));
        let mut sources = Sources::new();
        sources.add("g.cpts", text);
        let checked = cpts_lang::check(&sources);
        for target in cpts_lang::model::targets(&checked) {
            let Ok((model, _)) = build(&checked, &target) else {
                continue;
            };
            let mut rng = Rng(seed);
            for _ in 0..8 {
                let facts = facts(&mut rng, &model);
                let events = journal(&mut rng, &model);
                for today in ["2021-06-01", "2023-02-15", "2031-01-01"] {
                    let today = today.parse().unwrap_or_default();
                    same_status(&model, &facts, &events, today);
                }
            }
        }
    }
}

/// The compiled status and the tree walker's agree, coverage included.
pub(crate) fn same_status(
    model: &Model,
    facts: &BTreeMap<String, Value>,
    events: &[Event],
    today: NaiveDate,
) {
    let (old_cov, new_cov) = (Coverage::new(), Coverage::new());
    let calendar = Calendar::national();
    let old = status_by_tree_walk(
        model,
        facts,
        events,
        today,
        calendar,
        &NoPlugins,
        Some(&old_cov),
    );
    let new = status_covered(model, facts, events, today, calendar, &NoPlugins, &new_cov);
    assert_eq!(format!("{old:?}"), format!("{new:?}"));
    assert_eq!(old_cov.seen(), new_cov.seen());
}

#[test]
fn programs_and_facts_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Program>();
    shareable::<Facts>();
}
