//! A hostile plugin: reads a file
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-files";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "reads a file", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    let text = std::fs::read_to_string("/etc/passwd").map_err(|e| Error::Failed(e.to_string()))?;
    Ok(Value::Bool(!text.is_empty()))
}
