#!/usr/bin/env bash
# Runs every config in configs/ and configs/parity/ and prints the SHA-256 of every output that a
# user reads as a result (runs, .eval files, eval.json, compare/), one line per file, sorted.
# Manifests, config.resolved.toml and report.html are left out: they record paths, times and
# versions (the report shows the manifest; `irexp report` rewrites it byte for byte, which
# tests/report.rs checks).
#
#   IREXP_COLLECTIONS=../shared/collections bash tests/output-checksums.sh > /tmp/after.txt
#   diff tests/data/output-checksums.txt /tmp/after.txt     # empty when nothing a user sees changed
#
# The binary is target/release/irexp unless IREXP names another one.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${IREXP_COLLECTIONS:?set IREXP_COLLECTIONS to the shared collections folder}"
IREXP_COLLECTIONS=$(cd "$IREXP_COLLECTIONS" && pwd)
export IREXP_COLLECTIONS
bin=${IREXP:-target/release/irexp}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for config in configs/*.toml configs/parity/*.toml; do
  name=$(echo "${config#configs/}" | sed 's/\.toml$//; s#/#-#g')
  "$bin" run -q "$config" --set "experiment.output=$out/runs/$name" --set "index.cache=$out/cache" > /dev/null
done
cd "$out/runs"
find . -type f ! -name manifest.json ! -name config.resolved.toml ! -name report.html ! -name '.*' | LC_ALL=C sort | xargs sha256sum
