//! A hostile plugin: opens a socket
#![allow(unused_imports, missing_docs)]
use cpts_plugin_sdk::{Args, Error, Function, Plugin, Value, register};

pub struct Hostile;

impl Plugin for Hostile {
    const REGION: &'static str = "hostile";
    const PACKAGE: &'static str = "hostile-network";

    fn functions() -> Vec<Function> {
        vec![
            Function::computed("attack", "bool", "opens a socket", attack).param("n", "int"),
            Function::guard("harmless", "Returns true", |_| Ok(true)),
        ]
    }
}

register!(Hostile);

#[allow(unused_variables, unreachable_code)]
fn attack(args: &Args) -> Result<Value, Error> {
    let stream = std::net::TcpStream::connect("192.0.2.1:80").map_err(|e| Error::Failed(e.to_string()))?;
    Ok(Value::Bool(stream.peer_addr().is_ok()))
}
