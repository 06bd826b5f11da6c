//@no-rustfix: the suggestions here move helpers to the blocking pool, which is not always right
// Calls the compiled code makes that the source does not spell as calls, and function values
// that are only named.
use std::ops::{Add, Deref, Index};
use std::time::Duration;

// ---- implicit calls: overloaded `Deref`, operators, `Index` ----

struct Config(String);

impl Deref for Config {
    type Target = str;

    fn deref(&self) -> &str {
        let _ = std::fs::read_to_string("override.toml");
        &self.0
    }
}

fn config_len(config: &Config) -> usize {
    // Auto-deref calls `<Config as Deref>::deref`.
    config.len()
}

struct Ledger(u64);

impl Add for Ledger {
    type Output = Ledger;

    fn add(self, other: Ledger) -> Ledger {
        let _ = std::fs::write("ledger.log", b"add");
        Ledger(self.0 + other.0)
    }
}

fn total(a: Ledger, b: Ledger) -> Ledger {
    a + b
}

struct Table(Vec<u8>);

impl Index<usize> for Table {
    type Output = u8;

    fn index(&self, i: usize) -> &u8 {
        std::thread::sleep(Duration::from_millis(1));
        &self.0[i]
    }
}

fn first(table: &Table) -> u8 {
    table[0]
}

async fn implicit_calls(config: Config, table: Table) {
    let _ = config_len(&config);
    //~^ blocking_in_async
    let _ = total(Ledger(1), Ledger(2));
    //~^ blocking_in_async
    let _ = first(&table);
    //~^ blocking_in_async
}

// The same implicit calls written directly in async code.
async fn implicit_calls_in_async_code(config: Config, table: Table) -> usize {
    let total = Ledger(1) + Ledger(2);
    //~^ blocking_in_async
    config.len() + table[0] as usize + total.0 as usize
    //~^ blocking_in_async
    //~| blocking_in_async
}

// ---- function values that are called ----

fn blocking_helper() {
    std::thread::sleep(Duration::from_millis(1));
}

fn run_hook() {
    let hook: fn() = blocking_helper;
    hook();
}

fn retry_read() -> usize {
    let attempt = || std::fs::read("blob.bin").map(|b| b.len()).unwrap_or(0);
    attempt() + attempt()
}

fn with_retry<T, F: Fn() -> T>(f: F) -> T {
    f()
}

fn read_blob() -> Vec<u8> {
    std::fs::read("blob.bin").unwrap_or_default()
}

fn load_all() -> Vec<u8> {
    with_retry(read_blob)
}

async fn called_function_values() {
    run_hook();
    //~^ blocking_in_async
    let _ = retry_read();
    //~^ blocking_in_async
    let _ = load_all();
    //~^ blocking_in_async
}

// ---- a trait method on a type parameter matches the catalogued trait method ----

fn resolve<A: std::net::ToSocketAddrs>(addr: A) -> usize {
    addr.to_socket_addrs().map(Iterator::count).unwrap_or(0)
}

async fn connect<A: std::net::ToSocketAddrs>(addr: A) -> usize {
    let direct = addr.to_socket_addrs().map(Iterator::count).unwrap_or(0);
    //~^ blocking_in_async
    direct + resolve("localhost:80")
    //~^ blocking_in_async
}

// ---- negatives: named, never called ----

fn identity<T>(value: T) -> T {
    value
}

fn other() {}

fn keeps_a_pointer() -> usize {
    let hook: fn() = blocking_helper;
    hook as usize
}

fn builds_a_closure() -> usize {
    let _unused = || std::fs::read("blob.bin");
    1
}

async fn named_only() {
    let _f: fn() = blocking_helper;
    let _pair = (blocking_helper, other);
    let _ = identity(blocking_helper);
    let _never_called = || std::thread::sleep(Duration::from_millis(1));
    let _ = keeps_a_pointer();
    let _ = builds_a_closure();
}

// A pure `Deref` reached by auto-deref is no finding.
struct Name(String);

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

fn name_len(name: &Name) -> usize {
    name.len()
}

async fn pure_implicit_calls(name: Name) {
    let _ = name_len(&name);
    let _ = name.len();
    let words = vec![1u8, 2];
    let _ = words[0] + 1;
    let _ = String::from("a") + "b";
}

fn main() {}
