//@error-in-other-file: invalid async-lint configuration
// A broken async-lint.toml stops the build with one error naming file:line:col.
fn main() {}
