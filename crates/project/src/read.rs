//! Reading a project file: the header, then facts and journal validated against the model.

use chrono::NaiveDate;
use cpts_diag::{Diagnostic, FileId, Span, codes};
use cpts_engine::{Event, Value};
use cpts_lang::model::{Model, Target};
use cpts_lang::types::Type;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The `[project]` table.
#[derive(Clone, Debug)]
pub struct Header {
    /// The project's name.
    pub name: String,
    /// Workflow, version and region it is pinned to.
    pub target: Target,
    /// The date it is looked at, when the file fixes one.
    pub today: Option<NaiveDate>,
    /// Spans of `workflow`, `version` and `region` values, for diagnostics.
    pub spans: [Option<Span>; 3],
}

/// A project read and validated.
#[derive(Clone, Debug)]
pub struct Project {
    /// The header.
    pub header: Header,
    /// Facts, as values of the workflow's types (shared: an instance of the project keeps them
    /// without copying).
    pub facts: std::sync::Arc<BTreeMap<String, Value>>,
    /// The journal, in order.
    pub events: Vec<Event>,
}

struct Reader {
    file: FileId,
    out: Vec<Diagnostic>,
}

/// The TOML tree, or the one syntax problem (as a list, like every other reading problem).
fn parse(file: FileId, text: &str) -> Result<Spanned<DeTable<'_>>, Vec<Diagnostic>> {
    DeTable::parse(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        // At least the character at the error (whole: a span never ends inside a character).
        let next_char = text
            .get(range.start..)
            .and_then(|rest| rest.chars().next())
            .map_or(range.start, |c| range.start + c.len_utf8());
        let end = range.end.max(next_char).min(text.len().max(range.start));
        vec![
            Diagnostic::new(
                &codes::PROJECT_SYNTAX,
                format!("not valid TOML: {}", e.message().trim_end_matches('.')),
            )
            .at_with(Span::new(file, range.start, end), "here")
            .help("fix the TOML here; the file was not changed"),
        ]
    })
}

/// Reads only the `[project]` header (to know which rules to load).
pub fn read_header(file: FileId, text: &str) -> Result<Header, Vec<Diagnostic>> {
    let root = parse(file, text)?;
    let mut r = Reader {
        file,
        out: Vec::new(),
    };
    match r.header(&root) {
        Some(h) if r.out.is_empty() => Ok(h),
        _ => Err(r.out),
    }
}

/// Reads facts and journal against `model`. Problems are diagnostics with spans into the file;
/// a project is returned when none is an error.
pub fn read(file: FileId, text: &str, model: &Model) -> (Option<Project>, Vec<Diagnostic>) {
    let root = match parse(file, text) {
        Ok(root) => root,
        Err(d) => return (None, d),
    };
    let mut r = Reader {
        file,
        out: Vec::new(),
    };
    let header = r.header(&root);
    let facts = r.facts(root.get_ref().get("facts"), model);
    let today = header.as_ref().and_then(|h| h.today);
    let events = r.journal(root.get_ref().get("journal"), model, today);
    for (key, value) in root.get_ref().iter() {
        if !["project", "facts", "journal"].contains(&key.get_ref().as_ref()) {
            r.out.push(
                Diagnostic::new(
                    &codes::UNKNOWN_FACT,
                    format!("unknown table `{}`", key.get_ref()),
                )
                .at_with(
                    r.span(key.span().start..value.span().end.min(key.span().end)),
                    "not part of a project file",
                )
                .help("a project file has `[project]`, `[facts]` and `[[journal]]`"),
            );
        }
    }
    let ok = !cpts_diag::has_errors(&r.out);
    let project = match (header, ok) {
        (Some(header), true) => Some(Project {
            header,
            facts: facts.into(),
            events,
        }),
        _ => None,
    };
    (project, r.out)
}

/// Reads a project whose parts come from a larger TOML document (a scenario file): `header` as
/// given, `facts` (a table) and `journal` (an array of tables) with spans into `file`.
pub fn read_parts(
    file: FileId,
    header: Header,
    facts: Option<&Spanned<DeValue>>,
    journal: Option<&Spanned<DeValue>>,
    model: &Model,
) -> (Option<Project>, Vec<Diagnostic>) {
    let mut r = Reader {
        file,
        out: Vec::new(),
    };
    let facts = r.facts(facts, model);
    let events = r.journal(journal, model, header.today);
    let project = (!cpts_diag::has_errors(&r.out)).then_some(Project {
        header,
        facts: facts.into(),
        events,
    });
    (project, r.out)
}

