"""Input shapes, measure names, errors: each checked against pytrec-eval-terrier (trec_eval
9.0.8) or against what the message must say."""

import sys
import threading
import time

import pandas as pd
import pytest
import pytrec_eval

import irexp

QRELS = {"q1": {"d1": 2, "d2": 0, "d3": 1, "d9": 1}, "q2": {"d1": 1, "d4": 0}, "q3": {"x": 1}}
# Ties on purpose: trec_eval breaks them by docno descending, whatever the given order.
RUN = {
    "q1": {"d1": 1.0, "d2": 1.0, "d3": 1.0, "d5": 0.5, "d9": 0.25},
    "q2": {"d4": 3.0, "d1": 3.0, "d7": 1.0},
    "q9": {"d1": 1.0},
}


def pytrec(measures, **kw):
    return pytrec_eval.RelevanceEvaluator(QRELS, measures, **kw).evaluate(RUN)


def rows(d):
    return [(q, doc, v) for q, docs in d.items() for doc, v in docs.items()]


def test_ties_and_row_order_follow_trec_eval():
    expected = pytrec({"all_trec"})
    for run in [RUN, {q: dict(reversed(list(d.items()))) for q, d in RUN.items()}]:
        got = irexp.RelevanceEvaluator(QRELS, {"all_trec"}).evaluate(run)
        assert got == expected


def test_ir_measures_names_are_the_trec_eval_measures():
    reference = pytrec({"map", "ndcg_cut.10", "P.10", "recall.1000", "recip_rank", "map_cut.5"})
    got = irexp.evaluate(QRELS, RUN, ["AP", "nDCG@10", "P@10", "R@1000", "RR", "AP@5"], per_query=True)
    for q, v in reference.items():
        assert got[q] == {
            "AP": v["map"],
            "nDCG@10": v["ndcg_cut_10"],
            "P@10": v["P_10"],
            "R@1000": v["recall_1000"],
            "RR": v["recip_rank"],
            "AP@5": v["map_cut_5"],
        }


def test_p_rel_is_precision_at_that_relevance_level():
    reference = pytrec({"P.2"}, relevance_level=2)
    got = irexp.evaluate(QRELS, RUN, ["P(rel=2)@2"], per_query=True)
    assert {q: v["P(rel=2)@2"] for q, v in got.items()} == {q: v["P_2"] for q, v in reference.items()}


def test_relevance_level_and_cutoff():
    reference = pytrec({"map", "num_rel"}, relevance_level=2)
    got = irexp.evaluate(QRELS, RUN, ["map", "num_rel"], per_query=True, relevance_level=2)
    assert got == reference
    # -M 2: only the first two documents after sorting (d3, d2 for q1) are kept.
    assert irexp.evaluate(QRELS, RUN, "num_ret", per_query=True, cutoff=2)["q1"] == {"num_ret": 2.0}


def test_measure_keys():
    # One measure named twice is keyed by its first name.
    assert irexp.measure_keys(["P.5,10", "nDCG@10", "ndcg_cut.10"]) == ["P_5", "P_10", "nDCG@10"]
    assert irexp.measure_keys(["ndcg_cut.10", "nDCG@10"]) == ["ndcg_cut_10"]
    assert irexp.measure_keys(["nDCG@10"]) == ["nDCG@10"]
    assert irexp.measure_keys(["P", "P.5"], pytrec_eval=True) == ["P_5"]
    with pytest.raises(irexp.InputError, match="unknown measure `mapp`"):
        irexp.measure_keys("mapp")


def test_qids_and_docnos_stay_strings():
    qrels = pd.DataFrame({"qid": ["01", "1"], "docno": ["007", "7"], "label": [1, 1]})
    run = pd.DataFrame({"qid": ["01", "1"], "docno": ["7", "7"], "score": [1.0, 1.0]})
    got = irexp.evaluate(qrels, run, ["num_rel_ret"], per_query=True)
    assert got == {"01": {"num_rel_ret": 0.0}, "1": {"num_rel_ret": 1.0}}
    # Integer columns are written in decimal.
    qrels = pd.DataFrame({"query_id": [1, 2], "doc_id": [10, 20], "relevance": [1, 1]})
    run = pd.DataFrame({"query_id": [1, 2], "doc_id": [10, 30], "score": [1, 2]})
    assert irexp.evaluate(qrels, run, ["map"], per_query=True) == {"1": {"map": 1.0}, "2": {"map": 0.0}}


