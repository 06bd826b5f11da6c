//! The shared analysis: which bodies run as async code, and which APIs block or enter a
//! runtime. Lints ask; they never re-derive any of this themselves.

pub mod async_context;
pub mod catalogue;

pub use async_context::{AsyncContext, async_context_of};
pub use catalogue::{Catalogue, Category, Entry};
