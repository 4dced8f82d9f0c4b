"""Type stubs of the native module ``irexp._irexp`` (PyO3). The documented API is the
``irexp`` package, which wraps these."""

from os import PathLike
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

_Path = Union[str, PathLike[str]]

class Qrels:
    """Judgments, read once and shared by evaluators and comparisons."""

    source: str
    num_topics: int
    @staticmethod
    def read(path: _Path) -> "Qrels": ...
    @staticmethod
    def from_dict(mapping: Mapping[str, Mapping[str, int]]) -> "Qrels": ...
    @staticmethod
    def from_columns(qids: List[str], docnos: List[str], rels: List[int], source: str) -> "Qrels": ...
    def to_columns(self) -> Tuple[List[str], List[str], List[int]]: ...
    def __len__(self) -> int: ...

class Run:
    """Ranked lists of one run."""

    source: str
    tag: str
    num_topics: int
    @staticmethod
    def read(path: _Path) -> "Run": ...
    @staticmethod
    def from_dict(mapping: Mapping[str, Mapping[str, float]], tag: str = "run") -> "Run": ...
    @staticmethod
    def from_columns(qids: List[str], docnos: List[str], scores: List[float], tag: str, source: str) -> "Run": ...
    def to_columns(self) -> Tuple[List[str], List[str], List[int], List[float]]: ...
    def __len__(self) -> int: ...

class EvaluatorOutput:
    runid: str
    def summary(self) -> Dict[str, float]: ...
    def per_query(self) -> Dict[str, Dict[str, Any]]: ...
    def per_query_columns(self) -> Tuple[List[str], List[str], List[float]]: ...

class Evaluator:
    keys: List[str]
    def __init__(
        self,
        qrels: Qrels,
        measures: List[str],
        *,
        relevance_level: int = 1,
        complete: bool = False,
        judged_only: bool = False,
        cutoff: Optional[int] = None,
        pytrec_eval: bool = False,
    ) -> None: ...
    def evaluate(self, run: Run) -> EvaluatorOutput: ...
    def evaluate_file(self, path: _Path) -> EvaluatorOutput: ...

class Report:
    def to_json(self) -> str: ...
    def to_markdown(self) -> str: ...
    def to_latex(self) -> str: ...
    def to_csv(self) -> str: ...
    def to_terminal(self) -> str: ...
    def save(self, dir: _Path) -> List[str]: ...

def measure_keys(measures: List[str], pytrec_eval: bool = False) -> List[str]: ...
def compare(
    runs: Sequence[Tuple[str, Run]],
    qrels: Qrels,
    *,
    baseline: Optional[str] = None,
    measures: Optional[List[str]] = None,
    test: Optional[str] = None,
    correction: Optional[str] = None,
    alpha: Optional[float] = None,
    seed: Optional[int] = None,
    permutations: Optional[int] = None,
    bootstrap: Optional[int] = None,
    missing: Optional[str] = None,
    tie_margin: Optional[float] = None,
    risk_alpha: Optional[float] = None,
) -> Report: ...
