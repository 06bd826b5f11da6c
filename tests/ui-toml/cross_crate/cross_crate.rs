//@error-in-other-file: invalid async-lint configuration
// `cross_crate.exclude` takes crate names: a path is one error with its position.
fn main() {}
