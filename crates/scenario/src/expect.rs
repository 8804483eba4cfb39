//! What a scenario expects (`[scenario.expect]`), and how an expected TOML value is compared
//! with a computed one.

use cpts_diag::{Diagnostic, FileId, Span, codes};
use cpts_engine::Value;
use toml::Spanned;
use toml::de::DeValue;

/// The expectations of one scenario. Every part is optional; lists are compared as sets.
#[derive(Clone, Debug, Default)]
pub struct Expect<'t> {
    /// `states = { step = "done" }`: the state of each listed step or decision.
    pub states: Vec<Named<String>>,
    /// `enabled = [...]`: exactly the steps that can be done now.
    pub enabled: Option<Named<Vec<String>>>,
    /// `blocked_by = { step = [rule, ...] }`: exactly the rules that block each listed step.
    pub blocked_by: Vec<Named<Vec<String>>>,
    /// `violations = [...]`: exactly the rules evaluated false (every severity).
    pub violations: Option<Named<Vec<String>>>,
    /// `holds = [...]`: rules evaluated and true.
    pub holds: Option<Named<Vec<String>>>,
    /// `errors = [...]`: exactly the rules that could not be evaluated.
    pub errors: Option<Named<Vec<String>>>,
    /// `values = { name = value }`: computed values and parameters.
    pub values: Vec<(String, Span, Spanned<DeValue<'t>>)>,
    /// `complete = true|false`: whether the workflow's end is reached.
    pub complete: Option<Named<bool>>,
    /// `max_fuel = N`: no plugin call of the scenario used more fuel than this.
    pub max_fuel: Option<Named<u64>>,
}

/// An expectation with the name it is about (empty when it is about the whole scenario) and its
/// span in the scenario file.
#[derive(Clone, Debug)]
pub struct Named<T> {
    /// The step, rule or value it is about.
    pub name: String,
    /// Where it is written.
    pub span: Span,
    /// What is expected.
    pub value: T,
}

/// The state names a scenario may expect, as `cpts status --format json` spells them.
pub const STATES: &[&str] = &[
    "done",
    "enabled",
    "blocked",
    "waiting",
    "overdue",
    "not-applicable",
];

const KEYS: &[&str] = &[
    "states",
    "enabled",
    "blocked_by",
    "violations",
    "holds",
    "errors",
    "values",
    "complete",
    "max_fuel",
];

/// Reads `[scenario.expect]`; problems go to `out`.
pub(crate) fn read<'t>(
    file: FileId,
    v: &Spanned<DeValue<'t>>,
    out: &mut Vec<Diagnostic>,
) -> Expect<'t> {
    let span = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let mut problem = |r: std::ops::Range<usize>, message: String, hint: &str| {
        out.push(
            Diagnostic::new(&codes::INVALID_SCENARIO, message)
                .at(span(r))
                .help(hint),
        );
    };
    let mut e = Expect::default();
    let DeValue::Table(t) = v.get_ref() else {
        problem(
            v.span(),
            "`expect` must be a table".into(),
            "write `[scenario.expect]`",
        );
        return e;
    };
    if t.is_empty() {
        problem(
            v.span(),
            "this scenario expects nothing".into(),
            "a scenario that expects nothing proves nothing",
        );
    }
    for (key, value) in t.iter() {
        let k: &str = key.get_ref();
        let at = span(value.span());
        match k {
            "states" | "blocked_by" | "values" => {
                let DeValue::Table(entries) = value.get_ref() else {
                    problem(
                        value.span(),
                        format!("`{k}` must be a table"),
                        "write `{k} = {{ name = … }}`",
                    );
                    continue;
                };
                for (name, item) in entries.iter() {
                    let name_span = span(name.span());
                    let name = name.get_ref().to_string();
                    match k {
                        "states" => match item.get_ref() {
                            DeValue::String(s) if STATES.contains(&s.as_ref()) => {
                                e.states.push(Named {
                                    name,
                                    span: name_span,
                                    value: s.to_string(),
                                });
                            }
                            _ => problem(
                                item.span(),
                                format!("`{name}`: not a state"),
                                "a state is one of: done, enabled, blocked, waiting, overdue, not-applicable",
                            ),
                        },
                        "blocked_by" => match names(item.get_ref()) {
                            Some(rules) => e.blocked_by.push(Named {
                                name,
                                span: name_span,
                                value: rules,
                            }),
                            None => problem(
                                item.span(),
                                format!("`blocked_by.{name}` must be a list of rule names"),
                                "write `[\"rule\", …]` (`[]`: nothing blocks it)",
                            ),
                        },
                        _ => e.values.push((name, name_span, item.clone())),
                    }
                }
            }
            "enabled" | "violations" | "holds" | "errors" => match names(value.get_ref()) {
                Some(list) => {
                    let named = Some(Named {
                        name: String::new(),
                        span: at,
                        value: list,
                    });
                    match k {
                        "enabled" => e.enabled = named,
                        "violations" => e.violations = named,
                        "holds" => e.holds = named,
                        _ => e.errors = named,
                    }
                }
                None => problem(
                    value.span(),
                    format!("`{k}` must be a list of names"),
                    "write `[\"name\", …]`",
                ),
            },
            "complete" => match value.get_ref() {
                DeValue::Boolean(b) => {
                    e.complete = Some(Named {
                        name: String::new(),
                        span: at,
                        value: *b,
                    });
                }
                _ => problem(
                    value.span(),
                    "`complete` must be `true` or `false`".into(),
                    "",
                ),
            },
            "max_fuel" => match value.get_ref() {
                DeValue::Integer(i) if i.as_str().parse::<u64>().is_ok() => {
                    e.max_fuel = Some(Named {
                        name: String::new(),
                        span: at,
                        value: i.as_str().parse().unwrap_or(u64::MAX),
                    });
                }
                _ => problem(
                    value.span(),
                    "`max_fuel` must be a whole number of fuel units".into(),
                    "write `max_fuel = 200000`",
                ),
            },
            _ => {
                let hint = crate::file::closest(k, KEYS.iter().copied()).map_or_else(
                    || format!("expectations are: {}", KEYS.join(", ")),
                    |b| format!("did you mean `{b}`?"),
                );
                problem(key.span(), format!("unknown expectation `{k}`"), &hint);
            }
        }
    }
    e
}

