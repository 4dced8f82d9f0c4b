"""Acceptance: on the Anserini reference runs of CACM, Vaswani and SciFact, every all_trec
measure, per query and summary, equals pytrec-eval-terrier's (trec_eval 9.0.8), from every
input shape: paths, ir_measures' and PyTerrier's DataFrames, and pytrec_eval's dicts."""

import functools
import math

import pandas as pd
import pytest
import pytrec_eval

import irexp
from conftest import REFERENCE, as_dict, needs_collections, read_trec_qrels, read_trec_run, shuffled

CASES = [(c, q, r) for c, q, runs in REFERENCE for r in runs]

#: trec_eval's text measures: pytrec_eval reports them as 0.0, irexp.evaluate as text (or not).
TEXT = {"runid", "relstring"}


@functools.lru_cache(maxsize=None)
def load(collection, qrels_name, run_name):
    root = needs_collections()
    qrels_path = root / collection / qrels_name
    run_path = root.parent / "reference-runs" / f"anserini-1.7.1.{collection}.{run_name}.txt.gz"
    qrels_rows = read_trec_qrels(qrels_path)
    run_rows = read_trec_run(run_path)
    reference = pytrec_eval.RelevanceEvaluator(as_dict(qrels_rows), {"all_trec"}).evaluate(
        as_dict(run_rows)
    )
    return qrels_path, run_path, qrels_rows, run_rows, reference


def shapes(qrels_path, run_path, qrels_rows, run_rows):
    """(name, qrels, run) in each input shape; DataFrame rows are shuffled, since the row
    order must not matter."""
    mixed = shuffled(run_rows)
    qmixed = shuffled(qrels_rows)
    return [
        ("paths", str(qrels_path), run_path),
        (
            "ir_measures DataFrames",
            pd.DataFrame(qmixed, columns=["query_id", "doc_id", "relevance"]),
            pd.DataFrame(mixed, columns=["query_id", "doc_id", "score"]),
        ),
        (
            "PyTerrier DataFrames",
            pd.DataFrame(qmixed, columns=["qid", "docno", "label"]),
            pd.DataFrame(mixed, columns=["qid", "docno", "score"]),
        ),
        ("dicts", as_dict(qrels_rows), as_dict(mixed)),
        ("qrels path, run dict", str(qrels_path), as_dict(run_rows)),
    ]


def same(a, b):
    """Equal values, NaN equal to NaN (trec_eval gives NaN for iprec_at_recall on a topic
    whose retrieved documents -J removes entirely)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def trec_eval_summary(reference, measure, num_q=None):
    """The summary trec_eval computes from per-query values: sums accumulated in byte order
    of qid, divided once; counts summed; gm_* as exp(mean of the logs pytrec_eval gives).
    ``num_q`` (trec_eval -c) divides by all qrels topics instead, missing ones counting 0
    (1e-5 for gm_*)."""
    qids = sorted(reference, key=lambda q: q.encode())
    total = 0.0
    for q in qids:
        total += reference[q][measure]
    n = len(qids) if num_q is None else num_q
    if measure == "num_q":
        return float(n)
    if measure.startswith("num_"):
        return total
    if measure.startswith("gm_"):
        return math.exp((total + (n - len(qids)) * math.log(1e-5)) / n)
    return total / n


@pytest.mark.parametrize("collection,qrels_name,run_name", CASES)
def test_all_trec_equals_pytrec_eval_from_every_shape(collection, qrels_name, run_name):
    qrels_path, run_path, qrels_rows, run_rows, reference = load(collection, qrels_name, run_name)
    numeric = [m for m in next(iter(reference.values())) if m not in TEXT]
    for shape, qrels, run in shapes(qrels_path, run_path, qrels_rows, run_rows):
        per_query = irexp.evaluate(qrels, run, ["all_trec"], per_query=True)
        assert sorted(per_query) == sorted(reference), shape
        for qid, values in reference.items():
            got = per_query[qid]
            assert set(got) == set(values) - {"runid"}, (shape, set(got) ^ set(values))
            for m in numeric:
                assert got[m] == values[m], (shape, qid, m, got[m], values[m])
        summary = irexp.evaluate(qrels, run, "all_trec")
        assert set(summary) == set(numeric), shape
        for m in numeric:
            assert summary[m] == trec_eval_summary(reference, m), (shape, m)
            # pytrec_eval's own aggregation sums with NumPy (pairwise): equal to rounding.
            agg = pytrec_eval.compute_aggregated_measure(m, [v[m] for v in reference.values()])
            assert summary[m] == pytest.approx(agg, rel=1e-12, abs=1e-15), (shape, m)


@pytest.mark.parametrize("collection,qrels_name,run_name", CASES)
def test_relevance_evaluator_is_pytrec_eval(collection, qrels_name, run_name):
    qrels_path, run_path, qrels_rows, run_rows, reference = load(collection, qrels_name, run_name)
    evaluator = irexp.RelevanceEvaluator(as_dict(qrels_rows), {"all_trec"})
    assert evaluator.evaluate(as_dict(run_rows)) == reference
    assert evaluator.evaluate(run_path) == reference


@pytest.mark.parametrize("collection,qrels_name,run_name", [c for c in CASES if c[2] == "bm25"])
def test_judged_only_equals_pytrec_eval_judged_docs_only(collection, qrels_name, run_name):
    _, run_path, qrels_rows, run_rows, _ = load(collection, qrels_name, run_name)
    qrels = as_dict(qrels_rows)
    run = as_dict(run_rows)
    reference = pytrec_eval.RelevanceEvaluator(qrels, {"all_trec"}, judged_docs_only_flag=True).evaluate(run)
    assert same(irexp.RelevanceEvaluator(qrels, {"all_trec"}, judged_docs_only_flag=True).evaluate(run), reference)
    per_query = irexp.evaluate(qrels, run_path, "all_trec", per_query=True, judged_only=True)
    for qid, values in reference.items():
        for m, v in values.items():
            if m not in TEXT:
                assert same(per_query[qid][m], v), (qid, m)


def test_scifact_complete_is_trec_eval_c_and_gives_the_published_numbers():
    """trec_eval -c (pytrec_eval has no such flag): per-query values are unchanged, the
    summary divides by every qrels topic and num_rel counts every positive judgment. The
    rounded values are Anserini's published SciFact BM25 figures (trec_eval -c)."""
    collection, qrels_name, _ = REFERENCE[2]
    qrels_path, run_path, qrels_rows, run_rows, reference = load(collection, qrels_name, "bm25")
    qrels = as_dict(qrels_rows)
    summary = irexp.evaluate(qrels_path, run_path, "all_trec", complete=True)
    num_q = len(qrels)
    for m, v in summary.items():
        if m == "num_rel":
            assert v == sum(1 for _, _, r in qrels_rows if r > 0)
        else:
            assert v == trec_eval_summary(reference, m, num_q=num_q), m
    assert round(summary["map"], 4) == 0.6401
    assert round(summary["ndcg_cut_10"], 4) == 0.6789
    assert round(summary["recall_100"], 4) == 0.9253
    assert round(summary["recall_1000"], 4) == 0.9767
