// `--fix` for direct calls with an async counterpart in tokio: same arguments, same result, so
// the rewrite is machine-applicable (and this file's `.fixed` compiles).
use std::path::PathBuf;
use std::process::Command;

async fn read_settings(path: PathBuf) -> std::io::Result<String> {
    let text = std::fs::read_to_string(&path)?;
    //~^ blocking_in_async
    Ok(text)
}

async fn write_and_copy(dir: &str) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    //~^ blocking_in_async
    std::fs::write(format!("{dir}/a.txt"), b"abc")?;
    //~^ blocking_in_async
    let copied = std::fs::copy(format!("{dir}/a.txt"), format!("{dir}/b.txt"))?;
    //~^ blocking_in_async
    std::fs::remove_file(format!("{dir}/a.txt"))?;
    //~^ blocking_in_async
    Ok(copied)
}

async fn exists_and_metadata(path: &str) -> bool {
    let exists = std::fs::exists(path).unwrap_or(false);
    //~^ blocking_in_async
    exists && std::fs::metadata(path).is_ok()
    //~^ blocking_in_async
}

async fn command_output() -> std::io::Result<std::process::Output> {
    Command::new("echo").arg("hi").env("LANG", "C").output()
    //~^ blocking_in_async
}

async fn command_status() -> bool {
    std::process::Command::new("true").status().is_ok_and(|status| status.success())
    //~^ blocking_in_async
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A server's main task: other tasks run beside it.
    let metrics = tokio::spawn(async {});
    let _ = read_settings(PathBuf::from("Cargo.toml")).await;
    let _ = write_and_copy("target/fix-fs").await;
    let _ = exists_and_metadata("Cargo.toml").await;
    let _ = command_output().await;
    let _ = command_status().await;
    let _ = metrics.await;
}
