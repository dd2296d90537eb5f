"""When did this item to this destination need a licence? The real engine over many dates.

Nothing here knows a rule's date: the dates evaluated are every start and end of every
provision window, enforcement window and classification-criterion window in the rules data
(where an answer can change), plus the first of every month (a safety net for anything dated
elsewhere), and at each the determination engine is run on the same transaction. Consecutive
dates with the same answer merge into one segment; a segment's start names the provisions and
criteria whose windows open or close that day, which is the "why" of the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from typing import Any

from chipexport.classify.criteria import all_criteria
from chipexport.determine import Engine
from chipexport.rules.provisions import all_provisions

OVERALL = "Overall"
MAX_DAYS = 366 * 15


@dataclass(frozen=True)
class Boundary:
    """A rule or criterion window opening or closing on a day."""

    what: str  # "15 CFR 742.6(a)(6)(iii) (88 FR 73458)"
    key: str
    opens: bool


@dataclass
class Segment:
    start: date
    end: date  # exclusive
    outcome: str
    classifications: tuple[str, ...]
    reasons: list[dict[str, Any]]
    changes: list[Boundary] = field(default_factory=list)


@dataclass
class Timeline:
    start: date
    end: date
    lanes: dict[str, list[Segment]]  # "Overall", "US", "CN" ... -> segments in date order
    evaluated: int
    probes: list[tuple[date, dict[str, Any]]]  # dates the user asked about -> determination


@cache
def boundaries() -> dict[date, tuple[Boundary, ...]]:
    """Every day a provision, enforcement or criterion window opens or closes."""
    found: dict[date, list[Boundary]] = {}

    def add(day: date | None, what: str, key: str, opens: bool) -> None:
        if day is not None:
            found.setdefault(day, []).append(Boundary(what, key, opens))

    for p in all_provisions():
        what = p.citation.rule + (f" ({p.citation.notice})" if p.citation.notice else "")
        for w in p.windows:
            add(w.start, what, p.key, True)
            add(w.end, what, p.key, False)
        for e in p.enforcement:
            add(e.window.start, f"{what}: {e.status}", p.key, True)
            add(e.window.end, f"{what}: {e.status} ends", p.key, False)
    for c in all_criteria():
        what = f"{c.code} criteria: {c.citation.rule}" + (
            f" ({c.citation.notice})" if c.citation.notice else "")
        for w in c.windows:
            add(w.start, what, c.key, True)
            add(w.end, what, c.key, False)
    return {day: tuple(dict.fromkeys(items)) for day, items in found.items()}


def _months(start: date, end: date) -> Iterator[date]:
    day = date(start.year, start.month, 1)
    while day < end:
        yield day
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)


def evaluation_dates(start: date, end: date) -> list[date]:
    days = {start} | {d for d in boundaries() if start < d < end} | set(_months(start, end))
    return sorted(d for d in days if start <= d < end)


Answer = tuple[str, tuple[str, ...], list[Any]]  # outcome, classifications, reasons


def _answers(result: dict[str, Any]) -> dict[str, Answer]:
    lanes: dict[str, Answer] = {OVERALL: (str(result.get("outcome")), (), [])}
    for name, j in (result.get("jurisdictions") or {}).items():
        reasons = [r for r in j.get("reasons") or [] if r.get("outcome") != "NLR"] or \
            list(j.get("reasons") or [])
        lanes[name] = (str(j.get("outcome")), tuple(j.get("classifications") or ()), reasons)
    return lanes


def compute(txn: dict[str, Any] | None, start: date, end: date, probes: list[date],
            provision: str | None = None) -> Timeline:
    """Run the engine on ``txn`` (its ``date`` replaced) over ``[start, end)``; with
    ``provision``, add a lane of that provision's windows. No ``txn``: the provision alone.

    Raises ValueError with the engine's problems when the transaction cannot be determined.
    """
    if not start < end or (end - start).days > MAX_DAYS:
        raise ValueError(f"the period must run forwards and span at most {MAX_DAYS // 366} years")
    extra = {f"§ {provision}": provision_lane(provision, start, end)} if provision else {}
    if txn is None:
        return Timeline(start, end, extra, 0, [])
    engine = Engine(None)
    lanes: dict[str, list[Segment]] = {}
    days = evaluation_dates(start, end)

    def run(day: date) -> dict[str, Any]:
        result = engine.check({**txn, "date": day.isoformat()}, 0)
        if result.get("errors"):
            raise ValueError("; ".join(result["errors"]))
        return result

    for day in days:
        for lane, (outcome, codes, reasons) in _answers(run(day)).items():
            segs = lanes.setdefault(lane, [])
            if segs and segs[-1].end == day and (segs[-1].outcome, segs[-1].classifications) == (
                    outcome, codes):
                segs[-1].end = _next(days, day, end)
                continue
            if not segs and day > start:
                segs.append(Segment(start, day, "NLR", (), []))  # lane absent before: NLR
            elif segs and segs[-1].end < day:
                segs.append(Segment(segs[-1].end, day, "NLR", (), []))
            segs.append(Segment(day, _next(days, day, end), outcome, codes, reasons,
                                list(boundaries().get(day, ()))))
    for segs in lanes.values():
        if segs[-1].end < end:
            segs.append(Segment(segs[-1].end, end, "NLR", (), []))
    ordered = {OVERALL: lanes.pop(OVERALL)} | dict(sorted(lanes.items())) | extra
    return Timeline(start, end, ordered, len(days), [(d, run(d)) for d in probes])


def _next(days: list[date], day: date, end: date) -> date:
    at = days.index(day)
    return days[at + 1] if at + 1 < len(days) else end


def x_of(tl: Timeline, day: date, width: float) -> float:
    """Horizontal position of ``day`` on a chart ``width`` wide."""
    span = (tl.end - tl.start).days or 1
    return round((day - tl.start).days / span * width, 2)


def year_ticks(tl: Timeline) -> list[date]:
    years = range(tl.start.year + (tl.start != date(tl.start.year, 1, 1)), tl.end.year + 1)
    return [date(y, 1, 1) for y in years if tl.start <= date(y, 1, 1) < tl.end]


def last_day(seg: Segment) -> date:
    return seg.end - timedelta(days=1)


def provision_choices() -> list[tuple[str, str]]:
    """``(key, label)`` of every provision in the rules data, for the page's selector."""
    seen: dict[str, str] = {}
    for p in all_provisions():
        seen.setdefault(p.key, f"{p.key} — {p.citation.rule}")
    return list(seen.items())


