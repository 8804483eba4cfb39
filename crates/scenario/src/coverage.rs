//! The coverage report: for every rule the rules define (under every workflow, version and
//! region), whether scenarios saw it hold and saw it fail, and the same for each of its
//! conditions. Rules are grouped by who defines them: the national workflow or a region.

use cpts::Rules;
use cpts_diag::Span;
use cpts_engine::Coverage;
use cpts_engine::coverage::{Outcomes, conditions};
use cpts_lang::model::{self, Origin};
use std::collections::BTreeMap;

/// Coverage of the rules of one group (national, or one region).
#[derive(Clone, Debug)]
pub struct Group {
    /// `None`: the national workflows.
    pub region: Option<String>,
    /// Its rules, in source order.
    pub rules: Vec<RuleCoverage>,
}

/// What scenarios saw of one rule, or of one `check` (a check has no conditions).
#[derive(Clone, Debug)]
pub struct RuleCoverage {
    /// The rule's id.
    pub name: String,
    /// The rule's definition.
    pub span: Span,
    /// Its `expect` expression.
    pub expect: Span,
    /// Its whole condition: seen holding, seen false.
    pub outcomes: Outcomes,
    /// Each condition (operand of `and`, `or`, `not`, `implies`), with its source text.
    pub conditions: Vec<(Span, String, Outcomes)>,
}

impl Group {
    /// Rules seen both holding and false, and all rules.
    pub fn rules_covered(&self) -> (usize, usize) {
        let covered = self.rules.iter().filter(|r| r.outcomes.both()).count();
        (covered, self.rules.len())
    }

    /// Conditions seen both true and false, and all conditions.
    pub fn conditions_covered(&self) -> (usize, usize) {
        let all = self.rules.iter().flat_map(|r| &r.conditions);
        let (covered, total) = all.fold((0, 0), |(c, t), (_, _, o)| {
            (c + usize::from(o.both()), t + 1)
        });
        (covered, total)
    }

    /// The group's name in reports.
    pub fn label(&self) -> &str {
        self.region.as_deref().unwrap_or("national")
    }
}

/// The group a rule or check is counted in: `None` for the national workflows.
fn group_of(origin: &Origin) -> Option<String> {
    match origin {
        Origin::National => None,
        Origin::Region(r) => Some(r.clone()),
    }
}

/// The percentage `covered / total` (100 when there is nothing to cover).
pub fn percent((covered, total): (usize, usize)) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

/// Every rule of `rules`, with what `coverage` saw of it; national group first, then regions by
/// name.
pub fn report(rules: &Rules, coverage: &Coverage) -> Vec<Group> {
    let checked = rules.checked();
    let mut groups: BTreeMap<Option<String>, BTreeMap<Span, RuleCoverage>> = BTreeMap::new();
    for target in model::targets(checked) {
        let Ok((model, _)) = model::build(checked, &target) else {
            continue;
        };
        let checks = model
            .checks
            .iter()
            .chain(model.nodes.iter().flat_map(|n| &n.checks));
        for check in checks {
            let region = group_of(&check.origin);
            // A check is seen holding when its plugin finds nothing, false when it finds
            // something; it has no conditions of its own.
            let group = groups.entry(region).or_default();
            group.entry(check.span).or_insert_with(|| RuleCoverage {
                name: check.name.clone(),
                span: check.span,
                expect: check.call.span,
                outcomes: coverage.outcomes(check.call.span),
                conditions: Vec::new(),
            });
        }
        let all = model
            .rules
            .iter()
            .chain(model.nodes.iter().flat_map(|n| &n.rules));
        for rule in all {
            let region = group_of(&rule.origin);
            let group = groups.entry(region).or_default();
            group.entry(rule.span).or_insert_with(|| RuleCoverage {
                name: rule.name.clone(),
                span: rule.span,
                expect: rule.expect.span,
                outcomes: coverage.outcomes(rule.expect.span),
                conditions: conditions(&rule.expect)
                    .into_iter()
                    .map(|c| {
                        let text = rules
                            .sources()
                            .snippet(c.span)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        (c.span, text, coverage.outcomes(c.span))
                    })
                    .collect(),
            });
        }
    }
    groups
        .into_iter()
        .map(|(region, rules)| Group {
            region,
            rules: rules.into_values().collect(),
        })
        .collect()
}
