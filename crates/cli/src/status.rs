//! `cpts status` and `cpts next`: where a project stands, what can happen next, what blocks it
//! and why, which deadlines come.

use crate::{EXIT_OK, EXIT_USAGE, Format, render};
use chrono::NaiveDate;
use cpts::report::StatusReport;
use cpts::{Diagnostic, NodeStatus, State, Status};
use cpts_lang::model::Model;
use cpts_lang::syntax::{NodeKind, RuleSeverity};
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// What to show.
pub(crate) struct Request {
    pub project: PathBuf,
    pub rules: Vec<PathBuf>,
    pub today: Option<NaiveDate>,
    pub format: Format,
    pub color: bool,
    /// `cpts next`: only what can happen next and what blocks it.
    pub short: bool,
}

pub(crate) fn run(request: Request, plugins: &cpts::PluginConfig, out: &mut dyn Write) -> u8 {
    let rules = match crate::open::rules(
        &request.rules,
        &plugins.for_project(&request.project),
        request.format,
        request.color,
        out,
    ) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let project = match crate::open::project(
        &rules,
        &request.project,
        request.format,
        request.color,
        None,
        out,
    ) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let json = matches!(request.format, Format::Json);
    match report(
        &project,
        request.today,
        json,
        request.short,
        request.color,
        out,
    ) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// Writes what `cpts status` (or, when `short`, `cpts next`) prints for an opened project, in
/// JSON (`cpts-status/2`, [`cpts::report::StatusReport`]) or for humans.
pub fn report(
    project: &cpts::Project,
    today: Option<NaiveDate>,
    json: bool,
    short: bool,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let status = project.instance(today).status();
    let (model, name, sources) = (
        project.model(),
        &project.data().header.name,
        project.sources(),
    );
    if json {
        let doc = if short {
            StatusReport::next(model, name, &status, sources)
        } else {
            StatusReport::new(model, name, &status, sources, project.warnings())
        };
        render::json_doc(&doc, out)
    } else {
        let why = cpts::report::why_not(model, &status, short, project.warnings());
        human(project, &status, &why, short, color, out)
    }
}

fn event_line(model: &Model, status: &Status, n: &NodeStatus) -> String {
    let node = &model.nodes[n.node];
    let record = &status.history.records[n.node];
    let mut line = format!("{:<28} {}", node.name, node.label);
    if let Some(o) = record.outcome.filter(|_| node.kind == NodeKind::Decision) {
        if record.done {
            let _ = write!(line, " → {}", node.outcomes[o].name);
            if record.by_expiry {
                line.push_str(" (by expiry of its deadline)");
            }
        } else {
            let _ = write!(line, " (last time: {})", node.outcomes[o].name);
        }
    }
    if record.passages > 1 {
        let _ = write!(line, " [{} passages]", record.passages);
    }
    line
}

/// What an enabled step needs: the documents and facts it requires, who does it, how long it
/// typically takes. `None` when the rules say nothing of it.
fn needs(model: &Model, n: &NodeStatus) -> Option<String> {
    let node = &model.nodes[n.node];
    let mut parts = Vec::new();
    let requires: Vec<String> = node
        .requires
        .iter()
        .map(|r| match r {
            cpts_lang::syntax::DataRef::Document(d) => format!("document {}", d.name),
            cpts_lang::syntax::DataRef::Fact(path) => path
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join("."),
        })
        .collect();
    if !requires.is_empty() {
        parts.push(format!("requires {}", requires.join(", ")));
    }
    if !node.actors.is_empty() {
        parts.push(format!("by {}", node.actors.join(", ")));
    }
    if let Some(t) = &node.typical {
        let unit = match t.unit {
            cpts_lang::syntax::Unit::Days => "days",
            cpts_lang::syntax::Unit::WorkingDays => "working days",
            cpts_lang::syntax::Unit::Weeks => "weeks",
            cpts_lang::syntax::Unit::Months => "months",
            cpts_lang::syntax::Unit::Years => "years",
        };
        parts.push(if t.min == t.max {
            format!("typically {} {unit}", t.min)
        } else {
            format!("typically {}–{} {unit}", t.min, t.max)
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn human(
    project: &cpts::Project,
    status: &Status,
    why: &[Diagnostic],
    short: bool,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let model = project.model();
    let data = project.data();
    let mut s = String::new();
    let region = model
        .region
        .as_ref()
        .map_or(String::new(), |(_, label)| format!(", région {label}"));
    let _ = writeln!(
        s,
        "{} — {} (version {}{region})",
        data.header.name, model.label, model.version
    );
    let done = status
        .nodes
        .iter()
        .filter(|n| n.state == State::Done)
        .count();
    let applicable = status
        .nodes
        .iter()
        .filter(|n| n.state != State::NotApplicable)
        .count();
    let _ = writeln!(
        s,
        "as of {}: {done} of {applicable} steps done{}\n",
        status.today,
        if status.complete {
            " — creation complete"
        } else {
            ""
        }
    );
    let section = |s: &mut String, title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(s, "{title}");
            for l in lines {
                let _ = writeln!(s, "  {l}");
            }
            s.push('\n');
        }
    };
    let of = |state: State| status.nodes.iter().filter(move |n| n.state == state);
    if !short {
        let mut done: Vec<&NodeStatus> = of(State::Done).collect();
        done.sort_by_key(|n| status.history.records[n.node].date);
        section(
            &mut s,
            "Done",
            done.iter()
                .map(|n| {
                    format!(
                        "{}  {}",
                        status.history.records[n.node]
                            .date
                            .map_or("          ".into(), |d| d.to_string()),
                        event_line(model, status, n)
                    )
                })
                .collect(),
        );
    }
    section(
        &mut s,
        "Next (can be done now)",
        of(State::Enabled)
            .map(|n| match needs(model, n) {
                Some(needs) => format!("{}\n{:<30} {needs}", event_line(model, status, n), ""),
                None => event_line(model, status, n),
            })
            .collect(),
    );
    section(
        &mut s,
        "Blocked (prerequisites met, a rule fails: see below)",
        of(State::Blocked)
            .map(|n| {
                let failing: Vec<&str> = n
                    .rules
                    .iter()
                    .filter(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)))
                    .map(|r| r.name.as_str())
                    .collect();
                format!(
                    "{} — rule {}",
                    event_line(model, status, n),
                    failing.join(", ")
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Overdue",
        of(State::Overdue)
            .map(|n| {
                let late: Vec<String> = n
                    .deadlines
                    .iter()
                    .filter(|d| d.due < status.today)
                    .map(|d| format!("due {}", d.due))
                    .collect();
                format!("{} — {}", event_line(model, status, n), late.join(", "))
            })
            .collect(),
    );
    if !short {
        section(
            &mut s,
            "Waiting",
            of(State::Waiting)
                .map(|n| {
                    format!(
                        "{} — waits for {}",
                        event_line(model, status, n),
                        n.waiting_for.join(", ")
                    )
                })
                .collect(),
        );
    }
    let mut upcoming: Vec<(NaiveDate, String)> = Vec::new();
    for n in &status.nodes {
        for d in n
            .deadlines
            .iter()
            .filter(|d| d.met.is_none() && d.due >= status.today)
        {
            let name = d.name.as_ref().map_or(String::new(), |x| format!(" `{x}`"));
            let effect = d
                .on_expiry
                .as_ref()
                .map_or(String::new(), |o| format!(", then « {o} » by itself"));
            let source = d
                .source
                .as_ref()
                .map_or(String::new(), |x| format!(" — {x}"));
            upcoming.push((
                d.due,
                format!(
                    "{}  {}{name}{effect}{source}",
                    d.due, model.nodes[n.node].name
                ),
            ));
        }
    }
    upcoming.sort();
    section(
        &mut s,
        "Upcoming deadlines",
        upcoming.into_iter().map(|(_, l)| l).collect(),
    );
    if !short {
        let met: Vec<String> = status
            .nodes
            .iter()
            .flat_map(|n| {
                n.deadlines
                    .iter()
                    .filter(|d| d.met == Some(false))
                    .map(move |d| (n, d))
            })
            .map(|(n, d)| {
                format!(
                    "{}  {} was due then, done {}",
                    d.due,
                    model.nodes[n.node].name,
                    status.history.records[n.node]
                        .date
                        .map_or("?".into(), |x| x.to_string())
                )
            })
            .collect();
        section(&mut s, "Deadlines missed", met);
        section(
            &mut s,
            "Not applicable (another branch was taken)",
            of(State::NotApplicable)
                .map(|n| model.nodes[n.node].name.clone())
                .collect(),
        );
        section(
            &mut s,
            "Values",
            status
                .values
                .iter()
                .map(|(name, v)| {
                    let decl = model.values.iter().find(|x| &x.name == name);
                    let label = decl.and_then(|d| d.label.clone()).unwrap_or_default();
                    let shown = match v {
                        Ok(v) => v.to_string(),
                        Err(e) => format!("cannot be computed: {}", e.message),
                    };
                    let source = decl
                        .and_then(|d| d.source.clone())
                        .map_or(String::new(), |x| format!(" — {x}"));
                    format!("{name} = {shown}   {label}{source}")
                })
                .collect(),
        );
    }
    out.write_all(s.as_bytes())?;
    if !why.is_empty() {
        writeln!(out, "Why not")?;
        render::human_plain(project.sources(), why, color, out)?;
    }
    Ok(())
}
