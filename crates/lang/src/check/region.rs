//! Region overlays: checked against the workflow they extend, in every version they apply to.

use super::body::{self, CheckedWorkflow};
use super::scope::{Signature, unknown};
use crate::model::{PluginDecl, PluginFunction};
use crate::syntax::*;
use crate::types::Type;
use cpts_diag::{Diagnostic, Span, codes};
use std::collections::BTreeMap;

pub(crate) fn check_region<'a>(
    national: &mut CheckedWorkflow<'a>,
    region: &'a Region,
    out: &mut Vec<Diagnostic>,
) -> (crate::check::ScopeTypes, Vec<PluginDecl>) {
    // Indices of the national versions this region applies to.
    let mut applies: Vec<usize> = Vec::new();
    for v in &region.versions {
        if national.scope.check_version(v, out) {
            applies.extend(national.scope.versions.iter().position(|n| *n == v.value));
        }
    }
    if region.versions.is_empty() {
        applies = (0..national.scope.versions.len()).collect();
    }
    for node in national.scope.nodes.values_mut() {
        node.national = true;
    }

    // The region sees the national scope plus its own declarations.
    let mut checked = CheckedWorkflow {
        scope: national.scope.clone(),
        used: std::mem::take(&mut national.used),
        called: std::mem::take(&mut national.called),
        declared: std::mem::take(&mut national.declared),
        plugin_fns: std::mem::take(&mut national.plugin_fns),
    };
    let plugins = declare_plugins(&mut checked, region, out);
    body::declare_body(&mut checked, &region.body, out);
    for rule in region.tightens.iter().flat_map(|t| &t.rules) {
        body::declare_rule(&mut checked.scope, rule, out);
    }
    body::check_body(&mut checked, &region.body, true, out);

    let present_in = |present: &[bool]| -> Vec<String> {
        applies
            .iter()
            .filter(|i| !present.get(**i).copied().unwrap_or(true))
            .map(|i| national.scope.versions[*i].clone())
            .collect()
    };
    let CheckedWorkflow {
        scope,
        used,
        called,
        ..
    } = &mut checked;
    for t in &region.tightens {
        match scope.nodes.get(t.target.name.as_str()) {
            None => out.push(target_missing("step", &t.target, scope.node_names())),
            Some(info) => {
                missing_versions("step", &t.target, &present_in(&info.present), out);
                let outcomes = info.outcomes.clone();
                for d in &t.deadlines {
                    body::check_deadline(scope, d, info.kind, &t.target, &outcomes, out);
                }
            }
        }
        for rule in &t.rules {
            body::check_rule(scope, rule, used, called, out);
        }
        for c in &t.checks {
            body::check_check(scope, c, used, called, out);
        }
        for d in &t.requires {
            body::check_data_ref(scope, d, out);
        }
    }
    for o in &region.param_overrides {
        match scope.params.get(&o.target.name).cloned() {
            None => out.push(target_missing(
                "parameter",
                &o.target,
                scope.params.keys().map(String::as_str),
            )),
            Some((ty, _)) => {
                used.insert(o.target.name.clone());
                body::check_param_values(scope, &o.target, &ty, &o.values, used, called, out);
            }
        }
    }
    for rule in &region.rule_overrides {
        match scope.rules.get(rule.name.name.as_str()).cloned() {
            None => out.push(target_missing("rule", &rule.name, scope.rule_names())),
            Some(info) => {
                missing_versions("rule", &rule.name, &present_in(&info.present), out);
                if rule.severity < info.severity {
                    out.push(
                        Diagnostic::new(
                            &codes::LOOSENED_RULE,
                            format!(
                                "region `{}` lowers rule `{}` from {} to {}",
                                region.name.name,
                                rule.name.name,
                                info.severity.keyword(),
                                rule.severity.keyword()
                            ),
                        )
                        .at_with(rule.severity_span, "lower severity")
                        .label(info.span, "national rule")
                        .help("keep the national severity, or document the derogation in `source`"),
                    );
                }
            }
        }
        body::check_rule(scope, rule, used, called, out);
    }
    for d in &region.drops {
        match scope.rules.get(d.target.name.as_str()) {
            None => out.push(target_missing("rule", &d.target, scope.rule_names())),
            Some(info) => out.push(
                Diagnostic::new(
                    &codes::LOOSENED_RULE,
                    format!(
                        "region `{}` drops rule `{}`",
                        region.name.name, d.target.name
                    ),
                )
                .at_with(d.target.span, "dropped")
                .label(info.span, "national rule")
                .help("national rules come from the law or the ACI; prefer adding a regional rule"),
            ),
        }
        body::require_source(&d.attrs, "dropped rule", &d.target, out);
    }
    for node in &region.body.nodes {
        for target in &node.before {
            if let Some(info) = scope.nodes.get(target.name.as_str()) {
                missing_versions("step", target, &present_in(&info.present), out);
            }
        }
    }

    national.used = std::mem::take(&mut checked.used);
    national.called = std::mem::take(&mut checked.called);
    national.declared = std::mem::take(&mut checked.declared);
    national.plugin_fns = std::mem::take(&mut checked.plugin_fns);
    (body::declared_types(&checked.scope, &region.body), plugins)
}

