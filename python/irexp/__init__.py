"""irexp from Python: trec_eval 9.0.8's measures, exactly and fast; paired comparisons of runs.

The evaluator is irexp's Rust one (the ``irexp eval`` command's), which gives trec_eval
9.0.8's numbers (the version pytrec_eval wraps) value for value.

Runs and qrels can be given as
  * a path to a TREC file (plain, gzip, bzip2 or zstd);
  * a pandas DataFrame with ir_measures' columns (``query_id, doc_id, score`` and
    ``query_id, doc_id, relevance``) or PyTerrier's (``qid, docno, score`` and
    ``qid, docno, label``); integer id columns are written in decimal;
  * a dict of dicts as pytrec_eval takes them: ``{qid: {docno: score}}`` and
    ``{qid: {docno: relevance}}``;
  * an :class:`irexp.Run` or :class:`irexp.Qrels` read once and reused.

Whatever the shape, the numbers are the same: each ranking is sorted as trec_eval sorts it
(score descending, compared as float32, ties broken by docno descending), so the order of the
rows does not matter.

Example::

    import irexp
    irexp.evaluate("qrels.txt", "run.txt", ["map", "nDCG@10", "P_10"])
    # {'map': 0.3123..., 'P_10': 0.29..., 'nDCG@10': 0.45...}

Errors in the input raise :class:`irexp.InputError` (a ``ValueError``) naming the file and
line.
"""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _irexp
from ._errors import InputError
from ._inputs import as_qrels, as_run, is_path, run_frame
from ._irexp import Qrels, Run
from ._ir_measures import ir_measures_provider
from ._retrieval import ExperimentResult, Index, run_experiment

__all__ = [
    "InputError",
    "Qrels",
    "Run",
    "RelevanceEvaluator",
    "Comparison",
    "evaluate",
    "evaluate_frame",
    "compare",
    "measure_keys",
    "run_experiment",
    "ExperimentResult",
    "Index",
    "ir_measures_provider",
]

__version__ = "0.1.0"


def _evaluation(
    qrels: Any,
    run: Any,
    measures: Union[str, Iterable[str]],
    *,
    complete: bool,
    relevance_level: int,
    judged_only: bool,
    cutoff: Optional[int],
    pytrec_eval: bool = False,
) -> Any:
    if isinstance(measures, str):
        measures = [measures]
    evaluator = _irexp.Evaluator(
        as_qrels(qrels),
        list(measures),
        relevance_level=relevance_level,
        complete=complete,
        judged_only=judged_only,
        cutoff=cutoff,
        pytrec_eval=pytrec_eval,
    )
    if is_path(run):
        import os

        return evaluator.evaluate_file(os.fspath(run))
    return evaluator.evaluate(as_run(run))


