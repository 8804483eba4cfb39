//! Bourgogne-Franche-Comté: the governance of reference of the region's CPTS.
//!
//! Source: CPTS Haut-Doubs forestier, steering committee of 10 doctors and 10 paramedical or
//! social professionals, board in three colleges (ARS BFC, démarche régionale de création).

use cpts_plugin_sdk::{Args, Error, Finding, Function, Plugin, Severity, Value, register};

/// The plugin.
pub struct Bfc;

impl Plugin for Bfc {
    const REGION: &'static str = "bfc";
    const PACKAGE: &'static str = "bourgogne-franche-comte";

    fn functions() -> Vec<Function> {
        vec![
            Function::guard(
                "parite_gouvernance",
                "Vrai si le comité de pilotage équilibre médecins et autres professionnels",
                parite_gouvernance,
            )
            .param("comite", "list<text>")
            .param("membres", "list<membre>"),
            Function::validation(
                "controle_comite",
                "Signale les membres du comité de pilotage inconnus et le déséquilibre des professions",
                controle_comite,
            )
            .param("comite", "list<text>")
            .param("membres", "list<membre>"),
        ]
    }
}

register!(Bfc);

/// How far apart the two sides of the steering committee may be and still be balanced: one
/// seat (Haut-Doubs forestier: 10 doctors, 10 others).
pub const ECART_PARITE_MAX: usize = 1;

/// Doctors and other professionals on the committee, and ids not found among the members.
struct Comite<'a> {
    medecins: usize,
    autres: usize,
    inconnus: Vec<&'a str>,
}

fn comite<'a>(args: &'a Args) -> Result<Comite<'a>, Error> {
    let ids = args.texts(0)?;
    let membres = args.items(1)?;
    let mut c = Comite {
        medecins: 0,
        autres: 0,
        inconnus: Vec::new(),
    };
    for id in ids {
        let membre = membres
            .iter()
            .find(|m| m.field("id").and_then(Value::as_text) == Some(id));
        match membre
            .and_then(|m| m.field("profession"))
            .and_then(Value::as_text)
        {
            Some("medecin_generaliste" | "medecin_specialiste") => c.medecins += 1,
            Some(_) => c.autres += 1,
            None => c.inconnus.push(id),
        }
    }
    Ok(c)
}

fn equilibre(c: &Comite) -> bool {
    c.medecins > 0 && c.autres > 0 && c.medecins.abs_diff(c.autres) <= ECART_PARITE_MAX
}

fn parite_gouvernance(args: &Args) -> Result<bool, Error> {
    Ok(equilibre(&comite(args)?))
}

fn controle_comite(args: &Args) -> Result<Vec<Finding>, Error> {
    let c = comite(args)?;
    let mut findings: Vec<Finding> = c
        .inconnus
        .iter()
        .map(|id| {
            Finding::new(
                "BFC001",
                Severity::Error,
                format!("Le comité de pilotage cite « {id} », qui n'est pas membre de la CPTS"),
            )
        })
        .collect();
    if !equilibre(&c) {
        findings.push(Finding::new(
            "BFC002",
            Severity::Warning,
            format!(
                "Le comité de pilotage compte {} médecin(s) et {} autre(s) professionnel(s) : \
                 la gouvernance de référence en BFC les équilibre",
                c.medecins, c.autres
            ),
        ));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpts_plugin_sdk::Value;

    fn membre(id: &str, profession: &str) -> Value {
        Value::Record(vec![
            ("id".into(), Value::Text(id.into())),
            ("profession".into(), Value::Enum(profession.into())),
        ])
    }

    fn args(comite: &[&str], membres: Vec<Value>) -> Args {
        Args::new(
            vec![
                Value::List(comite.iter().map(|&id| Value::from(id)).collect()),
                Value::List(membres),
            ],
            &["comite", "membres"],
        )
    }

    #[test]
    fn haut_doubs_is_balanced() {
        let mut membres = Vec::new();
        let mut ids = Vec::new();
        for i in 0..10 {
            membres.push(membre(&format!("m{i}"), "medecin_generaliste"));
            membres.push(membre(&format!("p{i}"), "infirmier"));
            ids.push(format!("m{i}"));
            ids.push(format!("p{i}"));
        }
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(parite_gouvernance(&args(&ids, membres)), Ok(true));
    }

    #[test]
    fn doctors_only_is_not_and_unknown_ids_are_findings() {
        let membres = vec![
            membre("a", "medecin_generaliste"),
            membre("b", "medecin_specialiste"),
        ];
        let a = args(&["a", "b", "z"], membres);
        assert_eq!(parite_gouvernance(&a), Ok(false));
        let codes: Vec<String> = controle_comite(&a)
            .unwrap()
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["BFC001", "BFC002"]);
    }
}
