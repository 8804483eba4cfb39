//! Write a cpts regional plugin in Rust.
//!
//! A plugin is a WebAssembly component (`cargo build --target wasm32-wasip2`) that offers typed
//! functions to a region's rules: **guards** (`-> bool`, in rule conditions), **computed**
//! functions (any other type) and **validations** (findings with a code, a severity and a French
//! message, for the rules' `check` items). It may also add steps to its region's overlay.
//!
//! ```ignore
//! use cpts_plugin_sdk::{Args, Error, Function, Plugin, register};
//!
//! struct Bretagne;
//!
//! impl Plugin for Bretagne {
//!     const REGION: &'static str = "bretagne";
//!     const PACKAGE: &'static str = "bretagne";
//!
//!     fn functions() -> Vec<Function> {
//!         vec![Function::guard("commission_favorable", "Vrai si …", favorable).param("avis", "text")]
//!     }
//! }
//!
//! fn favorable(args: &Args) -> Result<bool, Error> {
//!     Ok(args.text(0)? == "favorable")
//! }
//!
//! register!(Bretagne);
//! ```
//!
//! The WIT interface (`wit/cpts-plugin/0.2.0/plugin.wit`) and its bindings stay behind this
//! crate: a plugin sees only [`Plugin`], [`Function`], [`Args`], [`Value`] and [`Finding`].
//! The host gives a plugin no filesystem, network, environment, clock or randomness, and counts
//! every instruction it runs: keep functions pure and small.

mod convert;
mod function;
mod value;

pub use function::{Args, Error, Finding, Function, Severity};
pub use value::{Unit, Value};

/// The generated bindings. Not part of the API: only [`register!`] uses them.
#[doc(hidden)]
#[allow(unsafe_code, missing_docs, clippy::all)]
pub mod __bindings {
    wit_bindgen::generate!({
        path: "../../wit/cpts-plugin/0.2.0",
        world: "region-plugin",
        pub_export_macro: true,
        export_macro_name: "__export_region_plugin",
        default_bindings_module: "cpts_plugin_sdk::__bindings",
    });
}

/// The version of the cpts plugin interface this SDK builds against.
pub const INTERFACE_VERSION: &str = "0.2.0";

/// A regional plugin: what it is and what it offers. Register it with [`register!`].
pub trait Plugin {
    /// The region it serves, as the rules name it (`bfc`).
    const REGION: &'static str;
    /// Its package name, as the rules' `plugin` block declares it (`bourgogne-franche-comte`).
    const PACKAGE: &'static str;

    /// The functions it offers. Called once per loaded instance.
    fn functions() -> Vec<Function>;

    /// Steps added to the region's overlay: each a `step name "label" { … }` item of the rules
    /// language, checked like steps written in the overlay. None by default.
    fn steps() -> Vec<String> {
        Vec::new()
    }
}

/// Registers a [`Plugin`] as the component's export. Use it once, at the crate root.
#[macro_export]
macro_rules! register {
    ($plugin:ident) => {
        #[allow(unsafe_code)]
        const _: () = {
            use $crate::__bindings::cpts::plugin::types as __types;
            use $crate::__bindings::exports::cpts::plugin::plugin as __wit;

            fn __functions() -> &'static [$crate::Function] {
                static FUNCTIONS: ::std::sync::OnceLock<::std::vec::Vec<$crate::Function>> =
                    ::std::sync::OnceLock::new();
                FUNCTIONS.get_or_init(<$plugin as $crate::Plugin>::functions)
            }

            impl __wit::Guest for $plugin {
                fn describe() -> __types::Manifest {
                    $crate::__private::describe(
                        <$plugin as $crate::Plugin>::REGION,
                        <$plugin as $crate::Plugin>::PACKAGE,
                        env!("CARGO_PKG_VERSION"),
                        __functions(),
                        <$plugin as $crate::Plugin>::steps(),
                    )
                }

                fn test(function: u32, args: ::std::vec::Vec<u8>) -> ::std::option::Option<bool> {
                    $crate::__private::test(__functions(), function, args)
                }

                fn test_inline(
                    function: u32,
                    args: __types::InlineArgs,
                ) -> ::std::option::Option<bool> {
                    let words = [args.w0, args.w1, args.w2, args.w3];
                    $crate::__private::test_inline(__functions(), function, args.len, words)
                }

                fn last_error() -> __types::CallError {
                    $crate::__private::last_error()
                }

                fn call(
                    function: u32,
                    args: ::std::vec::Vec<u8>,
                ) -> ::std::result::Result<::std::vec::Vec<u8>, __types::CallError> {
                    $crate::__private::call(__functions(), function, args)
                }

                fn validate(
                    function: u32,
                    args: ::std::vec::Vec<u8>,
                ) -> ::std::result::Result<::std::vec::Vec<__types::Finding>, __types::CallError>
                {
                    $crate::__private::validate(__functions(), function, args)
                }
            }

            // The exports only exist in the component: a native build (the plugin's unit tests)
            // has no component ABI to link.
            #[cfg(target_arch = "wasm32")]
    $crate::__bindings::__export_region_plugin!($plugin with_types_in $crate::__bindings);
        };
    };
}

/// What [`register!`] expands to. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::convert::{call, describe, last_error, test, test_inline, validate};
}
