//@no-rustfix: without tokio no rewrite is offered
// A crate without tokio gets the hint, not a tokio rewrite.
async fn sleeps() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    //~^ blocking_in_async
}

fn main() {}
