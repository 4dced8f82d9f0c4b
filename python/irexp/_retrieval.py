"""Experiments and retrieval: ``run_experiment``, ``Index`` and its rankers (PyTerrier
transformers when PyTerrier is installed)."""

import functools
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import _irexp
from ._errors import InputError
from ._inputs import _id_column, is_dataframe


def _toml(value: Any) -> str:
    """A Python value as the TOML text ``--set KEY=VALUE`` takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        import json

        return "[" + ", ".join(json.dumps(v) if isinstance(v, str) else _toml(v) for v in value) + "]"
    raise TypeError(f"overrides: cannot write {value!r} ({type(value).__name__}) as a TOML value")


def _overrides(overrides: Optional[Mapping[str, Any]]) -> List[Tuple[str, str]]:
    return [(str(k), _toml(v)) for k, v in (overrides or {}).items()]


class ExperimentResult:
    """What :func:`run_experiment` produced.

    Attributes:
        name: the experiment's name.
        output: the output folder (runs, ``.eval`` files, ``eval.json``, ``compare/``,
            ``manifest.json``).
        measures: the summary, a DataFrame ``ranker, measure, value``.
        per_query: per-topic values, a DataFrame ``ranker, qid, measure, value``.
        comparisons: ``{baseline: Comparison}`` for ``[compare]``.
        runs: ``{ranker: irexp.Run}``.
        run_files: ``{ranker: path of its run file}``.
    """

    def __init__(self, native: Any) -> None:
        import pandas as pd

        from . import Comparison

        self.name: str = native.name
        self.output: str = str(native.output)
        r, m, v = native.summary_columns()
        self.measures = pd.DataFrame({"ranker": r, "measure": m, "value": v})
        r, q, m, v = native.per_query_columns()
        self.per_query = pd.DataFrame({"ranker": r, "qid": q, "measure": m, "value": v})
        self.comparisons: Dict[str, Any] = {b: Comparison(rep) for b, rep in native.comparisons()}
        self.runs: Dict[str, Any] = dict(native.runs())
        self.run_files: Dict[str, str] = {n: str(p) for n, p in native.run_files()}

    def __repr__(self) -> str:
        return f"<irexp.ExperimentResult {self.name!r}: {len(self.runs)} rankers, output {self.output}>"


def run_experiment(
    config_path: Any, overrides: Optional[Mapping[str, Any]] = None, *, reindex: bool = False
) -> ExperimentResult:
    """Runs an experiment config as ``irexp run CONFIG --set KEY=VALUE ...`` does.

    Args:
        config_path: the experiment's TOML file.
        overrides: ``{dotted key: value}``, as ``--set`` takes them
            (``{"run.depth": 100, "ranker.bm25.k1": 1.2}``).
        reindex: rebuild the index even when the cache holds it.

    Returns:
        an :class:`ExperimentResult`: the measures and per-query values as DataFrames, the
        comparisons of ``[compare]``, the runs. The output folder is written exactly as
        ``irexp run`` writes it (published whole, with its manifest).

    Raises:
        InputError: a bad config (naming the file, line and key) or bad input files.
    """
    native = _irexp.run_experiment(os.fspath(config_path), _overrides(overrides), reindex)
    return ExperimentResult(native)


def _frame(run: Any) -> Any:
    """A run as PyTerrier's retrievers return it: ``qid, docno, rank, score``, ranks from 0."""
    import pandas as pd

    q, d, r, s = run.to_columns()
    return pd.DataFrame({"qid": q, "docno": d, "rank": [x - 1 for x in r], "score": s})


def _topics(topics: Any) -> Tuple[List[str], List[str]]:
    if not is_dataframe(topics):
        raise TypeError("topics: expected a DataFrame with columns qid, query, not " + type(topics).__name__)
    missing = [c for c in ("qid", "query") if c not in topics.columns]
    if missing:
        raise InputError(
            f"<topics DataFrame>: expected the columns qid, query; missing {', '.join(missing)}",
            "<topics DataFrame>",
        )
    queries = topics["query"].tolist()
    for row, q in enumerate(queries, 1):
        if not isinstance(q, str):
            raise InputError(f"<topics DataFrame>, row {row}: query {q!r} is not a string", "<topics DataFrame>")
    return _id_column(topics, "qid", "<topics DataFrame>"), queries


