//@no-rustfix: the help here is advice, not a rewrite
// Catalogued calls whose arguments show they do not wait: a file-system call on a path the
// kernel answers from memory, a timed wait given a zero duration.
use std::sync::mpsc::Receiver;
use std::time::Duration;

fn open_files() -> usize {
    std::fs::read_dir("/dev/fd").map_or(0, Iterator::count)
}

pub async fn kernel_files() -> usize {
    // Quiet: `/proc`, `/sys` and `/dev/fd` are answered from memory.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let _ = std::fs::read(std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled"));
    let open = open_files();
    // A file on disk blocks.
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    //~^ blocking_in_async
    status.len() + hosts.len() + open
}

const TTY: &str = "/dev/tty";
const HOSTS: &str = "/etc/hosts";

/// A constant path is read like a literal one.
pub async fn constant_paths() {
    // Quiet: the terminal device answers at once.
    let _ = std::fs::OpenOptions::new().read(true).open(TTY);
    let _ = std::fs::read(HOSTS);
    //~^ blocking_in_async
}

pub async fn timed_waits(rx: Receiver<u32>, timeout: Duration) {
    // Quiet: a zero timeout returns at once.
    let _ = rx.recv_timeout(Duration::ZERO);
    let _ = rx.recv_timeout(Duration::from_millis(0));
    // Any other timeout waits.
    let _ = rx.recv_timeout(timeout);
    //~^ blocking_in_async
    let _ = rx.recv_timeout(Duration::from_secs(1));
    //~^ blocking_in_async
}

fn main() {}
