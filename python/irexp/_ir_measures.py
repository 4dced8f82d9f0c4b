"""irexp as an ir_measures provider (ir_measures' public ``providers.register``)."""

from typing import Any, Iterator, Optional

_PROVIDER: Optional[Any] = None


def _name(measure: Any) -> str:
    """The irexp name of an ir_measures measure this provider supports."""
    name = measure.NAME
    cutoff = measure.params.get("cutoff")
    rel = measure["rel"] if "rel" in measure.SUPPORTED_PARAMS else None
    if name == "P":
        return f"P@{cutoff}" if rel == 1 else f"P(rel={rel})@{cutoff}"
    if name == "IPrec":
        return f"IPrec@{measure['recall']}"
    if name == "NumRet":
        return "NumRet" if measure.params.get("rel") is None else "NumRelRet"
    if cutoff is not None:
        return f"{name}@{cutoff}"
    return name


def ir_measures_provider() -> Any:
    """Registers irexp with ir_measures as the provider ``"irexp"`` (once) and returns it.

    ``ir_measures.providers.registry["irexp"]`` then evaluates with irexp:
    ``provider.calc_aggregate([AP, nDCG@10, P@10], qrels, run)``, ``provider.iter_calc(...)``,
    ``provider.evaluator(measures, qrels)``. It supports the measures irexp computes as
    trec_eval does: ``P@k`` (any ``rel``), ``AP``, ``AP@k``, ``nDCG``, ``nDCG@k`` (log2 DCG,
    the qrels values as gains), ``R@k``, ``RR``, ``Rprec``, ``Bpref``, ``infAP``,
    ``Success@k``, ``Judged@k``, ``IPrec@x``, ``NumQ``, ``NumRet``, ``NumRel``,
    ``NumRelRet``, each with ``rel=1`` (P aside) and without ``judged_only``; ir_measures
    sends other measures to other providers. As for every ir_measures provider, qrels topics
    missing from the run get the measure's default (0).
    """
    global _PROVIDER
    if _PROVIDER is not None:
        return _PROVIDER

    import ir_measures
    from ir_measures import measures as M
    from ir_measures import providers
    from ir_measures.providers.base import NOT_PROVIDED, Any as AnyValue, Choices

    import irexp

    one = Choices(1)
    no = Choices(False)

    class IrexpEvaluator(providers.Evaluator):
        def __init__(self, measures: Any, qrels: Any) -> None:
            df = ir_measures.util.QrelsConverter(qrels).as_pd_dataframe()
            super().__init__(measures, set(df["query_id"].astype(str)))
            self._qrels = irexp.Qrels.from_columns(
                df["query_id"].astype(str).tolist(),
                df["doc_id"].astype(str).tolist(),
                df["relevance"].astype("int64").tolist(),
                "<qrels>",
            )
            self._names = {m: _name(m) for m in measures}

        def _iter_calc(self, run: Any) -> Iterator[Any]:
            run = ir_measures.util.RunConverter(run).as_dict_of_dict()
            if not run:
                return
            names = list(dict.fromkeys(self._names.values()))
            try:
                per_query = irexp.evaluate(self._qrels, run, names, per_query=True)
            except irexp.InputError as e:
                if "no topic has both results and judgments" in str(e):
                    return
                raise
            for qid, values in per_query.items():
                for measure, name in self._names.items():
                    yield ir_measures.Metric(query_id=qid, measure=measure, value=values[name])

    class IrexpProvider(providers.Provider):
        """irexp: trec_eval 9.0.8's measures, in Rust."""

        NAME = "irexp"
        SUPPORTED_MEASURES = [
            M._P(cutoff=AnyValue(), rel=AnyValue(), judged_only=no),
            M._AP(cutoff=AnyValue(), rel=one, judged_only=no),
            M._nDCG(cutoff=AnyValue(), dcg=Choices("log2"), gains=Choices(NOT_PROVIDED), judged_only=no),
            M._R(cutoff=AnyValue(), rel=one, judged_only=no),
            M._RR(cutoff=Choices(NOT_PROVIDED), rel=one, judged_only=no),
            M._Rprec(rel=one, judged_only=no),
            M._Bpref(rel=one),
            M._infAP(rel=one),
            M._Success(cutoff=AnyValue(), rel=one, judged_only=no),
            M._Judged(cutoff=AnyValue()),
            M._IPrec(recall=AnyValue(), rel=one, judged_only=no),
            M._NumQ(),
            M._NumRet(rel=Choices(NOT_PROVIDED, 1)),
            M._NumRel(rel=one),
        ]

        def _evaluator(self, measures: Any, qrels: Any) -> Any:
            return IrexpEvaluator(list(measures), qrels)

    _PROVIDER = IrexpProvider()
    providers.register(_PROVIDER)
    return _PROVIDER
