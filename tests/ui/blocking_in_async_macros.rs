//@aux-build: external_macros.rs
//@aux-build: proc_macros.rs
// Code that another crate's macro writes is silent; the user can't change it.
extern crate external_macros;
extern crate proc_macros;

async fn calls_an_external_macro() {
    external_macros::nap!();
}

external_macros::async_napper!(generated_by_macro_rules);

proc_macros::blocking_async_fn!();

// ... but the user's own code passed through a macro is theirs.
macro_rules! run {
    ($e:expr) => {
        $e
    };
}

async fn user_code_inside_a_local_macro() {
    run!(std::thread::sleep(std::time::Duration::from_millis(1)));
    //~^ blocking_in_async
}

fn main() {}
