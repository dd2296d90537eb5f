"""Evaluation cases for the screening benchmark: the dev set, generated held-out cases, CJK sets.

The held-out cases are generated from real list entries *not* used by ../shared/evals (seeded,
so every run sees the same cases) with the same kinds of change users make: typos, case and
punctuation, legal-form spellings, dropped parentheses, person-name order, affiliate names.
The changes are written here independently of the engine's own tables, so the engine is not
graded by its own rules. Negatives are real companies that are on no list (GLEIF records and
well-known manufacturers).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bench import SHARED
from chipexport.model import ListEntry

DATA = SHARED / "data"
DEV = SHARED / "evals" / "screening_dev.csv"
PER_CATEGORY = 120

# Spelling pairs users swap; deliberately typed out here, not read from the engine's tables.
_FORM_SWAPS = [
    (r"\bCo\., Ltd\.?", "Company Limited"),
    (r"\bCompany Limited\b", "Co. Ltd"),
    (r"\bCo\., Limited\b", "Co Ltd"),
    (r"\bLimited\b", "Ltd."),
    (r"\bLtd\b\.?", "Limited"),
    (r"\bCorporation\b", "Corp."),
    (r"\bCorp\b\.?", "Corporation"),
    (r"\bLLC\b", "L.L.C."),
    (r"\bLimited Liability Company\b", "LLC"),
    (r"\bJoint Stock Company\b", "JSC"),
    (r"\bOOO\b", "LLC"),
    (r"\bInc\b\.?", "Incorporated"),
    (r"\bCompany\b", "Co."),
    (r"\bGmbH\b", "G.m.b.H."),
    (r"\bS\.A\.", "SA"),
    (r"\bPte\. Ltd\.", "Private Limited"),
]


@dataclass(frozen=True, slots=True)
class Case:
    """One query with what it must (or must not) find."""

    id: str
    query: str
    country: str | None
    category: str
    expect_source: str | None
    expect_name: str | None


def dev_cases() -> list[Case]:
    """../shared/evals/screening_dev.csv as cases."""
    with DEV.open(newline="", encoding="utf-8") as fh:
        return [
            Case(
                r["id"],
                r["query"],
                r["country"] or None,
                r["category"],
                r["expect_source"] or None,
                r["expect_name"] or None,
            )
            for r in csv.DictReader(fh)
        ]


def _typo(rng: random.Random, name: str) -> str | None:
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", name)]
    if not words:
        return None
    m = rng.choice(words)
    w = m.group()
    i = rng.randrange(1, len(w) - 1)
    op = rng.choice("sdit")
    if op == "s":
        w = w[:i] + rng.choice("aeiourstnl") + w[i + 1 :]
    elif op == "d":
        w = w[:i] + w[i + 1 :]
    elif op == "i":
        w = w[:i] + rng.choice("aeiourstnl") + w[i:]
    else:
        w = w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :]
    return name[: m.start()] + w + name[m.end() :]


def _punct_case(rng: random.Random, name: str) -> str | None:
    out = re.sub(r"[^\w\s]", " " if rng.random() < 0.5 else "", name)
    out = re.sub(r"\s+", " ", out).strip()
    out = out.lower() if rng.random() < 0.5 else out.upper()
    return out if out != name else None


def _legal_form(rng: random.Random, name: str) -> str | None:
    swaps = [(p, r) for p, r in _FORM_SWAPS if re.search(p, name)]
    if not swaps:
        return None
    p, r = rng.choice(swaps)
    return re.sub(p, r, name, count=1)


def _drop_paren(rng: random.Random, name: str) -> str | None:
    if not re.search(r"\([^()]+\)", name):
        return None
    out = re.sub(r"\s*\([^()]+\)", "", name, count=1).strip(" ,")
    return out if len(out) >= 4 else None


def _person_order(rng: random.Random, name: str) -> str | None:
    if name.count(",") != 1:
        return None
    last, first = (p.strip() for p in name.split(","))
    return f"{first} {last}" if first and last else None


def _combined(rng: random.Random, name: str) -> str | None:
    """Several changes at once: legal form respelt (if any), punctuation/case, one typo."""
    out = _legal_form(rng, name) or name
    out = _punct_case(rng, out) or out
    return _typo(rng, out)


def _two_typos(rng: random.Random, name: str) -> str | None:
    once = _typo(rng, name)
    return _typo(rng, once) if once else None


def _dropped_word(rng: random.Random, name: str) -> str | None:
    """A user leaves out one word (not the first): "Beijing X Technology Co" -> "Beijing X Co"."""
    words = name.split()
    if len(words) < 4:
        return None
    i = rng.randrange(1, len(words))
    return " ".join(words[:i] + words[i + 1 :])


# Harder than the categories: reported apart, as a stress test.
STRESS = {"two_typos": _two_typos, "dropped_word": _dropped_word}

_MAKERS = {
    "typo": _typo,
    "punct_case": _punct_case,
    "legal_form": _legal_form,
    "drop_paren": _drop_paren,
    "person_order": _person_order,
    "combined": _combined,
    **STRESS,
}


def heldout_cases(entries: list[ListEntry], seed: int = 20261122) -> list[Case]:
    """Generated positives per category (entries unused by the dev set) plus real negatives."""
    rng = random.Random(seed)
    taken = {c.expect_name for c in dev_cases()}
    pool = [e for e in entries if e.name not in taken and e.source != "UN"]
    rng.shuffle(pool)
    cases: list[Case] = []
    for category, make in _MAKERS.items():
        n = 0
        for e in pool:
            if category == "person_order" and (e.entity_type or "") != "Individual":
                continue
            if category != "person_order" and (e.entity_type or "Entity") != "Entity":
                continue
            if e.affiliate_name:
                continue
            query = make(rng, e.name)
            if query is None or query == e.name:
                continue
            country = e.countries[0] if e.countries else None
            cases.append(Case(f"h-{category}-{n}", query, country, category, e.source, e.name))
            n += 1
            if n >= PER_CATEGORY:
                break
    affiliates = [e for e in pool if e.affiliate_name]
    for n, e in enumerate(affiliates[:PER_CATEGORY]):
        q = e.affiliate_name or ""
        q = _punct_case(rng, q) or q if n % 2 else q
        cases.append(Case(f"h-affiliate-{n}", q, "CN", "affiliate", e.source, e.name))
    for n, (name, cc) in enumerate(negative_names()):
        cases.append(Case(f"h-negative-{n}", name, cc, "negative", None, None))
    return cases


# Real, well-known companies on none of the lists (checked against the 2026-07-31 CSL names).
_KNOWN_NEGATIVES = [
    ("Samsung Electronics Co., Ltd.", "KR"),
    ("SK hynix Inc.", "KR"),
    ("Intel Corporation", "US"),
    ("Texas Instruments Incorporated", "US"),
    ("Qualcomm Incorporated", "US"),
    ("NVIDIA Corporation", "US"),
    ("Lam Research Corporation", "US"),
    ("ASML Holding N.V.", "NL"),
    ("NXP Semiconductors N.V.", "NL"),
    ("Renesas Electronics Corporation", "JP"),
    ("Sony Group Corporation", "JP"),
    ("Panasonic Holdings Corporation", "JP"),
    ("Toshiba Corporation", "JP"),
    ("Canon Inc.", "JP"),
    ("Murata Manufacturing Co., Ltd.", "JP"),
    ("Kyocera Corporation", "JP"),
    ("Shin-Etsu Chemical Co., Ltd.", "JP"),
    ("Robert Bosch GmbH", "DE"),
    ("Siemens Aktiengesellschaft", "DE"),
    ("BASF SE", "DE"),
    ("Carl Zeiss AG", "DE"),
    ("Aixtron SE", "DE"),
    ("Nokia Oyj", "FI"),
    ("Telefonaktiebolaget LM Ericsson", "SE"),
    ("Philips N.V.", "NL"),
    ("Schneider Electric SE", "FR"),
    ("Air Liquide S.A.", "FR"),
    ("Thales S.A.", "FR"),
    ("Rolls-Royce Holdings plc", "GB"),
    ("Arm Holdings plc", "GB"),
    ("Unilever PLC", "GB"),
    ("Nestle S.A.", "CH"),
    ("ABB Ltd", "CH"),
    ("Roche Holding AG", "CH"),
    ("Walmart Inc.", "US"),
    ("Apple Inc.", "US"),
    ("Microsoft Corporation", "US"),
    ("Amazon.com, Inc.", "US"),
    ("Alphabet Inc.", "US"),
    ("Exxon Mobil Corporation", "US"),
    ("Johnson & Johnson", "US"),
    ("Procter & Gamble Company", "US"),
    ("General Motors Company", "US"),
    ("Ford Motor Company", "US"),
    ("Boeing Company", "US"),
    ("Caterpillar Inc.", "US"),
    ("Honeywell International Inc.", "US"),
    ("3M Company", "US"),
    ("Corning Incorporated", "US"),
    ("Western Digital Corporation", "US"),
    ("Dell Technologies Inc.", "US"),
    ("HP Inc.", "US"),
    ("Cisco Systems, Inc.", "US"),
    ("Oracle Corporation", "US"),
    ("Xiaomi Corporation", "CN"),
    ("Tencent Holdings Limited", "CN"),
    ("JD.com, Inc.", "CN"),
    # (China Mobile Limited, Realtek Semiconductor and Delta Electronics were dropped from this
    # list: the CSL carries them or a same-name party.)
    ("Midea Group Co., Ltd.", "CN"),
    ("Gree Electric Appliances Inc. of Zhuhai", "CN"),
    ("Ping An Insurance (Group) Company of China, Ltd.", "CN"),
    ("Contemporary Amperex Technology Co., Limited", "CN"),
    ("Kweichow Moutai Co., Ltd.", "CN"),
    ("Anta Sports Products Limited", "CN"),
    ("Geely Automobile Holdings Limited", "CN"),
    ("Luxshare Precision Industry Co., Ltd.", "CN"),
    ("Sunny Optical Technology (Group) Company Limited", "CN"),
    ("Pegatron Corporation", "TW"),
    ("Infosys Limited", "IN"),
    ("Tata Consultancy Services Limited", "IN"),
    ("Reliance Industries Limited", "IN"),
    ("Petroleo Brasileiro S.A.", "BR"),
    ("Vale S.A.", "BR"),
    ("Grupo Bimbo, S.A.B. de C.V.", "MX"),
    ("Toyota Motor Corporation", "JP"),
    ("Honda Motor Co., Ltd.", "JP"),
    ("Hyundai Motor Company", "KR"),
    ("LG Electronics Inc.", "KR"),
    ("Foxconn Industrial Internet Co., Ltd.", "CN"),
]

# Chinese companies in the same trades as the Entity List's parties (same vocabulary: Shenzhen,
# Technology, Electronics, Group), on none of the lists. Added after the engine was calibrated
# and not used to tune it.
_CN_NEGATIVES = [
    "Beijing Kingsoft Office Software, Inc.",
    "Shenzhen Inovance Technology Co., Ltd.",
    "Sungrow Power Supply Co., Ltd.",
    "LONGi Green Energy Technology Co., Ltd.",
    "Trina Solar Co., Ltd.",
    "JA Solar Technology Co., Ltd.",
    "GigaDevice Semiconductor Inc.",
    "Maxscend Microelectronics Company Limited",
    "SG Micro Corp",
    "Shenzhen Sunway Communication Co., Ltd.",
    "BOE Technology Group Co., Ltd.",
    "TCL Technology Group Corporation",
    "Shenzhen Transsion Holdings Co., Ltd.",
    "Anker Innovations Technology Co., Ltd.",
    "Ecovacs Robotics Co., Ltd.",
    "Hisense Visual Technology Co., Ltd.",
    "Shanghai Fosun Pharmaceutical (Group) Co., Ltd.",
    "Jiangsu Hengrui Pharmaceuticals Co., Ltd.",
    "Inner Mongolia Yili Industrial Group Co., Ltd.",
    "China Yangtze Power Co., Ltd.",
    "Shenzhen Mindray Bio-Medical Electronics Co., Ltd.",
    "NetEase, Inc.",
    "Meituan",
    "PDD Holdings Inc.",
    "Trip.com Group Limited",
    "Bilibili Inc.",
    "Kuaishou Technology",
    "Zhejiang Sanhua Intelligent Controls Co., Ltd.",
    "JCET Group Co., Ltd.",
    "Tianshui Huatian Technology Co., Ltd.",
    "Sanan Optoelectronics Co., Ltd.",
    "Hua Hong Semiconductor Limited",
    "GCL Technology Holdings Limited",
    "Tongwei Co., Ltd.",
    "Shenzhen Sunlord Electronics Co., Ltd.",
    "Fuyao Glass Industry Group Co., Ltd.",
    "Weichai Power Co., Ltd.",
    "SAIC Motor Corporation Limited",
    "Great Wall Motor Company Limited",
    "Chongqing Changan Automobile Company Limited",
    "Shanghai Electric Power Co., Ltd.",
    "Beijing Enterprises Holdings Limited",
    "Shenzhen International Holdings Limited",
    "China Resources Land Limited",
    "Wuxi Lead Intelligent Equipment Co., Ltd.",
    "Shenzhen Capchem Technology Co., Ltd.",
    "Ningbo Joyson Electronic Corp.",
    "Hangzhou Hikrobot Co., Ltd.",
    "Beijing Roborock Technology Co., Ltd.",
    "Shanghai Baosight Software Co., Ltd.",
]


def negative_names() -> Iterator[tuple[str, str | None]]:
    """Known non-listed companies, then child/parent names from the GLEIF samples (CC0)."""
    yield from _KNOWN_NEGATIVES
    yield from ((n, "CN") for n in _CN_NEGATIVES)
    seen: set[str] = {n for n, _ in _KNOWN_NEGATIVES} | set(_CN_NEGATIVES)
    path = DATA / "ownership" / "gleif_api_samples" / "gleif_edges_flat.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name, cc in (
                (row["child_name"], row["child_country"]),
                (row["parent_name"], row["parent_country"]),
            ):
                if name and name not in seen:
                    seen.add(name)
                    yield name, cc or None


def cjk_sets() -> dict[str, list[tuple[str, list[str], str | None]]]:
    """Chinese-script queries with the English/pinyin names they must reach.

    ``{set: [(chinese query, [list names the entry carries], country)]}``. The list side is
    indexed as its own small list next to the CSL, so a hit must beat every CSL name.
    """
    out: dict[str, list[tuple[str, list[str], str | None]]] = {}
    meti = json.loads(
        (DATA / "jp_meti" / "meti_third_country_entities_2025-09-12.json").read_text()
    )
    out["jp_meti (zh → en)"] = [
        (zh, [e["name_en"], *e["aliases_en"]], None)
        for e in meti["entries"]
        if not e.get("parse_suspect")
        for zh in e["name_zh"][:1]
    ]
    zh = json.loads(
        (DATA / "matching_pairs" / "kaixinol_cn_university_entity_list_zh.json").read_text()
    )
    out["cn universities on the EL (zh → en)"] = [
        (r["zh"], [r["name"]], "CN") for r in zh if r.get("zh")
    ]
    cn_org: list[tuple[str, list[str], str | None]] = []
    cn_person: list[tuple[str, list[str], str | None]] = []
    with (DATA / "opensanctions_curated" / "cn_sanctions.csv").open(
        newline="", encoding="utf-8"
    ) as fh:
        for r in csv.DictReader(fh):
            if not r["Chinese name"] or not r["Name"]:
                continue
            names = [r["Name"], *[a for a in r["Alias"].split(";") if a.strip()]]
            target = cn_person if r["Type"] == "Person" else cn_org
            target.append((r["Chinese name"], names, None))
    out["cn_sanctions organisations (zh → en)"] = cn_org
    out["cn_sanctions persons (zh → en)"] = cn_person
    return out
