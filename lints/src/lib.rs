//! The analysis engine and the lints of cargo-async-lint.
//!
//! `engine` knows which bodies are async contexts and which APIs block or enter a runtime;
//! each lint module only decides when to report and words its diagnostic.

#![feature(rustc_private)]
#![warn(rustc::internal)]

extern crate rustc_data_structures;
extern crate rustc_errors;
extern crate rustc_hir;
extern crate rustc_lint;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;

#[rustfmt::skip] // Generated; `cargo bless` writes it.
mod declared_lints;
pub mod diag;
pub mod engine;

// The lints, one file each.
pub mod blocking_in_async;

pub use clippy_utils::sym::EXTRA_SYMBOLS;
pub use declared_lints::declared_lints;

use async_lint_config::Conf;
use rustc_lint::LintStore;

/// Registers every lint and its pass with rustc.
pub fn register_lints(store: &mut LintStore, conf: &'static Conf) {
    store.register_lints(&declared_lints());
    store.register_late_lint_pass(Box::new(move |_| {
        Box::new(blocking_in_async::BlockingInAsync::new(conf))
    }));
}
