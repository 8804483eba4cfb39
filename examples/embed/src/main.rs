//! Using `cpts` as a library, as an ARS tool would: load the rules, open a CPTS project and print
//! in French where it stands: its name and workflow, its computed size (`taille`) and annual
//! operating budget (`forfait_annuel`) when the workflow computes them (the ACI workflow does, the
//! 2016 territorial contract does not), the steps possible now, the blocked steps with the messages
//! of their failing rules, and the deadlines to come.
//!
//! `cargo run -p cpts-embed-example -- [RULES] [PROJECT] [AAAA-MM-JJ]` — defaults: `rules`,
//! `examples/projects/sud-28.toml`, the project's `today`. Problems exit with 1, printed with codes.

use chrono::NaiveDate;
use cpts::{Diagnostic, State};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rules_path = args.first().map_or("rules", String::as_str);
    let project_path = args
        .get(1)
        .map_or("examples/projects/sud-28.toml", String::as_str);
    let today = args
        .get(2)
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"));
    let Ok(today) = today.transpose() else {
        eprintln!("date invalide : écrivez AAAA-MM-JJ");
        return ExitCode::FAILURE;
    };
    let rules = match cpts::Rules::load(&[rules_path]) {
        Ok(rules) => rules,
        Err((_, problems)) => return failure("les règles ont des erreurs", &problems),
    };
    let project = match cpts::Project::open(&rules, project_path) {
        Ok(project) => project,
        Err((_, problems)) => return failure("le projet ne peut pas être lu", &problems),
    };
    let model = project.model();
    let status = project.status(today);
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let label = |node: usize| model.nodes[node].label.as_str();

    println!("Projet : {}", project.data().header.name);
    let region = model
        .region
        .as_ref()
        .map_or(String::new(), |(_, r)| format!(", {r}"));
    println!(
        "Parcours : {} (version {}{region})",
        model.label, model.version
    );
    let complete = if status.complete {
        " : création achevée"
    } else {
        ""
    };
    println!("Situation au {}{complete}", date(status.today));
    for (name, what, unit) in [
        ("taille", "Taille de la CPTS", ""),
        ("forfait_annuel", "Forfait annuel de fonctionnement", " €"),
    ] {
        match status.values.iter().find(|(n, _)| n == name) {
            Some((_, Ok(value))) => println!("{what} : {value}{unit}"),
            Some((_, Err(e))) => println!("{what} : non calculable ({})", e.message),
            None => {}
        }
    }

    let of = |state: State| status.nodes.iter().filter(move |n| n.state == state);
    println!("\nPossible maintenant :");
    for n in of(State::Enabled) {
        println!("  - {}", label(n.node));
    }
    if of(State::Blocked).next().is_some() {
        println!("\nBloqué :");
    }
    for n in of(State::Blocked) {
        println!("  - {}", label(n.node));
        for rule in n.rules.iter().filter(|r| !matches!(r.result, Ok(None))) {
            // The severity's type is not re-exported by the façade: its name tells the level.
            let blocking = format!("{:?}", rule.severity) == "Error";
            let level = if blocking {
                "bloquant"
            } else {
                "à surveiller"
            };
            println!("      {} ({level})", rule.message);
        }
    }

    let mut deadlines: Vec<(NaiveDate, String)> = Vec::new();
    for n in &status.nodes {
        for d in n
            .deadlines
            .iter()
            .filter(|d| d.met.is_none() && d.due >= status.today)
        {
            let expiry = d
                .on_expiry
                .as_ref()
                .map_or(String::new(), |o| format!(", sinon « {o} » d'office"));
            deadlines.push((
                d.due,
                format!("{} : {}{expiry}", date(d.due), label(n.node)),
            ));
        }
    }
    deadlines.sort();
    println!("\nÉchéances à venir :");
    if deadlines.is_empty() {
        println!("  (aucune)");
    }
    for (_, line) in deadlines {
        println!("  - {line}");
    }
    ExitCode::SUCCESS
}

/// Prints what failed, each problem with its code and hint.
fn failure(what: &str, problems: &[Diagnostic]) -> ExitCode {
    eprintln!("{what} :");
    for d in problems {
        eprintln!("  [{}] {}", d.code.id, d.message);
        if let Some(help) = &d.help {
            eprintln!("      aide : {help}");
        }
    }
    ExitCode::FAILURE
}
