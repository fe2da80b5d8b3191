"""matcher._gallery_writer: a gallery streamed to its folder is the gallery `Gallery.save` writes."""

from __future__ import annotations

import json
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from matcher import Gallery, Template, _fillers, _gallery, _gallery_writer, _index


@pytest.fixture(scope="module")
def templates(prints) -> list[Template]:
    """Phase prints, fillers derived from them, one template with more minutiae than a posting can
    name (300 > 256) and one too small to have a cylinder."""
    base = [Template.from_image(img, 500) for img in prints.values()]
    rng = np.random.default_rng(3)
    out = base + [_fillers.derive(base[k % 5], base[(k + 2) % 5], rng) for k in range(30)]
    big = np.column_stack(
        [rng.uniform(0, 600, 300), rng.uniform(0, 600, 300), rng.uniform(0, 6.2, 300), np.ones(300)]
    )
    out.insert(11, Template(big, 640, 640))
    out.insert(20, Template(big[:2], 640, 640))
    return out


def _entries(templates: list[Template]) -> list[tuple[str, int, Template]]:
    return [(f"S{k // 3}", 1 + k % 10, t) for k, t in enumerate(templates)]


def _saved(tmp_path: Path, entries: list) -> Path:
    g = Gallery()
    for sid, finger, t in entries:
        g.add(sid, finger, t)
    g.save(tmp_path / "saved")
    return tmp_path / "saved"


def _same_files(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_streamed_indexed_gallery_is_the_saved_one_byte_for_byte(tmp_path, templates, monkeypatch) -> None:
    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)  # indexed, as a large gallery
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 7)  # several blocks, the last one short
    entries = _entries(templates)
    saved = _saved(tmp_path, entries)
    assert (saved / "index_postings.npy").is_file()
    n = _gallery_writer.write(tmp_path / "streamed", iter(entries))
    assert n == len(entries)
    _same_files(saved, tmp_path / "streamed")
    loaded = Gallery.load(tmp_path / "streamed")
    assert loaded.search(templates[3], top=1)[0].subject_id == "S1"


def test_a_small_gallery_streamed_over_an_indexed_one(tmp_path, templates, monkeypatch) -> None:
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 4)
    entries = _entries(templates[:8])  # below INDEX_MIN: no index
    saved = _saved(tmp_path, entries)
    monkeypatch.setattr(_gallery, "INDEX_MIN", 5)
    _gallery_writer.write(tmp_path / "streamed", entries)  # first indexed …
    monkeypatch.setattr(_gallery, "INDEX_MIN", 5000)
    _gallery_writer.write(tmp_path / "streamed", entries)  # … then replaced by the small one
    _same_files(saved, tmp_path / "streamed")
    assert not list((tmp_path / "streamed").glob("*.tmp"))


class _Tracked(Template):
    """A template that can be watched by a weak reference (Template has slots, no __weakref__)."""


def test_the_writer_keeps_no_template_once_its_rows_are_taken(tmp_path, templates, monkeypatch) -> None:
    # A million Template objects (with their arrays) must never be held at once: each one's rows
    # are copied into the block being packed, and the template itself is let go.
    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 8)
    refs: list[weakref.ref] = []
    held: list[list[int]] = []

    def entries() -> Iterator[tuple[str, int, Template]]:
        for k, t in enumerate(templates):
            held.append([i for i, r in enumerate(refs[:-1]) if r() is not None])
            tracked = _Tracked(t.minutiae, t.width, t.height, texture=t.texture)
            refs.append(weakref.ref(tracked))
            yield f"S{k}", 1, tracked
            del tracked

    _gallery_writer.write(tmp_path / "g", entries())
    assert held == [[]] * len(templates)
    assert len(Gallery.load(tmp_path / "g")) == len(templates)


def test_a_bad_enrolment_is_refused_and_leaves_no_file(tmp_path, templates) -> None:
    with pytest.raises(ValueError, match="finger"):
        _gallery_writer.write(tmp_path / "g", [("S0", 1, templates[0]), ("S1", 11, templates[1])])
    assert list((tmp_path / "g").iterdir()) == []


def _every_array(g: Gallery) -> dict[str, np.ndarray]:
    v = g._snapshot()
    arrays = {"minutiae": v.minutiae, "texture": v.texture, "offsets": v.offsets, "fingers": v.fingers}
    if v.index is not None:
        arrays.update({"index_offsets": v.index.offsets, "index_postings": v.index.postings})
    return arrays


