// Regression guard: a body that fails to type-check is skipped, not walked.
fn helper() -> u32 {
    undefined_function()
    //~^ ERROR: cannot find function
}

async fn handler() {
    let _ = helper();
    std::thread::sleep(std::time::Duration::from_millis(1 + "x"));
    //~^ ERROR: cannot add
}

fn main() {}
