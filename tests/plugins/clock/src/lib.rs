//! A hostile plugin: asks the time
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-clock";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "asks the time", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Error::Failed(e.to_string()))?;
    Ok(Value::Bool(now.as_secs() % 2 == 0))
}