def test_evaluate_frame_is_tidy():
    df = irexp.evaluate_frame(QRELS, RUN, ["map", "P_5"], per_query=True)
    assert list(df.columns) == ["qid", "measure", "value"]
    reference = pytrec({"map", "P.5"})
    assert {(r.qid, r.measure): r.value for r in df.itertuples()} == {
        (q, m): v for q, vals in reference.items() for m, v in vals.items()
    }
    summary = irexp.evaluate_frame(QRELS, RUN, ["map"])
    assert list(summary.columns) == ["measure", "value"]
    assert summary.value[0] == pytest.approx((reference["q1"]["map"] + reference["q2"]["map"]) / 2)


def test_no_common_topic_is_an_error_but_empty_for_relevance_evaluator():
    with pytest.raises(irexp.InputError, match="no topic has both results and judgments"):
        irexp.evaluate(QRELS, {"zz": {"d": 1.0}}, "map")
    assert irexp.RelevanceEvaluator(QRELS, {"map"}).evaluate({"zz": {"d": 1.0}}) == {}
    assert pytrec_eval.RelevanceEvaluator(QRELS, {"map"}).evaluate({"zz": {"d": 1.0}}) == {}


def test_errors_name_the_file_and_line(tmp_path):
    run = tmp_path / "run.txt"
    run.write_text("q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 x t\n")
    with pytest.raises(irexp.InputError) as e:
        irexp.evaluate(QRELS, run, "map")
    assert isinstance(e.value, ValueError)
    assert (e.value.path, e.value.line) == (str(run), 2)
    assert str(e.value).startswith(f"{run}:2: field 5 (score)")
    run.write_text("q1 Q0 d1 1 2.0 t\nq1 Q0 d1 2 1.0 t\n")
    with pytest.raises(irexp.InputError, match="retrieved twice") as e:
        irexp.evaluate(QRELS, run, "map")
    assert e.value.line == 2
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("q1 0 d1 1\nq1 0 d2\n")
    with pytest.raises(irexp.InputError) as e:
        irexp.evaluate(qrels, RUN, "map")
    assert (e.value.path, e.value.line) == (str(qrels), 2)
    with pytest.raises(irexp.InputError) as e:
        irexp.evaluate(tmp_path / "missing.txt", RUN, "map")
    assert e.value.path == str(tmp_path / "missing.txt")


def test_bad_dataframes_and_dicts_say_what_is_wrong():
    with pytest.raises(irexp.InputError, match=r"expected the columns \(query_id, doc_id, score\) or \(qid, docno, score\)"):
        irexp.evaluate(QRELS, pd.DataFrame({"q": ["a"], "d": ["b"]}), "map")
    dup = pd.DataFrame({"qid": ["q1", "q1"], "docno": ["d1", "d1"], "label": [1, 0]})
    with pytest.raises(irexp.InputError, match=r"row 2: document d1 is judged twice for topic q1 \(first at row 1\)"):
        irexp.evaluate(dup, RUN, "map")
    with pytest.raises(irexp.InputError, match="row 2: column qid holds 2.5"):
        irexp.evaluate(QRELS, pd.DataFrame({"qid": ["q1", 2.5], "docno": ["a", "b"], "score": [1.0, 2.0]}), "map")
    with pytest.raises(irexp.InputError, match="row 1: the score is NaN"):
        irexp.evaluate(QRELS, pd.DataFrame({"qid": ["q1"], "docno": ["a"], "score": [float("nan")]}), "map")
    with pytest.raises(irexp.InputError, match="query q1, document d1: the relevance 1.5 is not an integer"):
        irexp.evaluate({"q1": {"d1": 1.5}}, RUN, "map")
    with pytest.raises(irexp.InputError, match="query id 1 is a int, not a string"):
        irexp.evaluate(QRELS, {1: {"d1": 1.0}}, "map")
    with pytest.raises(irexp.InputError, match="relevance_level must be 0 or more"):
        irexp.evaluate(QRELS, RUN, "map", relevance_level=-1)
    with pytest.raises(TypeError, match="expected a path, a pandas DataFrame or a dict of dicts"):
        irexp.evaluate(QRELS, 42, "map")


def test_other_threads_run_during_an_evaluation():
    """The GIL is released while evaluating. With a long switch interval, this thread gets
    the GIL back during the worker's evaluation only if the evaluation releases it; it
    counts the loops it makes before the evaluation ends (the count, not the time)."""
    run = irexp.Run.from_dict({f"q{i}": {f"d{j}": float(j % 97) for j in range(2000)} for i in range(300)})
    qrels = {f"q{i}": {f"d{j}": j % 3 for j in range(0, 2000, 7)} for i in range(300)}
    ev = irexp.RelevanceEvaluator(qrels, {"all_trec"})
    started, done = threading.Event(), threading.Event()
    ticks = 0

    def work():
        started.set()
        ev._evaluator.evaluate(run)
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    try:
        t = threading.Thread(target=work)
        t.start()
        started.wait()
        while not done.is_set():
            ticks += 1
            time.sleep(0)
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert ticks > 0
