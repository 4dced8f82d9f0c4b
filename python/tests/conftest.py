"""Shared fixtures: the shared collections (through IREXP_COLLECTIONS, as the Rust tests find
them) and the Anserini reference runs beside them."""

import gzip
import os
import random
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: (collection, qrels file inside the collection's folder, run names)
REFERENCE = [
    ("cacm", "qrels.cacm.txt", ["bm25", "bm25acc", "bm25rm3", "qld", "qldrm3", "qljm"]),
    ("vaswani", "qrels", ["bm25", "bm25rm3", "qld", "qldrm3"]),
    ("scifact", "qrels.beir-v1.0.0-scifact.test.txt", ["bm25", "bm25rm3", "qld"]),
]


def collections_dir():
    """The shared collections, or None when IREXP_COLLECTIONS is not set."""
    value = os.environ.get("IREXP_COLLECTIONS")
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():
        # Relative to the repository root, as `cargo test` reads it.
        path = REPO / path
    return path


def needs_collections():
    d = collections_dir()
    if d is None:
        pytest.skip("needs IREXP_COLLECTIONS (the shared collections)")
    if not d.is_dir():
        pytest.fail(f"IREXP_COLLECTIONS={d} is not a folder")
    return d


def read_trec_run(path):
    """(qid, docno, score) rows of a TREC run file, parsed here with Python's float()."""
    opener = gzip.open if str(path).endswith(".gz") else open
    rows = []
    with opener(path, "rt") as f:
        for line in f:
            fields = line.split()
            if fields:
                rows.append((fields[0], fields[2], float(fields[4])))
    return rows


def read_trec_qrels(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields:
                rows.append((fields[0], fields[2], int(fields[3])))
    return rows


def as_dict(rows):
    d = {}
    for q, doc, v in rows:
        d.setdefault(q, {})[doc] = v
    return d


def shuffled(rows, seed=7):
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    return rows


@pytest.fixture(scope="session")
def irexp_bin():
    """The `irexp` command of this checkout: $IREXP_BIN, or built with cargo (already built
    by `cargo test` in CI, so this only finds it)."""
    import json
    import subprocess

    if os.environ.get("IREXP_BIN"):
        return os.environ["IREXP_BIN"]
    out = subprocess.run(
        ["cargo", "build", "--quiet", "--bin", "irexp", "--message-format=json"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            if msg["target"]["name"] == "irexp":
                return msg["executable"]
    pytest.fail("cargo build --bin irexp reported no executable")