@pytest.mark.parametrize("indexed", [True, False])
def test_a_part_split_from_a_saved_gallery_is_that_part_saved(
    tmp_path, templates, monkeypatch, indexed
) -> None:
    # A cluster's shard cut out of a gallery built in one process: the index is the source's
    # postings of the shard's templates, renumbered, not hashed again; the files are those a
    # gallery of the same enrolments saves, byte for byte.
    monkeypatch.setattr(_gallery, "INDEX_MIN", 10 if indexed else 5000)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 7)
    entries = _entries(templates)
    source = _saved(tmp_path, entries)
    select = np.array([k for k, (sid, _f, _t) in enumerate(entries) if int(sid[1:]) % 3 != 1])
    assert len(select) >= 10  # indexed when its source is
    n = _gallery_writer.split(source, select, tmp_path / "part")
    assert n == len(select)
    alone = _saved(tmp_path / "alone", [entries[k] for k in select])
    _same_files(alone, tmp_path / "part")
    assert (tmp_path / "part" / "index_postings.npy").is_file() == indexed


def test_a_sealed_part_holds_nothing_in_clear_and_opens_to_the_same_gallery(
    tmp_path, templates, monkeypatch
) -> None:
    from booking_station.envelope import FILE_MAGIC, Sealer

    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 4)
    entries = _entries(templates)
    source = _saved(tmp_path, entries)
    select = np.arange(3, len(entries), 2)
    sealer = Sealer(bytes(range(32)))
    _gallery_writer.split(source, select, tmp_path / "sealed", sealer)
    files = sorted((tmp_path / "sealed").iterdir())
    assert [p.name for p in files] == sorted(p.name for p in source.iterdir())
    assert all(p.read_bytes().startswith(FILE_MAGIC) for p in files)  # gallery.json too: subject ids
    with pytest.raises(ValueError, match="sealed"):
        Gallery.load(tmp_path / "sealed")
    opened = Gallery.load(tmp_path / "sealed", sealer)
    alone = Gallery.load(_saved(tmp_path / "alone", [entries[k] for k in select]))
    assert opened._subjects == alone._subjects
    for name, array in _every_array(alone).items():
        assert np.array_equal(_every_array(opened)[name], array), name
    probe = templates[5]  # S1, finger 6: in the part
    assert opened.search(probe, top=3) == alone.search(probe, top=3)
    assert opened.search(probe, top=1)[0].subject_id == "S1"


def test_a_split_is_refused_a_selection_out_of_order_and_writes_nothing(tmp_path, templates) -> None:
    source = _saved(tmp_path, _entries(templates[:6]))
    for bad in ([2, 1], [0, 6], [-1, 2], [1, 1]):
        with pytest.raises(ValueError, match="increasing order"):
            _gallery_writer.split(source, np.array(bad), tmp_path / "part")
    assert not (tmp_path / "part").exists()


@pytest.mark.parametrize("how", ["write", "sealed write", "split"])
def test_a_write_that_fails_late_leaves_the_old_gallery_and_no_partial_file(
    tmp_path, templates, monkeypatch, how
) -> None:
    # The postings are the last big file: a failure there (a full disk, a bad key) came after
    # the templates' files were written beside the old gallery's.
    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)
    entries = _entries(templates)
    source = _saved(tmp_path, entries)
    target = tmp_path / "target"
    _gallery_writer.write(target, entries[:12])
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def failing(*_args) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_index, "fill_ragged", failing)
    monkeypatch.setattr(_index, "fill_old", failing)
    with pytest.raises(OSError, match="No space"):
        if how == "write":
            _gallery_writer.write(target, entries)
        elif how == "sealed write":
            from booking_station.envelope import Sealer

            _gallery_writer.write(target, entries, Sealer(bytes(range(32))))
        else:
            _gallery_writer.split(source, np.arange(len(entries) - 1), target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert len(Gallery.load(target)) == 12


def _spy_on_spills(monkeypatch, tmp_path: Path) -> dict[Path, bytes]:
    """The temporary folder's files (the spilled keys), as they are when the postings are first
    filled: the writer's temporary folder is made under tmp_path / "spill"."""
    (tmp_path / "spill").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "spill"))
    seen: dict[Path, bytes] = {}
    fill = _index.fill_ragged

    def spying(*args) -> None:  # type: ignore[no-untyped-def]
        if not seen:
            seen.update({p: p.read_bytes() for p in (tmp_path / "spill").rglob("*") if p.is_file()})
        return fill(*args)

    monkeypatch.setattr(_index, "fill_ragged", spying)
    return seen


