"""Experiments and retrieval from Python give what `irexp run` gives; rankers are PyTerrier
transformers when PyTerrier is installed."""

import re
import subprocess

import pandas as pd
import pytest
import pytrec_eval

import irexp
from conftest import REPO, as_dict, read_trec_qrels, read_trec_run

CONFIG = REPO / "configs" / "bm25.toml"
QRELS = REPO / "qrels" / "qrels.txt"


def sample_topics():
    """The sample topics' titles, read here from topics/topics.trec (`field = "title"`)."""
    text = (REPO / "topics" / "topics.trec").read_text()
    rows = []
    for block in text.split("<top>")[1:]:
        qid = re.search(r"<num>\s*Number:\s*(\S+)", block).group(1)
        title = re.search(r"<title>(.*?)\n\s*\n", block, re.S).group(1)
        rows.append((qid, " ".join(title.split())))
    return pd.DataFrame(rows, columns=["qid", "query"])


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, irexp_bin):
    """`irexp run configs/bm25.toml` into a fresh folder: (output folder, index cache)."""
    tmp = tmp_path_factory.mktemp("cli")
    out, cache = tmp / "out", tmp / "cache"
    subprocess.run(
        [irexp_bin, "run", str(CONFIG), "-q", "--set", f"experiment.output={out}", "--set", f"index.cache={cache}"],
        check=True,
        capture_output=True,
    )
    return out, cache


def test_run_experiment_writes_what_irexp_run_writes(tmp_path, cli_run):
    cli_out, cache = cli_run
    res = irexp.run_experiment(CONFIG, {"experiment.output": str(tmp_path / "out"), "index.cache": str(cache)})
    assert sorted(res.runs) == ["bm25", "bm25-exact"]
    for name, path in res.run_files.items():
        assert (tmp_path / "out" / f"{name}.run").read_text() == (cli_out / f"{name}.run").read_text()
    # The measures are trec_eval's on the run written (pytrec-eval-terrier).
    qrels = as_dict(read_trec_qrels(QRELS))
    run = as_dict(read_trec_run(res.run_files["bm25"]))
    reference = pytrec_eval.RelevanceEvaluator(qrels, {"map", "ndcg_cut.10"}).evaluate(run)
    per_query = res.per_query[res.per_query.ranker == "bm25"]
    for qid, values in reference.items():
        got = per_query[per_query.qid == qid].set_index("measure").value
        assert got["map"] == values["map"] and got["ndcg_cut_10"] == values["ndcg_cut_10"]
    summary = res.measures[res.measures.ranker == "bm25"].set_index("measure").value
    assert summary["map"] == irexp.evaluate(qrels, run, "map")["map"]


def test_run_experiment_errors_name_the_key(tmp_path):
    with pytest.raises(irexp.InputError, match="run.depth"):
        irexp.run_experiment(CONFIG, {"experiment.output": str(tmp_path / "o"), "run.depth": "deep"})


def test_batch_search_ranks_as_irexp_run(cli_run):
    cli_out, cache = cli_run
    index = irexp.Index(CONFIG, {"index.cache": str(cache)})
    assert index.rankers == ["bm25", "bm25-exact"]
    topics = sample_topics()
    for name in index.rankers:
        got = index.ranker(name).batch_search(topics)
        assert list(got.columns) == ["qid", "docno", "rank", "score"]
        expected = pd.read_csv(
            cli_out / f"{name}.run", sep=" ", header=None, names=["qid", "q0", "docno", "rank", "score", "tag"],
            dtype={"qid": str, "docno": str},
        )
        assert got.qid.tolist() == expected.qid.tolist()
        assert got.docno.tolist() == expected.docno.tolist()
        assert (got["rank"] + 1).tolist() == expected["rank"].tolist()
        assert got.score.tolist() == pytest.approx(expected.score.tolist(), rel=1e-6)
    # The same model named with its parameters ranks the same; the index folder alone, too.
    by_model = index.model("bm25", k1=0.9, b=0.4, norms="lucene").batch_search(topics)
    assert by_model.equals(index.ranker("bm25").batch_search(topics))
    folder = irexp.Index(index._native.dir)
    assert folder.bm25(k1=0.9, b=0.4).batch_search(topics).equals(by_model)
    one = index.search(topics["query"][0], 5)
    assert one.docno.tolist() == by_model[by_model.qid == topics.qid[0]].docno.tolist()[:5]


def test_bad_model_parameters_are_input_errors(cli_run):
    _, cache = cli_run
    index = irexp.Index(CONFIG, {"index.cache": str(cache)})
    with pytest.raises(irexp.InputError, match="k9 is not a parameter"):
        index.bm25(k9=1)
    with pytest.raises(irexp.InputError, match="k1: expected a number"):
        index.bm25(k1="high")
    with pytest.raises(irexp.InputError, match="unknown model"):
        index.model("bm26")
    with pytest.raises(irexp.InputError, match="expected the columns qid, query"):
        index.batch_search(pd.DataFrame({"qid": ["1"]}))


def test_rankers_are_pyterrier_transformers(cli_run):
    try:
        import pyterrier as pt
    except ImportError as e:
        pytest.skip(f"python-terrier is not installed ({e})")
    _, cache = cli_run
    index = irexp.Index(CONFIG, {"index.cache": str(cache)})
    bm25 = index.ranker("bm25")
    assert isinstance(bm25, pt.Transformer)
    topics = sample_topics()
    top3 = (bm25 % 3)(topics)
    assert top3.groupby("qid").size().max() == 3
    assert {"qid", "query", "docno", "rank", "score"} <= set(top3.columns)
    # pt.Experiment scores the transformer as irexp scores its run (no Java needed).
    qrels = pd.DataFrame(read_trec_qrels(QRELS), columns=["qid", "docno", "label"])
    table = pt.Experiment([bm25], topics, qrels, eval_metrics=["map"], names=["bm25"])
    assert table["map"][0] == pytest.approx(irexp.evaluate(qrels, bm25.run(topics), "map")["map"], abs=1e-12)
    assert not pt.java.started()
