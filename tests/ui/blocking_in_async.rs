//@no-rustfix: the suggestions here are not all machine-applicable; see blocking_in_async_fix.rs
use std::fs::File;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

// ---- positives: catalogued calls made directly in async code ----

async fn sleeps() {
    std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async
}

async fn sleep_used_as_a_value_gets_a_maybe_incorrect_rewrite() {
    let _unit: () = std::thread::sleep(Duration::from_millis(1));
    //~^ blocking_in_async
}

async fn reads_config() -> String {
    std::fs::read_to_string("config.toml").unwrap()
    //~^ blocking_in_async
}

async fn trait_methods_on_a_file() {
    let mut file = File::open("data.bin").unwrap();
    //~^ blocking_in_async
    let mut buf = String::new();
    file.read_to_string(&mut buf).unwrap();
    //~^ blocking_in_async
    file.write_all(b"x").unwrap();
    //~^ blocking_in_async
}

async fn standard_streams() {
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    //~^ blocking_in_async
    // Terminal output is `terminal_output_in_async`'s (allowed by default).
    let _ = std::io::stdout().write_all(b"prompt> ");
}

async fn loops_and_buffered_io(rx: mpsc::Receiver<u8>) {
    for entry in std::fs::read_dir(".").unwrap() {
        //~^ blocking_in_async
        //~| blocking_in_async
        let _ = entry;
    }
    for message in &rx {
        //~^ blocking_in_async
        let _ = message;
    }
    let mut reader = std::io::BufReader::new(std::io::stdin());
    let mut line = String::new();
    let _ = std::io::BufRead::read_line(&mut reader, &mut line);
    //~^ blocking_in_async
}

async fn standard_library_macros(mut file: File) {
    let _ = writeln!(file, "written synchronously");
    //~^ blocking_in_async
}

async fn network_and_processes() {
    let _stream = std::net::TcpStream::connect("127.0.0.1:80");
    //~^ blocking_in_async
    let _out = std::process::Command::new("ls").output();
    //~^ blocking_in_async
}

async fn waits_on_threads(rx: mpsc::Receiver<u8>, handle: std::thread::JoinHandle<()>) {
    let _ = rx.recv();
    //~^ blocking_in_async
    let _ = handle.join();
    //~^ blocking_in_async
}

async fn tokio_blocking_bridge(lock: &tokio::sync::Mutex<u8>) {
    let _guard = lock.blocking_lock();
    //~^ blocking_in_async
}

async fn tokio_blocking_permit(permits: std::sync::Arc<tokio::sync::Semaphore>) {
    let _permit = permits.blocking_acquire();
    //~^ blocking_in_async
    let _owned = permits.clone().blocking_acquire_many_owned(2);
    //~^ blocking_in_async
    // Quiet: the async way.
    let _awaited = permits.acquire().await;
}

fn async_block_in_a_sync_fn() -> impl std::future::Future<Output = ()> {
    async {
        std::thread::sleep(Duration::from_millis(1));
        //~^ blocking_in_async
    }
}

fn nested_async_block_in_spawn() {
    let _task = tokio::spawn(async {
        let _ = std::fs::read("x");
        //~^ blocking_in_async
    });
}

fn async_closure() {
    let _f = async |path: &str| std::fs::read(path);
    //~^ blocking_in_async
}

macro_rules! nap {
    () => {
        std::thread::sleep(Duration::from_millis(1))
        //~^ blocking_in_async
    };
}

async fn local_macro() {
    nap!();
}

// ---- negatives ----

fn sync_code_may_block() {
    std::thread::sleep(Duration::from_millis(1));
    let _ = std::fs::read("x");
}

async fn async_equivalents() {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let _ = tokio::fs::read("x").await;
}

async fn handed_to_a_blocking_thread() {
    let _ = tokio::task::spawn_blocking(|| std::fs::read("x")).await;
    let _ = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(1)));
}

mod lookalike {
    pub fn sleep(_: std::time::Duration) {}
}

async fn same_name_different_fn() {
    lookalike::sleep(Duration::from_millis(1));
}

struct InMemory;

impl Read for InMemory {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Ok(0)
    }
}

async fn read_on_an_in_memory_type() {
    let mut buf = String::new();
    InMemory.read_to_string(&mut buf).unwrap();
}

#[allow(blocking_in_async)]
async fn allowed_on_the_fn() {
    std::thread::sleep(Duration::from_millis(1));
}

#[cfg_attr(async_lint, allow(blocking_in_async))]
async fn allowed_only_under_the_tool() {
    std::thread::sleep(Duration::from_millis(1));
}

fn main() {}
