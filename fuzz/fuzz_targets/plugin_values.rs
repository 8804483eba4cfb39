#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cpts_fuzz::run("plugin_values", data));