def provision_lane(key: str, start: date, end: date) -> list[Segment]:
    """When provision ``key`` was in force (per version), enforced or not, over the period.

    Read straight from the rules data: the provision's own windows are what the engine
    consults on each date, so this lane shows the cause behind the engine lanes above it.
    """
    versions = [p for p in all_provisions() if p.key == key]
    if not versions:
        raise ValueError(f"provision: no provision {key!r} in the rules data")
    cuts = {start, end}
    for p in versions:
        for w in p.windows:
            cuts |= {w.start, w.end or end}
        for e in p.enforcement:
            cuts |= {e.window.start, e.window.end or end}
    days = sorted(d for d in cuts if start <= d <= end)
    lane: list[Segment] = []
    for a, b in pairwise(days):
        version = next((p for p in versions if p.window_on(a) is not None), None)
        if version is None:
            state, reasons = "NOT_IN_FORCE", []
        else:
            exception = version.enforcement_on(a)
            state = exception.status.upper() if exception else "IN_FORCE"
            reasons = [{"rule": version.citation.rule, "citation": version.citation.notice,
                        "summary": exception.note if exception else version.summary}]
        if lane and lane[-1].outcome == state and lane[-1].reasons == reasons:
            lane[-1].end = b
        else:
            lane.append(Segment(a, b, state, (), reasons, list(boundaries().get(a, ()))))
    return lane
