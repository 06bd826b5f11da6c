#!/usr/bin/env bash
# Benchmark of the cross-crate analysis: what summarising dependencies costs.
#
#   bench/cross-crate.sh [RUNS]      (default 3; BENCH_DIR overrides the scratch directory)
#
# A small async crate depending on tokio, hyper, serde_json and regex (fetched from crates.io).
# - cold: an empty target dir, so every dependency is built (and, for `cargo async-lint`,
#   summarised); `cargo check` against `cargo async-lint`.
# - warm: dependencies built, the crate's `src/lib.rs` touched; `cargo async-lint` with
#   summaries on against `cross_crate.enabled = false` (each in its own target dir: switching
#   summaries on or off rebuilds the dependencies, since the driver tracks that setting).
# Runs are interleaved; figures are medians. Also prints the size of the summaries written.
set -euo pipefail

runs=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/target/bench-cross-crate}
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
cargo=(rustup run "$toolchain" cargo)

echo "== building cargo-async-lint (release)" >&2
(cd "$root" && "${cargo[@]}" build --release --quiet --bin cargo-async-lint --bin async-lint-driver)
async_lint="$root/target/release/cargo-async-lint"

app="$work/app"
mkdir -p "$app/src"
cat > "$app/Cargo.toml" <<'TOML'
[package]
name = "app"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
tokio = { version = "=1.54.1", features = ["full"] }
hyper = { version = "1", features = ["full"] }
serde_json = "1"
regex = "1"
[workspace]
TOML
cat > "$app/src/lib.rs" <<'RS'
pub async fn parse(text: String) -> usize {
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let pattern = regex::Regex::new("[a-z]+").map(|re| re.find_iter(&text).count()).unwrap_or(0);
    tokio::task::yield_now().await;
    value.as_array().map_or(0, Vec::len) + pattern
}
RS
(cd "$app" && "${cargo[@]}" fetch --quiet)
summaries_off="$work/summaries-off"
mkdir -p "$summaries_off"
printf '[cross_crate]\nenabled = false\n' > "$summaries_off/async-lint.toml"

# run TOOL MODE: one timed run, printed as "TOOL MODE START END".
run() {
    local tool=$1 mode=$2 target="$work/target-$1"
    if [ "$mode" = cold ]; then
        rm -rf "$target"
    else
        touch "$app/src/lib.rs"
    fi
    local start end
    start=$(date +%s.%N)
    case $tool in
        check) (cd "$app" && "${cargo[@]}" check --quiet --target-dir "$target") ;;
        async-lint) (cd "$app" && "$async_lint" async-lint --quiet --target-dir "$target") 2>/dev/null ;;
        async-lint-off)
            (cd "$app" && ASYNC_LINT_CONF_DIR="$summaries_off" \
                "$async_lint" async-lint --quiet --target-dir "$target") 2>/dev/null ;;
    esac
    end=$(date +%s.%N)
    echo "$tool $mode $start $end"
}

results="$work/results.txt"
: > "$results"
for i in $(seq "$runs"); do
    echo "== cold: run $i of $runs" >&2
    for tool in check async-lint; do run "$tool" cold | tee -a "$results" >&2; done
done
echo "== warm: first builds" >&2
run async-lint warm > /dev/null
run async-lint-off warm > /dev/null
for i in $(seq "$runs"); do
    echo "== warm: run $i of $runs" >&2
    for tool in async-lint async-lint-off; do run "$tool" warm | tee -a "$results" >&2; done
done

summary_dir="$work/target-async-lint/async-lint-summaries"
python3 - "$results" "$runs" "$summary_dir" <<'PY'
import os, statistics, sys
path, runs, summary_dir = sys.argv[1], sys.argv[2], sys.argv[3]
times = {}
for line in open(path):
    tool, mode, start, end = line.split()
    times.setdefault((mode, tool), []).append(float(end) - float(start))
med = {key: statistics.median(values) for key, values in times.items()}
print(f"app on tokio + hyper + serde_json + regex, median of {runs} interleaved runs, {os.cpu_count()} cores")
print()
print("| run | baseline | cargo async-lint | ratio |")
print("|---|---|---|---|")
cold_check, cold_lint = med[("cold", "check")], med[("cold", "async-lint")]
print(f"| cold (every dependency built) | `cargo check` {cold_check:.2f} s | {cold_lint:.2f} s | {cold_lint / cold_check:.2f}x |")
warm_off, warm_on = med[("warm", "async-lint-off")], med[("warm", "async-lint")]
print(f"| warm (`src/lib.rs` touched) | summaries off {warm_off:.2f} s | {warm_on:.2f} s | {warm_on / warm_off:.2f}x |")
print()
files = sorted(os.listdir(summary_dir))
total = sum(os.path.getsize(os.path.join(summary_dir, name)) for name in files)
print(f"summaries: {len(files)} files, {total / 1024:.1f} KiB in total")
for name in files:
    size = os.path.getsize(os.path.join(summary_dir, name))
    print(f"  {name}: {size / 1024:.1f} KiB")
PY
