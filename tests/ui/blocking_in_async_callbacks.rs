//@no-rustfix: the help here is advice, not a rewrite
// Callbacks kept as values: a closure a helper returns, called in async code, runs there;
// a helper that only makes or stores one does not run it.
use std::sync::Arc;

fn make_flush() -> impl Fn() {
    || {
        let _ = std::fs::write("flush.log", b"");
    }
}

fn make_count() -> impl Fn() -> usize {
    || 1
}

pub async fn flush() {
    let flush = make_flush();
    flush();
    //~^ blocking_in_async
}

/// Quiet: the returned closure only computes.
pub async fn count() -> usize {
    let count = make_count();
    count()
}

/// Only makes the callback: boxing, sharing or keeping it does not call it.
fn boxed_flush() -> (Box<dyn Fn() + Send>, Arc<dyn Fn() + Send + Sync>, Option<Box<dyn Fn()>>) {
    let keep = Some(Box::new(|| {
        let _ = std::fs::write("keep.log", b"");
    }) as Box<dyn Fn()>);
    (
        Box::new(|| {
            let _ = std::fs::write("boxed.log", b"");
        }),
        Arc::new(|| {
            let _ = std::fs::write("shared.log", b"");
        }),
        keep,
    )
}

/// Quiet: making the callbacks blocks nothing.
pub async fn prepare() -> usize {
    let (boxed, shared, kept) = boxed_flush();
    std::mem::size_of_val(&boxed) + std::mem::size_of_val(&shared) + usize::from(kept.is_some())
}

/// Calling one does.
pub async fn run_boxed() {
    let (boxed, _, _) = boxed_flush();
    boxed();
    //~^ blocking_in_async
}

fn main() {}