def evaluate(
    qrels: Any,
    run: Any,
    measures: Union[str, Iterable[str]],
    *,
    per_query: bool = False,
    complete: bool = False,
    relevance_level: int = 1,
    judged_only: bool = False,
    cutoff: Optional[int] = None,
) -> Union[Dict[str, float], Dict[str, Dict[str, Any]]]:
    """Evaluates ``run`` against ``qrels`` exactly as trec_eval 9.0.8 does.

    Args:
        qrels: the judgments: a path to a TREC qrels file (``qid iter docno rel``), a
            DataFrame with columns ``query_id, doc_id, relevance`` (ir_measures) or
            ``qid, docno, label`` (PyTerrier), ``{qid: {docno: relevance}}``
            (pytrec_eval), or an :class:`irexp.Qrels`.
        run: the ranked lists: a path to a TREC run file (``qid Q0 docno rank score tag``;
            parsed in parallel, the fastest way), a DataFrame with columns
            ``query_id, doc_id, score`` or ``qid, docno, score``, ``{qid: {docno: score}}``,
            or an :class:`irexp.Run`. Ranks and row order are ignored: documents are sorted
            by score descending (as float32), ties by docno descending, as trec_eval does.
        measures: one name or several, in trec_eval's spelling (``map``, ``P.5,10``,
            ``ndcg_cut.10``, ``P_10``, ``recall``, nicknames ``official``, ``all_trec``,
            ``set``) or ir_measures' (``AP``, ``nDCG@10``, ``P@10``, ``P(rel=2)@10``,
            ``R@1000``, ``RR``, ``Bpref``, ``Rprec``, ``Success@10``, ``Judged@10``,
            ``IPrec@0.5``, ``NumRel``, ...). A bare parameterised name gives trec_eval's
            default cutoffs (``P`` gives P_5 ... P_1000). An unknown name raises
            :class:`InputError`.
        per_query: return ``{qid: {measure: value}}`` for each evaluated topic instead of
            the summary.
        complete: trec_eval ``-c``: average over every qrels topic, topics missing from the
            run counting as 0.
        relevance_level: trec_eval ``-l``: a judged document is relevant when its value is
            at least this (``ndcg`` and ``ndcg_cut`` use the values as gains regardless).
        judged_only: trec_eval ``-J``: drop retrieved documents that are not judged.
        cutoff: trec_eval ``-M``: keep only the first ``cutoff`` documents of each topic
            after sorting.

    Returns:
        ``{measure: value}`` (trec_eval's ``all`` line) or, with ``per_query``,
        ``{qid: {measure: value}}``, qids in byte order. A measure is keyed as it was named
        when named in ir_measures' spelling (``nDCG@10``), else by trec_eval's printed name
        (``ndcg_cut.10`` is keyed ``ndcg_cut_10``), as pytrec_eval keys it. Per-query values
        are what the summary aggregates, as pytrec_eval reports them: ``num_q`` is 1 and
        ``gm_map``/``gm_bpref`` are ln(max(value, 1e-5)); ``relstring`` (per query only) is
        a string. Only topics in both the run and the qrels are evaluated (qrels topics
        missing from the run count with ``complete``).

    Raises:
        InputError: a malformed file or DataFrame (naming the file or source and line or
            row), an unknown measure, a document retrieved twice in a topic, no topic in
            common between the run and the qrels, a bad option.
        OSError: a file that cannot be read for a reason other than its name.

    Example::

        >>> irexp.evaluate({"q1": {"d1": 1, "d2": 0}}, {"q1": {"d1": 2.0, "d2": 1.0}}, ["AP", "P_1"])
        {'AP': 1.0, 'P_1': 1.0}
    """
    out = _evaluation(
        qrels,
        run,
        measures,
        complete=complete,
        relevance_level=relevance_level,
        judged_only=judged_only,
        cutoff=cutoff,
    )
    return out.per_query() if per_query else out.summary()


def evaluate_frame(
    qrels: Any,
    run: Any,
    measures: Union[str, Iterable[str]],
    *,
    per_query: bool = False,
    complete: bool = False,
    relevance_level: int = 1,
    judged_only: bool = False,
    cutoff: Optional[int] = None,
) -> Any:
    """:func:`evaluate` as a tidy pandas DataFrame.

    Takes the same arguments as :func:`evaluate`. Returns the columns ``measure, value``
    (the summary, one row per measure) or, with ``per_query``, ``qid, measure, value`` (one
    row per topic and measure, topics in byte order; ``relstring`` left out).
    """
    import pandas as pd

    out = _evaluation(
        qrels,
        run,
        measures,
        complete=complete,
        relevance_level=relevance_level,
        judged_only=judged_only,
        cutoff=cutoff,
    )
    if per_query:
        q, m, v = out.per_query_columns()
        return pd.DataFrame({"qid": q, "measure": m, "value": v})
    summary = out.summary()
    return pd.DataFrame({"measure": list(summary.keys()), "value": list(summary.values())})


