"""Table-driven rule cases: read a case file strictly and check the engine's answers against it.

One runner for ``chipexport rules test FILE.yaml`` (a company's own cases, an analyst's new
rule) and for the test suite's ``tests/rules/cases``, so a case means the same thing in both.
A file is ``{screener: real}`` (run against the loaded lists) or ``{listed: [...]}`` (parties
declared with their list and score, matched by exact name), and ``cases``: each with ``id``,
``provision`` (the citation it tests), ``txn`` (a ``check`` transaction; defaults: export from
the US to China, one plain end user) and ``expect``:

- per jurisdiction (``US``, ``JP``, ``NL``, ``CN``): ``outcome`` (one or a list),
  ``classification`` (prefix), ``cites`` / ``not_cites`` (text in a deciding reason's rule or
  citation), ``policy`` (text in the review policy), ``exception`` / ``not_exception`` (text in
  the licence exceptions); a jurisdiction missing from the answer reads as NLR;
- top level: ``outcome``, ``warning`` (text in a warning), ``duties`` (the rates), ``absent``
  (jurisdictions that must not answer) and ``errors`` (text in an input error: the outcome must
  then be ERROR).

Every key is checked: a misspelt one is an error naming file, case and field, never a check
silently skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipexport.determine.context import Screener
from chipexport.determine.engine import Engine
from chipexport.errors import ChipexportError, did_you_mean
from chipexport.model import ListEntry, Match, ScreeningResult
from chipexport.screening import DEFAULT_THRESHOLD, STRONG_THRESHOLD
from chipexport.yamldata import load_yaml_text

FILE_FIELDS = frozenset({"screener", "listed", "cases"})
LISTED_FIELDS = frozenset({"name", "source", "score", "countries", "license_requirement",
                           "license_policy", "fr", "aliases", "affiliate_of"})
CASE_FIELDS = frozenset({"id", "provision", "txn", "expect"})
TOP_EXPECT = frozenset({"outcome", "warning", "duties", "absent", "errors"})
JURISDICTIONS = frozenset({"US", "JP", "NL", "CN"})
PER_JURISDICTION = frozenset({"outcome", "classification", "cites", "not_cites", "policy",
                              "exception", "not_exception"})
PLAIN = "Plain Trading Co"
_NLR: dict[str, Any] = {"outcome": "NLR", "classifications": [], "reasons": [],
                        "review_policy": None, "license_exceptions": []}


class CaseFileError(ChipexportError, ValueError):
    """A case file that does not say what it must (names file, case and field)."""


@dataclass(frozen=True, slots=True)
class CaseFile:
    path: Path
    cases: tuple[Mapping[str, Any], ...]
    listed: tuple[Mapping[str, Any], ...]
    real: bool  # screener: real (the loaded lists), else the declared ``listed`` parties


def _unknown(keys: Any, known: frozenset[str], where: str) -> None:
    for key in keys:
        if key not in known:
            raise CaseFileError(f"{where}, field '{key}': unknown field"
                                f"{did_you_mean(str(key), known)}")


def load_case_file(path: Path) -> CaseFile:
    """Read and check a case file; :class:`CaseFileError` on the first problem."""
    try:
        doc = load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CaseFileError(f"{path}: cannot read cases ({first})") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("cases"), list):
        raise CaseFileError(f"{path}: expected a mapping with a 'cases' list")
    _unknown(doc, FILE_FIELDS, str(path))
    if doc.get("screener", "listed") not in ("real", "listed"):
        raise CaseFileError(f"{path}, field 'screener': expected 'real' or 'listed'")
    listed = doc.get("listed") or []
    for n, row in enumerate(listed):
        where = f"{path}: listed[{n}]"
        if not isinstance(row, Mapping) or not {"name", "source"} <= set(row):
            raise CaseFileError(f"{where}: needs 'name' and 'source'")
        _unknown(row, LISTED_FIELDS, where)
        if row.get("score", "strong") not in ("strong", "possible"):
            raise CaseFileError(f"{where}, field 'score': expected 'strong' or 'possible'")
    seen: set[str] = set()
    for n, case in enumerate(doc["cases"]):
        where = f"{path}: cases[{n}]"
        if not isinstance(case, Mapping):
            raise CaseFileError(f"{where}: expected a mapping")
        where += f" ({case.get('id', '?')})"
        _unknown(case, CASE_FIELDS, where)
        for required in sorted(CASE_FIELDS):
            if not case.get(required):
                raise CaseFileError(f"{where}, field '{required}': missing")
        if str(case["id"]) in seen:
            raise CaseFileError(f"{where}, field 'id': used twice")
        seen.add(str(case["id"]))
        _check_expect(case["expect"], where)
    return CaseFile(path, tuple(doc["cases"]), tuple(listed), doc.get("screener") == "real")


def _check_expect(expect: Any, where: str) -> None:
    if not isinstance(expect, Mapping):
        raise CaseFileError(f"{where}, field 'expect': expected a mapping")
    _unknown(expect, TOP_EXPECT | JURISDICTIONS, f"{where}, in 'expect'")
    for jur in JURISDICTIONS & set(expect):
        want = expect[jur]
        if not isinstance(want, Mapping) or "outcome" not in want:
            raise CaseFileError(f"{where}, field 'expect.{jur}.outcome': missing")
        _unknown(want, PER_JURISDICTION, f"{where}, in 'expect.{jur}'")


def transaction(case: Mapping[str, Any]) -> dict[str, Any]:
    """The case's transaction with the defaults filled in."""
    t = dict(case["txn"])
    t.setdefault("id", case["id"])
    if "date" in t:
        t["date"] = str(t["date"])
    t.setdefault("export_from", "US")
    t.setdefault("destination", "CN")
    t.setdefault("parties", [{"role": "end_user", "name": PLAIN,
                              "country": t.get("destination") or "CN"}])
    return t


