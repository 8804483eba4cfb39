//! A hostile plugin: loops forever
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-loop";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "loops forever", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    let mut i: u64 = args.int(0)? as u64;
    loop {
        i = std::hint::black_box(i.wrapping_mul(6364136223846793005).wrapping_add(1));
        if i == 0 {
            return Ok(Value::Bool(true));
        }
    }
}
