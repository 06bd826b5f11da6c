//@no-rustfix: the help here is advice, not a rewrite
// A generic async fn runs what its caller gives it: a closure or fn item it calls, a trait
// method on its type parameter. The caller awaits that on the executor.

pub async fn get_or_create<T, F: FnOnce() -> T>(create: F) -> T {
    std::future::ready(()).await;
    create()
}

fn read_settings() -> String {
    std::fs::read_to_string("settings.toml").unwrap_or_default()
}

fn default_settings() -> String {
    String::from("x = 1")
}

pub async fn settings() -> usize {
    get_or_create(read_settings).await.len()
    //~^ blocking_in_async
}

/// Quiet: the fn item it calls only computes.
pub async fn defaults() -> usize {
    get_or_create(default_settings).await.len()
}

/// The closure runs inside this async fn: reported in it, once.
pub async fn settings_inline() -> usize {
    get_or_create(|| std::fs::read_to_string("settings.toml").unwrap_or_default())
        //~^ blocking_in_async
        .await
        .len()
}

pub trait Source {
    fn load(&self) -> String;
}

pub struct Disk;

impl Source for Disk {
    fn load(&self) -> String {
        std::fs::read_to_string("source.toml").unwrap_or_default()
    }
}

pub struct Memory;

impl Source for Memory {
    fn load(&self) -> String {
        String::new()
    }
}

pub async fn load_from<S: Source>(source: S) -> String {
    std::future::ready(()).await;
    source.load()
}

pub async fn from_disk() -> usize {
    load_from(Disk).await.len()
    //~^ blocking_in_async
}

/// Quiet: this source does no I/O.
pub async fn from_memory() -> usize {
    load_from(Memory).await.len()
}

/// Blocks whatever its type: reported in the generic fn itself, not again at each caller.
pub async fn read_path<P: AsRef<std::path::Path>>(path: P) -> usize {
    std::fs::read(path).map(|bytes| bytes.len()).unwrap_or(0)
    //~^ blocking_in_async
}

pub async fn read_here() -> usize {
    read_path("data.bin").await
}

pub struct Journal;

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = std::fs::write("journal.log", b"");
    }
}

fn keep_while_counting<T>(value: T) -> usize {
    let _ = &value;
    1
}

/// A sync generic helper drops the value it is given: walked with this caller's type.
pub async fn count_journal() -> usize {
    keep_while_counting(Journal)
    //~^ blocking_in_async
}

/// Quiet: a number's drop does nothing.
pub async fn count_number() -> usize {
    keep_while_counting(5_u32)
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("journal")
    }
}

async fn log_and_forget<T: std::fmt::Debug>(value: T) {
    let _ = format!("{value:?}");
}

/// A generic async fn drops the value it is given, in its future: reported at the call that
/// gives it one whose drop blocks.
pub async fn forget_journal() {
    log_and_forget(Journal).await;
    //~^ blocking_in_async
}

/// Quiet: a number's drop does nothing.
pub async fn forget_number() {
    log_and_forget(5_u32).await;
}

/// Quiet: sync code may create the future; it is the code that awaits it that runs it.
pub fn settings_future() -> impl std::future::Future<Output = String> {
    get_or_create(default_settings)
}

fn main() {}
