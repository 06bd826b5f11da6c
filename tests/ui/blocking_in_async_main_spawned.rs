//@no-rustfix: the help here is advice, not a rewrite
// `async fn main` that spawns a task before it blocks: the task may be waiting for the thread,
// so the blocking call counts (see `blocking_in_async_main.rs` for the quiet start).
fn read_settings() -> String {
    std::fs::read_to_string("settings.toml").unwrap_or_default()
}

fn start_metrics() -> tokio::task::JoinHandle<u32> {
    tokio::spawn(async { 1 })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let metrics = start_metrics();
    let _ = read_settings();
    //~^ blocking_in_async
    let _ = metrics.await;
}
