//! A loaded plugin against what the rules declare of it: version requirement and every declared
//! function's signature. (The plugin's region is informative: one plugin may serve several
//! overlays of its region, such as `cvl` and `cvl_cts`.)

use crate::PluginInfo;
use cpts_diag::Span;
use cpts_lang::model::PluginDecl;

/// A difference between a plugin and its declaration in the rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// Where in the rules (the declaration, or the declared function).
    pub span: Span,
    /// What differs (English).
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Everything that differs between `info` and the declaration `decl`.
pub fn check_declaration(info: &PluginInfo, decl: &PluginDecl) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match semver::VersionReq::parse(&decl.version) {
        Ok(req) if !req.matches(&info.version) => out.push(Mismatch {
            span: decl.version_span,
            message: format!(
                "plugin `{}` is version {}, which does not satisfy `{}`",
                info.package, info.version, decl.version
            ),
            hint: format!(
                "use a build of the plugin that satisfies `{}`, or change the requirement",
                decl.version
            ),
        }),
        Ok(_) => {}
        Err(e) => out.push(Mismatch {
            span: decl.version_span,
            message: format!("`{}` is not a version requirement: {e}", decl.version),
            hint: "write a semver requirement, such as `^0.1`".into(),
        }),
    }
    for f in &decl.functions {
        let Some(offered) = info.function(&f.name) else {
            let names: Vec<&str> = info.functions.iter().map(|g| g.name.as_str()).collect();
            out.push(Mismatch {
                span: f.span,
                message: format!(
                    "plugin `{}` {} has no function `{}`",
                    info.package, info.version, f.name
                ),
                hint: format!("it offers: {}", names.join(", ")),
            });
            continue;
        };
        let ret = if f.validation {
            "findings".to_owned()
        } else {
            f.ret.to_string()
        };
        let declared = signature(
            f.params.iter().map(|(n, t)| (n.as_str(), t.to_string())),
            &ret,
        );
        let actual = signature(
            offered
                .params
                .iter()
                .map(|(n, t)| (n.as_str(), normalize(t))),
            &normalize(&offered.result),
        );
        if declared != actual {
            out.push(Mismatch {
                span: f.span,
                message: format!(
                    "`{}` is declared `{declared}`, but plugin `{}` {} offers `{actual}`",
                    f.name, info.package, info.version
                ),
                hint: "make the declaration match the plugin (`cpts plugin inspect` shows its signatures)"
                    .into(),
            });
        }
    }
    out
}

/// `(name: type, …) -> type`; parameter names are not part of the comparison.
fn signature<'a>(params: impl Iterator<Item = (&'a str, String)>, ret: &str) -> String {
    let params: Vec<String> = params.map(|(_, t)| t).collect();
    format!("({}) -> {ret}", params.join(", "))
}

/// A type as the plugin wrote it, spaced as the rules language prints types.
fn normalize(ty: &str) -> String {
    ty.split_whitespace().collect::<String>().replace(",", ", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FunctionInfo;
    use cpts_diag::FileId;
    use cpts_lang::model::PluginFunction;
    use cpts_lang::types::Type;

    fn info() -> PluginInfo {
        PluginInfo {
            package: "bourgogne-franche-comte".into(),
            version: semver::Version::new(0, 1, 0),
            region: "bfc".into(),
            interface: "cpts:plugin/plugin@0.1.0".into(),
            functions: vec![FunctionInfo {
                name: "parite".into(),
                kind: "guard",
                params: vec![("comite".into(), "list< text >".into())],
                result: "bool".into(),
                doc: String::new(),
            }],
            steps: vec![],
            size: 0,
            path: None,
            describe_fuel: 0,
        }
    }

    fn decl(version: &str, params: Vec<Type>) -> PluginDecl {
        let span = Span::new(FileId(0), 0, 1);
        PluginDecl {
            alias: "bfc".into(),
            package: "bourgogne-franche-comte".into(),
            version: version.into(),
            version_span: span,
            span,
            functions: vec![PluginFunction {
                name: "parite".into(),
                params: params.into_iter().map(|t| ("c".to_owned(), t)).collect(),
                ret: Type::Bool,
                validation: false,
                span,
            }],
        }
    }

    #[test]
    fn a_matching_declaration_has_no_mismatch() {
        let d = decl("^0.1", vec![Type::List(Box::new(Type::Text))]);
        assert_eq!(check_declaration(&info(), &d), vec![]);
    }

    #[test]
    fn version_and_signature_are_reported() {
        let d = decl("^0.2", vec![Type::Set(Box::new(Type::Text))]);
        let messages: Vec<String> = check_declaration(&info(), &d)
            .into_iter()
            .map(|m| m.message)
            .collect();
        assert_eq!(
            messages,
            [
                "plugin `bourgogne-franche-comte` is version 0.1.0, which does not satisfy `^0.2`",
                "`parite` is declared `(set<text>) -> bool`, but plugin `bourgogne-franche-comte` 0.1.0 offers `(list<text>) -> bool`",
            ]
        );
    }
}
