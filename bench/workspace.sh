#!/usr/bin/env bash
# Benchmark of linting a workspace whose libraries are summarised for each other: the editor
# loop after touching one member.
#
#   bench/workspace.sh [RUNS]        (default 5; BENCH_DIR overrides the scratch directory)
#
# The workspace: ripgrep's libraries (grep, grep-cli, grep-matcher, grep-printer, grep-regex,
# grep-searcher, ignore, globset), copied from crates.io as members ([patch.crates-io] points
# their dependencies on each other at the copies), plus a small async `app` member that calls
# them. Each run touches `grep-searcher/src/lib.rs`, which cargo re-checks with every member
# above it. Interleaved runs, medians:
# - `cargo check`;
# - `cargo async-lint` (members linted and their libraries summarised);
# - `cargo async-lint` with `cross_crate.enabled = false` (linted, nothing summarised).
# Each tool has its own target dir (incremental, as in an editor).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/target/bench-workspace}
setup_tool

echo "== fetching ripgrep's libraries from crates.io" >&2
mkdir -p "$work/fetch/src"
cat > "$work/fetch/Cargo.toml" <<'TOML'
[package]
name = "fetch"
version = "0.0.0"
edition = "2021"
[dependencies]
grep = "=0.3.2"
ignore = "=0.4.23"
[workspace]
TOML
touch "$work/fetch/src/lib.rs"
(cd "$work/fetch" && "${cargo[@]}" fetch --quiet)
members=(grep grep-cli grep-matcher grep-printer grep-regex grep-searcher ignore globset)

ws="$work/ws"
if [ ! -d "$ws/app" ]; then
    mkdir -p "$ws"
    (cd "$work/fetch" && "${cargo[@]}" metadata --format-version=1 --quiet) > "$work/metadata.json"
    for member in "${members[@]}"; do
        dir=$(python3 - "$work/metadata.json" "$member" <<'PY'
import json, os, sys
metadata, name = json.load(open(sys.argv[1])), sys.argv[2]
print(next(os.path.dirname(p["manifest_path"]) for p in metadata["packages"] if p["name"] == name))
PY
)
        cp -r "$dir" "$ws/$member"
        strip_dev_dependencies "$ws/$member/Cargo.toml"
    done
    mkdir -p "$ws/app/src"
    cat > "$ws/app/Cargo.toml" <<'TOML'
[package]
name = "app"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
grep = "0.3"
ignore = "0.4"
TOML
    cat > "$ws/app/src/lib.rs" <<'RS'
/// Async code calling into the other members: the walk reads directories on the executor.
pub async fn count_rust_files(root: String) -> usize {
    ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .count()
}

pub async fn has_match(pattern: String, haystack: String) -> bool {
    use grep::matcher::Matcher;
    grep::regex::RegexMatcher::new(&pattern)
        .ok()
        .and_then(|matcher| matcher.is_match(haystack.as_bytes()).ok())
        .unwrap_or(false)
}
RS
    {
        printf '[workspace]\nmembers = [%s"app"]\nresolver = "2"\n\n[patch.crates-io]\n' \
            "$(printf '"%s", ' "${members[@]}")"
        for member in "${members[@]}"; do printf '%s = { path = "%s" }\n' "$member" "$member"; done
    } > "$ws/Cargo.toml"
fi
summaries_off="$work/summaries-off"
mkdir -p "$summaries_off"
printf '[cross_crate]\nenabled = false\n' > "$summaries_off/async-lint.toml"
touched="$ws/grep-searcher/src/lib.rs"

# run TOOL: one timed run after touching a member, printed as "TOOL warm START END".
run() {
    local tool=$1 target="$work/target-$1"
    touch "$touched"
    local start end
    start=$(date +%s.%N)
    case $tool in
        check) (cd "$ws" && "${cargo[@]}" check --workspace --quiet --target-dir "$target") 2>/dev/null ;;
        async-lint) (cd "$ws" && "$async_lint" async-lint --workspace --quiet --target-dir "$target") 2>/dev/null ;;
        async-lint-off)
            (cd "$ws" && ASYNC_LINT_CONF_DIR="$summaries_off" \
                "$async_lint" async-lint --workspace --quiet --target-dir "$target") 2>/dev/null ;;
    esac
    end=$(date +%s.%N)
    echo "$tool warm $start $end"
}

echo "== first builds" >&2
for tool in check async-lint async-lint-off; do run "$tool" > /dev/null; done
results="$work/results.txt"
: > "$results"
for i in $(seq "$runs"); do
    echo "== run $i of $runs" >&2
    for tool in check async-lint async-lint-off; do run "$tool" | tee -a "$results" >&2; done
done

echo "== findings" >&2
(cd "$ws" && "$async_lint" async-lint --workspace --target-dir "$work/target-async-lint" 2>&1 \
    | grep -E '^(warning|error): `' || true) >&2
python3 - "$results" "$runs" "$work/target-async-lint/async-lint-summaries" <<'PY'
import os, statistics, sys
path, runs, summary_dir = sys.argv[1], sys.argv[2], sys.argv[3]
times = {}
for line in open(path):
    tool, _, start, end = line.split()
    times.setdefault(tool, []).append(float(end) - float(start))
med = {tool: statistics.median(values) for tool, values in times.items()}
print(f"9-member workspace (ripgrep's libraries + an async app), grep-searcher touched, "
      f"median of {runs} interleaved runs, {os.cpu_count()} cores")
print()
print("| tool | time | / cargo check | / summaries off |")
print("|---|---|---|---|")
for tool in ["check", "async-lint-off", "async-lint"]:
    print(f"| {tool} | {med[tool]:.2f} s | {med[tool] / med['check']:.2f}x | {med[tool] / med['async-lint-off']:.2f}x |")
files = [name for name in sorted(os.listdir(summary_dir))]
print()
print(f"summaries: {len(files)} files, {sum(os.path.getsize(os.path.join(summary_dir, f)) for f in files) / 1024:.1f} KiB")
PY