@pytest.mark.parametrize("indexed", [True, False])
def test_a_sealed_streamed_gallery_holds_nothing_in_clear_and_opens_to_the_same_gallery(
    tmp_path, templates, monkeypatch, indexed
) -> None:
    # What a cluster's shard actor streams with the galleries' key: every file sealed as
    # Gallery.save(path, sealer) seals it, opening to the gallery the unsealed write makes.
    from booking_station import envelope
    from booking_station.envelope import FILE_MAGIC, Sealer

    monkeypatch.setattr(_gallery, "INDEX_MIN", 10 if indexed else 5000)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 7)
    monkeypatch.setattr(envelope, "_FILE_CHUNK", 4096)  # files of many chunks, header in the first
    entries = _entries(templates)
    _gallery_writer.write(tmp_path / "clear", entries)
    sealer = Sealer(bytes(range(32)))
    assert _gallery_writer.write(tmp_path / "sealed", iter(entries), sealer) == len(entries)
    files = sorted((tmp_path / "sealed").iterdir())
    assert [p.name for p in files] == sorted(p.name for p in (tmp_path / "clear").iterdir())
    assert all(p.read_bytes().startswith(FILE_MAGIC) for p in files)  # gallery.json too: subject ids
    assert (tmp_path / "sealed" / "minutiae.npy").stat().st_size > 3 * 4096
    meta = json.loads(
        sealer.read_file(tmp_path / "sealed" / "gallery.json", _gallery._context("gallery.json", None))
    )
    assert len(meta["sealed"]) == 16 and meta["index"] == (_gallery._INDEX_PARAMS if indexed else None)
    with pytest.raises(ValueError, match="sealed"):
        Gallery.load(tmp_path / "sealed")
    opened, clear = Gallery.load(tmp_path / "sealed", sealer), Gallery.load(tmp_path / "clear")
    assert (opened._ix is not None) == (clear._ix is not None) == indexed
    assert opened._subjects == clear._subjects
    for name, array in _every_array(clear).items():
        assert np.array_equal(_every_array(opened)[name], array), name
    probe = templates[5]  # S1, finger 6
    assert opened.search(probe, top=3) == clear.search(probe, top=3)


def test_the_spilled_keys_of_a_sealed_write_are_sealed_with_a_key_never_kept(
    tmp_path, templates, monkeypatch
) -> None:
    # The hash keys of minutiae are derived from prints: not in clear at rest, even for a moment.
    from booking_station.envelope import FILE_MAGIC, Sealer, WrongKey

    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 7)
    spills = _spy_on_spills(monkeypatch, tmp_path)
    sealer = Sealer(bytes(range(32)))
    _gallery_writer.write(tmp_path / "sealed", _entries(templates), sealer)
    assert len(spills) == _gallery._INDEX_PARAMS["hashes"]
    assert all(raw.startswith(FILE_MAGIC) for raw in spills.values())
    (tmp_path / "copy").write_bytes(next(iter(spills.values())))
    with pytest.raises(WrongKey, match="another key"):
        sealer.read_file(tmp_path / "copy", _gallery_writer._SPILL_CONTEXT)
    assert not list((tmp_path / "spill").rglob("*"))  # the temporary folder is gone


@pytest.mark.parametrize("indexed", [True, False])
def test_a_forced_mode_is_what_the_gallery_saves_in_that_mode(
    tmp_path, templates, monkeypatch, indexed
) -> None:
    # A shard of an indexed whole gallery is indexed whatever its size (and one of an unindexed
    # whole gallery is not): Gallery._snapshot(indexed) then save, as backend/cluster/_shard.py does.
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 5)
    monkeypatch.setattr(_gallery, "INDEX_MIN", 5000 if indexed else 10)  # the other mode by size
    entries = _entries(templates[:14])
    g = Gallery()
    for sid, finger, t in entries:
        g.add(sid, finger, t)
    g._snapshot(indexed)
    g.save(tmp_path / "saved")
    assert (tmp_path / "saved" / "index_postings.npy").is_file() == indexed
    _gallery_writer.write(tmp_path / "streamed", entries, indexed=indexed)
    _same_files(tmp_path / "saved", tmp_path / "streamed")
