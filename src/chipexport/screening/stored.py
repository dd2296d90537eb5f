"""The screening index's tables as flat arrays (:mod:`chipexport.screening.arrays`), both ways.

:func:`pack_state` turns the containers the index builder fills (dicts of words, lists of
names) into one index file; :func:`open_state` reads one back as read-only views with the same
names and the same ways of looking things up (``idf[word]``, ``postings.get(word)``,
``name_core[ni]``, ``rows[ei]``), decoding only what a query touches.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from chipexport.screening.arrays import (
    ByToken,
    Decoded,
    HashedLists,
    HashedPostings,
    IndexFormatError,
    Ragged,
    Strings,
    Vocabulary,
    pack,
    ragged,
    strings,
    unpack,
)
from chipexport.screening.variants import COUNTRIES, SOURCE, TYPE

_RS, _US = "\x1e", "\x1f"  # record and unit separators: legal-form classes, then their text


def _floats(arr: npt.NDArray[Any]) -> Any:
    return arr.data.cast("B").cast("d")


def pack_state(
    *,
    rows: Sequence[tuple[object, ...]],
    words: Mapping[str, float],
    df: Mapping[str, int],
    postings: Mapping[str, Sequence[int]],
    joined: Mapping[str, Sequence[int]],
    deletes: Mapping[str, Sequence[str]],
    name_entry: Sequence[int],
    name_text: Sequence[str],
    name_kind: Sequence[str],
    name_core: Sequence[tuple[str, ...]],
    name_forms: Sequence[tuple[str, ...]],
    name_form_text: Sequence[tuple[str, ...]],
    name_wsum: Sequence[float],
    scalars: Mapping[str, Any],
) -> bytes:
    """One index file from the builder's containers (``words``: word -> rarity)."""
    vocab = list(words)
    ids = {w: i for i, w in enumerate(vocab)}
    kinds = sorted(set(name_kind))
    sources = sorted({str(r[SOURCE]) for r in rows})
    types = sorted({str(r[TYPE] or "") for r in rows})
    arrays: dict[str, Any] = {}
    arrays["tok_blob"], arrays["tok_off"] = strings(vocab)
    arrays["idf"] = np.asarray([words[w] for w in vocab], dtype="<f8")
    arrays["df"] = np.asarray([df.get(w, 0) for w in vocab], dtype="<i4")
    arrays["post_ids"], arrays["post_off"] = ragged(postings.get(w, ()) for w in vocab)
    arrays.update({f"joined_{k}": v for k, v in HashedPostings.build(joined).items()})
    table = HashedLists.build({k: [ids[w] for w in v] for k, v in deletes.items()})
    arrays.update({f"del_{k}": v for k, v in table.items()})
    arrays["name_entry"] = np.asarray(name_entry, dtype="<u4")
    arrays["name_wsum"] = np.asarray(name_wsum, dtype="<f8")
    arrays["name_tok"], arrays["name_tok_off"] = ragged(
        [ids[t] for t in core] for core in name_core
    )
    arrays["name_blob"], arrays["name_off"] = strings(name_text)
    arrays["name_kind"] = np.asarray([kinds.index(k) for k in name_kind], dtype="u1")
    arrays["form_blob"], arrays["form_off"] = strings(
        f"{_US.join(f)}{_RS}{_US.join(t)}" if f or t else ""
        for f, t in zip(name_forms, name_form_text, strict=True)
    )
    arrays["row_blob"], arrays["row_off"] = strings(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows
    )
    arrays["entry_source"] = np.asarray([sources.index(str(r[SOURCE])) for r in rows], "<u2")
    arrays["entry_type"] = np.asarray([types.index(str(r[TYPE] or "")) for r in rows], "u1")
    arrays["cc_blob"], arrays["cc_off"] = strings(",".join(r[COUNTRIES]) for r in rows)  # type: ignore[arg-type]
    extra = {"kinds": kinds, "sources": sources, "types": types}
    return pack(arrays, {**scalars, **extra})


def _row(text: str) -> tuple[object, ...]:
    return tuple(tuple(v) if isinstance(v, list) else v for v in json.loads(text))


def open_state(buf: Any) -> dict[str, Any]:
    """The index's attributes as views into ``buf`` (bytes or a memory map of the file)."""
    a, s = unpack(buf)
    missing = {"tok_blob", "joined_hashes", "del_hashes", "row_blob", "name_tok"} - set(a)
    if missing:
        raise IndexFormatError(f"index file lacks {', '.join(sorted(missing))}")
    words = Strings(a["tok_blob"], a["tok_off"])
    vocab = Vocabulary(words)
    name_tok = Ragged(a["name_tok"], a["name_tok_off"])
    forms = Strings(a["form_blob"], a["form_off"])
    rows = Strings(a["row_blob"], a["row_off"])
    ccs = Strings(a["cc_blob"], a["cc_off"])
    sources, types, kinds = s["sources"], s["types"], s["kinds"]
    src, typ, kind_codes = a["entry_source"].data, a["entry_type"].data, a["name_kind"].data
    n_names = len(a["name_entry"])

    def core(ni: int) -> tuple[str, ...]:
        return tuple(words[i] for i in name_tok[ni].tolist())

    def form_part(k: int) -> Any:
        def get(ni: int) -> tuple[str, ...]:
            part = forms[ni].split(_RS)[k] if forms[ni] else ""
            return tuple(part.split(_US)) if part else ()

        return get

    def meta(ei: int) -> tuple[str, str | None, tuple[str, ...]]:
        cc = ccs[ei]
        return sources[src[ei]], types[typ[ei]] or None, tuple(cc.split(",")) if cc else ()

    return {
        "vocab": vocab,
        "idf": ByToken(vocab, _floats(a["idf"])),
        "df": ByToken(vocab, a["df"].data.cast("B").cast("i")),
        "postings": ByToken(vocab, Ragged(a["post_ids"], a["post_off"])),
        "joined_postings": HashedPostings(
            a["joined_hashes"],
            Strings(a["joined_key_blob"], a["joined_key_off"]),
            Ragged(a["joined_ids"], a["joined_offsets"]),
        ),
        "deletes": HashedLists(a["del_hashes"], a["del_offsets"], a["del_ids"], words),
        "name_entry": a["name_entry"].data.cast("B").cast("I"),
        "name_entry_array": a["name_entry"],
        "name_tok": name_tok,
        "name_wsum": a["name_wsum"],
        "idf_array": a["idf"],
        "name_text": Strings(a["name_blob"], a["name_off"]),
        "name_kind": Decoded(n_names, lambda ni: kinds[kind_codes[ni]]),
        "name_core": Decoded(n_names, core),
        "name_forms": Decoded(n_names, form_part(0)),
        "name_form_text": Decoded(n_names, form_part(1)),
        "rows": Decoded(len(rows), lambda ei: _row(rows[ei])),
        "meta": Decoded(len(rows), meta),
        "entry_source": a["entry_source"],
        "source_codes": sources,
        "max_idf": float(s["max_idf"]),
        "syllable_forms": list(s["syllable_forms"]),
    }