fn names(v: &DeValue) -> Option<Vec<String>> {
    let DeValue::Array(items) = v else {
        return None;
    };
    items
        .iter()
        .map(|i| match i.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether computed `actual` is what `expected` (TOML) says: numbers by value (decimals within
/// a millionth), durations and enum variants by their written form, sets in any order, records
/// field by field; `"none"` is an absent value.
pub fn matches(expected: &DeValue, actual: &Value) -> bool {
    match (expected, actual) {
        (DeValue::String(s), Value::None) => s == "none",
        (DeValue::Integer(i), Value::Int(n)) => i.as_str().replace('_', "").parse() == Ok(*n),
        (DeValue::Integer(i), Value::Decimal(d)) => {
            close(i.as_str().replace('_', "").parse().unwrap_or(f64::NAN), *d)
        }
        (DeValue::Float(f), Value::Decimal(d)) => {
            close(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN), *d)
        }
        (DeValue::Float(f), Value::Int(n)) => close(
            f.as_str().replace('_', "").parse().unwrap_or(f64::NAN),
            *n as f64,
        ),
        (DeValue::Boolean(b), Value::Bool(a)) => a == b,
        (DeValue::String(s), Value::Text(t) | Value::Enum(t)) => s == t,
        (DeValue::String(s), Value::Duration(..)) => *s == actual.to_string(),
        (DeValue::Datetime(_), Value::Date(d)) => crate::file::date(expected) == Some(*d),
        (DeValue::Array(items), Value::List(values)) => {
            items.len() == values.len()
                && items
                    .iter()
                    .zip(values)
                    .all(|(i, v)| matches(i.get_ref(), v))
        }
        (DeValue::Array(items), Value::Set(values)) => {
            // Every expected item matches a distinct value.
            let mut used = vec![false; values.len()];
            items.len() == values.len()
                && items.iter().all(|i| {
                    let hit = values
                        .iter()
                        .enumerate()
                        .find(|(k, v)| !used[*k] && matches(i.get_ref(), v));
                    hit.map(|(k, _)| used[k] = true).is_some()
                })
        }
        (DeValue::Table(t), Value::Record(fields)) => {
            t.len() == fields.len()
                && t.iter().all(|(k, v)| {
                    let k: &str = k.get_ref();
                    fields.get(k).is_some_and(|f| matches(v.get_ref(), f))
                })
        }
        _ => false,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// An expected TOML value written back for a report.
pub fn show(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_owned(),
        DeValue::Float(f) => f.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| show(i.get_ref()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        DeValue::Table(t) => format!(
            "{{ {} }}",
            t.iter()
                .map(|(k, v)| format!("{} = {}", k.get_ref(), show(v.get_ref())))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(v: &str) -> Spanned<DeValue<'_>> {
        DeValue::parse(v).expect("valid TOML")
    }

    #[test]
    fn values_compare_by_meaning() {
        assert!(matches(toml("3").get_ref(), &Value::Int(3)));
        assert!(!matches(toml("3").get_ref(), &Value::Int(4)));
        assert!(matches(toml("0.1").get_ref(), &Value::Decimal(0.1 + 1e-12)));
        assert!(matches(toml("2").get_ref(), &Value::Decimal(2.0)));
        assert!(matches(toml("\"none\"").get_ref(), &Value::None));
        assert!(matches(toml("\"mg\"").get_ref(), &Value::Enum("mg".into())));
        assert!(matches(
            toml("2024-03-01").get_ref(),
            &Value::Date("2024-03-01".parse().unwrap())
        ));
        let set = Value::set(vec![Value::Int(2), Value::Int(1)]);
        assert!(matches(toml("[2, 1]").get_ref(), &set));
        assert!(!matches(toml("[2, 2]").get_ref(), &set));
        assert!(!matches(
            toml("[2, 1]").get_ref(),
            &Value::List(vec![Value::Int(1), Value::Int(2)])
        ));
        assert!(!matches(toml("true").get_ref(), &Value::Int(1)));
    }
}
