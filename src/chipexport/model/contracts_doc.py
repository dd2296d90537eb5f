"""docs/contracts.md, written from the models: the input and answer formats, field by field.

Run ``python -m chipexport.model.contracts_doc`` to rewrite the file after changing a model;
a test fails while the file in the repository differs from what this module writes, so the
document cannot drift from the code. :func:`json_schema` is also what ``chipexport schema``
prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from chipexport.model.answers import (
    Determination,
    Duty,
    ItemFacts,
    JurisdictionFinding,
    ListMatch,
    PartyScreening,
    Reason,
)
from chipexport.model.items import ITEM_ALIASES, ItemIn
from chipexport.model.problems import Problem
from chipexport.model.transaction import EndUse, FlagResolution, Owner, Party, TransactionIn

DIALECT = "https://json-schema.org/draft/2020-12/schema"
INPUT: tuple[type[BaseModel], ...] = (TransactionIn, ItemIn, Party, Owner, EndUse, FlagResolution)
ANSWER: tuple[type[BaseModel], ...] = (Determination, JurisdictionFinding, Reason,
                                       PartyScreening, ListMatch, Duty, ItemFacts, Problem)
DOC = Path("docs") / "contracts.md"

_HEAD = """\
# Contracts: the transaction input and the determination answer

<!-- Written by `python -m chipexport.model.contracts_doc` from the models in
src/chipexport/model/ (transaction.py, items.py, answers.py, problems.py); do not edit by hand:
a test fails when this file and the models differ. -->

`chipexport check`, `POST /v1/check` and the web check form read the same transaction object,
and answer with the same determination. `chipexport schema` prints the JSON schema of the
input (`chipexport schema --output`: of the answer); `/openapi.json` holds both.

**Unknown keys** are decided in one place from these models. The API refuses them (422, naming
the field, with the nearest known one: `parties[0].countyr: unknown field (did you mean
'country'?)`). `chipexport check` answers, and lists each unknown transaction, party, owner or
end-use key in `warnings` with the same hint. Items may carry an order system's own columns
(`sku`, `value_eur`): an unknown item key is warned about only when it looks like a slip for a
field (`prodcut`, `ECCN`, `logic_die_area`), and the API accepts on items, besides the fields
below, the parameters the classification data reads (`aspect_ratio`, `purity_percent`, ...).

**Problems** in the input are reported all at once, each naming its field
(`parties[0].owners[1].percent: must be at most 100, got 120`). An answer that cannot be
determined has outcome `ERROR`, `ERROR` under `US` and under the exporting country's
jurisdiction when the engine applies it, and `errors`; `check --input` writes every row, then
exits 3 when some rows are `ERROR` (2 when none could be determined).

**Dates** past the date the rules data was last brought up to date (`current_to` of
`engine.coverage` in the rules data) are answered with a warning: rules made since are not in
the data.
"""

_WORKED = """\
## Worked example

```json
{"id": "t1", "date": "2024-06-01", "export_from": "US", "destination": "MY",
 "items": [{"product": "NVIDIA H100 SXM5 80GB", "sku": "H100-80"},
           {"kind": "technology", "description": "process recipe for 28 nm etch"}],
 "parties": [{"role": "end_user", "name": "Example Sdn Bhd", "country": "MY",
              "owners": [{"name": "Example Holdings", "percent": 100, "country": "SG",
                          "owners": [{"name": "Example Group", "percent": 60, "hq": "CN"}]}],
              "red_flags": ["evasive_on_reexport", "asked for delivery to a freight forwarder"]}],
 "payment_terms": "cash",
 "end_use": {"kind": "ic_fab", "logic_node_nm": 14, "non_planar": true}}
```

The owners' chain makes the ultimate parent a Chinese group, which the headquarters rules read;
the free-text red flag counts as unresolved (at least `REVIEW` for a controlled item); `sku` is
the order system's own column and passes.
"""


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The published JSON schema of ``model`` (draft 2020-12)."""
    return {"$schema": DIALECT, **model.model_json_schema()}


def _type(spec: dict[str, Any]) -> str:
    """A field's JSON schema in a few words: ``number ≥ 0 or null``, ``list of Owner``."""
    if "$ref" in spec:
        return f"[{spec['$ref'].rsplit('/', 1)[1]}](#{spec['$ref'].rsplit('/', 1)[1].lower()})"
    if "anyOf" in spec:
        return " or ".join(dict.fromkeys(_type(s) for s in spec["anyOf"]))
    if "enum" in spec or "const" in spec:
        return " \\| ".join(f"`{v}`" for v in spec.get("enum", [spec.get("const")]))
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object":
        extra = spec.get("additionalProperties")
        return f"object of {_type(extra)}" if isinstance(extra, dict) and extra else "object"
    words = {"string": "text", "number": "number", "integer": "integer", "boolean": "true/false",
             "null": "null"}.get(kind, kind)
    if spec.get("format") == "date":
        words = "date (YYYY-MM-DD)"
    if "pattern" in spec and spec["pattern"] == "^[A-Za-z]{2}$":
        words = "ISO-2 country"
    bounds = [f"{sign} {spec[key]:g}" for key, sign in
              (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"))
              if isinstance(spec.get(key), int | float)]
    return " ".join([words, *bounds])


def _table(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    if "$ref" in schema:  # a recursive model (Owner) is given as a reference to itself
        schema = schema["$defs"][model.__name__]
    required = set(schema.get("required", []))
    lines = [f"### {model.__name__}", "", " ".join((model.__doc__ or "").split()), "",
             "| field | type | required | meaning |", "|---|---|---|---|"]
    for name, spec in schema["properties"].items():
        meaning = " ".join(str(spec.get("description", "")).split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {_type(spec)} | {'yes' if name in required else ''} "
                     f"| {meaning} |")
    if model is ItemIn:
        lines += ["", "Also accepted: " + ", ".join(f"`{a}`" for a in sorted(ITEM_ALIASES))
                  + " (another name for `dram_bandwidth_gbps`)."]
    return "\n".join(lines)


def render() -> str:
    """The whole of docs/contracts.md."""
    parts = [_HEAD, "## Input: a transaction", *(_table(m) for m in INPUT), _WORKED,
             "## Answer: a determination", *(_table(m) for m in ANSWER)]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def main(argv: list[str]) -> int:
    """Write docs/contracts.md under the folder given (default: the current one)."""
    root = Path(argv[0]) if argv else Path()
    (root / DOC).write_text(render(), encoding="utf-8")
    print(f"wrote {root / DOC}")
    print(json.dumps({"input": [m.__name__ for m in INPUT],
                      "answer": [m.__name__ for m in ANSWER]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
