"""irexp registered as an ir_measures provider gives, per query, what ir_measures' pytrec_eval
provider gives."""

import pytest

import irexp
from conftest import needs_collections

ir_measures = pytest.importorskip("ir_measures", reason="ir_measures is not installed")


def test_provider_equals_the_pytrec_eval_provider():
    from ir_measures import AP, IPrec, NumQ, NumRel, NumRelRet, NumRet, P, R, RR, Bpref, Rprec, Success, infAP, nDCG

    root = needs_collections()
    qrels = list(ir_measures.read_trec_qrels(str(root / "cacm" / "qrels.cacm.txt")))
    run = list(ir_measures.read_trec_run(str(root.parent / "reference-runs" / "anserini-1.7.1.cacm.qld.txt.gz")))
    measures = [AP, AP @ 10, nDCG, nDCG @ 10, P @ 10, P(rel=2) @ 5, R @ 100, RR, Rprec, Bpref, infAP,
                Success @ 5, IPrec @ 0.5, NumQ, NumRet, NumRel, NumRelRet]
    provider = irexp.ir_measures_provider()
    assert ir_measures.providers.registry["irexp"] is provider
    assert all(provider.supports(m) for m in measures)
    assert not provider.supports(AP(rel=2)) and not provider.supports(P(judged_only=True) @ 5)
    reference = ir_measures.pytrec_eval
    got = sorted((m.query_id, str(m.measure), m.value) for m in provider.iter_calc(measures, qrels, run))
    expected = sorted((m.query_id, str(m.measure), m.value) for m in reference.iter_calc(measures, qrels, run))
    assert got == expected
    agg = provider.calc_aggregate(measures, qrels, run)
    for m, v in reference.calc_aggregate(measures, qrels, run).items():
        # ir_measures averages in the order values arrive: equal to rounding.
        assert agg[m] == pytest.approx(v, rel=1e-12), m
