//@no-rustfix: the help here is advice, not a rewrite
// The start of `async fn main`, before its first `.await` and before it first uses the runtime,
// is the only task there is: blocking there (reading the configuration) delays nothing else.
// From the first `.await` or spawn on, other tasks may be waiting for the thread.
use std::time::Duration;

fn read_settings() -> String {
    std::fs::read_to_string("settings.toml").unwrap_or_default()
}

async fn serve(settings: String) -> usize {
    settings.len()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Quiet: nothing else runs yet, and the operand of the first `.await` runs before it.
    let settings = read_settings();
    std::thread::sleep(Duration::from_millis(1));
    let served = serve(read_settings()).await;
    // From here on, other tasks may be waiting.
    let _ = std::fs::read("after.bin");
    //~^ blocking_in_async
    let worker = tokio::spawn(async move { served });
    let _ = worker.await;
    drop(settings);
}
