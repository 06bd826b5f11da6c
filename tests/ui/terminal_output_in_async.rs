//@no-rustfix: the help here is advice, not a rewrite
// Terminal output in async code: its own lint, allowed by default (warned here). A call that
// also waits on something else stays `blocking_in_async`'s, explained by that wait.
#![warn(terminal_output_in_async)]
use std::io::Write;
use std::time::Duration;

fn draw_progress(done: usize) {
    let mut out = std::io::stderr().lock();
    let _ = write!(out, "\r{done} done");
    let _ = out.flush();
}

fn log_and_wait(line: &str) {
    println!("{line}");
    std::thread::sleep(Duration::from_millis(10));
}

fn open_then_wait() -> Option<u8> {
    let config = std::fs::read_to_string("retry.toml").ok()?;
    std::thread::sleep(Duration::from_millis(u64::from(config.len() as u8)));
    Some(1)
}

pub async fn report(done: usize) {
    println!("{done} done");
    //~^ terminal_output_in_async
    eprintln!("warning");
    //~^ terminal_output_in_async
    let _ = std::io::stdout().flush();
    //~^ terminal_output_in_async
    draw_progress(done);
    //~^ terminal_output_in_async
}

pub async fn waits() {
    // Blocking for real: the sleep explains it, not the output on the way.
    log_and_wait("retrying");
    //~^ blocking_in_async
    // The sleep is the wait, not the file read before it.
    let _ = open_then_wait();
    //~^ blocking_in_async
}

/// Quiet: formatting, and writing into memory, is no output.
pub async fn quiet(done: usize) -> String {
    let mut buffer = Vec::new();
    let _ = writeln!(buffer, "{done} done");
    format!("{done} done")
}

/// Quiet: sync code may print.
pub fn sync_report(done: usize) {
    println!("{done} done");
    draw_progress(done);
}

#[allow(terminal_output_in_async)]
pub async fn allowed(done: usize) {
    println!("{done} done");
}

fn main() {}
