//! `cpts test`'s result as data: schema `cpts-test/2` ([`TestReport`]), serialised by the CLI's
//! `--format json` and described by `cpts schema --output test`.

use crate::coverage::{Group, percent};
use crate::mutate::MutantOutcome;
use crate::{FileOutcome, Mismatch};
use cpts::report::{Finding, Location, findings};
use cpts_diag::{Diagnostic, Sources};
use schemars::JsonSchema;
use serde::Serialize;

/// What a `cpts test` run found: schema `cpts-test/2`.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TestReport {
    /// `cpts-test/2`.
    #[schemars(extend("const" = TestReport::SCHEMA))]
    pub schema: &'static str,
    /// Counts.
    pub summary: TestSummary,
    /// Scenario files that could not be read.
    pub unreadable: Vec<Finding>,
    /// Each scenario file.
    pub files: Vec<TestFile>,
    /// Rule and condition coverage (`--coverage`, `--threshold`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageReport>,
    /// Mutants made and what became of them (`--mutants`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutants: Option<Vec<MutantReport>>,
}

/// How many scenarios ran and passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TestSummary {
    /// Scenarios run.
    pub scenarios: usize,
    /// Scenarios passed.
    pub passed: usize,
}

/// One scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TestFile {
    /// The file, as given.
    pub path: String,
    /// Problems reading it.
    pub problems: Vec<Finding>,
    /// Each scenario read.
    pub scenarios: Vec<ScenarioReport>,
}

/// One scenario.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioReport {
    /// Its name.
    pub name: String,
    /// Its `[[scenario]]` table.
    pub at: Location,
    /// No failure and no problem at error level.
    pub passed: bool,
    /// The most fuel one plugin call used.
    pub fuel: u64,
    /// The expectations not met.
    pub failures: Vec<FailureReport>,
    /// Its problems.
    pub problems: Vec<Finding>,
}

/// An expectation not met.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct FailureReport {
    /// What it is about: `states.agc`, `violations`, `values.taille`…
    pub what: String,
    /// Where the expectation is written.
    pub at: Location,
    /// The difference.
    #[serde(flatten)]
    pub difference: Difference,
}

/// How an expectation differs from what was computed.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Difference {
    /// A value, as written in the scenario and as computed.
    Value {
        /// As written in the scenario (TOML text).
        expected: String,
        /// As computed, as data: a state's name, a value, the fuel used, whether complete
        /// (`null` when nothing could be computed: see `why`).
        #[schemars(with = "Option<cpts::report::ValueSchema>")]
        found: Option<cpts_engine::Value>,
        /// Why nothing could be computed.
        #[serde(skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// A set of names.
    Set {
        /// Expected, not found.
        missing: Vec<String>,
        /// Found, not expected.
        unexpected: Vec<String>,
    },
}

/// Coverage, per region.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CoverageReport {
    /// The least percentage of rules each group must cover (`--threshold`).
    pub threshold: Option<f64>,
    /// National rules first, then each region by name.
    pub groups: Vec<GroupReport>,
}

/// The coverage of the rules one region (or the national workflow) defines.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct GroupReport {
    /// The region (`null`: national).
    pub region: Option<String>,
    /// Rules seen both true and false.
    pub rules: Ratio,
    /// Conditions seen both true and false.
    pub conditions: Ratio,
    /// Each rule.
    pub detail: Vec<RuleReport>,
}

/// How many of how many, and the percentage (100 when there is nothing to cover).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Ratio {
    /// Covered.
    pub covered: usize,
    /// In all.
    pub total: usize,
    /// `covered / total` in percent.
    pub percent: f64,
}

impl Ratio {
    fn new(r: (usize, usize)) -> Ratio {
        Ratio {
            covered: r.0,
            total: r.1,
            percent: percent(r),
        }
    }
}

