//! A hostile plugin: panics (a trap)
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-panic";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "panics (a trap)", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    let items: Vec<i64> = Vec::new();
    let i = args.int(0)? as usize;
    Ok(Value::Bool(items[i] > 0))
}
