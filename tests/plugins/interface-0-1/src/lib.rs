//! A plugin built against interface 0.1 (`wit/cpts-plugin/0.1.0`), as plugins built before 0.2
//! were: the host must still load it and call its guard, computed and validation functions.
#![allow(missing_docs, unsafe_code)]

wit_bindgen::generate!({
    path: "../../../wit/cpts-plugin/0.1.0",
    world: "region-plugin",
});

use cpts::plugin::types::{
    CallError, Finding, Function, FunctionKind, Manifest, Node, Param, Severity, Value,
};
use exports::cpts::plugin::plugin::Guest;

struct Legacy;

fn function(name: &str, kind: FunctionKind, params: &[(&str, &str)], result: &str) -> Function {
    Function {
        name: name.into(),
        kind,
        params: params
            .iter()
            .map(|(name, ty)| Param {
                name: (*name).into(),
                type_: (*ty).into(),
            })
            .collect(),
        result: result.into(),
        doc: "Fonction d'essai".into(),
    }
}

impl Guest for Legacy {
    fn describe() -> Manifest {
        Manifest {
            region: "hostile".into(),
            package: "legacy-interface-0-1".into(),
            version: "0.1.0".into(),
            functions: vec![
                function("compte", FunctionKind::Computed, &[("items", "list<text>")], "int"),
                function("harmless", FunctionKind::Guard, &[], "bool"),
                function("remarques", FunctionKind::Validation, &[], "findings"),
            ],
            steps: Vec::new(),
        }
    }

    fn call(function: String, args: Vec<Value>) -> Result<Value, CallError> {
        let answer = match function.as_str() {
            "compte" => match args.first().and_then(|v| v.nodes.first()) {
                Some(Node::List(items)) => Node::Integer(items.len() as i64),
                _ => return Err(CallError::BadArguments("expected a list".into())),
            },
            "harmless" => Node::Boolean(true),
            other => return Err(CallError::UnknownFunction(other.into())),
        };
        Ok(Value {
            nodes: vec![answer],
        })
    }

    fn validate(function: String, _args: Vec<Value>) -> Result<Vec<Finding>, CallError> {
        match function.as_str() {
            "remarques" => Ok(vec![Finding {
                code: "LEG001".into(),
                severity: Severity::Warning,
                message: "Plugin construit pour l'interface 0.1".into(),
            }]),
            other => Err(CallError::UnknownFunction(other.into())),
        }
    }
}

export!(Legacy);