fn declare_plugins(
    checked: &mut CheckedWorkflow,
    region: &Region,
    out: &mut Vec<Diagnostic>,
) -> Vec<PluginDecl> {
    let mut declared = Vec::new();
    let mut aliases: BTreeMap<&str, Span> = BTreeMap::new();
    for plugin in &region.plugins {
        if let Some(prev) = aliases.insert(&plugin.alias.name, plugin.alias.span) {
            out.push(super::scope::duplicate("plugin", &plugin.alias, prev));
            continue;
        }
        let mut functions = BTreeMap::new();
        let mut resolved = Vec::new();
        let mut spans: BTreeMap<&str, Span> = BTreeMap::new();
        for f in &plugin.functions {
            if let Some(prev) = spans.insert(&f.name.name, f.name.span) {
                out.push(super::scope::duplicate("plugin function", &f.name, prev));
                continue;
            }
            let params = checked.scope.resolve_fields(&f.params, out);
            // `-> findings`: a validation, whose findings `check` items report.
            let validation = matches!(&f.ret.kind, TypeExprKind::Named(n) if n.name == "findings")
                && !f.ret.optional;
            let ret = if validation {
                Type::Error
            } else {
                checked.scope.resolve(&f.ret, out)
            };
            resolved.push(PluginFunction {
                name: f.name.name.clone(),
                params: params.clone(),
                ret: ret.clone(),
                validation,
                span: f.span,
            });
            functions.insert(
                f.name.name.clone(),
                Signature {
                    params,
                    ret,
                    validation,
                },
            );
            checked.plugin_fns.push((
                format!("{}.{}", plugin.alias.name, f.name.name),
                f.name.span,
            ));
        }
        checked
            .scope
            .plugins
            .insert(plugin.alias.name.clone(), functions);
        declared.push(PluginDecl {
            alias: plugin.alias.name.clone(),
            package: plugin.package.value.clone(),
            version: plugin.version.value.clone(),
            version_span: plugin.version.span,
            span: plugin.span,
            functions: resolved,
        });
    }
    declared
}

fn target_missing<'c>(
    what: &str,
    name: &Ident,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Diagnostic {
    let mut d = unknown(&codes::OVERLAY_UNKNOWN_TARGET, what, name, candidates)
        .note("the extended workflow does not declare it");
    if d.help.is_none() {
        d = d.help(format!(
            "a region can only change a {what} that the workflow it extends declares"
        ));
    }
    d
}

fn missing_versions(what: &str, name: &Ident, missing: &[String], out: &mut Vec<Diagnostic>) {
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            &codes::OVERLAY_UNKNOWN_TARGET,
            format!(
                "{what} `{}` does not exist under version{} {}",
                name.name,
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .at_with(name.span, "missing in some versions the region extends")
        .help("restrict the region with `versions \"…\"` to the versions that have it"),
    );
}