def _one_of(want: Any) -> list[Any]:
    return want if isinstance(want, list) else [want]


def failures(expect: Mapping[str, Any], out: Mapping[str, Any]) -> list[str]:
    """What in the answer ``out`` differs from ``expect`` (empty: the case passes)."""
    if "errors" in expect:
        if out["outcome"] != "ERROR" or not any(expect["errors"] in e for e in out["errors"]):
            return [f"expected an input error containing {expect['errors']!r}, got "
                    f"{out['outcome']} {out.get('errors') or ''}".rstrip()]
        return []
    if out.get("errors"):
        return [f"input errors: {'; '.join(out['errors'])}"]
    misses = []
    if "outcome" in expect and out["outcome"] not in _one_of(expect["outcome"]):
        misses.append(f"outcome {out['outcome']}, expected {expect['outcome']}")
    if "warning" in expect and not any(expect["warning"] in w for w in out["warnings"]):
        misses.append(f"no warning contains {expect['warning']!r}")
    if "duties" in expect:
        rates = sorted(d["rate_percent"] for d in out["duties"])
        if rates != sorted(expect["duties"]):
            misses.append(f"duties {rates}, expected {sorted(expect['duties'])}")
    misses += [f"{j} answers, expected absent" for j in expect.get("absent") or ()
               if j in out["jurisdictions"]]
    for jur in sorted(JURISDICTIONS & set(expect)):
        got = out["jurisdictions"].get(jur) or _NLR
        misses += [f"{jur}: {m}" for m in _jurisdiction_failures(expect[jur], got)]
    return misses


def _jurisdiction_failures(want: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    misses = []
    if got["outcome"] not in _one_of(want["outcome"]):
        misses.append(f"outcome {got['outcome']}, expected {want['outcome']}")
    if "classification" in want and not any(
            c.startswith(want["classification"]) for c in got["classifications"]):
        misses.append(f"no classification {want['classification']} in {got['classifications']}")
    deciding = [f"{r['rule']} {r['citation']}" for r in got["reasons"]
                if r["outcome"] == got["outcome"]]
    if "cites" in want and not any(want["cites"] in r for r in deciding):
        misses.append(f"no deciding reason cites {want['cites']!r}")
    if "not_cites" in want and any(want["not_cites"] in r for r in deciding):
        misses.append(f"a deciding reason cites {want['not_cites']!r}")
    if "policy" in want and want["policy"] not in (got["review_policy"] or ""):
        misses.append(f"review policy {got['review_policy']!r} lacks {want['policy']!r}")
    exceptions = got["license_exceptions"]
    if "exception" in want and not any(want["exception"] in e for e in exceptions):
        misses.append(f"no licence exception {want['exception']!r} in {exceptions}")
    if "not_exception" in want and any(want["not_exception"] in e for e in exceptions):
        misses.append(f"licence exception {want['not_exception']!r} offered")
    return misses


class ListedScreener:
    """The screener of a ``listed`` case file: each declared party matches by its name or an
    alias (case-insensitive) with a strong or a possible score. Rule cases test what the engine
    does with a match, not how names are matched."""

    def __init__(self, listed: Sequence[Mapping[str, Any]]) -> None:
        self.by_name: dict[str, list[tuple[ListEntry, float]]] = {}
        for n, row in enumerate(listed):
            score = {"strong": 0.99, "possible": (DEFAULT_THRESHOLD + STRONG_THRESHOLD) / 2}[
                row.get("score", "strong")]
            entry = ListEntry(source=row["source"], entry_id=f"fake-{n}", name=row["name"],
                              countries=tuple(row.get("countries", ())),
                              license_requirement=row.get("license_requirement"),
                              license_policy=row.get("license_policy"),
                              federal_register_notices=tuple(row.get("fr", ())),
                              aliases=tuple(row.get("aliases", ())),
                              affiliate_of=row.get("affiliate_of"))
            for name in (row["name"], *row.get("aliases", ())):
                self.by_name.setdefault(name.casefold(), []).append((entry, score))

    def screen(self, name: str, country: str | None = None, threshold: float | None = None,
               sources: Sequence[str] | None = None) -> ScreeningResult:
        found = self.by_name.get(name.casefold(), [])
        return ScreeningResult(name, country, tuple(Match(e, s, e.name) for e, s in found))


def run_case(case: Mapping[str, Any], screener: Screener) -> list[str]:
    """Determine the case's transaction and say what differs from its ``expect``."""
    out = Engine(screener).check(transaction(case))
    return failures(case["expect"], out)
