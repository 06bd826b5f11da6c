# Shared by the benchmark scripts (sourced, not run).

# strip_dev_dependencies CARGO_TOML: drops the [dev-dependencies] tables of a crate copied from
# the registry. They would pull the same crate from the registry too (making `-p NAME`
# ambiguous), and only the library is checked.
strip_dev_dependencies() {
    python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
kept, skipping = [], False
for line in open(path):
    if line.startswith("["):
        skipping = "dev-dependencies" in line
    if not skipping:
        kept.append(line)
open(path, "w").write("".join(kept))
PY
}

# setup_tool: the pinned nightly's cargo as "${cargo[@]}", and the release build of the tool
# (built here) as $async_lint. Needs $root, the checkout.
setup_tool() {
    local toolchain
    toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
    cargo=(rustup run "$toolchain" cargo)
    echo "== building cargo-async-lint (release)" >&2
    (cd "$root" && "${cargo[@]}" build --release --quiet --bin cargo-async-lint --bin async-lint-driver)
    async_lint="$root/target/release/cargo-async-lint"
}
