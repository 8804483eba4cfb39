//! Centre-Val de Loire: the MSA Beauce Cœur de Loire partnership and the pre-ACI territorial
//! contract (contrat territorial de santé, 2016 – August 2019).
//!
//! Sources: partenariat MSA Beauce Cœur de Loire (Eure-et-Loir, Loiret, Cher); ACI CPTS approved
//! by arrêté of 21 August 2019, in force 25 August 2019 (before it, the ARS signed territorial
//! contracts funded by the FIR: Sud-Lochois, Asclépios, Sud 28, Châteauroux & Co, Giennois-Berry).

use cpts_plugin_sdk::{Args, Error, Function, Plugin, register};

/// The plugin.
pub struct Cvl;

impl Plugin for Cvl {
    const REGION: &'static str = "cvl";
    const PACKAGE: &'static str = "centre-val-de-loire";

    fn functions() -> Vec<Function> {
        vec![
            Function::guard(
                "msa_partenaire",
                "Vrai si l'un des départements relève de la MSA Beauce Cœur de Loire (28, 45, 18)",
                msa_partenaire,
            )
            .param("departements", "list<text>"),
            Function::guard(
                "contrat_territorial_possible",
                "Vrai si un contrat territorial de santé pouvait encore être signé à cette date (avant l'entrée en vigueur de l'ACI)",
                contrat_territorial_possible,
            )
            .param("date", "date"),
        ]
    }

    fn steps() -> Vec<String> {
        vec![REUNION_REFERENTS.to_owned()]
    }
}

/// The information meeting the URPS-ML's territorial referent holds before the letter of intent
/// (W0 bis), added to the `cvl` overlay. The actor `referent_urps` is declared by the overlay.
pub const REUNION_REFERENTS: &str = r#"step reunion_referents "Réunion d'information animée par le référent URPS-ML" {
    after emergence
    before lettre_intention
    actors referent_urps, professionnels
    source "URPS-ML Centre-Val de Loire : référents territoriaux animant les réunions d'information (depuis 2016)"
  }"#;

register!(Cvl);

/// Departments of the MSA Beauce Cœur de Loire: Eure-et-Loir, Loiret, Cher.
pub const DEPARTEMENTS_MSA_BEAUCE_COEUR_DE_LOIRE: [&str; 3] = ["28", "45", "18"];

/// The day the ACI CPTS came into force (arrêté of 21 August 2019, JORF 24 August 2019): from it,
/// a new CPTS signs the ACI, not a territorial contract.
pub const ENTREE_EN_VIGUEUR_ACI: &str = "2019-08-25";

fn msa_partenaire(args: &Args) -> Result<bool, Error> {
    for departement in args.text_items(0)? {
        if DEPARTEMENTS_MSA_BEAUCE_COEUR_DE_LOIRE.contains(&departement?.trim()) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn contrat_territorial_possible(args: &Args) -> Result<bool, Error> {
    // ISO dates compare as text.
    Ok(args.text(0)? < ENTREE_EN_VIGUEUR_ACI)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpts_plugin_sdk::Value;

    fn args(v: Value) -> Args {
        Args::new(vec![v], &["x"])
    }

    #[test]
    fn msa_departments() {
        let deps = |d: &[&str]| args(Value::List(d.iter().map(|&s| Value::from(s)).collect()));
        assert_eq!(msa_partenaire(&deps(&["37", "41"])), Ok(false));
        assert_eq!(msa_partenaire(&deps(&["37", "28"])), Ok(true));
        assert_eq!(msa_partenaire(&deps(&[])), Ok(false));
        assert!(msa_partenaire(&args(Value::Int(28))).is_err());
    }

    #[test]
    fn territorial_contracts_end_with_the_aci() {
        let date = |d: &str| args(Value::Date(d.into()));
        assert_eq!(contrat_territorial_possible(&date("2017-11-30")), Ok(true));
        assert_eq!(contrat_territorial_possible(&date("2019-08-24")), Ok(true));
        assert_eq!(contrat_territorial_possible(&date("2019-08-25")), Ok(false));
    }
}
