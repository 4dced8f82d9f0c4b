"""Makes the ranx golden files of tests/fusion.rs (see README.md beside this script).

For every collection, fuses Anserini's bm25, qld and bm25rm3 reference runs with ranx's
`fuse` for each (method, normalization) pair below and writes, for every topic, the first
DEPTH documents of the fused run ranked as trec_eval 9.0.8 ranks them (score descending
compared as float32, then docno descending), with ranx's score to 12 significant digits.
Lines are grouped by topic (so that gzip sees the same docnos close together):
`method norm qid docno score`.

usage: python3 make_ranx.py REFERENCE_RUNS_DIR OUT_DIR
"""
import gzip
import sys
from pathlib import Path

import numpy as np
from ranx import Run, fuse

DEPTH = 20
# SciFact is evaluated at 10 (nDCG@10); 300 topics.
DEPTH_OF = {"scifact": 10}
# Deeper lists for a few pairs on CACM.
DEEP = {("rrf", None): 200, ("sum", "min-max"): 200, ("wsum", None): 200}
COLLECTIONS = ["cacm", "vaswani", "scifact"]
RUNS = ["bm25", "qld", "bm25rm3"]
WEIGHTS = [0.5, 0.3, 0.2]

# (method, norm) as ranx spells them; None is no normalization.
SCORE_METHODS = ["sum", "mnz", "max", "min", "med", "anz", "wsum"]
COMBOS = [(m, None) for m in ["rrf", "isr", "bordafuse"] + SCORE_METHODS]
COMBOS += [("sum", n) for n in ["min-max", "zmuv", "sum", "max", "rank", "borda"]]
COMBOS += [("mnz", n) for n in ["min-max", "zmuv", "sum", "max", "rank", "borda"]]
COMBOS += [(m, n) for n in ["min-max", "zmuv"] for m in ["max", "min", "med", "anz", "wsum"]]


def params(method):
    if method == "wsum":
        return {"weights": WEIGHTS}
    if method == "rrf":
        return {"k": 60}
    return {}


def trec_eval_order(results):
    items = sorted(results.items(), key=lambda kv: kv[0].encode(), reverse=True)
    items.sort(key=lambda kv: -np.float32(kv[1]))
    return items


def main(ref_dir, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for coll in COLLECTIONS:
        runs = [
            Run.from_file(str(ref_dir / f"anserini-1.7.1.{coll}.{r}.txt.gz"), kind="gz")
            for r in RUNS
        ]
        fused = {
            (m, n): fuse(runs, norm=n, method=m, params=params(m)) for m, n in COMBOS
        }
        with gzip.open(out_dir / f"{coll}.tsv.gz", "wt", compresslevel=9) as out:
            for qid in sorted(runs[0].run.keys()):
                for (method, norm), run in fused.items():
                    depth = DEEP.get((method, norm), DEPTH) if coll == "cacm" else DEPTH_OF.get(coll, DEPTH)
                    for docno, score in trec_eval_order(run.run[qid])[:depth]:
                        out.write(f"{method}\t{norm or 'none'}\t{qid}\t{docno}\t{score:.12g}\n")
        print(coll, "done", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