def measure_keys(measures: Union[str, Iterable[str]], pytrec_eval: bool = False) -> List[str]:
    """The keys :func:`evaluate` (or, with ``pytrec_eval``, :class:`RelevanceEvaluator`)
    gives results under for ``measures``, in trec_eval's order; raises :class:`InputError`
    for an unknown name. ``measure_keys(["P.5,10", "nDCG@10"])`` is
    ``['P_5', 'P_10', 'nDCG@10']``."""
    if isinstance(measures, str):
        measures = [measures]
    return _irexp.measure_keys(list(measures), pytrec_eval)


class RelevanceEvaluator:
    """pytrec_eval's ``RelevanceEvaluator``, on irexp's evaluator: switch with one line,
    ``from irexp import RelevanceEvaluator``.

    ``RelevanceEvaluator(query_relevance, measures, relevance_level=1,
    judged_docs_only_flag=False)`` prepares the qrels; ``evaluate(scores)`` returns
    ``{qid: {measure: value}}`` for the topics in both, with pytrec_eval's keys and values:
    measures are named as pytrec_eval takes them (``map``, ``ndcg_cut.10``, ``P``,
    ``official``, ``all_trec``); a bare name gives the default cutoffs unless the same
    measure is also named with parameters; ``runid`` and ``relstring`` are 0.0, ``num_q``
    is 1 and ``gm_map`` is ln(max(AP, 1e-5)), as pytrec_eval gives them. ir_measures names
    are accepted too.

    Unlike pytrec_eval, ``query_relevance`` and ``scores`` may also be paths or DataFrames
    (see :func:`evaluate`), and bad input raises :class:`InputError` naming what is wrong.
    """

    def __init__(
        self,
        query_relevance: Any,
        measures: Iterable[str],
        relevance_level: int = 1,
        judged_docs_only_flag: bool = False,
    ) -> None:
        self._evaluator = _irexp.Evaluator(
            as_qrels(query_relevance),
            list(measures),
            relevance_level=relevance_level,
            judged_only=judged_docs_only_flag,
            pytrec_eval=True,
        )

    def evaluate(self, scores: Any) -> Dict[str, Dict[str, float]]:
        """``{qid: {measure: value}}`` for the topics of ``scores`` that are judged."""
        if is_path(scores):
            import os

            return self._evaluator.evaluate_file(os.fspath(scores)).per_query()
        return self._evaluator.evaluate(as_run(scores)).per_query()


class Comparison:
    """The result of :func:`compare`: the same report ``irexp compare`` prints.

    ``to_dict()`` is its JSON (``irexp compare --format json``) as Python objects;
    ``to_dataframe()`` one row per measure and system; ``to_markdown()``, ``to_latex()``,
    ``to_csv()`` and ``str()`` (the terminal table) render it as the command does;
    ``save(dir)`` writes every output of ``irexp compare --out DIR``.
    """

    def __init__(self, report: "_irexp.Report") -> None:
        self._report = report

    def to_dict(self) -> Dict[str, Any]:
        """The report as ``irexp compare --format json`` prints it, parsed."""
        import json

        return json.loads(self._report.to_json())

    def to_json(self) -> str:
        """The JSON text of ``irexp compare --format json``."""
        return self._report.to_json()

    def to_markdown(self) -> str:
        """The Markdown tables of ``irexp compare --format markdown``."""
        return self._report.to_markdown()

    def to_latex(self) -> str:
        """The LaTeX table of ``irexp compare --format latex`` (booktabs)."""
        return self._report.to_latex()

    def to_csv(self) -> str:
        """The CSV of ``irexp compare --format csv``."""
        return self._report.to_csv()

    def save(self, directory: str) -> List[str]:
        """Writes the tables, JSON, CSV and SVG plots of ``irexp compare --out`` into
        ``directory``; returns the paths written."""
        import os

        return [str(p) for p in self._report.save(os.fspath(directory))]

    def to_dataframe(self) -> Any:
        """One row per measure and system (the baseline first): ``measure, system, mean``,
        then, for the other systems, the comparison with the baseline: ``difference,
        relative_percent, ci_low, ci_high, bootstrap_ci_low, bootstrap_ci_high, p,
        p_adjusted, significant, d_z, wins, ties, losses, urisk, trisk`` (empty for the
        baseline)."""
        import pandas as pd

        d = self.to_dict()
        rows = []
        for m in d["measures"]:
            by_system = {c["system"]: c for c in m["comparisons"]}
            for system, mean in zip(d["systems"], m["means"]):
                row: Dict[str, Any] = {"measure": m["measure"], "system": system, "mean": mean}
                c = by_system.get(system)
                if c is not None:
                    row.update(
                        difference=c["difference"],
                        relative_percent=c["relative_percent"],
                        ci_low=c["ci"][0],
                        ci_high=c["ci"][1],
                        bootstrap_ci_low=c["bootstrap_ci"][0],
                        bootstrap_ci_high=c["bootstrap_ci"][1],
                        p=c["p"],
                        p_adjusted=c["p_adjusted"],
                        significant=c["significant"],
                        d_z=c["d_z"],
                        wins=c["wins"],
                        ties=c["ties"],
                        losses=c["losses"],
                        urisk=c["urisk"],
                        trisk=c["trisk"],
                    )
                rows.append(row)
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        return self._report.to_terminal()

    def _repr_markdown_(self) -> str:
        return self._report.to_markdown()


