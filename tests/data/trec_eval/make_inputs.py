#!/usr/bin/env python3
"""Writes the synthetic inputs of irexp's trec_eval golden tests (deterministic, no
dependencies): synth.qrels, synth.run, and the small edge-case pair edge.qrels / edge.run.

Run from anywhere: python3 tests/data/trec_eval/make_inputs.py
See README.md beside this file for how the expected outputs were made from these inputs.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))


class Lcg:
    """A fixed 64-bit linear congruential generator, so the files never depend on the
    Python version (random's algorithms may change)."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return self.state >> 33

    def below(self, n):
        return self.next() % n

    def unit(self):
        return self.next() / float(1 << 31)


def synth():
    rng = Lcg(20260428)
    qrels = []
    run = []
    # Topic ids whose byte order differs from their numeric order.
    topics = ["1", "2", "3", "10", "11", "20", "100", "7a", "B2"]
    for t, qid in enumerate(topics):
        pool = [f"D{t}-{i:03d}" for i in range(60)]
        # Graded judgments 0..4 on part of the pool, some negative (-1, -2).
        for i, docno in enumerate(pool[:45]):
            r = rng.below(100)
            if qid == "3":
                rel = 0  # a topic with no relevant document
            elif r < 8:
                rel = -1 if r < 5 else -2
            elif r < 55:
                rel = 0
            elif r < 75:
                rel = 1
            elif r < 87:
                rel = 2
            elif r < 95:
                rel = 3
            else:
                rel = 4
            qrels.append((qid, docno, rel))
        # Ranked list: judged and unjudged documents, scores with 2 decimals so that ties occur.
        n = 20 + rng.below(35)
        chosen = sorted(set(pool[rng.below(60)] for _ in range(n)))
        for docno in chosen:
            score = round(rng.unit() * 10, 2)
            run.append((qid, docno, score))
        # Ties at float32 resolution: equal as float32, different as double.
        run.append((qid, f"F{t}-a", "0.123456789"))
        run.append((qid, f"F{t}-b", "0.123456788"))
        qrels.append((qid, f"F{t}-a", 1 if t % 2 == 0 else 0))
        qrels.append((qid, f"F{t}-b", 0 if t % 2 == 0 else 2))
        run.append((qid, f"G{t}-a", "16777217"))
        run.append((qid, f"G{t}-b", "16777216"))
        qrels.append((qid, f"G{t}-b", 1))
        # Exact ties decided by docno descending (byte order: c > b > a > B > 9 > 10).
        for docno in ["a", "10", "c", "B", "9", "b"]:
            run.append((qid, f"{docno}", "3.5"))
        qrels.append((qid, "B", 2))
        qrels.append((qid, "10", 1))
        qrels.append((qid, "9", -1))
    # A topic only in the qrels, and one only in the run.
    for i in range(5):
        qrels.append(("900", f"Q900-{i}", i % 3))
    for i in range(8):
        run.append(("77", f"R77-{i}", round(5 - i * 0.5, 2)))
    # Lines in a scrambled but fixed order.
    order = sorted(range(len(run)), key=lambda i: (i * 7919) % len(run))
    with open(os.path.join(HERE, "synth.run"), "w") as f:
        for i in order:
            qid, docno, score = run[i]
            f.write(f"{qid} Q0 {docno} {i} {score} synthRun\n")
    qorder = sorted(range(len(qrels)), key=lambda i: (i * 104729) % len(qrels))
    with open(os.path.join(HERE, "synth.qrels"), "w") as f:
        for i in qorder:
            qid, docno, rel = qrels[i]
            f.write(f"{qid} 0 {docno} {rel}\n")


def edge():
    """Small cases: a 1-document topic, a topic whose documents are all unjudged, a topic
    whose judgments are all negative, a relevant document ranked last, and a run whose last
    line carries a different tag (trec_eval prints the last line's tag as runid)."""
    qrels = [
        ("e1", "x1", 1),
        ("e1", "x2", 0),
        ("e2", "y1", 2),
        ("e2", "y2", 1),
        ("e3", "z1", -1),
        ("e3", "z2", -1),
        ("e4", "w1", 3),
        ("e4", "w2", 0),
        ("e4", "w3", 0),
        ("e4", "w4", 1),
    ]
    run = [
        ("e1", "x1", "1.0", "t1"),
        ("e2", "u1", "2.0", "t1"),
        ("e2", "u2", "1.0", "t1"),
        ("e3", "z1", "1.0", "t1"),
        ("e3", "z9", "0.5", "t1"),
        ("e4", "w2", "9", "t1"),
        ("e4", "w3", "8", "t1"),
        ("e4", "zz", "7", "t1"),
        ("e4", "w4", "-1", "t1"),
        ("e4", "w1", "-1e3", "lastTag"),
    ]
    with open(os.path.join(HERE, "edge.qrels"), "w") as f:
        for qid, docno, rel in qrels:
            f.write(f"{qid}\t0\t{docno}\t{rel}\n")
    with open(os.path.join(HERE, "edge.run"), "w") as f:
        for i, (qid, docno, score, tag) in enumerate(run):
            f.write(f"{qid} Q0 {docno} {i + 1} {score} {tag}\n")


def zscores():
    """A z-score file for -Z: some (topic, measure) pairs, one with sd 0 whose mean is the
    value (z = 0) and one whose mean is not (missing); topic 20 has none at all."""
    rng = Lcg(7)
    measures = ["map", "P_5", "P_10", "num_ret", "num_rel", "ndcg", "bpref", "gm_map",
                "iprec_at_recall_0.00", "recip_rank", "set_F", "utility", "relstring"]
    with open(os.path.join(HERE, "synth.zscores"), "w") as f:
        for qid in ["1", "10", "100", "11", "2", "3", "7a", "B2"]:
            for m in measures:
                mean = round(rng.unit(), 4)
                sd = round(0.05 + rng.unit() / 4, 4)
                if m == "num_ret":
                    mean, sd = 30.0, 5.0
                f.write(f"{qid}\t{m}\t{mean}\t{sd}\n")
        f.write("3\tmap\t0\t0\n".replace("map", "set_P"))
        f.write("2\tset_P\t0.5\t0\n")


def comments():
    """trec_eval 10.0's comment lines: `#` in column 0 of the qrels (one at a time), and
    run lines whose first non-blank character is `#`; a `#` inside a docno is data."""
    with open(os.path.join(HERE, "comments.qrels"), "w") as f:
        f.write("# judgments for the comment test\n")
        f.write("c1 0 doc#1 1\nc1 0 doc2 0\n")
        f.write("# second block\n")
        f.write("c2 0 doc3 2\nc2 0 doc#4 1\n")
    with open(os.path.join(HERE, "comments.run"), "w") as f:
        f.write("# a run with comments\n")
        f.write("c1 Q0 doc2 1 2.0 cmt\nc1 Q0 doc#1 2 1.0 cmt\n")
        f.write("   # indented comment\n")
        f.write("c2 Q0 doc#4 1 3.0 cmt\nc2 Q0 doc3 2 2.5 cmt\n")


if __name__ == "__main__":
    synth()
    edge()
    zscores()
    comments()
