//! `cpts simulate`: the timeline projected from today, over many runs.

use crate::{EXIT_OK, EXIT_USAGE, Format, render};
use chrono::NaiveDate;
use cpts::{Forecast, SimulationOptions};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// What to simulate.
pub(crate) struct Request {
    pub project: PathBuf,
    pub rules: Vec<PathBuf>,
    pub today: Option<NaiveDate>,
    pub until: Option<String>,
    pub runs: usize,
    pub seed: u64,
    pub assume: Vec<String>,
    pub rework_probability: f64,
    pub format: Format,
}

pub(crate) fn run(request: Request, plugins: &cpts::PluginConfig, out: &mut dyn Write) -> u8 {
    let format = request.format;
    let rules = match crate::open::rules(
        &request.rules,
        &plugins.for_project(&request.project),
        format,
        false,
        out,
    ) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let project = match crate::open::project(&rules, &request.project, format, false, None, out) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let model = project.model();
    let node = |name: &str| model.nodes.iter().position(|n| n.name == name);
    let until = match &request.until {
        None => None,
        Some(name) => match node(name) {
            Some(v) => Some(v),
            None => {
                let message = format!(
                    "`--until {name}`: no such step in `{}` version `{}`",
                    model.workflow, model.version
                );
                render::error(format, &message, None, out);
                return EXIT_USAGE;
            }
        },
    };
    let mut assume = Vec::new();
    for a in &request.assume {
        let parsed = a.split_once('=').and_then(|(s, o)| {
            let v = node(s.trim())?;
            let k = model.nodes[v]
                .outcomes
                .iter()
                .position(|x| x.name == o.trim())?;
            Some((v, k))
        });
        match parsed {
            Some(p) => assume.push(p),
            None => {
                let message = format!(
                    "`--assume {a}`: expected DECISION=OUTCOME with a decision and one of its outcomes"
                );
                render::error(format, &message, None, out);
                return EXIT_USAGE;
            }
        }
    }
    if !(0.0..1.0).contains(&request.rework_probability) || request.runs == 0 {
        let message = "`--runs` must be at least 1 and `--rework-probability` in [0, 1)";
        render::error(format, message, None, out);
        return EXIT_USAGE;
    }
    let options = SimulationOptions {
        runs: request.runs,
        seed: request.seed,
        until,
        assume,
        rework_probability: request.rework_probability,
    };
    let terminal = std::io::stderr().is_terminal();
    let total = request.runs;
    // A progress line on stderr, only on a terminal: stdout stays the forecast alone.
    let mut progress = |done: usize| {
        if terminal {
            let width = 30;
            let filled = done * width / total.max(1);
            let mut line = format!(
                "\r  simulating [{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            if done == total {
                line = format!("\r{}\r", " ".repeat(width + 40));
            }
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
    };
    let forecast = project.simulate(&options, request.today, &mut progress);
    let text = match request.format {
        Format::Human => human(&project, &forecast, &options),
        Format::Json => json_forecast(&project, &forecast, &options),
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

fn percent(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn human(project: &cpts::Project, f: &Forecast, options: &SimulationOptions) -> String {
    let model = project.model();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} runs from {}, seed {}",
        project.data().header.name,
        f.runs,
        f.today,
        options.seed
    );
    let _ = writeln!(
        s,
        "assumption: a decision without probabilities sends the project back with probability {} (--rework-probability); durations are drawn uniformly in their typical range",
        options.rework_probability
    );
    for (d, o) in &options.assume {
        let _ = writeln!(
            s,
            "assumed: `{}` takes `{}`",
            model.nodes[*d].name, model.nodes[*d].outcomes[*o].name
        );
    }
    let target = options.until.map_or("the end".to_owned(), |u| {
        format!("`{}`", model.nodes[u].name)
    });
    match f.completion {
        Some(c) => {
            let _ = writeln!(
                s,
                "\nreaches {target} in {} of runs: P10 {}, P50 {}, P90 {}",
                percent(f.completed),
                c.p10,
                c.p50,
                c.p90
            );
        }
        None => {
            let _ = writeln!(s, "\nno run reaches {target}");
        }
    }
    if !f.critical_path.is_empty() {
        let names: Vec<&str> = f
            .critical_path
            .iter()
            .map(|&v| model.nodes[v].name.as_str())
            .collect();
        let _ = writeln!(
            s,
            "critical path from today (median run): {}",
            names.join(" → ")
        );
    }
    let _ = writeln!(
        s,
        "\n{:<30} {:>8}  {:<10}  {:<10}  {:<10}  {:>8}",
        "step", "reached", "P10", "P50", "P90", "critical"
    );
    let mut rows: Vec<_> = f.nodes.iter().filter(|n| n.reached > 0.0).collect();
    rows.sort_by_key(|n| (n.dates.map(|d| d.p50), n.node));
    for n in rows {
        let (p10, p50, p90) = n.dates.map_or(("".into(), "".into(), "".into()), |d| {
            (d.p10.to_string(), d.p50.to_string(), d.p90.to_string())
        });
        let _ = writeln!(
            s,
            "{:<30} {:>8}  {p10:<10}  {p50:<10}  {p90:<10}  {:>8}",
            model.nodes[n.node].name,
            percent(n.reached),
            percent(n.criticality)
        );
    }
    let deadlines: Vec<_> = f.deadlines.iter().filter(|d| d.due.is_some()).collect();
    if !deadlines.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<44} {:<10}  {:>8}  source",
            "deadline", "P50 due", "missed"
        );
        for d in deadlines {
            let node = &model.nodes[d.node];
            let dl = &node.deadlines[d.index];
            let name = format!(
                "{}{}",
                node.name,
                dl.name
                    .as_ref()
                    .map_or(String::new(), |n| format!(" `{n}`"))
            );
            let due = d.due.map_or(String::new(), |p| p.p50.to_string());
            let _ = writeln!(
                s,
                "{name:<44} {due:<10}  {:>8}  {}",
                percent(d.missed),
                dl.source.clone().unwrap_or_default()
            );
        }
    }
    s
}

fn json_forecast(project: &cpts::Project, f: &Forecast, options: &SimulationOptions) -> String {
    let doc =
        cpts::report::SimulateReport::new(project.model(), &project.data().header.name, f, options);
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
