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
use std::fmt::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match report(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(text) => {
            eprint!("{text}");
            ExitCode::FAILURE
        }
    }
}

/// The report on the project named by `args`, or what went wrong, in French.
fn report(args: &[String]) -> Result<String, String> {
    let mut out = String::new();
    let rules_path = args.first().map_or("rules", String::as_str);
    let project_path = args
        .get(1)
        .map_or("examples/projects/sud-28.toml", String::as_str);
    let today = args
        .get(2)
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"));
    let Ok(today) = today.transpose() else {
        return Err("date invalide : écrivez AAAA-MM-JJ\n".into());
    };
    let rules = match cpts::Rules::load(&[rules_path]) {
        Ok(rules) => rules,
        Err((_, problems)) => return Err(failure("les règles ont des erreurs", &problems)),
    };
    let mut instance = match cpts::Instance::open(&rules, project_path) {
        Ok(instance) => instance,
        Err((_, problems)) => return Err(failure("le projet ne peut pas être lu", &problems)),
    };
    if let Some(today) = today {
        instance.at(today);
    }
    let model = instance.model();
    let status = instance.status();
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let label = |node: usize| model.nodes[node].label.as_str();

    writeln!(out, "Projet : {}", instance.header().name).unwrap();
    writeln!(
        out,
        "Parcours : {} (version {})",
        model.label, model.version
    )
    .unwrap();
    if let Some((_, region)) = &model.region {
        writeln!(out, "Région : {region}").unwrap();
    }
    writeln!(out, "Situation au {}", date(status.today)).unwrap();
    if status.complete {
        writeln!(out, "Création achevée.").unwrap();
    }
    for (name, what, unit) in [
        ("taille", "Taille de la CPTS", ""),
        ("forfait_annuel", "Forfait annuel de fonctionnement", " €"),
    ] {
        match status.values.iter().find(|(n, _)| n == name) {
            Some((_, Ok(value))) => writeln!(out, "{what} : {value}{unit}").unwrap(),
            Some((_, Err(e))) => writeln!(out, "{what} : non calculable ({})", e.message).unwrap(),
            None => {}
        }
    }

    let of = |state: State| status.nodes.iter().filter(move |n| n.state == state);
    writeln!(out, "\nPossible maintenant :").unwrap();
    for n in of(State::Enabled) {
        writeln!(out, "  - {}", label(n.node)).unwrap();
    }
    if of(State::Blocked).next().is_some() {
        writeln!(out, "\nBloqué :").unwrap();
    }
    for n in of(State::Blocked) {
        writeln!(out, "  - {}", label(n.node)).unwrap();
        for rule in n.rules.iter().filter(|r| !matches!(r.result, Ok(None))) {
            let blocking = rule.severity == cpts::RuleSeverity::Error;
            let level = if blocking { "" } else { " (non bloquant)" };
            writeln!(out, "      {}{level}", rule.message).unwrap();
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
    // What if the first possible step were done today? Recorded in a copy, in memory only.
    let mut what_if = instance.clone();
    if let Some(first) = instance.enabled().next() {
        let step = model.nodes[first].name.clone();
        let outcome = model.nodes[first]
            .outcomes
            .iter()
            .find(|o| o.route.is_none())
            .map(|o| o.name.clone());
        let entry = cpts::Entry {
            step,
            outcome,
            ..cpts::Entry::default()
        };
        if what_if.record(&entry).is_ok() {
            writeln!(
                out,
                "\nSi « {} » est fait aujourd'hui, deviennent possibles :",
                label(first)
            )
            .unwrap();
            let new: Vec<usize> = what_if
                .enabled()
                .filter(|&n| instance.state(n) != &State::Enabled)
                .collect();
            if new.is_empty() {
                writeln!(out, "  (aucune nouvelle étape)").unwrap();
            }
            for next in new {
                writeln!(out, "  - {}", label(next)).unwrap();
            }
        }
    }
    writeln!(out, "\nÉchéances à venir :").unwrap();
    if deadlines.is_empty() {
        writeln!(out, "  (aucune)").unwrap();
    }
    for (_, line) in deadlines {
        writeln!(out, "  - {line}").unwrap();
    }
    Ok(out)
}

/// What failed, each problem with its code and hint.
fn failure(what: &str, problems: &[Diagnostic]) -> String {
    let mut s = format!("{what} :\n");
    for d in problems {
        let _ = writeln!(s, "  [{}] {}", d.code.id, d.message);
        if let Some(help) = &d.help {
            let _ = writeln!(s, "      aide : {help}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::report;

    fn run(project: &str) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let args = [
            format!("{root}/rules"),
            format!("{root}/examples/projects/{project}"),
        ];
        report(&args).unwrap()
    }

    #[test]
    fn the_example_reports_on_real_projects() {
        let sud28 = run("sud-28.toml");
        assert!(sud28.contains("Projet : CPTS Sud 28"), "{sud28}");
        let oppose = run("projet-oppose.toml");
        assert!(
            oppose.contains("deviennent possibles :\n  - Négociation et signature du contrat ACI"),
            "the what-if is recorded in memory: {oppose}"
        );
        let bfc = run("bfc-mi-parcours.toml");
        assert!(bfc.contains("Bloqué"), "{bfc}");
        assert!(
            bfc.contains("105000"),
            "forfait annuel de taille 2 après l'avenant 2: {bfc}"
        );
    }

    #[test]
    fn problems_are_reported_not_panicked() {
        assert!(report(&["nulle-part".into()]).is_err());
        assert!(report(&["rules".into(), "x.toml".into(), "2024-13-45".into()]).is_err());
    }
}
