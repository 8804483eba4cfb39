//! Reading a scenario file: `[defaults]`, then `[[scenario]]` tables, each resolved against the
//! defaults and the earlier scenario it `extends` (facts merged table by table, journal entries
//! appended).

use crate::expect::Expect;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, FileId, Span, codes};
use cpts_lang::model::Target;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// One scenario, resolved: what to run and what to expect.
#[derive(Clone, Debug)]
pub struct Scenario<'t> {
    /// Its name, unique in the file.
    pub name: String,
    /// The `[[scenario]]` table, for reports.
    pub span: Span,
    /// The workflow, version and region it runs under.
    pub target: Target,
    /// The date it is looked at.
    pub today: NaiveDate,
    /// The facts: the defaults' and the extended scenarios', merged with its own.
    pub facts: Spanned<DeValue<'t>>,
    /// The journal: the defaults' and the extended scenarios', then its own.
    pub journal: Spanned<DeValue<'t>>,
    /// What it expects.
    pub expect: Expect<'t>,
}

/// What the defaults and each scenario carry before resolution.
#[derive(Clone)]
struct Base<'t> {
    workflow: Option<String>,
    version: Option<String>,
    region: Option<String>,
    today: Option<NaiveDate>,
    facts: DeTable<'t>,
    journal: Vec<Spanned<DeValue<'t>>>,
}

const SCENARIO_KEYS: &[&str] = &[
    "name", "extends", "workflow", "version", "region", "today", "facts", "unset", "journal",
    "expect",
];
const DEFAULT_KEYS: &[&str] = &["workflow", "version", "region", "today", "facts", "journal"];

/// Reads every scenario of a file. Problems are diagnostics with spans into the file; a scenario
/// with a problem is left out (the caller counts it as failed).
pub fn read(file: FileId, text: &str) -> (Vec<Scenario<'_>>, Vec<Diagnostic>) {
    let mut r = Reader {
        file,
        out: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let range = e.span().unwrap_or(0..0);
            let end = range
                .end
                .max(range.start + 1)
                .min(text.len().max(range.start));
            r.problem(
                range.start..end,
                format!("not valid TOML: {}", e.message().trim_end_matches('.')),
                "fix the TOML here",
            );
            return (Vec::new(), r.out);
        }
    };
    for (key, _) in root.get_ref().iter() {
        if !["defaults", "scenario"].contains(&key.get_ref().as_ref()) {
            r.unknown_key(key, &["defaults", "scenario"], "a scenario file");
        }
    }
    let defaults = match root.get_ref().get("defaults") {
        Some(d) => match d.get_ref() {
            DeValue::Table(t) => r.base(t, DEFAULT_KEYS, "`[defaults]`", empty_base()),
            _ => {
                r.problem(d.span(), "`defaults` must be a table", "write `[defaults]`");
                empty_base()
            }
        },
        None => empty_base(),
    };
    let mut resolved: Vec<(String, Base)> = Vec::new();
    let mut scenarios = Vec::new();
    let tables = match root.get_ref().get("scenario") {
        Some(v) => match v.get_ref() {
            DeValue::Array(a) => &a[..],
            _ => {
                r.problem(
                    v.span(),
                    "`scenario` must be an array of tables",
                    "write each scenario as `[[scenario]]`",
                );
                &[]
            }
        },
        None => {
            r.problem(
                0..0,
                "no scenario in this file",
                "add a `[[scenario]]` table with a `name` and an `[scenario.expect]` table",
            );
            &[]
        }
    };
    for table in tables {
        let before = r.out.len();
        let DeValue::Table(t) = table.get_ref() else {
            r.problem(
                table.span(),
                "a scenario must be a table",
                "write `[[scenario]]`",
            );
            continue;
        };
        let Some(name) = r.text(t, "name") else {
            r.problem(
                table.span(),
                "a scenario needs a `name`",
                "add `name = \"…\"` (French, what the scenario shows)",
            );
            continue;
        };
        if resolved.iter().any(|(n, _)| *n == name) {
            r.problem(
                t.get("name").map_or(table.span(), Spanned::span),
                format!("two scenarios are named `{name}`"),
                "give each scenario of a file its own name",
            );
        }
        let start = match t.get("extends") {
            Some(v) => {
                let wanted = match v.get_ref() {
                    DeValue::String(s) => s.to_string(),
                    _ => String::new(),
                };
                match resolved.iter().find(|(n, _)| *n == wanted) {
                    Some((_, base)) => base.clone(),
                    None => {
                        let hint = closest(&wanted, resolved.iter().map(|(n, _)| n.as_str()))
                            .map_or(
                                "`extends` names an earlier scenario of the same file".to_owned(),
                                |b| format!("did you mean `{b}`?"),
                            );
                        r.problem(
                            v.span(),
                            format!("no earlier scenario is named `{wanted}`"),
                            hint,
                        );
                        defaults.clone()
                    }
                }
            }
            None => defaults.clone(),
        };
        let base = r.base(t, SCENARIO_KEYS, "a scenario", start);
        let expect = match t.get("expect") {
            Some(e) => crate::expect::read(file, e, &mut r.out),
            None => {
                r.problem(
                    table.span(),
                    format!("scenario `{name}` expects nothing"),
                    "add an `[scenario.expect]` table: a scenario that expects nothing proves nothing",
                );
                Expect::default()
            }
        };
        let target = match (&base.workflow, &base.version) {
            (Some(w), Some(v)) => Some(Target {
                workflow: w.clone(),
                version: v.clone(),
                region: base.region.clone(),
            }),
            _ => {
                r.problem(
                    table.span(),
                    format!("scenario `{name}` names no workflow and version"),
                    "set `workflow` and `version` in `[defaults]` or in the scenario",
                );
                None
            }
        };
        let today = base.today;
        if today.is_none() {
            r.problem(
                table.span(),
                format!("scenario `{name}` has no `today`"),
                "set `today = YYYY-MM-DD` in `[defaults]` or in the scenario: a scenario must not depend on the clock",
            );
        }
        let span = table.span();
        resolved.push((name.clone(), base.clone()));
        if let (Some(target), Some(today), true) = (target, today, r.out.len() == before) {
            scenarios.push(Scenario {
                name,
                span: Span::new(file, span.start, span.end),
                target,
                today,
                facts: Spanned::new(span.clone(), DeValue::Table(base.facts)),
                journal: Spanned::new(span, DeValue::Array(array(base.journal))),
                expect,
            });
        }
    }
    (scenarios, r.out)
}

