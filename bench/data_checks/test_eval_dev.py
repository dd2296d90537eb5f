"""The development evaluation set (``evals/determinations_dev.jsonl`` of the data set beside the
repository), scored as its README says, with the real screening index over real lists. Every row
must pass; `make bench` reports the figure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bench import SHARED

from chipexport.determine import Engine

DEV = SHARED / "evals" / "determinations_dev.jsonl"


def _rows() -> list[dict[str, Any]]:
    if not DEV.exists():
        return []
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


def score(out: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """The README's rules: outcome (one or a list), classification prefix, cites, duty rate."""
    misses = []
    for jur, want in expect.items():
        if jur == "duty":
            if not any(d["rate_percent"] == want["rate_percent"] for d in out["duties"]):
                misses.append(f"duty {want['rate_percent']} % missing")
            continue
        got = out["jurisdictions"].get(jur, {"outcome": "NLR", "classifications": [],
                                             "reasons": []})
        accepted = want["outcome"] if isinstance(want["outcome"], list) else [want["outcome"]]
        if got["outcome"] not in accepted:
            misses.append(f"{jur} outcome {got['outcome']} not in {accepted}")
        if "classification" in want and not any(
                c.startswith(want["classification"]) for c in got["classifications"]):
            misses.append(f"{jur} classification {want['classification']} missing")
        if "cites" in want and not any(want["cites"] in f"{r['rule']} {r['citation']}"
                                       for r in got["reasons"]):
            misses.append(f"{jur} does not cite {want['cites']}")
    return misses


@pytest.fixture(scope="module")
def engine(real_index: Any) -> Engine:
    return Engine(real_index)


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["id"])
def test_dev_row(row: dict[str, Any], engine: Engine) -> None:
    txn = {k: v for k, v in row.items() if k not in ("expect", "note")}
    out = engine.check(txn)
    assert not out.get("errors"), out["errors"]
    assert score(out, row["expect"]) == [], row["note"]
