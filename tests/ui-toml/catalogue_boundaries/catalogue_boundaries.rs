// A wrapper named in `catalogue.boundaries` runs its closure elsewhere, like `spawn_blocking`.
mod pool {
    pub async fn run_blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
        tokio::task::spawn_blocking(job).await.unwrap()
    }

    pub async fn run_inline<T>(job: impl FnOnce() -> T) -> T {
        job()
    }
}

async fn handler() {
    let _ = pool::run_blocking(|| std::fs::read("x")).await;
    let _ = pool::run_inline(|| std::fs::read("x")).await;
    //~^ blocking_in_async
}

fn main() {}