fn array(items: Vec<Spanned<DeValue<'_>>>) -> DeArray<'_> {
    let mut a = DeArray::new();
    for item in items {
        a.push(item);
    }
    a
}

fn empty_base<'t>() -> Base<'t> {
    Base {
        workflow: None,
        version: None,
        region: None,
        today: None,
        facts: DeTable::new(),
        journal: Vec::new(),
    }
}

struct Reader {
    file: FileId,
    out: Vec<Diagnostic>,
}

impl Reader {
    fn problem(
        &mut self,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.out.push(
            Diagnostic::new(&codes::INVALID_SCENARIO, message)
                .at(Span::new(self.file, range.start, range.end))
                .help(hint),
        );
    }

    fn unknown_key(&mut self, key: &Spanned<std::borrow::Cow<str>>, keys: &[&str], what: &str) {
        let k = key.get_ref();
        let hint = closest(k, keys.iter().copied()).map_or_else(
            || format!("{what} has {}", keys.join(", ")),
            |b| format!("did you mean `{b}`?"),
        );
        self.problem(key.span(), format!("unknown key `{k}` in {what}"), hint);
    }

    fn text(&mut self, t: &DeTable, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.problem(
                    v.span(),
                    format!("`{key}` must be a string"),
                    "write it in quotes",
                );
                None
            }
        }
    }

    /// `start` updated with what table `t` sets.
    fn base<'t>(
        &mut self,
        t: &DeTable<'t>,
        keys: &[&str],
        what: &str,
        start: Base<'t>,
    ) -> Base<'t> {
        let mut base = start;
        for (key, _) in t.iter() {
            if !keys.contains(&key.get_ref().as_ref()) {
                self.unknown_key(key, keys, what);
            }
        }
        if let Some(w) = self.text(t, "workflow") {
            base.workflow = Some(w);
        }
        if let Some(v) = self.text(t, "version") {
            base.version = Some(v);
        }
        if let Some(r) = self.text(t, "region") {
            base.region = Some(r);
        }
        if let Some(v) = t.get("today") {
            match date(v.get_ref()) {
                Some(d) => base.today = Some(d),
                None => self.problem(
                    v.span(),
                    "`today` must be a date",
                    "write a TOML date without quotes: `2024-06-15`",
                ),
            }
        }
        if let Some(f) = t.get("facts") {
            match f.get_ref() {
                DeValue::Table(facts) => merge(&mut base.facts, facts),
                _ => self.problem(
                    f.span(),
                    "`facts` must be a table",
                    "write `[scenario.facts]`",
                ),
            }
        }
        if let Some(u) = t.get("unset") {
            // Inherited facts to remove (an optional fact then has no value): `a` or `a.b`.
            let paths = match u.get_ref() {
                DeValue::Array(items) => items
                    .iter()
                    .map(|i| match i.get_ref() {
                        DeValue::String(p) => Some((p.to_string(), i.span())),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>(),
                _ => None,
            };
            match paths {
                Some(paths) => {
                    for (path, span) in paths {
                        if !unset(&mut base.facts, &path) {
                            self.problem(
                                span,
                                format!("no inherited fact `{path}` to unset"),
                                "`unset` removes facts set by `[defaults]` or the extended scenario",
                            );
                        }
                    }
                }
                None => self.problem(
                    u.span(),
                    "`unset` must be a list of fact names",
                    "write `unset = [\"association.declaree\"]`",
                ),
            }
        }
        if let Some(j) = t.get("journal") {
            match j.get_ref() {
                DeValue::Array(entries) => base.journal.extend(entries.iter().cloned()),
                _ => self.problem(
                    j.span(),
                    "`journal` must be an array of tables",
                    "write each entry as `[[scenario.journal]]`",
                ),
            }
        }
        base
    }
}

