#!/usr/bin/env bash
# Real async applications: findings and robustness, with every dependency summarised. Fetches
# pinned versions of async binaries from crates.io (their published Cargo.lock kept), lints each
# package (library and binaries, production code) as a workspace member into a fresh target dir,
# so every dependency goes through the driver and writes its summary, and for each:
#   - collects every finding of our lints with its level and rendered text, for triage
#     (docs/triage.md);
#   - checks robustness: no compiler crash, and the same exit status as `cargo check` when no
#     lint is denied (`--cap-lints warn`).
# Results: $BENCH_DIR/apps-robustness.txt, $BENCH_DIR/apps-findings.tsv and
# $BENCH_DIR/<app>.txt (the rendered findings).
#
#   bench/real-apps.sh [APP...]     (default: all of them)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/target/real-crates}
setup_tool

# package version cargo-feature-flags (pinned; kind of application in the comment). `unlocked`:
# the published Cargo.lock pins dependencies that no longer build on this nightly (an old
# `proc-macro2`, `time` or Sass compiler), so the current semver-compatible versions are used.
apps=(
    "oha 1.16.0 "                                                   # HTTP load generator, TUI
    "drill 0.9.1 "                                                  # HTTP load generator
    "miniserve 0.35.0 unlocked"                                     # file server (actix-web)
    "dufs 0.47.0 "                                                  # file server (hyper)
    "bore-cli 0.6.0 unlocked"                                       # TCP tunnel
    "rathole 0.5.0 unlocked --no-default-features --features=server,client,noise,websocket,hot-reload" # proxy
    "mini-redis 0.4.1 "                                             # key-value server and client
    "oxker 0.13.4 "                                                 # Docker TUI
    "pueue 4.0.4 "                                                  # task daemon and client
    "tokio-console 0.1.14 "                                         # gRPC TUI client
    "rustscan 2.4.1 "                                               # port scanner (async-std)
    "feroxbuster 2.13.1 "                                           # web content discovery
)
if [ $# -gt 0 ]; then
    mapfile -t apps < <(printf '%s\n' "${apps[@]}" | grep -E "^($(IFS='|'; echo "$*")) ")
fi

mkdir -p "$work"
touch "$work/apps-robustness.txt" "$work/apps-findings.tsv"
# Results of the apps run now are replaced; the others' are kept.
for entry in "${apps[@]}"; do
    read -r name _ <<< "$entry"
    for results in "$work/apps-robustness.txt" "$work/apps-findings.tsv"; do
        grep -v -P "^\Q$name\E[ \t]" "$results" > "$results.new" || true
        mv "$results.new" "$results"
    done
done

# prepare NAME VERSION: a workspace with the package's source and its published lockfile
# (dev-dependencies dropped: only production code is linted).
prepare() {
    local name=$1 version=$2 locked=$3 ws="$work/apps/$1"
    [ -d "$ws/$name" ] && return 0
    mkdir -p "$ws/fetch/src"
    printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n[workspace]\n' \
        "$name" "$version" > "$ws/fetch/Cargo.toml"
    touch "$ws/fetch/src/lib.rs"
    (cd "$ws/fetch" && "${cargo[@]}" fetch --quiet 2> /dev/null) || true
    local source
    source=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name "$name-$version" | head -n 1)
    [ -n "$source" ] || { echo "cannot fetch $name $version" >&2; return 1; }
    cp -r "$source" "$ws/$name"
    strip_dev_dependencies "$ws/$name/Cargo.toml"
    if [ "$locked" = yes ] && [ -f "$ws/$name/Cargo.lock" ]; then cp "$ws/$name/Cargo.lock" "$ws/Cargo.lock"; fi
    printf '[workspace]\nmembers = ["%s"]\nresolver = "2"\n' "$name" > "$ws/Cargo.toml"
    # Macros that read files by a path relative to where the build runs (miniserve's Sass
    # themes) find them in the workspace root.
    for dir in "$ws/$name"/*/; do
        local base
        base=$(basename "$dir")
        [ -e "$ws/$base" ] || ln -s "$name/$base" "$ws/$base"
    done
}

for entry in "${apps[@]}"; do
    read -r name version flags <<< "$entry"
    locked=yes
    if [[ "$flags" == unlocked* ]]; then
        locked=no
        flags=${flags#unlocked}
    fi
    echo "== $name $version" >&2
    prepare "$name" "$version" "$locked" || continue
    start=$(date +%s)
    read -r -a feature_flags <<< "$flags"
    ws="$work/apps/$name"
    # Findings at their default levels (a deny-level finding fails this run: that is recorded).
    find "$ws/$name" -name '*.rs' -exec touch {} +
    (cd "$ws" && "$async_lint" async-lint -p "$name" "${feature_flags[@]}" --target-dir "$ws/target-lint" \
        --message-format=json > "$work/$name.json" 2> "$work/$name.err") || true
    # Robustness: no lint denied, the exit status of `cargo check`.
    lint_status=0
    find "$ws/$name" -name '*.rs' -exec touch {} +
    (cd "$ws" && "$async_lint" async-lint -p "$name" "${feature_flags[@]}" --target-dir "$ws/target-lint" \
        --quiet -- --cap-lints warn > /dev/null 2>> "$work/$name.err") || lint_status=$?
    # `cargo check` last, in the same target dir: the dependencies the driver built are reused
    # (cargo does not rebuild for another wrapper); the other order would leave them unsummarised.
    check_status=0
    find "$ws/$name" -name '*.rs' -exec touch {} +
    (cd "$ws" && "${cargo[@]}" check -p "$name" "${feature_flags[@]}" --target-dir "$ws/target-lint" \
        --quiet > /dev/null 2> "$work/$name-check.err") || check_status=$?
    crashed=no
    if grep -q -e "internal compiler error" -e "unexpectedly panicked" -e "panicked at" "$work/$name.err"; then
        crashed=yes
    fi
    dependencies=$(find "$ws/target-lint/async-lint-summaries" -name "*.json" 2> /dev/null | wc -l)
    echo "$name $version check=$check_status async-lint=$lint_status crash=$crashed summaries=$dependencies seconds=$(($(date +%s) - start))" \
        >> "$work/apps-robustness.txt"
    OUR_LINTS=$("$async_lint" async-lint --list | cut -d ' ' -f 1) \
        python3 - "$work/$name.json" "$name" "$work/$name.txt" >> "$work/apps-findings.tsv" <<'PY'
import json, os, sys
path, name, rendered_path = sys.argv[1], sys.argv[2], sys.argv[3]
ours = set(os.environ["OUR_LINTS"].split())
rendered = open(rendered_path, "w")
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
    print(f"{name}\t{code}\t{diagnostic['level']}\t{span['file_name']}:{span['line_start']}\t{diagnostic['message']}")
    rendered.write(diagnostic.get("rendered") or "")
PY
done

cat "$work/apps-robustness.txt"
cut -f 1,2,3 "$work/apps-findings.tsv" | sort | uniq -c
