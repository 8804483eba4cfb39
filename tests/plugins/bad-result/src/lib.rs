//! A hostile plugin: returns text where the rules expect a bool
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-bad-result";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "returns text where the rules expect a bool", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    Ok(Value::Text("oui".into()))
}