/// Removes the fact at the dotted `path`; whether it was there.
fn unset(facts: &mut DeTable<'_>, path: &str) -> bool {
    match path.split_once('.') {
        None => facts.remove(path).is_some(),
        Some((head, rest)) => match facts.get_mut(head).map(Spanned::get_mut) {
            Some(DeValue::Table(inner)) => unset(inner, rest),
            _ => false,
        },
    }
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge<'t>(base: &mut DeTable<'t>, over: &DeTable<'t>) {
    for (key, value) in over.iter() {
        let k: &str = key.get_ref();
        match (base.get_mut(k).map(Spanned::get_mut), value.get_ref()) {
            (Some(DeValue::Table(mine)), DeValue::Table(theirs)) => merge(mine, theirs),
            _ => {
                base.remove(k);
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A TOML local date.
pub(crate) fn date(v: &DeValue) -> Option<NaiveDate> {
    if let DeValue::Datetime(d) = v
        && let (Some(date), None) = (d.date, d.time)
    {
        return NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        );
    }
    None
}

/// The closest candidate, when close enough to be a typo.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extends_merges_facts_and_appends_the_journal() {
        let text = r#"
[defaults]
workflow = "w"
version = "v1"
today = 2024-01-01
facts = { a = 1, r = { x = 1, y = 2 } }

[[scenario]]
name = "un"
journal = [{ step = "s", date = 2023-12-01 }]
expect = { complete = false }

[[scenario]]
name = "deux"
extends = "un"
today = 2024-02-01
facts = { r = { y = 3 } }
unset = ["r.x"]
journal = [{ step = "t", date = 2024-01-15 }]
expect = { complete = true }
"#;
        let (scenarios, problems) = read(FileId(0), text);
        assert!(problems.is_empty(), "{problems:?}");
        let deux = &scenarios[1];
        assert_eq!(deux.today.to_string(), "2024-02-01");
        let DeValue::Array(journal) = deux.journal.get_ref() else {
            panic!("journal")
        };
        assert_eq!(journal.len(), 2);
        let DeValue::Table(facts) = deux.facts.get_ref() else {
            panic!("facts")
        };
        let Some(DeValue::Table(r)) = facts.get("r").map(Spanned::get_ref) else {
            panic!("r")
        };
        assert!(r.get("x").is_none(), "unset");
        assert!(matches!(
            r.get("y").map(Spanned::get_ref),
            Some(DeValue::Integer(_))
        ));
        assert!(facts.get("a").is_some());
    }

    #[test]
    fn problems_name_the_key_and_leave_the_scenario_out() {
        let text = r#"
[defaults]
workflow = "w"
version = "v1"
today = 2024-01-01

[[scenario]]
name = "un"
extend = "zéro"
expect = { complete = false }

[[scenario]]
name = "deux"
extends = "uno"
expect = { complete = false }

[[scenario]]
name = "trois"
"#;
        let (scenarios, problems) = read(FileId(0), text);
        assert!(scenarios.is_empty());
        let messages: Vec<String> = problems
            .iter()
            .map(|d| format!("{} / {}", d.message, d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            messages,
            [
                "unknown key `extend` in a scenario / did you mean `extends`?",
                "no earlier scenario is named `uno` / did you mean `un`?",
                "scenario `trois` expects nothing / add an `[scenario.expect]` table: a scenario that expects nothing proves nothing",
            ]
        );
    }
}
