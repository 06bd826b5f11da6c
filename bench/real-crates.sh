#!/usr/bin/env bash
# Real crates: speed, robustness and findings. Fetches pinned versions of ten async crates from
# crates.io, lints each as a workspace member, and for each:
#   - times `cargo check`, `cargo clippy` and `cargo async-lint`, interleaved, non-incremental
#     (`cargo clean -p`) and incremental (touched `src/lib.rs`), with peak memory (max RSS of
#     cargo and the compilers it runs, from GNU time);
#   - checks robustness: no compiler crash, and the same exit status as `cargo check` when no
#     lint is denied (`--cap-lints warn`);
#   - collects every finding of our lints (JSON messages) for triage.
# Results: $BENCH_DIR/results.md (the table) and $BENCH_DIR/findings.tsv.
#
#   bench/real-crates.sh [RUNS]     (default 1 timed run per tool and mode, after a warm-up;
#                                    0: robustness and findings only, no timing)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

runs=${1:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/target/real-crates}
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
cargo=(rustup run "$toolchain" cargo)

# name version cargo-feature-flags (pinned; features chosen to avoid C toolchains for TLS,
# compression and databases)
crates=(
    "tokio 1.54.1 --features=full"
    "hyper 1.12.0 --features=full"
    "axum 0.8.9 "
    "reqwest 0.13.5 --no-default-features --features=json,stream"
    "tonic 0.14.9 "
    "sqlx-core 0.9.0 --features=_rt-tokio"
    "async-std 1.13.2 "
    "smol 2.0.2 "
    "deadpool 0.13.1 "
    "actix-web 4.18.1 --no-default-features --features=macros"
)

echo "== building cargo-async-lint (release)" >&2
(cd "$root" && "${cargo[@]}" build --release --quiet --bin cargo-async-lint --bin async-lint-driver)
async_lint="$root/target/release/cargo-async-lint"
mkdir -p "$work"
: > "$work/times.txt"
: > "$work/findings.tsv"
: > "$work/robustness.txt"

# prepare NAME VERSION: a workspace with the crate's source (dev-dependencies dropped, so the
# registry copy of the crate does not come in through them).
prepare() {
    local name=$1 version=$2 ws="$work/$1"
    [ -d "$ws/$name" ] && return 0
    mkdir -p "$ws/fetch/src"
    printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n[workspace]\n' \
        "$name" "$version" > "$ws/fetch/Cargo.toml"
    touch "$ws/fetch/src/lib.rs"
    (cd "$ws/fetch" && "${cargo[@]}" fetch --quiet)
    local source
    source=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name "$name-$version" | head -n 1)
    cp -r "$source" "$ws/$name"
    strip_dev_dependencies "$ws/$name/Cargo.toml"
    printf '[workspace]\nmembers = ["%s"]\nresolver = "2"\n' "$name" > "$ws/Cargo.toml"
}

# timed NAME TOOL MODE FLAGS...: one run; appends "NAME TOOL MODE START END KB EXIT" to
# $times_file.
timed() {
    local name=$1 tool=$2 mode=$3; shift 3
    local ws="$work/$name" incremental=0
    if [ "$mode" = incremental ]; then
        incremental=1
        touch "$ws/$name/src/lib.rs"
    else
        (cd "$ws" && "${cargo[@]}" clean --quiet -p "$name" --target-dir "$ws/target")
    fi
    local command
    case $tool in
        check) command=("${cargo[@]}" check) ;;
        clippy) command=("${cargo[@]}" clippy) ;;
        async-lint) command=("$async_lint" async-lint) ;;
    esac
    local start end status=0
    start=$(date +%s.%N)
    (cd "$ws" && CARGO_INCREMENTAL=$incremental /usr/bin/time -f "%M" -o "$work/rss.txt" \
        "${command[@]}" -p "$name" --lib "$@" --target-dir "$ws/target" --quiet \
        2> "$work/last-$tool.err" > /dev/null) || status=$?
    end=$(date +%s.%N)
    echo "$name $tool $mode $start $end $(tail -n 1 "$work/rss.txt") $status" >> "$times_file"
}

