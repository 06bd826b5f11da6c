//@compile-flags: -Awarnings
// `deny` in the config outlives `-A warnings`, which only touches warnings.
async fn sleeps() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    //~^ blocking_in_async
}

// Source attributes still override the config.
#[allow(blocking_in_async)]
async fn allowed_here() {
    std::thread::sleep(std::time::Duration::from_millis(1));
}

fn main() {}
