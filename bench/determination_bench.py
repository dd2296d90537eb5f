"""Determination throughput: 10,000 transactions with three parties each, real lists.

Transactions are generated from a fixed seed: a mix of catalog products, parameter-given chips,
ECCNs, HBM, lithography, materials and HTS-only items, dates from 2019 to 2026, destinations
across the country groups, end uses, owners, and party names that are mostly unique (so the
screening cache does not flatter the figure) with some real Entity List names mixed in.
The screening index over the bundled lists is built first and timed separately.
"""

from __future__ import annotations

import random
import time
from typing import Any

N_TRANSACTIONS = 10_000
TARGET_SECONDS = 60.0

_ITEMS: list[dict[str, Any]] = [
    {"product": "NVIDIA H100 SXM5 80GB"}, {"product": "NVIDIA A800 SXM4 80GB"},
    {"product": "AMD Instinct MI210"}, {"product": "NVIDIA GeForce RTX 4090"},
    {"kind": "ic", "tpp": 2896, "logic_die_area_mm2": 790, "datacenter": True},
    {"kind": "hbm", "bandwidth_gbps": 1229, "package_area_mm2": 121},
    {"eccn": "EAR99", "description": "office chairs"}, {"eccn": "3B991"},
    {"eccn": "3B001.c.1.a"}, {"product": "ASML TWINSCAN NXE:3400C"},
    {"kind": "material", "material": "gallium"},
    {"hts": "8542.31", "origin": "CN", "value_usd": 25000},
]
_ROUTES = [("US", "CN"), ("US", "DE"), ("US", "VN"), ("US", "SG"), ("US", "IN"), ("US", "MO"),
           ("US", "SA"), ("NL", "CN"), ("JP", "CN"), ("JP", "KR"), ("CN", "US"), ("CN", "JP")]
_WORDS = ["alpha", "beta", "gamma", "delta", "nova", "star", "bright", "ocean", "river",
          "mountain", "golden", "silver", "tech", "micro", "systems", "trading", "global",
          "united", "pacific", "eastern", "western", "north", "south", "smart", "data", "cloud",
          "harbor", "summit", "crystal", "quantum", "vector", "lotus", "pearl", "jade",
          "phoenix"]
_LISTED = ["Huawei Technologies Co., Ltd.", "Semiconductor Manufacturing International Corp",
           "Yangtze Memory Technologies Co., Ltd."]
_FORMS = [" Co Ltd", " LLC", " GmbH", " Inc", " Pte Ltd", " Limited"]


def transactions(n: int = N_TRANSACTIONS, seed: int = 20261122) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        src, dst = rnd.choice(_ROUTES)
        parties = []
        for role in ("end_user", "consignee", "purchaser"):
            name = (rnd.choice(_LISTED) if rnd.random() < 0.03 else
                    " ".join(rnd.sample(_WORDS, 3)).title() + rnd.choice(_FORMS))
            party: dict[str, Any] = {"role": role, "name": name, "country": dst}
            if rnd.random() < 0.1:
                party["owners"] = [{"name": rnd.choice(_LISTED), "percent": 60}]
            parties.append(party)
        t: dict[str, Any] = {
            "id": f"b{i}", "date": f"{rnd.randint(2019, 2026)}-{rnd.randint(1, 12):02d}-15",
            "export_from": src, "destination": dst,
            "items": rnd.sample(_ITEMS, rnd.randint(1, 3)), "parties": parties}
        if rnd.random() < 0.1:
            t["end_use"] = {"kind": "ic_fab", "logic_node_nm": rnd.choice([7, 14, 28])}
        out.append(t)
    return out


def run() -> str:
    from chipexport.determine import Engine
    from chipexport.lists.bundled import bundled_snapshots
    from chipexport.screening import build_index

    t0 = time.perf_counter()
    index = build_index([e for s in bundled_snapshots() for e in s.entries])
    build = time.perf_counter() - t0
    txns = transactions()
    engine = Engine(index)
    t1 = time.perf_counter()
    results = list(engine.check_many(txns))
    elapsed = time.perf_counter() - t1
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    verdict = "meets" if elapsed < TARGET_SECONDS else "MISSES"
    rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(outcomes.items()))
    return (
        "## Determination (`chipexport check`)\n\n"
        f"{N_TRANSACTIONS:,} generated transactions, 3 parties each (about "
        f"{len({p['name'] for t in txns for p in t['parties']}):,} distinct names), 1-3 items, "
        "dates 2019-2026, bundled lists (single process).\n\n"
        f"- determination: **{elapsed:.1f} s** ({N_TRANSACTIONS / elapsed:,.0f} transactions/s) "
        f"— {verdict} the {TARGET_SECONDS:.0f} s target\n"
        f"- screening index build (once per list version, cached by the CLI): {build:.1f} s\n\n"
        "| outcome | transactions |\n|---|---|\n" + rows + "\n\n"
        "Command: `python -m bench determination_bench`\n"
    )


if __name__ == "__main__":
    print(run())