class _RankerMethods:
    """What every ranker does; :func:`_ranker_class` adds PyTerrier's base when installed."""

    _native: Any

    @property
    def name(self) -> str:
        """The ranker's name: the run tag."""
        return self._native.name

    def search(self, query: str, k: Optional[int] = None) -> Any:
        """The top ``k`` documents for one query, as a DataFrame ``qid, docno, rank, score``
        (qid ``"1"``, ranks from 0, as PyTerrier's ``search``)."""
        return _frame(self._native.rank(["1"], [query], k))

    def batch_search(self, topics: Any, k: Optional[int] = None) -> Any:
        """The top ``k`` (default: the config's ``run.depth``, else 1000) documents for each
        topic of ``topics`` (a DataFrame with ``qid, query``), as a DataFrame
        ``qid, docno, rank, score``: ranked exactly as ``irexp run`` ranks them (ties by
        docno descending), ranks from 0 as in PyTerrier; topics without results are absent."""
        qids, queries = _topics(topics)
        return _frame(self._native.rank(qids, queries, k))

    def run(self, topics: Any, k: Optional[int] = None) -> Any:
        """Like :meth:`batch_search`, as an :class:`irexp.Run` (for :func:`irexp.evaluate`)."""
        qids, queries = _topics(topics)
        return self._native.rank(qids, queries, k)

    def transform(self, topics: Any) -> Any:
        """PyTerrier's transformer interface: :meth:`batch_search` with the topics' other
        columns (``query``, ...) kept beside each result."""
        results = self.batch_search(topics)
        extra = [c for c in topics.columns if c not in ("docno", "rank", "score")]
        keys = topics[extra].copy()
        keys["qid"] = _id_column(topics, "qid", "<topics DataFrame>")
        return keys.merge(results, on="qid", how="inner")

    def __repr__(self) -> str:
        return f"<irexp ranker {self.name}>"


@functools.lru_cache(maxsize=None)
def _ranker_class() -> type:
    """The ranker class: a ``pyterrier.Transformer`` when PyTerrier is installed (it needs no
    Java for this), else a plain class."""
    try:
        import pyterrier
    except ImportError:
        return type("Ranker", (_RankerMethods,), {"__module__": "irexp"})
    return type("Ranker", (_RankerMethods, pyterrier.Transformer), {"__module__": "irexp"})


def _ranker(native: Any) -> Any:
    r = _ranker_class()()
    r._native = native
    return r


class Index:
    """An irexp index, to rank queries from Python.

    ``Index(path)`` takes an experiment config (TOML; its index is opened from the config's
    index cache, or built there first, as ``irexp run`` does) or an index folder (then the
    analyzer is the one recorded in the folder's header). ``overrides`` are ``--set``-style
    settings for the config.

    ``index.search(query, k)`` and ``index.batch_search(topics, k)`` rank with the default
    ranker (the config's first ``[[ranker]]``, else BM25 with its defaults);
    ``index.ranker("name")`` is a ranker of the config; ``index.model("bm25", k1=0.9,
    b=0.4)``, or ``index.bm25(k1=0.9, b=0.4)``, ``index.ql(mu=1000)``, ``index.tfidf()``,
    ``index.rm3(first_stage=...)``, is any model of docs/models.md with its parameters. Each
    ranker has ``search``, ``batch_search`` and ``run``, and is a PyTerrier transformer when
    PyTerrier is installed (``index.bm25() % 10 >> ...``).
    """

    def __init__(self, config_or_index_path: Any, overrides: Optional[Mapping[str, Any]] = None) -> None:
        self._native = _irexp.Index(os.fspath(config_or_index_path), _overrides(overrides))

    @property
    def rankers(self) -> List[str]:
        """The config's ranker names."""
        return self._native.ranker_names()

    @property
    def stats(self) -> Dict[str, int]:
        """Documents, terms and tokens."""
        d, t, n = self._native.stats()
        return {"documents": d, "terms": t, "tokens": n}

    def ranker(self, name: Optional[str] = None) -> Any:
        """The config's ranker ``name`` (default: the first; BM25 for an index folder)."""
        return _ranker(self._native.ranker(name=name))

    def model(self, model: str, **params: Any) -> Any:
        """A ranker of ``model`` (``bm25``, ``ql``, ``tfidf``, ``rm3``, ...) with ``params``
        (the config's parameter names; defaults otherwise). Bad names or values raise
        :class:`InputError`."""
        return _ranker(self._native.ranker(model=model, params=params))

    def search(self, query: str, k: Optional[int] = None) -> Any:
        """The default ranker's :meth:`Ranker.search`."""
        return self.ranker().search(query, k)

    def batch_search(self, topics: Any, k: Optional[int] = None) -> Any:
        """The default ranker's :meth:`Ranker.batch_search`."""
        return self.ranker().batch_search(topics, k)

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name.replace("_", "-") in _irexp.Index.model_names():
            model = name.replace("_", "-")
            return lambda **params: self.model(model, **params)
        raise AttributeError(name)

    def __repr__(self) -> str:
        s = self.stats
        return f"<irexp.Index {self._native.dir}: {s['documents']} documents, {s['terms']} terms>"
