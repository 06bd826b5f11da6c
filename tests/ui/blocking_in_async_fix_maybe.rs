//@no-rustfix: these rewrites are suggestions, not machine-applicable
// Where the async counterpart would not compile as it stands, or would change the future, the
// rewrite is a suggestion for a person; where the call is not written in the async body, help.
use std::process::Command;
use std::rc::Rc;

async fn read_dir_returns_another_type() -> usize {
    std::fs::read_dir(".").map(|entries| entries.count()).unwrap_or(0)
    //~^ blocking_in_async
}

async fn argument_that_is_not_send(path: Rc<std::path::Path>) -> bool {
    std::fs::metadata(path).is_ok()
    //~^ blocking_in_async
}

async fn in_a_closure(paths: Vec<String>) -> usize {
    paths.iter().filter(|path| std::fs::metadata(path).is_ok()).count()
    //~^ blocking_in_async
}

async fn command_built_elsewhere() -> bool {
    let mut command = Command::new("true");
    command.output().is_ok()
    //~^ blocking_in_async
}

async fn command_with_a_method_tokio_lacks() -> bool {
    use std::os::unix::process::CommandExt;
    Command::new("true").arg0("alias").status().is_ok()
    //~^ blocking_in_async
}

fn read_config(name: &'static str) -> String {
    std::fs::read_to_string(name).unwrap_or_default()
}

fn read_owned(name: String) -> String {
    std::fs::read_to_string(name).unwrap_or_default()
}

fn read_borrowed(name: &str) -> String {
    std::fs::read_to_string(name).unwrap_or_default()
}

async fn helpers(name: String, borrowed: &str) -> usize {
    // Moved to the blocking pool: the closure can own a literal and an owned value.
    let a = read_config("app.toml");
    //~^ blocking_in_async
    let b = read_owned(name);
    //~^ blocking_in_async
    // A borrowed argument cannot move into a `'static` closure: help only.
    let c = read_borrowed(borrowed);
    //~^ blocking_in_async
    a.len() + b.len() + c.len()
}
