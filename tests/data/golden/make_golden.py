#!/usr/bin/env python3
"""Generate the golden trec_eval values that tests/eval_golden.rs compares irexp against.

The values come from pytrec_eval-terrier, which wraps trec_eval 9.0.8 (the 2020 tag: float32
score comparison, ties by docno descending, `+0.9` iprec cutoffs). Summaries are computed here
the way trec_eval computes them: per-topic values summed in qid byte order, then divided once
(counts summed, gm_* as exp of the mean log).

Usage:
    python3 make_golden.py [--collections DIR] [--runs DIR] [--out DIR]

--collections defaults to $IREXP_COLLECTIONS, --runs to <collections>/../reference-runs,
--out to the folder of this script. The synthetic case (synthetic.qrels, synthetic.run) is
generated from a fixed seed and written to --out as well; it needs no collection.
"""

import argparse
import gzip
import json
import math
import os
import random
import sys
from pathlib import Path

import pytrec_eval

# What pytrec_eval is asked for. The per-topic names it returns are trec_eval's printed names.
MEASURES = {
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "map",
    "gm_map",
    "Rprec",
    "bpref",
    "recip_rank",
    "iprec_at_recall",
    "P.5,10,20,30",
    "recall.100,1000",
    "infAP",
    "gm_bpref",
    "Rprec_mult",
    "11pt_avg",
    "binG",
    "ndcg",
    "ndcg_cut.5,10,20",
    "map_cut.10,100",
    "relative_P.10",
    "success.1,5,10",
    "set_P",
    "set_relative_P",
    "set_recall",
    "set_map",
    "set_F",
    "num_nonrel_judged_ret",
}

# Reported only in the summary; pytrec_eval's per-topic gm_* values are already logarithms.
SUMMARY_ONLY = {"num_q", "gm_map", "gm_bpref", "runid"}

# (output name, run file in --runs, qrels file relative to --collections)
REFERENCE_CASES = [
    ("cacm.bm25", "anserini-1.7.1.cacm.bm25.txt.gz", "cacm/qrels.cacm.txt"),
    ("vaswani.bm25", "anserini-1.7.1.vaswani.bm25.txt.gz", "vaswani/qrels"),
    ("vaswani.qld", "anserini-1.7.1.vaswani.qld.txt.gz", "vaswani/qrels"),
    (
        "scifact.bm25",
        "anserini-1.7.1.scifact.bm25.txt.gz",
        "scifact/qrels.beir-v1.0.0-scifact.test.txt",
    ),
]

# (output name suffix, trec_eval flag it stands for, pytrec_eval keyword arguments)
SYNTHETIC_OPTIONS = [
    ("", "", {}),
    (".l2", "-l 2", {"relevance_level": 2}),
    (".J", "-J", {"judged_docs_only_flag": True}),
]


def open_text(path):
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_qrels(path):
    qrels = {}
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if len(fields) != 4:
                sys.exit(f"{path}:{lineno}: expected 4 fields")
            qid, _, docno, rel = fields
            topic = qrels.setdefault(qid, {})
            if docno in topic:
                sys.exit(f"{path}:{lineno}: {qid} {docno} judged twice")
            topic[docno] = int(rel)
    return qrels


def read_run(path):
    """Scores are parsed to Python floats (doubles); trec_eval 9.0.8 inside pytrec_eval then
    stores them as float32, exactly as it does when it reads the file itself."""
    run, runid = {}, None
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) < 6:
                sys.exit(f"{path}:{lineno}: expected 6 fields")
            qid, docno, score = fields[0], fields[2], float(fields[4])
            topic = run.setdefault(qid, {})
            if docno in topic:
                sys.exit(f"{path}:{lineno}: {qid} {docno} retrieved twice")
            topic[docno] = score
            runid = fields[5]  # trec_eval reports the tag of the last line
    return run, runid


