//! ui tests: each `tests/ui/*.rs` is compiled by the driver and its diagnostics compared with
//! the `.stderr` file beside it (and the fixed source with `.fixed`). `tests/ui-toml/<case>/`
//! holds cases run with that directory's `async-lint.toml`; `tests/ui-nodeps/` cases are
//! compiled without tokio, futures and `parking_lot`.
//!
//! Bless with `cargo bless` (alias for this test and the generated-files test with `--bless`).

use std::path::PathBuf;
use ui_test::custom_flags::edition::Edition;
use ui_test::dependencies::DependencyBuilder;
use ui_test::status_emitter::StatusEmitter;
use ui_test::{Args, Config, default_file_filter, default_per_file_config, run_tests_generic};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `with_deps`: whether the files may `use` tokio, futures and `parking_lot` (`tests/ui-deps`).
fn base_config(dir: &str, args: &Args, with_deps: bool) -> Config {
    let mut config = Config::rustc(root().join("tests").join(dir));
    config.with_args(args);
    config.bless_command = Some("cargo bless".into());
    config.program.program = PathBuf::from(env!("CARGO_BIN_EXE_async-lint-driver"));
    config.program.args.extend(
        [
            "--emit=metadata",
            "-Aunused",
            "-Zui-testing",
            "-Zdeduplicate-diagnostics=no",
            // `//~ lint_name` annotations match error-level diagnostics.
            "-Dwarnings",
        ]
        .map(Into::into),
    );
    // Crash reports must fail the test, not print a backtrace into the `.stderr`.
    config.program.envs.push(("RUSTC_ICE".into(), Some("0".into())));
    // No config file from the checkout applies to ui tests unless a case names one.
    config
        .program
        .envs
        .push(("ASYNC_LINT_CONF_DIR".into(), Some(root().join("tests/ui").into())));
    config.out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ui_test").join(dir);
    if with_deps {
        config.comment_defaults.base().set_custom(
            "dependencies",
            DependencyBuilder {
                crate_manifest_path: root().join("tests/ui-deps/Cargo.toml"),
                ..DependencyBuilder::default()
            },
        );
    }
    config
        .comment_defaults
        .base()
        .set_custom("edition", Edition("2024".into()));
    // The filter replaces the parent of the path it is given: the checkout.
    config.path_stderr_filter(&root().join("Cargo.toml"), "$DIR");
    config
}

fn main() -> ui_test::Result<()> {
    let args = Args::test()?;
    let ui = base_config("ui", &args, true);
    let ui_toml = base_config("ui-toml", &args, true);
    // For behaviour that depends on tokio being absent.
    let ui_nodeps = base_config("ui-nodeps", &args, false);

    run_tests_generic(
        vec![ui, ui_toml, ui_nodeps],
        default_file_filter,
        |config, file| {
            default_per_file_config(config, file);
            // A ui-toml case reads the `async-lint.toml` in its own directory.
            if let Some(dir) = file.span.file.parent()
                && dir.starts_with(root().join("tests/ui-toml"))
            {
                config
                    .program
                    .envs
                    .push(("ASYNC_LINT_CONF_DIR".into(), Some(dir.into())));
            }
        },
        Box::<dyn StatusEmitter>::from(args.format),
    )
}
