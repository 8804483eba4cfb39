//! Verifying a whole checked program: every workflow version, alone and with each region.

use cpts_diag::Diagnostic;
use cpts_lang::Checked;
use cpts_lang::model::{self, Target};
use std::collections::BTreeMap;

/// Which targets to verify.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only this region (and the national workflow it extends).
    pub region: Option<String>,
}

/// Builds and verifies the model of every selected target. Identical findings from several
/// targets are reported once, with the targets they occur in; a finding that only a region's
/// overlay produces says so.
pub fn verify_program(
    checked: &Checked,
    selection: &Selection,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let all = model::targets(checked);
    if let Some(region) = &selection.region
        && !all.iter().any(|t| t.region.as_deref() == Some(region))
    {
        return Err(Box::new(
            cpts_diag::Diagnostic::new(
                &cpts_diag::codes::UNKNOWN_REGION,
                format!("unknown region `{region}`"),
            )
            .help("`--region` takes the name after `region` in an overlay, e.g. `bfc`"),
        ));
    }
    let selected: Vec<&Target> = all
        .iter()
        .filter(|t| match (&selection.region, &t.region) {
            (None, _) => true,
            (Some(wanted), Some(r)) => r == wanted,
            (Some(wanted), None) => all.iter().any(|o| {
                o.workflow == t.workflow
                    && o.version == t.version
                    && o.region.as_deref() == Some(wanted)
            }),
        })
        .collect();
    // Findings keyed by what they say, with the targets they appear in.
    let mut found: BTreeMap<FindingKey, (Diagnostic, Vec<&Target>)> = BTreeMap::new();
    for target in &selected {
        let (model, problems) = model::build(checked, target)?;
        for d in problems.into_iter().chain(crate::verify(&model)) {
            let key = (d.span, d.code.id, d.message.clone());
            found
                .entry(key)
                .or_insert_with(|| (d, Vec::new()))
                .1
                .push(target);
        }
    }
    let mut out = Vec::new();
    for (_, (mut d, targets)) in found {
        let national_too = targets.iter().any(|t| t.region.is_none());
        if !national_too && let Some(region) = targets.iter().find_map(|t| t.region.as_deref()) {
            d = d.note(format!(
                "introduced by region `{region}`: the national workflow alone does not have it"
            ));
        }
        let of_workflow = selected
            .iter()
            .filter(|t| targets.iter().any(|f| f.workflow == t.workflow))
            .count();
        if targets.len() < of_workflow {
            let shown: Vec<String> = targets.iter().map(|t| describe(t)).collect();
            d = d.note(format!("in {}", shown.join("; ")));
        }
        out.push(d);
    }
    cpts_diag::sort(&mut out);
    Ok(out)
}

/// A finding's identity across targets: where, which code, what it says.
type FindingKey = (Option<cpts_diag::Span>, &'static str, String);

fn describe(t: &Target) -> String {
    match &t.region {
        Some(r) => format!("`{}` version `{}` with region `{r}`", t.workflow, t.version),
        None => format!("`{}` version `{}`", t.workflow, t.version),
    }
}
