//! `cargo bench -p cpts-engine --bench dossier`: the status of one dossier, a generated project
//! of 230 members in the types of the national rules (`rules/national/types.cpts`, the facts of
//! `creation-aci.cpts`), under 25 rules of the kind `rules/` has (membership of ids in lists,
//! counts with filters, `distinct`, `all`/`any` over the members, dates in order, board and
//! bureau composition, missions and their actions) plus `taille`. Measured the way a user gets
//! it: the journal replayed and every node, rule and value computed, with the program built once
//! per model and the facts converted once (`compiled`), against the tree walker (`tree walk`) in
//! the same run. Figures are in BENCHMARKS.md.
// `criterion_group!` and `criterion_main!` generate undocumented functions.
#![allow(missing_docs)]

use chrono::NaiveDate;
use cpts_diag::Sources;
use cpts_engine::{
    Calendar, Event, Facts, NoPlugins, Program, Value, replay, status_by_tree_walk, status_with,
};
use cpts_lang::model::{Model, Target};
use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MEMBERS: usize = 230;

/// The dossier's workflow: the national facts, the parameters `taille` needs, 25 rules.
const DOSSIER: &str = r#"
workflow dossier "Dossier de création" {
  version "v1" source "banc d'essai"
  source "banc d'essai"
  documents {
    diagnostic "Diagnostic", lettre_intention "Lettre d'intention", statuts "Statuts",
    projet_sante "Projet de santé", fiches_actions "Fiches-actions",
  }
  facts {
    territoire: { nom: text, departements: list<text>, communes: list<text>, population: int,
                  superficie_km2: decimal },
    porteurs: list<text>,
    membres: list<membre>,
    ps_liberaux_declares: int?,
    partenaires: list<structure_partenaire>,
    association: {
      agc: date?, statuts_signes: date?, declaree: date?, compte_bancaire: bool,
      ca: list<text>,
      bureau: { president: text?, tresorier: text?, secretaire: text? },
      comite_pilotage: list<text>,
    },
    groupes: list<groupe_travail>,
    fiches_actions: list<fiche_action>,
    missions: set<mission>,
    snp_delai_heures: int?,
    coordinateur: text?,
    documents: set<document>,
    cpts_voisines: list<cpts_voisine>,
  }
  param seuils_taille "Seuils": list<int> = [40_000, 80_000, 175_000] source "ACI"
  param seuil_dans_taille_superieure "Seuil inclus": bool = true source "ACI"
  param missions_socles "Socles": list<mission>
    = [mission.acces_soins, mission.parcours, mission.prevention, mission.crises_sanitaires] source "ACI"
  param delai_snp_heures "SNP": int = 24 source "ACI"
  value taille "Taille": int
    = 1 + count(s in seuils_taille where (seuil_dans_taille_superieure and territoire.population >= s)
        or (not seuil_dans_taille_superieure and territoire.population > s)) source "ACI"
  value ids_membres "Ids": set<text> = distinct(m.id for m in membres) source "faits"
  value ids_partenaires "Ids": set<text> = distinct(p.id for p in partenaires) source "faits"
  value ids_groupes "Ids": set<text> = distinct(g.id for g in groupes) source "faits"
  value professions_representees "Professions": set<profession>
    = distinct(m.profession for m in membres) source "faits"
  value membres_ca "Administrateurs": set<membre>
    = distinct(m for m in membres where m.id in association.ca) source "faits"
  value professions_ca "Professions du CA": set<profession>
    = distinct(m.profession for m in membres_ca) source "faits"

  step emergence "Émergence" { source "s" }
  step agc "Assemblée générale constitutive" { after emergence  source "s" }
  step projet "Projet de santé" { after agc  source "s" }

  rule porteurs_membres warning "m" expect all(x in porteurs where x in ids_membres) source "s"
  rule li_orientations warning "m" expect count(missions) >= 1 source "s"
  rule li_partenaires info "m" expect count(partenaires) >= 1 source "s"
  rule groupes_comptes_rendus warning "m" expect all(g in groupes where g.compte_rendu != none) source "s"
  rule groupes_pilotes warning "m" expect all(g in groupes where count(g.pilotes) >= 1) source "s"
  rule pilotes_membres warning "m"
    expect all(g in groupes where all(p in g.pilotes where p in ids_membres or p in ids_partenaires)) source "s"
  rule fiches_groupes warning "m"
    expect all(f in fiches_actions where (f.groupe ?? "") == "" or (f.groupe ?? "") in ids_groupes) source "s"
  rule ca_membres warning "m" expect all(x in association.ca where x in ids_membres) source "s"
  rule ca_pluriprofessionnel warning "m"
    expect count(distinct(m.profession for m in membres where m.id in association.ca)) >= 2 source "s"
  rule ca_equilibre warning "m"
    expect all(p in professions_ca where count(m in membres_ca where m.profession == p) * 2 <= count(membres_ca))
    source "s"
  rule bureau_president error "m" expect association.bureau.president != none source "s"
  rule bureau_au_ca warning "m"
    expect (association.bureau.president ?? "") in association.ca
      and (association.bureau.tresorier ?? "") in association.ca
      and (association.bureau.secretaire ?? "") in association.ca source "s"
  rule fiches_par_mission warning "m"
    expect all(m in missions where any(f in fiches_actions where f.mission == m)) source "s"
  rule missions_socles_couvertes error "m" expect all(m in missions_socles where m in missions) source "s"
  rule territoire_communes error "m" expect done(emergence) implies count(territoire.communes) >= 1 source "s"
  rule territoire_departements error "m" expect count(territoire.departements) >= 1 source "s"
  rule population_atypique info "m"
    expect territoire.population >= 8_500 and territoire.population <= 354_000 source "s"
  rule superficie_positive error "m" expect territoire.superficie_km2 > 0.0 source "s"
  rule pluriprofessionnel error "m" expect count(professions_representees) >= 2 source "s"
  rule medecin_generaliste_present error "m"
    expect any(m in membres where m.profession == profession.medecin_generaliste) source "s"
  rule membres_du_territoire warning "m"
    expect done(emergence) implies all(m in membres where m.commune in territoire.communes) source "s"
  rule effectif_declare info "m"
    expect (ps_liberaux_declares ?? count(m in membres where m.liberal)) >= count(m in membres where m.liberal) source "s"
  rule chevauchement_territoire warning "m"
    expect all(v in cpts_voisines where all(c in v.communes where c not in territoire.communes)) source "s"
  rule dates_association error "m"
    expect (association.agc ?? today) <= (association.statuts_signes ?? today)
      and (association.statuts_signes ?? today) <= (association.declaree ?? today)
      and (date_of(agc) ?? today) <= today source "s"
  rule adhesions_avant_agc warning "m"
    expect all(m in membres where (m.adhesion ?? today) <= (association.agc ?? today)) source "s"
}
"#;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn model() -> Model {
    let mut sources = Sources::new();
    let types = std::fs::read_to_string(root().join("rules/national/types.cpts")).unwrap();
    sources.add("types.cpts", types);
    sources.add("dossier.cpts", DOSSIER);
    let checked = cpts_lang::check(&sources);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == cpts_diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let target = Target {
        workflow: "dossier".into(),
        version: "v1".into(),
        region: None,
    };
    cpts_lang::model::build(&checked, &target).unwrap().0
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn date(y: i32, m: u32, d: u32) -> Value {
    Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn record(fields: Vec<(&str, Value)>) -> Value {
    Value::Record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(items.into_iter().collect())
}

/// A healthy dossier of `MEMBERS` members: every rule holds.
fn facts() -> BTreeMap<String, Value> {
    const PROFESSIONS: [&str; 8] = [
        "medecin_generaliste",
        "infirmier",
        "masseur_kinesitherapeute",
        "pharmacien",
        "sage_femme",
        "chirurgien_dentiste",
        "orthophoniste",
        "psychologue",
    ];
    const MISSIONS: [&str; 5] = [
        "acces_soins",
        "parcours",
        "prevention",
        "crises_sanitaires",
        "qualite_pertinence",
    ];
    let communes: Vec<String> = (0..25).map(|i| format!("Commune {i:02}")).collect();
    let id = |i: usize| format!("m{i:03}");
    let membres = (0..MEMBERS).map(|i| {
        record(vec![
            ("id", text(id(i))),
            ("nom", text(format!("Membre {i}"))),
            ("profession", Value::Enum(PROFESSIONS[i % 8].into())),
            ("commune", text(communes[i % 25].clone())),
            ("liberal", Value::Bool(i % 5 != 0)),
            ("structure", Value::None),
            (
                "adhesion",
                date(2023, 1 + (i % 2) as u32, 1 + (i % 28) as u32),
            ),
        ])
    });
    let partenaires = (0..15).map(|i| {
        record(vec![
            ("id", text(format!("s{i:02}"))),
            ("nom", text(format!("Structure {i}"))),
            (
                "nature",
                Value::Enum(if i % 2 == 0 { "ehpad" } else { "hopital" }.into()),
            ),
            ("commune", text(communes[i].clone())),
            ("convention", date(2023, 5, 1)),
        ])
    });
    let ca: Vec<Value> = (0..12).map(|i| text(id(i * 7))).collect();
    let groupes = (0..6).map(|g| {
        record(vec![
            ("id", text(format!("g{g}"))),
            ("theme", text(format!("Thème {g}"))),
            ("mission", Value::Enum(MISSIONS[g % 5].into())),
            (
                "pilotes",
                list([text(id(g * 11)), text(format!("s{:02}", g % 15))]),
            ),
            ("compte_rendu", date(2023, 6, 1 + g as u32)),
        ])
    });
    let fiches = (0..20).map(|f| {
        record(vec![
            ("id", text(format!("fa{f:02}"))),
            ("titre", text(format!("Fiche {f}"))),
            ("mission", Value::Enum(MISSIONS[f % 5].into())),
            ("groupe", text(format!("g{}", f % 6))),
            ("outils_numeriques", list([text("messagerie sécurisée")])),
        ])
    });
    let voisines = (0..3).map(|v| {
        record(vec![
            ("nom", text(format!("CPTS voisine {v}"))),
            (
                "communes",
                list((0..8).map(|c| text(format!("Voisine {v} commune {c}")))),
            ),
            ("statut", Value::Enum("contrat_signe".into())),
        ])
    });
    BTreeMap::from([
        (
            "territoire".to_owned(),
            record(vec![
                ("nom", text("Territoire du banc d'essai")),
                ("departements", list([text("21"), text("71")])),
                ("communes", list(communes.iter().map(|c| text(c.clone())))),
                ("population", Value::Int(120_000)),
                ("superficie_km2", Value::Decimal(1_250.5)),
            ]),
        ),
        ("porteurs".to_owned(), list((0..6).map(|i| text(id(i * 3))))),
        ("membres".to_owned(), list(membres)),
        ("ps_liberaux_declares".to_owned(), Value::Int(250)),
        ("partenaires".to_owned(), list(partenaires)),
        (
            "association".to_owned(),
            record(vec![
                ("agc", date(2023, 3, 1)),
                ("statuts_signes", date(2023, 3, 1)),
                ("declaree", date(2023, 4, 1)),
                ("compte_bancaire", Value::Bool(true)),
                ("ca", Value::List(ca.clone())),
                (
                    "bureau",
                    record(vec![
                        ("president", ca[0].clone()),
                        ("tresorier", ca[1].clone()),
                        ("secretaire", ca[2].clone()),
                    ]),
                ),
                ("comite_pilotage", Value::List(ca[..8].to_vec())),
            ]),
        ),
        ("groupes".to_owned(), list(groupes)),
        ("fiches_actions".to_owned(), list(fiches)),
        (
            "missions".to_owned(),
            Value::set(MISSIONS.iter().map(|m| Value::Enum((*m).into())).collect()),
        ),
        ("snp_delai_heures".to_owned(), Value::Int(24)),
        ("coordinateur".to_owned(), text(id(1))),
        (
            "documents".to_owned(),
            Value::set(vec![
                Value::Enum("diagnostic".into()),
                Value::Enum("statuts".into()),
            ]),
        ),
        ("cpts_voisines".to_owned(), list(voisines)),
    ])
}

fn events(model: &Model) -> Vec<Event> {
    ["emergence", "agc"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let node = model.nodes.iter().position(|n| n.name == *name).unwrap();
            Event {
                node,
                outcome: None,
                date: NaiveDate::from_ymd_opt(2023, 1 + 2 * i as u32, 1).unwrap(),
                actor: None,
                evidence: None,
                note: None,
                span: model.nodes[node].span,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let model = model();
    let facts_map = facts();
    let events = events(&model);
    let today = NaiveDate::from_ymd_opt(2023, 9, 1).unwrap();
    let calendar = Calendar::national();
    let program = Program::new(&model);
    let facts = Facts::new(&program, &facts_map);
    let compiled = || {
        let history = replay(program.model(), &events, today, &calendar);
        status_with(
            &program, &facts, &history, today, calendar, &NoPlugins, None,
        )
    };
    let walked = || {
        status_by_tree_walk(
            &model, &facts_map, &events, today, calendar, &NoPlugins, None,
        )
    };
    let status = compiled();
    assert_eq!(status.rules.len(), 25);
    for r in &status.rules {
        assert!(
            matches!(r.result, Ok(None)),
            "{} holds: {:?}",
            r.name,
            r.result
        );
    }
    assert!(
        status
            .values
            .iter()
            .any(|(n, v)| n == "taille" && *v == Ok(Value::Int(3)))
    );
    assert_eq!(format!("{status:?}"), format!("{:?}", walked()));

    let mut group = c.benchmark_group("dossier/230 members, 25 rules");
    group.bench_function("compiled", |b| b.iter(|| black_box(compiled())));
    group.bench_function("tree walk", |b| b.iter(|| black_box(walked())));
    group.finish();
    let mut group = c.benchmark_group("dossier/once per model and facts");
    group.sample_size(20);
    group.bench_function("Program::new", |b| {
        b.iter(|| black_box(Program::new(&model)))
    });
    group.bench_function("Facts::new", |b| {
        b.iter(|| black_box(Facts::new(&program, &facts_map)))
    });
    group.finish();
}

criterion_group!(dossier, bench);
criterion_main!(dossier);
