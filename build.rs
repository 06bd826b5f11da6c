use std::error::Error;
use std::fs;

fn main() -> Result<(), Box<dyn Error>> {
    // Embeds the git hash and date for `--version` and the ICE message.
    rustc_tools_util::setup_version_info!();

    // The subcommand runs cargo with the exact nightly the driver links against; the pin in
    // rust-toolchain.toml is the one source of that name.
    println!("cargo:rerun-if-changed=rust-toolchain.toml");
    let toolchain_file = fs::read_to_string("rust-toolchain.toml")?;
    let channel = toolchain_file
        .lines()
        .filter_map(|line| line.trim().strip_prefix("channel"))
        .filter_map(|rest| rest.trim().strip_prefix('='))
        .map(|value| value.trim().trim_matches('"').to_owned())
        .next()
        .ok_or("rust-toolchain.toml names no channel")?;
    println!("cargo:rustc-env=ASYNC_LINT_TOOLCHAIN={channel}");
    Ok(())
}