for entry in "${crates[@]}"; do
    read -r name version flags <<< "$entry"
    echo "== $name $version" >&2
    prepare "$name" "$version"
    read -r -a feature_flags <<< "$flags"
    modes=(non-incremental incremental)
    [ "$runs" -eq 0 ] && modes=()
    for mode in "${modes[@]}"; do
        # Warm-up: dependencies, and a first build of each tool's artifacts.
        times_file="$work/warm-up.txt"
        for tool in check clippy async-lint; do timed "$name" "$tool" "$mode" "${feature_flags[@]}"; done
        times_file="$work/times.txt"
        for _ in $(seq "$runs"); do
            for tool in check clippy async-lint; do timed "$name" "$tool" "$mode" "${feature_flags[@]}"; done
        done
    done

    # Robustness and findings: one more run of each, lints capped at warn.
    ws="$work/$name"
    check_status=0
    (cd "$ws" && "${cargo[@]}" check -p "$name" --lib "${feature_flags[@]}" --target-dir "$ws/target" --quiet \
        > /dev/null 2>&1) || check_status=$?
    lint_status=0
    touch "$ws/$name/src/lib.rs"
    (cd "$ws" && "$async_lint" async-lint -p "$name" --lib "${feature_flags[@]}" --target-dir "$ws/target" \
        --message-format=json -- --cap-lints warn > "$work/$name.json" 2> "$work/$name.err") || lint_status=$?
    crashed=no
    if grep -q -e "internal compiler error" -e "unexpectedly panicked" -e "panicked at" "$work/$name.err"; then
        crashed=yes
    fi
    echo "$name $version check=$check_status async-lint=$lint_status crash=$crashed" >> "$work/robustness.txt"
    python3 - "$work/$name.json" "$name" "$ws" >> "$work/findings.tsv" <<'PY'
import json, sys
path, name, ws = sys.argv[1], sys.argv[2], sys.argv[3]
ours = {"blocking_in_async", "blocking_in_async_in_tests", "nested_runtime", "block_on_in_drop",
        "lock_across_await", "non_send_future", "block_in_place_on_current_thread", "missing_runtime"}
for line in open(path):
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") != "compiler-message":
        continue
    diagnostic = message["message"]
    code = (diagnostic.get("code") or {}).get("code")
    if code not in ours:
        continue
    span = next((s for s in diagnostic["spans"] if s["is_primary"]), diagnostic["spans"][0])
    print(f"{name}\t{code}\t{span['file_name']}:{span['line_start']}\t{diagnostic['message']}")
PY
done

if [ "$runs" -eq 0 ]; then
    cat "$work/robustness.txt"
    cut -f 1,2 "$work/findings.tsv" | sort | uniq -c
    exit 0
fi
python3 - "$work" "$runs" <<'PY' > "$work/results.md"
import os, platform, statistics, sys
work, runs = sys.argv[1], sys.argv[2]
times, memory, order = {}, {}, []
for line in open(os.path.join(work, "times.txt")):
    name, tool, mode, start, end, rss, status = line.split()
    if name not in order:
        order.append(name)
    times.setdefault((name, mode, tool), []).append(float(end) - float(start))
    memory.setdefault((name, tool), []).append(int(rss))
robust = {line.split()[0]: line.split()[1:] for line in open(os.path.join(work, "robustness.txt"))}
findings = {}
for line in open(os.path.join(work, "findings.tsv")):
    findings[line.split("\t")[0]] = findings.get(line.split("\t")[0], 0) + 1
print(f"Median of {runs} timed run(s) after a warm-up; {os.cpu_count()} cores, {platform.machine()}.\n")
print("| crate | check | clippy / check | async-lint / check | check (incr.) | clippy / check (incr.) | async-lint / check (incr.) | peak MiB check / async-lint | exit check / async-lint | crash | findings |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name in order:
    med = lambda mode, tool: statistics.median(times[(name, mode, tool)])
    row = [name + " " + robust.get(name, ["?"])[0]]
    for mode in ("non-incremental", "incremental"):
        check = med(mode, "check")
        row += [f"{check:.2f} s", f"{med(mode, 'clippy') / check:.2f}x", f"{med(mode, 'async-lint') / check:.2f}x"]
    peak = lambda tool: max(memory[(name, tool)]) / 1024
    row.append(f"{peak('check'):.0f} / {peak('async-lint'):.0f}")
    status = robust.get(name, ["", "check=?", "async-lint=?", "crash=?"])
    row.append(f"{status[1].split('=')[1]} / {status[2].split('=')[1]}")
    row.append(status[3].split("=")[1])
    row.append(str(findings.get(name, 0)))
    print("| " + " | ".join(row) + " |")
PY
cat "$work/results.md"
