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
