//@no-rustfix: the help here is advice, not a rewrite
// Callbacks kept as values: a closure a helper returns, or a fn item stored in a struct's `fn`
// pointer field, called in async code, runs there; a helper that only makes or stores one does
// not run it.
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

fn append_log(key: &str) {
    let _ = std::fs::write("saves.log", key);
}

fn count_key(key: &str) {
    let _ = key.len();
}

pub struct Hooks {
    pub on_save: fn(&str),
}

pub struct Counter {
    pub on_save: fn(&str),
}

fn logging_hooks() -> Hooks {
    Hooks { on_save: append_log }
}

fn counting() -> Counter {
    Counter { on_save: count_key }
}

pub async fn save(key: &str) {
    let hooks = logging_hooks();
    (hooks.on_save)(key);
    //~^ blocking_in_async
}

/// Quiet: this struct's field only ever holds a function that computes.
pub async fn count_saves(key: &str) {
    let counter = counting();
    (counter.on_save)(key);
}

fn notify(hooks: &Hooks, key: &str) {
    (hooks.on_save)(key);
}

/// Through a sync helper that calls the field.
pub async fn save_through_helper(key: &str) {
    notify(&logging_hooks(), key);
    //~^ blocking_in_async
}

fn main() {}
