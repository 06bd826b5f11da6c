//@check-pass
// `blocking_in_async = "allow"` in async-lint.toml switches the lint off.
async fn sleeps() {
    std::thread::sleep(std::time::Duration::from_millis(1));
}

fn main() {}
