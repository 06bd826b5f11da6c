#!/usr/bin/env bash
# Benchmark: `cargo async-lint` against `cargo check` and `cargo clippy` on tokio, fetched from
# crates.io at run time and linted as a workspace member. Runs are interleaved (check, clippy,
# async-lint, check, ...) so machine noise hits all three alike; the figures are medians and
# ratios to `cargo check` in the same run.
#
#   bench/bench.sh [RUNS]        (default 5; BENCH_DIR overrides the scratch directory)
#
# Non-incremental: CARGO_INCREMENTAL=0 and `cargo clean -p tokio` before each run (dependencies
# stay built). Incremental: CARGO_INCREMENTAL=1 and a touched `src/lib.rs` before each run (a save
# that changes nothing: rustc replays what it cached, our analysis's findings among it). Edited:
# CARGO_INCREMENTAL=1 and a new function appended to `src/lib.rs` before each run (a save that
# changes the crate: our analysis runs again); the file is restored at the end.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/target/bench}
tokio_version=1.54.1
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
cargo=(rustup run "$toolchain" cargo)

echo "== building cargo-async-lint (release)" >&2
(cd "$root" && "${cargo[@]}" build --release --quiet --bin cargo-async-lint --bin async-lint-driver)
async_lint="$root/target/release/cargo-async-lint"

echo "== fetching tokio $tokio_version from crates.io" >&2
mkdir -p "$work/fetch/src"
cat > "$work/fetch/Cargo.toml" <<TOML
[package]
name = "fetch"
version = "0.0.0"
edition = "2021"
[dependencies]
tokio = "=$tokio_version"
[workspace]
TOML
touch "$work/fetch/src/lib.rs"
(cd "$work/fetch" && "${cargo[@]}" fetch --quiet)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
source_dir=$(find "$registry" -maxdepth 2 -type d -name "tokio-$tokio_version" | head -n 1)
[ -n "$source_dir" ] || { echo "tokio $tokio_version not found under $registry" >&2; exit 1; }

ws="$work/ws"
if [ ! -d "$ws/tokio" ]; then
    mkdir -p "$ws"
    cp -r "$source_dir" "$ws/tokio"
    # Its dev-dependencies pull tokio from the registry too, which makes `-p tokio` ambiguous;
    # only the library is linted, so they go.
    strip_dev_dependencies "$ws/tokio/Cargo.toml"
    cat > "$ws/Cargo.toml" <<TOML
[workspace]
members = ["tokio"]
resolver = "2"
TOML
fi

lib_rs="$ws/tokio/src/lib.rs"
cp "$lib_rs" "$work/lib.rs.orig"
trap 'cp "$work/lib.rs.orig" "$lib_rs"' EXIT
common=(-p tokio --lib --features full --quiet)

# run TOOL MODE: one timed run, printed as "TOOL MODE START END" (seconds since the epoch).
run() {
    local tool=$1 mode=$2 target="$work/target-$1"
    local incremental=0
    if [ "$mode" = incremental ]; then
        incremental=1
        touch "$lib_rs"
    elif [ "$mode" = edited ]; then
        incremental=1
        # `run` runs in a pipeline's subshell: the name comes from the clock, not a counter.
        local edit
        edit=$(date +%s%N)
        printf '\n#[allow(dead_code)]\nfn bench_edit_%s() -> u64 {\n    %s\n}\n' "$edit" "$edit" >> "$lib_rs"
    else
        (cd "$ws" && "${cargo[@]}" clean --quiet -p tokio --target-dir "$target")
    fi
    local start end
    start=$(date +%s.%N)
    case $tool in
        check) (cd "$ws" && CARGO_INCREMENTAL=$incremental "${cargo[@]}" check "${common[@]}" --target-dir "$target") ;;
        clippy) (cd "$ws" && CARGO_INCREMENTAL=$incremental "${cargo[@]}" clippy "${common[@]}" --target-dir "$target") 2>/dev/null ;;
        async-lint) (cd "$ws" && CARGO_INCREMENTAL=$incremental "$async_lint" async-lint "${common[@]}" --target-dir "$target") 2>/dev/null ;;
    esac
    end=$(date +%s.%N)
    echo "$tool $mode $start $end"
}

results="$work/results.txt"
: > "$results"
for mode in non-incremental incremental edited; do
    echo "== $mode: warming up (dependencies, first build)" >&2
    for tool in check clippy async-lint; do run "$tool" "$mode" > /dev/null; done
    for i in $(seq "$runs"); do
        echo "== $mode: run $i of $runs" >&2
        for tool in check clippy async-lint; do run "$tool" "$mode" | tee -a "$results" >&2; done
    done
done

python3 - "$results" "$runs" "$tokio_version" <<'PY'
import statistics, sys, platform, os
path, runs, version = sys.argv[1], sys.argv[2], sys.argv[3]
times = {}
for line in open(path):
    tool, mode, start, end = line.split()
    times.setdefault((mode, tool), []).append(float(end) - float(start))
print(f"tokio {version}, `--lib --features full`, median of {runs} interleaved runs, "
      f"{os.cpu_count()} cores, {platform.machine()}")
print()
print("| mode | cargo check | cargo clippy | cargo async-lint | clippy / check | async-lint / check |")
print("|---|---|---|---|---|---|")
for mode in ("non-incremental", "incremental", "edited"):
    med = {tool: statistics.median(times[(mode, tool)]) for tool in ("check", "clippy", "async-lint")}
    print(f"| {mode} | {med['check']:.2f} s | {med['clippy']:.2f} s | {med['async-lint']:.2f} s | "
          f"{med['clippy'] / med['check']:.2f}x | {med['async-lint'] / med['check']:.2f}x |")
PY
