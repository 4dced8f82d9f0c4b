"""irexp.compare gives the numbers and tables of `irexp compare`, from paths and from
in-memory runs."""

import json
import subprocess

import pandas as pd
import pytest

import irexp
from conftest import as_dict, needs_collections, read_trec_qrels, read_trec_run

RUNS = ["bm25", "qld", "bm25rm3"]


def cacm():
    root = needs_collections()
    qrels = root / "cacm" / "qrels.cacm.txt"
    runs = {
        f"anserini-1.7.1.cacm.{r}": root.parent / "reference-runs" / f"anserini-1.7.1.cacm.{r}.txt.gz"
        for r in RUNS
    }
    return qrels, runs


def cli(irexp_bin, qrels, runs, *flags):
    out = subprocess.run(
        [irexp_bin, "compare", "--qrels", str(qrels), *map(str, runs.values()), *flags],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


@pytest.mark.parametrize(
    "flags,kwargs",
    [
        ([], {}),
        (
            ["--test", "t", "--correction", "bonferroni", "-m", "map", "-m", "nDCG@10", "-m", "P.5,10"],
            {"test": "t", "correction": "bonferroni", "measures": ["map", "nDCG@10", "P.5,10"]},
        ),
        (
            ["--test", "wilcoxon", "--baseline", "anserini-1.7.1.cacm.qld", "--alpha", "0.01", "--tie-margin", "0.001"],
            {"test": "wilcoxon", "baseline": "anserini-1.7.1.cacm.qld", "alpha": 0.01, "tie_margin": 0.001},
        ),
        (
            ["--test", "tukey", "--permutations", "2000", "--seed", "7", "--missing", "zero"],
            {"test": "tukey", "permutations": 2000, "seed": 7, "missing": "zero"},
        ),
    ],
)
def test_compare_equals_the_cli_json_and_tables(irexp_bin, flags, kwargs):
    qrels, runs = cacm()
    expected = json.loads(cli(irexp_bin, qrels, runs, "--format", "json", *flags))
    from_paths = irexp.compare({n: str(p) for n, p in runs.items()}, str(qrels), **kwargs)
    assert from_paths.to_dict() == expected
    in_memory = irexp.compare(
        {n: as_dict(read_trec_run(p)) for n, p in runs.items()},
        as_dict(read_trec_qrels(qrels)),
        **kwargs,
    )
    assert in_memory.to_dict() == expected
    for fmt, method in [("latex", "to_latex"), ("markdown", "to_markdown"), ("csv", "to_csv")]:
        assert getattr(from_paths, method)() == cli(irexp_bin, qrels, runs, "--format", fmt, *flags)
    assert str(from_paths) == cli(irexp_bin, qrels, runs, *flags)


def test_to_dataframe_has_a_row_per_measure_and_system(irexp_bin):
    qrels, runs = cacm()
    report = irexp.compare({n: str(p) for n, p in runs.items()}, str(qrels), measures=["map", "P_10"])
    d = report.to_dict()
    df = report.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 2 * len(RUNS)
    base = df[df.system == d["baseline"]]
    assert base["difference"].isna().all()
    for m in d["measures"]:
        for c in m["comparisons"]:
            row = df[(df.measure == m["measure"]) & (df.system == c["system"])].iloc[0]
            assert row["p_adjusted"] == c["p_adjusted"] and row["difference"] == c["difference"]
            assert (row["wins"], row["ties"], row["losses"]) == (c["wins"], c["ties"], c["losses"])


def test_bad_settings_raise_input_error_naming_the_setting():
    qrels, runs = cacm()
    named = {n: str(p) for n, p in runs.items()}
    with pytest.raises(irexp.InputError, match="test"):
        irexp.compare(named, str(qrels), test="anova")
    with pytest.raises(irexp.InputError, match="baseline"):
        irexp.compare(named, str(qrels), baseline="nope")
    with pytest.raises(irexp.InputError, match="num_q"):
        irexp.compare(named, str(qrels), measures=["num_q"])
