"""Dated, cited records: the one way the project says *when* a rule or a fact held.

Every provision, classification criterion, country-group membership and duty rate is data with
an ``in_force`` window and a citation; code asks :func:`active_on` which records held on the
transaction date instead of comparing dates itself. :func:`range_problems` is the static check
(run in the tests) that finds gaps and overlaps between successive versions of one provision.

Dates are inclusive at the start and exclusive at the end (``end`` is the first day a record no
longer applies), so a rule replaced "effective 2023-11-17" ends on 2023-11-17 and its successor
starts on 2023-11-17 with neither gap nor overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Protocol, TypeVar


class Confidence(StrEnum):
    """How sure we are of a rule, mirroring the marks in docs/regulations.md."""

    VERIFIED = "verified"  # checked against the eCFR text or the primary notice
    SECONDARY = "secondary"  # from a reliable secondary source, not checked against the text
    FROM_MEMORY = "from_memory"  # recalled, not checked; shown to users as such
    UNRESOLVED = "unresolved"  # sources disagree or are missing; shown to users as such


@dataclass(frozen=True, slots=True)
class InForce:
    """A half-open date window ``[start, end)``; ``end`` None means still in force."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def as_json(self) -> list[str | None]:
        """``["2023-11-17", null]`` as docs/interfaces.md shows ``in_force``."""
        return [self.start.isoformat(), self.end.isoformat() if self.end else None]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule is written: the legal provision and the notice that made it so."""

    rule: str  # "15 CFR 742.6(a)(6)(iii)", "METI Ministerial Order Art. 1(7)", ...
    notice: str | None = None  # "88 FR 73458", "MOFCOM Announcement 2023 No. 23", ...
    url: str | None = None


class Dated(Protocol):
    """Anything with an id and in-force windows (a provision may be suspended and resumed)."""

    @property
    def key(self) -> str: ...

    @property
    def windows(self) -> Sequence[InForce]: ...


D = TypeVar("D", bound=Dated)


def in_force_on(record: Dated, day: date) -> InForce | None:
    """The window of ``record`` covering ``day``, or None."""
    for w in record.windows:
        if w.covers(day):
            return w
    return None


def active_on(records: Iterable[D], day: date) -> list[D]:
    """The records in force on ``day``, in their given order."""
    return [r for r in records if in_force_on(r, day) is not None]


def range_problems(records: Iterable[Dated], contiguous: bool = True) -> list[str]:
    """Gaps and overlaps between the windows of records that share a ``key``.

    Records with the same key are successive versions of one provision: their windows must not
    overlap, and with ``contiguous`` there must be no gap between one version's end and the
    next one's start (a suspension is modelled as a gap *inside one record's* windows, which is
    allowed). Windows with end <= start are reported too.
    """
    problems: list[str] = []
    by_key: dict[str, list[tuple[InForce, int]]] = {}
    for n, r in enumerate(records):
        for w in r.windows:
            if w.end is not None and w.end <= w.start:
                problems.append(f"{r.key}: window {w.as_json()} ends before it starts")
            by_key.setdefault(r.key, []).append((w, n))
    for key, wins in by_key.items():
        ordered = sorted(wins, key=lambda x: x[0].start)
        for (a, a_rec), (b, b_rec) in pairwise(ordered):
            if a.end is None or b.start < a.end:
                problems.append(f"{key}: windows {a.as_json()} and {b.as_json()} overlap")
            elif contiguous and a_rec != b_rec and b.start > a.end:
                problems.append(f"{key}: gap between {a.as_json()} and {b.as_json()}")
    return problems


def parse_date(value: object, what: str) -> date:
    """A YAML date or ISO string to :class:`date`, with a message naming what was wrong."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what}: expected an ISO date (YYYY-MM-DD), got {value!r}")


def parse_windows(raw: object, where: str) -> tuple[InForce, ...]:
    """A data file's ``in_force: [[start, end], ...]`` to windows (``end`` null: still in force).

    One parser for every dated data file (provisions, classification criteria), so a window is
    written and checked the same way everywhere. Raises ValueError naming ``where``.
    """
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: 'in_force' must be a list of [start, end] windows")
    out: list[InForce] = []
    for n, pair in enumerate(raw):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"{where}.in_force[{n}]: expected [start, end]")
        start = parse_date(pair[0], f"{where}.in_force[{n}] start")
        end = None if pair[1] is None else parse_date(pair[1], f"{where}.in_force[{n}] end")
        out.append(InForce(start, end))
    return tuple(out)
