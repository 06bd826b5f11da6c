use std::time::Duration;

async fn sleep_statement(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
    //~^ blocking_in_async
}

async fn sleep_in_an_async_block() {
    let task = async {
        std::thread::sleep(Duration::from_millis(1));
        //~^ blocking_in_async
    };
    task.await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A server's main task: other tasks run beside it.
    let metrics = tokio::spawn(async {});
    sleep_statement(1).await;
    sleep_in_an_async_block().await;
    let _ = metrics.await;
}