impl Reader {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    fn header(&mut self, root: &Spanned<DeTable>) -> Option<Header> {
        let Some(table) = root.get_ref().get("project") else {
            self.out.push(
                Diagnostic::new(&codes::PROJECT_HEADER, "no `[project]` table")
                    .at_with(self.span(0..0), "expected `[project]` here")
                    .help(
                        "start the file with `[project]` giving `name`, `workflow` and `version`",
                    ),
            );
            return None;
        };
        let DeValue::Table(t) = table.get_ref() else {
            self.out.push(
                Diagnostic::new(&codes::PROJECT_HEADER, "`project` must be a table")
                    .at(self.span(table.span())),
            );
            return None;
        };
        let text = |this: &mut Self, key: &str, required: bool| -> Option<(String, Span)> {
            match t.get(key) {
                Some(v) => match v.get_ref() {
                    DeValue::String(s) => Some((s.to_string(), this.span(v.span()))),
                    _ => {
                        this.out.push(
                            Diagnostic::new(
                                &codes::PROJECT_HEADER,
                                format!("`project.{key}` must be a string"),
                            )
                            .at_with(this.span(v.span()), "not a string"),
                        );
                        None
                    }
                },
                None if required => {
                    this.out.push(
                        Diagnostic::new(
                            &codes::PROJECT_HEADER,
                            format!("`[project]` has no `{key}`"),
                        )
                        .at_with(this.span(table.span()), "in this table")
                        .help(format!("add `{key} = \"…\"`")),
                    );
                    None
                }
                None => None,
            }
        };
        let name = text(self, "name", true);
        let workflow = text(self, "workflow", true);
        let version = text(self, "version", true);
        let region = text(self, "region", false);
        let today = t.get("today").and_then(|v| self.date(v));
        let (name, workflow, version) = (name?, workflow?, version?);
        Some(Header {
            name: name.0,
            target: Target {
                workflow: workflow.0,
                version: version.0,
                region: region.as_ref().map(|r| r.0.clone()),
            },
            today,
            spans: [Some(workflow.1), Some(version.1), region.map(|r| r.1)],
        })
    }

    fn date(&mut self, v: &Spanned<DeValue>) -> Option<NaiveDate> {
        if let DeValue::Datetime(d) = v.get_ref()
            && let (Some(date), None) = (d.date, d.time)
            && let Some(day) = NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        {
            return Some(day);
        }
        self.out.push(
            Diagnostic::new(&codes::FACT_TYPE, "expected a date")
                .at_with(self.span(v.span()), "not a date")
                .help("write a TOML date without quotes: `2018-05-14`"),
        );
        None
    }

