"""Qrels and runs from the shapes Python IR code holds them in: paths, pandas DataFrames
(ir_measures' and PyTerrier's columns) and pytrec_eval's dicts of dicts."""

import os
from collections.abc import Mapping
from typing import Any, List, Sequence, Tuple, Union

from . import _irexp
from ._errors import InputError

#: Column names of a qrels DataFrame: ir_measures', then PyTerrier's.
QRELS_COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ("query_id", "doc_id", "relevance"),
    ("qid", "docno", "label"),
)
#: Column names of a run DataFrame: ir_measures', then PyTerrier's.
RUN_COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ("query_id", "doc_id", "score"),
    ("qid", "docno", "score"),
)

PathLike = Union[str, "os.PathLike[str]"]


def is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def is_dataframe(obj: Any) -> bool:
    # Checked without importing pandas, which is needed only when DataFrames are used.
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "columns")


def _columns(df: Any, layouts: Sequence[Tuple[str, str, str]], what: str) -> Tuple[str, str, str]:
    present = set(map(str, df.columns))
    for layout in layouts:
        if all(c in present for c in layout):
            return layout
    wanted = " or ".join("(" + ", ".join(layout) + ")" for layout in layouts)
    raise InputError(
        f"<{what} DataFrame>: expected the columns {wanted}; found ({', '.join(map(str, df.columns))})",
        f"<{what} DataFrame>",
    )


def _id_column(df: Any, column: str, source: str) -> List[str]:
    """A qid or docno column as strings: string columns as they are, integer columns written
    in decimal; anything else (floats, mixed objects) is an error naming the row."""
    import pandas as pd

    series = df[column]
    if pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(str).tolist()
    values = series.tolist()
    if pd.api.types.is_string_dtype(series.dtype) and not series.isna().any():
        if series.dtype != object or all(type(v) is str for v in values):
            return values
    for row, v in enumerate(values, 1):
        if not isinstance(v, str):
            raise InputError(
                f"{source}, row {row}: column {column} holds {v!r} ({type(v).__name__}); "
                "qids and docnos are strings (or integers)",
                source,
            )
    return values


def _float_column(df: Any, column: str, source: str) -> List[float]:
    import pandas as pd

    series = df[column]
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        raise InputError(
            f"{source}: column {column} has type {series.dtype}; expected numbers", source
        )
    return series.to_numpy(dtype="float64").tolist()


def _int_column(df: Any, column: str, source: str) -> List[int]:
    import pandas as pd

    series = df[column]
    if pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("int64").tolist()
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype="float64")
        for row, v in enumerate(values.tolist(), 1):
            if not float(v).is_integer():
                raise InputError(
                    f"{source}, row {row}: column {column} holds {v!r}; relevance values are integers",
                    source,
                )
        return values.astype("int64").tolist()
    raise InputError(
        f"{source}: column {column} has type {series.dtype}; expected integer relevance values",
        source,
    )


def as_qrels(obj: Any) -> "_irexp.Qrels":
    """Qrels from a path, a DataFrame or ``{qid: {docno: relevance}}``."""
    if isinstance(obj, _irexp.Qrels):
        return obj
    if is_path(obj):
        return _irexp.Qrels.read(os.fspath(obj))
    if is_dataframe(obj):
        source = "<qrels DataFrame>"
        q, d, r = _columns(obj, QRELS_COLUMNS, "qrels")
        return _irexp.Qrels.from_columns(
            _id_column(obj, q, source), _id_column(obj, d, source), _int_column(obj, r, source), source
        )
    if isinstance(obj, Mapping):
        return _irexp.Qrels.from_dict(obj)
    raise TypeError(
        "qrels: expected a path, a pandas DataFrame or a dict of dicts, not " + type(obj).__name__
    )


def as_run(obj: Any, tag: str = "run") -> "_irexp.Run":
    """A run from a path, a DataFrame or ``{qid: {docno: score}}``."""
    if isinstance(obj, _irexp.Run):
        return obj
    if is_path(obj):
        return _irexp.Run.read(os.fspath(obj))
    if is_dataframe(obj):
        source = "<run DataFrame>"
        q, d, s = _columns(obj, RUN_COLUMNS, "run")
        return _irexp.Run.from_columns(
            _id_column(obj, q, source),
            _id_column(obj, d, source),
            _float_column(obj, s, source),
            tag,
            source,
        )
    if isinstance(obj, Mapping):
        return _irexp.Run.from_dict(obj, tag)
    raise TypeError(
        "run: expected a path, a pandas DataFrame or a dict of dicts, not " + type(obj).__name__
    )


def run_frame(run: "_irexp.Run") -> Any:
    """A run as a DataFrame with PyTerrier's columns ``qid, docno, rank, score``."""
    import pandas as pd

    q, d, r, s = run.to_columns()
    return pd.DataFrame({"qid": q, "docno": d, "rank": r, "score": s})