def golden(qrels, run, runid, options):
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, MEASURES, **options)
    per_topic = evaluator.evaluate(run)
    # trec_eval's order: qids compared with strcmp, i.e. UTF-8 byte order.
    qids = sorted(per_topic, key=lambda q: q.encode("utf-8"))
    names = sorted({name for values in per_topic.values() for name in values})
    measures, summary = {}, {}
    for name in names:
        values = [per_topic[q][name] for q in qids]
        if name == "runid":
            continue
        if name == "num_q":
            summary[name] = len(qids)
            continue
        total = 0.0
        for v in values:  # sequential, as trec_eval accumulates
            total += v
        if name.startswith("gm_"):
            summary[name] = math.exp(total / len(qids))
        elif name.startswith("num_"):
            summary[name] = int(total)
        else:
            summary[name] = total / len(qids)
        if name not in SUMMARY_ONLY:
            if name.startswith("num_"):
                measures[name] = {q: int(per_topic[q][name]) for q in qids}
            else:
                measures[name] = {q: per_topic[q][name] for q in qids}
    return {
        "runid": runid,
        "topics": qids,
        "measures": measures,
        "summary": summary,
    }


def write_synthetic(out):
    """A small graded collection with the awkward cases: ties at 2 decimals, scores equal only
    as float32, negative judgments, a topic with R = 0, short rankings, a run-only topic and a
    qrels-only topic, qids whose byte order differs from their numeric order."""
    rng = random.Random(20200903)
    pool = [f"D{n}" for n in range(1, 121)]
    qrels_lines, run_lines = [], []
    qids = [str(q) for q in range(1, 25)]
    for qid in qids + ["900"]:  # 900: qrels only
        judged = rng.sample(pool, 40)
        for i, docno in enumerate(judged):
            if qid == "5":
                rel = 0  # no relevant document at any level
            elif qid == "6":
                rel = 1 if i % 3 == 0 else 0  # binary
            else:
                rel = rng.choices([-1, 0, 1, 2, 3], weights=[1, 8, 4, 2, 1])[0]
            qrels_lines.append(f"{qid} 0 {docno} {rel}\n")
    for qid in qids + ["77"]:  # 77: run only
        depth = 7 if qid == "3" else 60
        docs = rng.sample(pool, depth)
        for rank, docno in enumerate(docs, 1):
            score = round(rng.uniform(0, 5), 2)
            if rank % 11 == 0:
                # Distinct as doubles, equal as float32.
                score = 0.123456789 if rank % 22 == 0 else 0.123456788
            run_lines.append(f"{qid} Q0 {docno} {rank} {score!r} synth\n")
    rng.shuffle(run_lines)  # file order must not matter
    (out / "synthetic.qrels").write_text("".join(qrels_lines))
    (out / "synthetic.run").write_text("".join(run_lines))


def dump(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {path}")


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", default=os.environ.get("IREXP_COLLECTIONS"))
    parser.add_argument("--runs", default=None)
    parser.add_argument("--out", default=str(here))
    args = parser.parse_args()
    out = Path(args.out)
    tool = f"pytrec_eval-terrier {pytrec_eval.__version__}"

    write_synthetic(out)
    qrels = read_qrels(out / "synthetic.qrels")
    run, runid = read_run(out / "synthetic.run")
    for suffix, flag, options in SYNTHETIC_OPTIONS:
        data = golden(qrels, run, runid, options)
        meta = {"tool": tool, "run": "synthetic.run", "qrels": "synthetic.qrels", "flags": flag}
        dump(out / f"synthetic{suffix}.json", {**meta, **data})

    if not args.collections:
        print("no --collections and no IREXP_COLLECTIONS: reference cases skipped")
        return
    collections = Path(args.collections)
    runs = Path(args.runs) if args.runs else collections.parent / "reference-runs"
    for name, run_file, qrels_file in REFERENCE_CASES:
        qrels = read_qrels(collections / qrels_file)
        run, runid = read_run(runs / run_file)
        data = golden(qrels, run, runid, {})
        meta = {"tool": tool, "run": run_file, "qrels": qrels_file, "flags": ""}
        dump(out / f"{name}.json", {**meta, **data})


if __name__ == "__main__":
    main()