    fn facts(
        &mut self,
        facts: Option<&Spanned<DeValue>>,
        model: &Model,
    ) -> BTreeMap<String, Value> {
        let empty = DeTable::new();
        let (table, span) = match facts {
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => (t, v.span()),
                _ => {
                    self.out.push(
                        Diagnostic::new(&codes::FACT_TYPE, "`facts` must be a table")
                            .at(self.span(v.span())),
                    );
                    return BTreeMap::new();
                }
            },
            None => (&empty, 0..0),
        };
        let fields: Vec<(String, Type)> = model.facts.clone();
        match self.record(table, &fields, self.span(span), "facts", model) {
            Value::Record(map) => map,
            _ => BTreeMap::new(),
        }
    }

    /// A record: every declared field converted, absent optional ones `none`, unknown ones reported.
    fn record(
        &mut self,
        table: &DeTable,
        fields: &[(String, Type)],
        span: Span,
        path: &str,
        model: &Model,
    ) -> Value {
        let mut out = BTreeMap::new();
        for (name, ty) in fields {
            match table.get(name.as_str()) {
                Some(v) => {
                    let value = self.value(v, ty, &format!("{path}.{name}"), model);
                    out.insert(name.clone(), value);
                }
                None if matches!(ty, Type::Optional(_) | Type::Error) => {
                    out.insert(name.clone(), Value::None);
                }
                None => self.out.push(
                    Diagnostic::new(&codes::MISSING_FACT, format!("`{path}.{name}` is missing"))
                        .at_with(span, format!("`{name}: {ty}` is required here"))
                        .help(format!("add `{name} = …` (of type `{ty}`)")),
                ),
            }
        }
        for (key, _) in table.iter() {
            let k = key.get_ref();
            if !fields.iter().any(|(n, _)| n == k.as_ref()) {
                let mut d =
                    Diagnostic::new(&codes::UNKNOWN_FACT, format!("`{path}` has no field `{k}`"))
                        .at_with(self.span(key.span()), "not declared by the rules");
                if let Some(best) = closest(k, fields.iter().map(|(n, _)| n.as_str())) {
                    d = d.help(format!("did you mean `{best}`?"));
                } else {
                    d = d.help(format!(
                        "declared: {}",
                        fields
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                self.out.push(d);
            }
        }
        Value::Record(out)
    }

    fn value(&mut self, v: &Spanned<DeValue>, ty: &Type, path: &str, model: &Model) -> Value {
        let span = self.span(v.span());
        let wrong = |this: &mut Self, what: &str| {
            this.out.push(
                Diagnostic::new(
                    &codes::FACT_TYPE,
                    format!("`{path}` must be {what}, found {}", describe(v.get_ref())),
                )
                .at_with(span, format!("expected `{ty}`"))
                .help(example(ty)),
            );
            Value::None
        };
        match (ty, v.get_ref()) {
            (Type::Optional(inner), _) => self.value(v, inner, path, model),
            (Type::Error, _) => Value::None,
            (Type::Int, DeValue::Integer(i)) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Value::Int(n),
                    Err(_) => wrong(self, "an integer that fits in 64 bits"),
                }
            }
            (Type::Decimal, DeValue::Integer(i)) => {
                Value::Decimal(i.as_str().replace('_', "").parse().unwrap_or(0.0))
            }
            (Type::Decimal, DeValue::Float(f)) => match f.as_str().replace('_', "").parse() {
                Ok(x) => Value::Decimal(x),
                Err(_) => wrong(self, "a finite number"),
            },
            (Type::Bool, DeValue::Boolean(b)) => Value::Bool(*b),
            (Type::Text, DeValue::String(s)) => Value::Text(s.to_string()),
            (Type::Date, DeValue::Datetime(_)) => self.date(v).map_or(Value::None, Value::Date),
            (Type::Duration, DeValue::String(s)) => match duration(s) {
                Some((n, unit)) => Value::Duration(n, unit),
                None => wrong(self, "a duration such as \"2 months\""),
            },
            (Type::Enum(name), DeValue::String(s)) => {
                let variants = model.enums.get(name.as_ref()).cloned().unwrap_or_default();
                if variants.iter().any(|x| x == s.as_ref()) {
                    Value::Enum(s.to_string())
                } else {
                    let mut d =
                        Diagnostic::new(&codes::FACT_TYPE, format!("`{s}` is not a `{name}`"))
                            .at_with(span, format!("not a variant of `{name}`"));
                    d = match closest(s, variants.iter().map(String::as_str)) {
                        Some(best) => d.help(format!("did you mean `{best}`?")),
                        None => d.help(format!("one of: {}", variants.join(", "))),
                    };
                    self.out.push(d);
                    Value::None
                }
            }
            (Type::List(el) | Type::Set(el), DeValue::Array(items)) => {
                let values: Vec<Value> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, el, &format!("{path}[{i}]"), model))
                    .collect();
                if matches!(ty, Type::Set(_)) {
                    Value::set(values)
                } else {
                    Value::List(values)
                }
            }
            (Type::Record(r), DeValue::Table(t)) => self.record(t, &r.fields, span, path, model),
            (Type::Int, _) => wrong(self, "an integer"),
            (Type::Decimal, _) => wrong(self, "a number"),
            (Type::Bool, _) => wrong(self, "`true` or `false`"),
            (Type::Text, _) => wrong(self, "a string"),
            (Type::Date, _) => wrong(self, "a date"),
            (Type::Duration, _) => wrong(self, "a duration"),
            (Type::Enum(_), _) => wrong(self, "the name of a variant"),
            (Type::List(_) | Type::Set(_), _) => wrong(self, "an array"),
            (Type::Record(_), _) => wrong(self, "a table"),
            (Type::None, _) => Value::None,
        }
    }

    fn journal(
        &mut self,
        journal: Option<&Spanned<DeValue>>,
        model: &Model,
        today: Option<NaiveDate>,
    ) -> Vec<Event> {
        let Some(journal) = journal else {
            return Vec::new();
        };
        let DeValue::Array(entries) = journal.get_ref() else {
            self.out.push(
                Diagnostic::new(
                    &codes::JOURNAL_ENTRY,
                    "`journal` must be an array of tables",
                )
                .at(self.span(journal.span()))
                .help("write each entry as `[[journal]]`"),
            );
            return Vec::new();
        };
        let mut events = Vec::new();
        let mut previous: Option<NaiveDate> = None;
        for entry in entries {
            let span = self.span(entry.span());
            let DeValue::Table(t) = entry.get_ref() else {
                self.out.push(
                    Diagnostic::new(&codes::JOURNAL_ENTRY, "a journal entry must be a table")
                        .at(span),
                );
                continue;
            };
            if let Some(event) = self.entry(t, span, model) {
                if let Some(p) = previous
                    && event.date < p
                {
                    self.out.push(
                        Diagnostic::new(
                            &codes::JOURNAL_DATE,
                            format!(
                                "this entry is dated {}, before the previous one ({p})",
                                event.date
                            ),
                        )
                        .at_with(event.span, "out of order")
                        .help("entries are recorded in the order things happened"),
                    );
                }
                if let Some(t) = today
                    && event.date > t
                {
                    self.out.push(
                        Diagnostic::new(
                            &codes::JOURNAL_DATE,
                            format!(
                                "this entry is dated {}, after the project's today ({t})",
                                event.date
                            ),
                        )
                        .at_with(event.span, "in the future")
                        .help("correct the date, or move `project.today` forward"),
                    );
                }
                previous = Some(event.date);
                events.push(event);
            }
        }
        events
    }

    fn entry(&mut self, t: &DeTable, span: Span, model: &Model) -> Option<Event> {
        let string = |key: &str| match t.get(key).map(|v| v.get_ref()) {
            Some(DeValue::String(s)) => Some(s.to_string()),
            _ => None,
        };
        let key_span = |key: &str| t.get(key).map(|v| v.span());
        for (key, _) in t.iter() {
            let k = key.get_ref();
            if !["step", "outcome", "date", "actor", "evidence", "note"].contains(&k.as_ref()) {
                self.out.push(
                    Diagnostic::new(
                        &codes::JOURNAL_ENTRY,
                        format!("unknown key `{k}` in a journal entry"),
                    )
                    .at_with(self.span(key.span()), "not a journal key")
                    .help("entries have `step`, `outcome`, `date`, `actor`, `evidence`, `note`"),
                );
            }
        }
        let Some(step) = string("step") else {
            self.out.push(
                Diagnostic::new(&codes::JOURNAL_ENTRY, "a journal entry needs `step`")
                    .at_with(span, "no `step`")
                    .help("add `step = \"…\"`"),
            );
            return None;
        };
        let step_span = self.span(key_span("step").unwrap_or(0..0));
        let Some(node) = model.nodes.iter().position(|n| n.name == step) else {
            let mut d = Diagnostic::new(
                &codes::JOURNAL_ENTRY,
                format!(
                    "`{step}` is not a step of `{}` version `{}`",
                    model.workflow, model.version
                ),
            )
            .at_with(step_span, "unknown step");
            if let Some(best) = closest(&step, model.nodes.iter().map(|n| n.name.as_str())) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            self.out.push(d);
            return None;
        };
        let decl = &model.nodes[node];
        let outcome = match (string("outcome"), decl.outcomes.is_empty()) {
            (None, false) => {
                self.out.push(
                    Diagnostic::new(
                        &codes::JOURNAL_ENTRY,
                        format!("`{step}` is a decision: which outcome?"),
                    )
                    .at_with(step_span, "no `outcome`")
                    .help(format!(
                        "add `outcome = \"…\"`, one of: {}",
                        decl.outcomes
                            .iter()
                            .map(|o| o.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                return None;
            }
            (Some(o), true) => {
                self.out.push(
                    Diagnostic::new(
                        &codes::JOURNAL_ENTRY,
                        format!("`{step}` is a step, not a decision: it has no outcome `{o}`"),
                    )
                    .at_with(
                        self.span(key_span("outcome").unwrap_or(0..0)),
                        "not a decision",
                    )
                    .help("remove `outcome`"),
                );
                None
            }
            (Some(o), false) => match decl.outcomes.iter().position(|x| x.name == o) {
                Some(i) => Some(i),
                None => {
                    let mut d = Diagnostic::new(
                        &codes::JOURNAL_ENTRY,
                        format!("decision `{step}` has no outcome `{o}`"),
                    )
                    .at_with(
                        self.span(key_span("outcome").unwrap_or(0..0)),
                        "unknown outcome",
                    );
                    if let Some(best) = closest(&o, decl.outcomes.iter().map(|x| x.name.as_str())) {
                        d = d.help(format!("did you mean `{best}`?"));
                    }
                    self.out.push(d);
                    return None;
                }
            },
            (None, true) => None,
        };
        let date = match t.get("date") {
            Some(v) => self.date(v)?,
            None => {
                self.out.push(
                    Diagnostic::new(
                        &codes::JOURNAL_ENTRY,
                        format!("the entry for `{step}` has no `date`"),
                    )
                    .at_with(span, "no date")
                    .help("add `date = 2018-05-14`"),
                );
                return None;
            }
        };
        let actor = string("actor");
        if let Some(a) = &actor
            && !model.actors.iter().any(|(name, _)| name == a)
        {
            let mut d = Diagnostic::new(
                &codes::JOURNAL_ENTRY,
                format!("`{a}` is not an actor of `{}`", model.workflow),
            )
            .at_with(
                self.span(key_span("actor").unwrap_or(0..0)),
                "unknown actor",
            );
            d = match closest(a, model.actors.iter().map(|(n, _)| n.as_str())) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help(format!(
                    "actors: {}",
                    model
                        .actors
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.out.push(d);
        }
        Some(Event {
            node,
            outcome,
            date,
            actor,
            evidence: string("evidence"),
            note: string("note"),
            span,
        })
    }
}

fn describe(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn example(ty: &Type) -> String {
    match ty {
        Type::Int => "write an integer, e.g. `55000` or `55_000`".into(),
        Type::Decimal => "write a number, e.g. `1154.0`".into(),
        Type::Bool => "write `true` or `false`".into(),
        Type::Text => "write a quoted string".into(),
        Type::Date => "write a TOML date without quotes: `2018-05-14`".into(),
        Type::Duration => "write a quoted duration: `\"2 months\"`".into(),
        Type::Enum(e) => format!("write the name of a `{e}` variant as a string"),
        Type::List(_) | Type::Set(_) => "write an array: `[…]`".into(),
        Type::Record(_) => "write a table: `[facts.x]` or `{ … }`".into(),
        _ => format!("write a `{ty}`"),
    }
}

/// `"2 months"`, `"10 working days"` (French units are accepted too: `"2 mois"`).
fn duration(s: &str) -> Option<(i64, cpts_lang::syntax::Unit)> {
    use cpts_lang::syntax::Unit::*;
    let (n, unit) = s.trim().split_once(' ')?;
    let unit = match unit.trim() {
        "day" | "days" | "jour" | "jours" => Days,
        "working day" | "working days" | "jour ouvré" | "jours ouvrés" => WorkingDays,
        "week" | "weeks" | "semaine" | "semaines" => Weeks,
        "month" | "months" | "mois" => Months,
        "year" | "years" | "an" | "ans" => Years,
        _ => return None,
    };
    Some((n.parse().ok()?, unit))
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `status` fuzz target: the one-byte span of a TOML error ended inside `é`.
    #[test]
    fn a_syntax_error_before_an_accent_spans_the_whole_character() {
        let text = "[project]\nname = [\"a\"é]\n";
        let problems = read_header(FileId(0), text).unwrap_err();
        let span = problems[0].span.unwrap();
        assert_eq!(&text[span.start as usize..span.end as usize], "é");
    }
}