/// What was seen of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RuleReport {
    /// Its id.
    pub rule: String,
    /// Where it is.
    pub at: Location,
    /// Seen holding.
    pub seen_true: bool,
    /// Seen false.
    pub seen_false: bool,
    /// Each condition (operands of `and`, `or`, `not`, `implies`).
    pub conditions: Vec<ConditionReport>,
}

/// What was seen of one condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ConditionReport {
    /// Its text.
    pub text: String,
    /// Where it is.
    pub at: Location,
    /// Seen true.
    pub seen_true: bool,
    /// Seen false.
    pub seen_false: bool,
}

/// One mutant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MutantReport {
    /// The rule changed.
    pub rule: String,
    /// Where.
    pub at: Location,
    /// The change.
    pub change: String,
    /// The scenario that noticed it (`null`: it survived, or it was invalid).
    pub killed_by: Option<String>,
    /// The changed rules did not check.
    pub invalid: bool,
}

impl TestReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-test/2";

    /// The report of a run: `outcomes` of each file, the `unreadable` files, coverage `groups`
    /// with their `threshold`, `mutants`; spans located in `sources`.
    pub fn new(
        sources: &Sources,
        outcomes: &[FileOutcome],
        unreadable: &[Diagnostic],
        groups: Option<&[Group]>,
        threshold: Option<f64>,
        mutants: Option<&[MutantOutcome]>,
    ) -> TestReport {
        let at = |span| Location::new(sources, span);
        let files: Vec<TestFile> = outcomes
            .iter()
            .map(|f| TestFile {
                path: sources.get(f.file).name.clone(),
                problems: findings(sources, &f.problems),
                scenarios: f
                    .scenarios
                    .iter()
                    .map(|s| ScenarioReport {
                        name: s.name.clone(),
                        at: at(s.span),
                        passed: s.passed(),
                        fuel: s.fuel,
                        failures: s
                            .failures
                            .iter()
                            .map(|fail| FailureReport {
                                what: fail.what.clone(),
                                at: at(fail.span),
                                difference: match &fail.mismatch {
                                    Mismatch::Value {
                                        expected,
                                        found,
                                        value,
                                    } => Difference::Value {
                                        expected: expected.clone(),
                                        found: value.clone(),
                                        why: value.is_none().then(|| found.clone()),
                                    },
                                    Mismatch::Set {
                                        missing,
                                        unexpected,
                                    } => Difference::Set {
                                        missing: missing.clone(),
                                        unexpected: unexpected.clone(),
                                    },
                                },
                            })
                            .collect(),
                        problems: findings(sources, &s.problems),
                    })
                    .collect(),
            })
            .collect();
        let all = files.iter().flat_map(|f| &f.scenarios);
        TestReport {
            schema: TestReport::SCHEMA,
            summary: TestSummary {
                scenarios: all.clone().count(),
                passed: all.filter(|s| s.passed).count(),
            },
            unreadable: findings(sources, unreadable),
            files,
            coverage: groups.map(|groups| CoverageReport {
                threshold,
                groups: groups
                    .iter()
                    .map(|g| GroupReport {
                        region: g.region.clone(),
                        rules: Ratio::new(g.rules_covered()),
                        conditions: Ratio::new(g.conditions_covered()),
                        detail: g
                            .rules
                            .iter()
                            .map(|rule| RuleReport {
                                rule: rule.name.clone(),
                                at: at(rule.span),
                                seen_true: rule.outcomes.seen_true,
                                seen_false: rule.outcomes.seen_false,
                                conditions: rule
                                    .conditions
                                    .iter()
                                    .map(|(span, text, o)| ConditionReport {
                                        text: text.clone(),
                                        at: at(*span),
                                        seen_true: o.seen_true,
                                        seen_false: o.seen_false,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            }),
            mutants: mutants.map(|mutants| {
                mutants
                    .iter()
                    .map(|m| MutantReport {
                        rule: m.mutant.rule.clone(),
                        at: at(m.mutant.span),
                        change: m.mutant.description.clone(),
                        killed_by: m.killed_by.clone(),
                        invalid: m.invalid,
                    })
                    .collect()
            }),
        }
    }
}
