"""The index file: what is read back is what was built, from bytes or a memory map."""

from __future__ import annotations

import mmap
import random
from pathlib import Path

import pytest

from chipexport.model import ListEntry
from chipexport.screening import ScreeningIndex, build_index
from chipexport.screening.arrays import MAGIC, IndexFormatError
from chipexport.screening.variants import deletes, to_row


@pytest.fixture(scope="module")
def built(csl_entries: list[ListEntry]) -> ScreeningIndex:
    return build_index(csl_entries[:2000])


def _mapped(tmp_path: Path, data: bytes) -> ScreeningIndex:
    path = tmp_path / "index.idx"
    path.write_bytes(data)
    with path.open("rb") as fh:
        return ScreeningIndex.loads(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))


def test_rows_and_tables_read_back(
    built: ScreeningIndex, csl_entries: list[ListEntry], tmp_path: Path
) -> None:
    loaded = _mapped(tmp_path, built.dumps())
    assert len(loaded) == 2000
    for ei in (0, 3, 1999):
        assert loaded.rows[ei] == to_row(csl_entries[ei])
        assert loaded.entry(ei) == csl_entries[ei]  # (``raw`` is not kept nor compared)
    assert list(loaded.rows[3:5]) == [to_row(e) for e in csl_entries[3:5]]
    assert loaded.sources() == {e.source for e in csl_entries[:2000]}
    assert loaded.meta[0] == (
        csl_entries[0].source, csl_entries[0].entity_type, csl_entries[0].countries
    )


def test_every_word_is_found_under_its_deletions(built: ScreeningIndex) -> None:
    words = [w for w in built.idf if len(w) >= 4 and w.isalpha()]
    for w in random.Random(1).sample(words, 200):
        for d in deletes(w):
            assert w in built.deletes.get(d, "").split()
    assert built.deletes.get("zzzzqqqq") is None


def test_postings_point_at_names_holding_the_word(built: ScreeningIndex) -> None:
    for w in random.Random(2).sample(list(built.idf), 100):
        names = built.postings[w].tolist()
        assert names == sorted(set(names))
        assert all(w in built.name_core[ni] for ni in names)


def test_another_format_is_refused(built: ScreeningIndex) -> None:
    data = built.dumps()
    with pytest.raises(IndexFormatError):
        ScreeningIndex.loads(b"not an index" + data)
    with pytest.raises(IndexFormatError):
        ScreeningIndex.loads(data.replace(b'"format": 1', b'"format": 9', 1))
    with pytest.raises(IndexFormatError):
        ScreeningIndex.loads(data[: len(data) // 2])
    assert data.startswith(MAGIC)
