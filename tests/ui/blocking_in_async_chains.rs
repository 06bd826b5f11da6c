//@no-rustfix: chains get help, not rewrites
// Blocking calls reached through chains of synchronous functions of the crate.
use std::io::Read;
use std::time::Duration;

// ---- chains of free functions ----

fn settle() {
    std::thread::sleep(Duration::from_millis(1));
}

fn settle_twice() {
    settle();
    settle();
}

fn warm_up() {
    settle_twice();
}

async fn chain_of_one() {
    settle();
    //~^ blocking_in_async
}

async fn chain_of_three() {
    warm_up();
    //~^ blocking_in_async
}

// ---- methods and trait impls ----

struct Settings;

impl Settings {
    fn load() -> String {
        std::fs::read_to_string("settings.toml").unwrap_or_default()
    }

    fn reload(&self) -> String {
        Self::load()
    }
}

async fn inherent_methods(settings: &Settings) {
    let _ = settings.reload();
    //~^ blocking_in_async
}

trait Loader {
    fn load(&self) -> Vec<u8>;
}

struct FileLoader;
struct MemoryLoader;

impl Loader for FileLoader {
    fn load(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let _ = std::fs::File::open("data.bin").map(|mut file| file.read_to_end(&mut bytes));
        bytes
    }
}

impl Loader for MemoryLoader {
    fn load(&self) -> Vec<u8> {
        vec![1, 2, 3]
    }
}

async fn trait_method_resolved_to_the_impl() {
    let _ = FileLoader.load();
    //~^ blocking_in_async
    let _ = MemoryLoader.load();
}

// ---- generic functions, per instantiation ----

fn load_with<L: Loader>(loader: &L) -> Vec<u8> {
    loader.load()
}

async fn generic_instantiated_with_a_blocking_impl() {
    let _ = load_with(&FileLoader);
    //~^ blocking_in_async
}

async fn generic_instantiated_with_a_harmless_impl() {
    let _ = load_with(&MemoryLoader);
}

async fn generic_in_async_code_is_not_guessed<L: Loader>(loader: &L) {
    let _ = load_with(loader);
}

// ---- recursion ----

fn countdown(n: u32) {
    if n == 0 {
        std::thread::sleep(Duration::from_millis(1));
    } else {
        countdown(n - 1);
    }
}

fn ping(n: u32) {
    if n > 0 {
        pong(n - 1);
    }
}

fn pong(n: u32) {
    if n > 0 {
        ping(n - 1);
    } else {
        let _ = std::fs::read("x");
    }
}

fn spin(n: u32) -> u32 {
    if n == 0 { 0 } else { spin(n - 1) }
}

async fn recursion_is_safe() {
    countdown(3);
    //~^ blocking_in_async
    ping(4);
    //~^ blocking_in_async
    let _ = spin(3);
}

// ---- helpers that are fine ----

fn pure_helper(x: u32) -> u32 {
    x + 1
}

fn helper_that_offloads() {
    let _ = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(1)));
}

fn helper_returning_a_future() -> impl std::future::Future<Output = ()> {
    // The async block is an async context of its own, reported there; calling this function
    // only builds the future.
    async {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

async fn async_helper() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

async fn calls_that_do_not_block() {
    let _ = pure_helper(1);
    helper_that_offloads();
    helper_returning_a_future().await;
    async_helper().await;
}

// Never called from async code: silent.
#[allow(dead_code)]
fn uncalled_helper() {
    settle();
}

fn main() {}
