//! A hostile plugin: returns a huge result
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-huge";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "returns a huge result", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    // 200 000 texts: more nodes than the host accepts, within the memory limit.
    Ok(Value::List((0..200_000).map(|i| Value::Text(format!("{i}"))).collect()))
}
