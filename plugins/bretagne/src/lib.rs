//! Bretagne: the ARS's fixed FIR grants for writing the health project, by taille.
//!
//! Source (CPTS.md, « Size classes and funding »): Bretagne's FIR for writing the projet:
//! T1 (20 000 – 40 000 inhabitants) 40 000 €, T2 45 000 €, T3 50 000 €, T4 50 000 €.

use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

/// The plugin.
pub struct Bretagne;

impl Plugin for Bretagne {
    const REGION: &'static str = "bretagne";
    const PACKAGE: &'static str = "bretagne";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed(
                "subvention_fir",
                "int?",
                "Subvention FIR de l'ARS Bretagne pour la rédaction du projet de santé, selon la taille (aucune sous 20 000 habitants)",
                subvention_fir,
            )
            .param("taille", "int")
            .param("population", "int"),
        ]
    }
}

register!(Bretagne);

/// The version of the grant scale below, as published (the figures of the CPTS.md reference).
pub const BAREME_FIR: &str = "ars-bretagne-fir-redaction-2021";

/// The grant for tailles 1 to 4, in euros.
pub const SUBVENTION_PAR_TAILLE: [i64; 4] = [40_000, 45_000, 50_000, 50_000];

/// Taille 1 is funded from this population on (T1 is 20 000 – 40 000 inhabitants in Bretagne);
/// whether 20 000 itself is included is not stated: it is, here.
pub const POPULATION_MINIMALE: i64 = 20_000;

fn subvention_fir(args: &Args) -> Result<Value, Error> {
    let taille = args.int(0)?;
    let population = args.int(1)?;
    if population < POPULATION_MINIMALE {
        return Ok(Value::Absent);
    }
    let index = usize::try_from(taille - 1)
        .ok()
        .filter(|i| *i < SUBVENTION_PAR_TAILLE.len())
        .ok_or_else(|| Error::BadArgument(format!("taille {taille} : attendu 1 à 4")))?;
    Ok(Value::Int(SUBVENTION_PAR_TAILLE[index]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(taille: i64, population: i64) -> Result<Value, Error> {
        subvention_fir(&Args::new(
            vec![Value::Int(taille), Value::Int(population)],
            &["taille", "population"],
        ))
    }

    #[test]
    fn grants_by_taille() {
        assert_eq!(call(1, 30_000), Ok(Value::Int(40_000)));
        assert_eq!(call(2, 60_000), Ok(Value::Int(45_000)));
        assert_eq!(call(4, 200_000), Ok(Value::Int(50_000)));
        assert_eq!(call(1, 15_000), Ok(Value::Absent));
        assert!(call(5, 300_000).is_err());
    }
}
