//@check-pass
// Regression: the `IntoFuture::into_future` call of `.await` is a lang-item path with no
// generic arguments recorded, and resolving it crashed the trait solver (an ICE).
async fn ready() -> u8 {
    1
}

async fn awaits() -> u8 {
    ready().await + std::future::ready(2).await
}

fn main() {
    let _ = awaits();
}
