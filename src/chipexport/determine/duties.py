"""US import duties on the items (Section 301 on Chinese-origin semiconductors).

Applied when the destination is the US. The HTS code and origin come from the item, else from
its classification; with no origin given, the country of export is assumed and said so.
"""

from __future__ import annotations

from typing import Any

from chipexport.determine.context import Context
from chipexport.rules.provisions import rulebook


def _digits(hts: str) -> str:
    return hts.replace(".", "").replace(" ", "")


def duties(ctx: Context) -> list[dict[str, Any]]:
    if ctx.collab.resolve(ctx.txn.destination, ctx.day) != "US":
        return []
    book = rulebook("tariffs")
    active = [p for k in book.provision_keys() if (p := book.on(k, ctx.day))]
    out: list[dict[str, Any]] = []
    for v in ctx.items:
        hts = getattr(v.item, "hts", None) or v.classification.hts
        if not hts:
            continue
        origin = getattr(v.item, "origin", None) or v.classification.origin
        if origin is None:
            origin = ctx.txn.export_from
            ctx.note(f"{v.ref}: no origin given; country of export {origin} assumed "
                     "for duties")
        value = getattr(v.item, "value_usd", None)
        for p in active:
            prm = p.params
            if origin not in prm["origins"] or not any(
                    _digits(hts).startswith(_digits(x)) for x in prm["hts_prefixes"]):
                continue
            rate = prm.get("rate_percent")
            w = p.window_on(ctx.day)
            assert w is not None
            if rate is None:
                ctx.note(f"{v.ref}: {p.summary} (rate not known)")
            out.append({
                "item": v.index, "hts": hts, "rate_percent": rate,
                "authority": prm.get("authority", p.citation.rule),
                "amount_usd": round(value * rate / 100, 2) if value is not None and rate is not None
                else None,
                "rule": p.citation.rule, "citation": p.citation.notice,
                "in_force": w.as_json(), "confidence": p.confidence.value, "summary": p.summary,
            })
    return out