def compare(
    runs: Mapping[str, Any],
    qrels: Any,
    *,
    baseline: Optional[str] = None,
    measures: Optional[Union[str, Sequence[str]]] = None,
    test: Optional[str] = None,
    correction: Optional[str] = None,
    alpha: Optional[float] = None,
    seed: Optional[int] = None,
    permutations: Optional[int] = None,
    bootstrap: Optional[int] = None,
    missing: Optional[str] = None,
    tie_margin: Optional[float] = None,
    risk_alpha: Optional[float] = None,
) -> Comparison:
    """Compares runs with a baseline, topic by topic, as ``irexp compare`` does.

    Args:
        runs: ``{name: run}``, each run in any shape :func:`evaluate` takes; names label the
            systems in the tables.
        qrels: the judgments, in any shape :func:`evaluate` takes.
        baseline: the name of the baseline run (default: the first).
        measures: measure names, trec_eval's or ir_measures' (default ``map``, ``P.10``,
            ``ndcg_cut.10``); only measures whose summary is a mean of per-topic values.
        test: ``randomization`` (default: paired randomization, exact when 2^n is within
            the permutations, else sampled), ``t``, ``wilcoxon`` or ``tukey``.
        correction: ``holm`` (default; ``none`` for tukey), ``bonferroni``, ``bh`` or
            ``none``, applied per measure over the systems compared with the baseline.
        alpha: the significance level (default 0.05).
        seed: the seed of permutations and bootstrap (default 42).
        permutations: permutations or Tukey trials (default 10,000).
        bootstrap: bootstrap resamples for the interval of the mean difference
            (default 10,000).
        missing: ``error`` (default: a topic evaluated for some runs and not others is an
            error) or ``zero`` (every qrels topic is compared, missing ones score 0).
        tie_margin: a topic is a tie when |difference| is at most this (default 0).
        risk_alpha: the risk aversion of URisk and TRisk (default 1).

    Returns:
        a :class:`Comparison` holding the same numbers as ``irexp compare --format json``.

    Raises:
        InputError: bad input or settings (naming the file or the setting).
    """
    if not isinstance(runs, Mapping):
        raise TypeError("runs: expected a mapping {name: run}, not " + type(runs).__name__)
    if isinstance(measures, str):
        measures = [measures]
    named = [(str(name), as_run(run, str(name))) for name, run in runs.items()]
    report = _irexp.compare(
        named,
        as_qrels(qrels),
        baseline=baseline,
        measures=None if measures is None else list(measures),
        test=test,
        correction=correction,
        alpha=alpha,
        seed=seed,
        permutations=permutations,
        bootstrap=bootstrap,
        missing=missing,
        tie_margin=tie_margin,
        risk_alpha=risk_alpha,
    )
    return Comparison(report)
