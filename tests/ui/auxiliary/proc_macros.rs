//! A proc macro that writes an async fn that blocks, with spans of its own.
#![crate_type = "proc-macro"]

extern crate proc_macro;
use proc_macro::TokenStream;

#[proc_macro]
pub fn blocking_async_fn(_input: TokenStream) -> TokenStream {
    "pub async fn generated() { std::thread::sleep(std::time::Duration::from_millis(1)); }"
        .parse()
        .unwrap()
}
