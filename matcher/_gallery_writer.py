"""A large gallery written straight to its folder, template by template (`write`).

`Gallery.add` of a million rolled templates and then `Gallery.save` holds the whole gallery in
memory at once: minutiae and texture descriptors (5.5 GB on generator version 11), and the
index's postings beside them (5.2 GB) while the index is filled. `write` makes the same folder
(the files that gallery saves without cylinders: byte for byte unsealed, or sealed as
`Gallery.save(path, sealer)` seals them) from an iterator of enrolments holding only a block of
templates at a time:
- templates are packed a block of `_gallery._HASH_CHUNK` at a time; each block's minutiae and
  texture rows are appended to their .npy files and hashed into the index's keys, and the
  block (with its Template objects) is dropped;
- the keys are spilled to a temporary folder, one file per hash function, unpadded (one key
  per indexed minutia), while the buckets are counted; when the gallery is sealed, so are they,
  with a key made for this write and never stored (they are derived from prints), and each
  hash function's spill is opened whole when it is read back (4 bytes a minutia);
- the postings are then filled one hash function at a time (its buckets are one contiguous
  range of the inverted lists: about a twelfth of them) and appended to their file.
The postings keep the order `Gallery._build_index` gives them (template, then minutia, within
a bucket), so the index is the same. The minutiae and texture files' row counts are known only
at the end: their .npy header is rewritten then, in place when unsealed, and sealed files are
opened with a rewritable start (booking_station.envelope: their first chunk is sealed at close).
Whether the index is written follows the gallery's size, or `indexed` (a cluster's shard is
indexed as its whole gallery is, as `Gallery._snapshot(indexed)` decides).

`split` writes a gallery of some of a saved gallery's templates (a cluster's shard of a gallery
built in one process), sealed or not, without hashing again: its rows are copied a block at a
time, and its index is the saved index's postings of those templates, renumbered (a template's
keys depend only on its minutiae, and renumbering in order keeps each bucket's order), filled one
hash function at a time. Every size is known before the first byte, so each file is written
once, front to back.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from matcher import _gallery, _index, _texture
from matcher._template import Template

if TYPE_CHECKING:
    from booking_station.envelope import SealedFileWriter, Sealer


_NAMES = (
    "minutiae",
    "texture",
    "offsets",
    "fingers",
    "index_offsets",
    "index_postings",
)  # a folder's .npy files


class _NpyRows:
    """An .npy file appended row block by row block, sealed with `sealer` (and `context`) when one
    is given. When its final row count is not known, its header (the same bytes `np.save` writes
    for the final array) is rewritten with the count when it is closed: numpy pads the header for
    a growing first axis, so its length does not depend on the count (a sealed file is then
    written with a rewritable start: its first chunk is sealed at close). When it is known
    (`rows`), the header is written once."""

    def __init__(
        self,
        path: Path,
        dtype: np.dtype,
        row_shape: tuple[int, ...],
        rows: int | None = None,
        sealer: Sealer | None = None,
        context: bytes = b"",
    ) -> None:
        self.path, self.dtype, self.row_shape, self.rows = path, np.dtype(dtype), row_shape, 0
        self.expected = rows
        self._sealed = sealer is not None
        if sealer is not None:
            self._fh = sealer.file_writer(path, context, rewritable_start=rows is None)
        else:
            self._fh = open(path, "wb")  # noqa: SIM115 - closed by close() or discard()
        self._fh.write(self._header(rows or 0))

    def _header(self, rows: int) -> bytes:
        d = {
            "descr": np.lib.format.dtype_to_descr(self.dtype),
            "fortran_order": False,
            "shape": (rows, *self.row_shape),
        }
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(buf, d)
        return buf.getvalue()

    def append(self, block: np.ndarray) -> None:
        if block.dtype != self.dtype or block.shape[1:] != self.row_shape:
            raise ValueError(f"{self.path.name}: rows of {block.dtype} {block.shape[1:]} do not fit")
        self._fh.write(np.ascontiguousarray(block).data)
        self.rows += len(block)

    def close(self) -> None:
        if self.expected is not None:
            if self.rows != self.expected:
                self.discard()
                raise RuntimeError(f"{self.path.name}: {self.rows} rows written, {self.expected} announced")
            self._fh.close()
            return
        header = self._header(self.rows)
        if len(header) != len(self._header(0)):  # numpy stopped padding: never write a bad file
            raise RuntimeError(f"{self.path.name}: the .npy header changed length")
        if self._sealed:
            self._fh.rewrite_start(header)
        else:
            self._fh.seek(0)
            self._fh.write(header)
        self._fh.close()

    def discard(self) -> None:
        self._fh.__exit__(RuntimeError, None, None)  # closed without a last chunk
        self.path.unlink(missing_ok=True)


def _entry(subject_id: str, finger: int, template: Template) -> tuple[np.ndarray, np.ndarray]:
    """The rows `Gallery.add` keeps of one enrolment (checked as it checks them)."""
    if not isinstance(subject_id, str) or not subject_id:
        raise ValueError("subject_id must be a non-empty string")
    if not isinstance(template, Template):
        raise TypeError(f"template must be a Template, got {type(template).__name__}")
    _gallery._check_finger(finger)
    return np.ascontiguousarray(template.minutiae[:, :3]), template.texture


def write(
    path: str | Path,
    entries: Iterable[tuple[str, int, Template]],
    sealer: Sealer | None = None,
    indexed: bool | None = None,
) -> int:
    """Write the gallery of `entries` ((subject id, finger, template), in enrolment order) to
    folder `path` (created or replaced, as `Gallery.save` does), sealed with `sealer` when one is
    given, and return how many there were.

    The folder is what `Gallery.add` of every entry and `Gallery.save(path, sealer)` write (byte
    for byte when unsealed), without cylinders. `indexed`: with the index or not whatever the
    size (a part of a gallery is indexed as the whole is: `Gallery._snapshot(indexed)` before the
    save); None: when there are at least `_gallery.INDEX_MIN`. `entries` is read once and no more
    than one block of its templates is held at a time."""
    with _whole_or_nothing(Path(path)):
        return _write(path, entries, sealer, indexed)


def split(source: str | Path, select: np.ndarray, path: str | Path, sealer: Sealer | None = None) -> int:
    """Write to folder `path` (created or replaced) the gallery of templates `select` (increasing
    positions) of the gallery saved unsealed in `source`, sealed with `sealer` when one is given,
    and return how many there are. With the source's index (a part of an indexed gallery is
    searched through the index, whatever its size), its postings of those templates renumbered.

    The folder is what `Gallery.add` of those enrolments and `Gallery.save(path, sealer)` write
    (byte for byte when unsealed), without the cylinders an unindexed gallery's save may keep.
    Only a block of rows and one hash function's postings are in memory at a time."""
    with _whole_or_nothing(Path(path)):
        return _split(source, select, path, sealer)


@contextlib.contextmanager
def _whole_or_nothing(folder: Path) -> Iterator[None]:
    """A write that fails leaves none of its partial files in `folder` (the gallery that was there
    before stays whole: its files are replaced only once every new one is written)."""
    try:
        yield
    except BaseException:
        for name in [*_NAMES, *(f"cylinder_{c}" for c in _gallery._CYLINDER_ARRAYS)]:
            (folder / f"{name}.npy.tmp").unlink(missing_ok=True)
        (folder / "gallery.json.tmp").unlink(missing_ok=True)
        raise


def _write(
    path: str | Path,
    entries: Iterable[tuple[str, int, Template]],
    sealer: Sealer | None,
    indexed: bool | None,
) -> int:
    p = _gallery._INDEX_PARAMS
    hashes, table_bits, chunk = p["hashes"], p["table_bits"], _gallery._HASH_CHUNK
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    save_id = os.urandom(8).hex() if sealer is not None else None
    hashed = indexed is not False  # a gallery known to go without the index is not hashed
    count = np.zeros((hashes << table_bits) + 1 if hashed else 0, np.int64)  # keys per bucket
    subjects: list[str] = []
    fingers: list[int] = []
    lengths: list[np.ndarray] = []  # minutiae per template, block by block

    def rows_file(name: str, dtype: type, row_shape: tuple[int, ...]) -> _NpyRows:
        context = _gallery._context(name, save_id)
        return _NpyRows(folder / f"{name}.npy.tmp", np.dtype(dtype), row_shape, None, sealer, context)

    minutiae = rows_file("minutiae", np.float32, (3,))
    texture = rows_file("texture", np.uint8, (_texture.BYTES,))
    # The spilled keys are derived from prints: sealed with a key of this write alone when the
    # gallery is sealed (never stored; the temporary folder goes with it).
    spill_sealer = _throwaway_sealer() if sealer is not None else None
    with tempfile.TemporaryDirectory(prefix="gallery-keys-") as tmp:
        spills = [_spill_file(Path(tmp), lh, spill_sealer) for lh in range(hashes)] if hashed else None
        try:
            block: list[tuple[np.ndarray, np.ndarray]] = []
            for subject_id, finger, template in entries:
                block.append(_entry(subject_id, finger, template))
                subjects.append(subject_id)
                fingers.append(int(finger))
                del template  # the block keeps only its rows
                if len(block) == chunk:
                    lengths.append(_pack(block, minutiae, texture, count, spills))
                    block = []
            if block:
                lengths.append(_pack(block, minutiae, texture, count, spills))
            del block
        except BaseException:
            minutiae.discard()
            texture.discard()
            raise
        finally:
            for fh in spills or []:
                fh.close()
        minutiae.close()
        texture.close()
        n = len(subjects)
        per_template = np.concatenate([np.zeros(0, np.int64), *lengths])
        arrays = {
            "offsets": np.concatenate([[0], np.cumsum(per_template)]).astype(np.int64),
            "fingers": np.array(fingers, np.int8),
        }
        if indexed is None:
            indexed = n >= _gallery.INDEX_MIN
        if indexed:
            if n > _index.MAX_TEMPLATES:
                raise ValueError(f"the index holds at most {_index.MAX_TEMPLATES} templates, not {n}")
            offsets = np.cumsum(count)
            arrays["index_offsets"] = offsets
            postings = _NpyRows(
                folder / "index_postings.npy.tmp",
                np.dtype(np.uint32),
                (),
                int(offsets[-1]),
                sealer,
                _gallery._context("index_postings", save_id),
            )
            _postings(postings, offsets, lengths, Path(tmp), spill_sealer, hashes, table_bits)
    done = ["minutiae", "texture"] + (["index_postings"] if indexed else [])
    _finish(folder, arrays, done, subjects, indexed, sealer, save_id)
    return n


def _split(source: str | Path, select: np.ndarray, path: str | Path, sealer: Sealer | None) -> int:
    src = _gallery.Gallery.load(source)
    n_src = len(src._subjects)
    select = np.asarray(select, np.int64)
    if select.ndim != 1 or (
        len(select) and (select[0] < 0 or select[-1] >= n_src or np.any(np.diff(select) <= 0))
    ):
        raise ValueError(f"select must name templates of {source} ({n_src}) in increasing order")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    save_id = os.urandom(8).hex() if sealer is not None else None

    def rows_file(name: str, dtype: type, row_shape: tuple[int, ...], rows: int) -> _NpyRows:
        context = _gallery._context(name, save_id)
        return _NpyRows(folder / f"{name}.npy.tmp", np.dtype(dtype), row_shape, rows, sealer, context)

    lengths = (src._offsets[select + 1] - src._offsets[select]).astype(np.int64)
    view = _gallery._View(
        src._minutiae, src._texture, src._offsets, src._fingers, src._subjects, None, None, src._texture_file
    )
    minutiae = rows_file("minutiae", np.float32, (3,), int(lengths.sum()))
    texture = rows_file("texture", np.uint8, (_texture.BYTES,), int(lengths.sum()))
    try:
        for lo in range(0, len(select), _gallery._HASH_CHUNK):
            m, t, _offsets = view.rows(select[lo : lo + _gallery._HASH_CHUNK])
            minutiae.append(m)
            texture.append(t)
    except BaseException:
        minutiae.discard()
        texture.discard()
        raise
    minutiae.close()
    texture.close()
    arrays = {
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "fingers": np.ascontiguousarray(src._fingers[select]).astype(np.int8),
    }
    indexed = src._ix is not None
    if indexed:
        assert src._ix is not None
        remap = np.full(n_src, -1, np.int32)
        remap[select] = np.arange(len(select), dtype=np.int32)
        count = np.zeros(len(src._ix.offsets), np.int64)
        _index.count_old(count, src._ix.offsets, src._ix.postings, remap)
        arrays["index_offsets"] = offsets = np.cumsum(count)
        postings = rows_file("index_postings", np.uint32, (), int(offsets[-1]))
        try:
            _renumbered_postings(postings, src._ix, remap, offsets)
        except BaseException:
            postings.discard()
            raise
        postings.close()
    subjects = [src._subjects[i] for i in select.tolist()]
    done = ["minutiae", "texture"] + (["index_postings"] if indexed else [])
    _finish(folder, arrays, done, subjects, indexed, sealer, save_id)
    return len(select)


def _renumbered_postings(
    out_file: _NpyRows, ix: _gallery._Index, remap: np.ndarray, offsets: np.ndarray
) -> None:
    """The postings of the templates `remap` keeps, renumbered, one hash function at a time."""
    p = _gallery._INDEX_PARAMS
    for lh in range(p["hashes"]):
        first, stop = lh << p["table_bits"], (lh + 1) << p["table_bits"]
        base = int(offsets[first])
        fill = offsets[first:stop] - base
        out = np.empty(int(offsets[stop]) - base, np.uint32)
        _index.fill_old(fill, out, ix.offsets[first : stop + 1], ix.postings, remap)
        if not np.array_equal(fill, offsets[first + 1 : stop + 1] - base):
            raise RuntimeError("the renumbered postings disagree with their count")
        out_file.append(out)
        del out


def _finish(
    folder: Path,
    arrays: dict[str, np.ndarray],
    done: list[str],
    subjects: list[str],
    indexed: bool,
    sealer: Sealer | None = None,
    save_id: str | None = None,
) -> None:
    """Write the small arrays beside the `done` ones (written as name.npy.tmp), rename them all
    into place, remove what an older gallery in the folder had and this one has not, and write
    gallery.json last (as `Gallery.save` does)."""
    for name, array in arrays.items():
        tmp = folder / f"{name}.npy.tmp"
        if sealer is None:
            with open(tmp, "wb") as fh:
                np.save(fh, array)
        else:
            with sealer.file_writer(tmp, _gallery._context(name, save_id)) as sealed:
                np.save(sealed, array)  # type: ignore[arg-type]
    for name in [*done, *arrays]:
        os.replace(folder / f"{name}.npy.tmp", folder / f"{name}.npy")
    stale = [] if indexed else ["index_offsets", "index_postings"]
    for name in stale + [f"cylinder_{c}" for c in _gallery._CYLINDER_ARRAYS]:
        (folder / f"{name}.npy").unlink(missing_ok=True)
    meta = {
        "format": _gallery._FORMAT,
        "subjects": subjects,
        "index": _gallery._INDEX_PARAMS if indexed else None,
        "cylinders": False,
        "sealed": save_id,
    }
    text = json.dumps(meta).encode()
    tmp = folder / "gallery.json.tmp"
    if sealer is None:
        tmp.write_bytes(text)
    else:
        with sealer.file_writer(tmp, _gallery._context("gallery.json", None)) as sealed:
            sealed.write(text)
    os.replace(tmp, folder / "gallery.json")


_SPILL_CONTEXT = b"booking-station gallery writer/spilled keys"


def _throwaway_sealer() -> Sealer:
    from booking_station.envelope import Sealer

    return Sealer(os.urandom(32))


def _spill_file(folder: Path, lh: int, sealer: Sealer | None) -> BinaryIO | SealedFileWriter:
    """Where hash function `lh`'s keys are spilled (sealed with `sealer` when one is given)."""
    path = folder / f"{lh}.u32"
    return sealer.file_writer(path, _SPILL_CONTEXT) if sealer is not None else open(path, "wb")  # noqa: SIM115


def _spilled_keys(
    folder: Path, lh: int, sealer: Sealer | None, named: Iterable[np.ndarray]
) -> Iterator[np.ndarray]:
    """Hash function `lh`'s spilled keys, a block of templates (their `named` minutiae) at a time.
    A sealed spill is opened whole (4 bytes a minutia); one in clear is read a block at a time."""
    path = folder / f"{lh}.u32"
    if sealer is None:
        with open(path, "rb") as fh:
            for block in named:
                yield np.fromfile(fh, np.uint32, int(block.sum()))
        return
    keys = np.frombuffer(sealer.read_file(path, _SPILL_CONTEXT), np.uint32)
    first = 0
    for block in named:
        yield keys[first : first + int(block.sum())]
        first += int(block.sum())


def _pack(
    block: list,
    minutiae: _NpyRows,
    texture: _NpyRows,
    count: np.ndarray,
    spills: list[BinaryIO | SealedFileWriter] | None,
) -> np.ndarray:
    """Append a block's rows to their files and, with `spills`, count its keys and spill them;
    its lengths."""
    p = _gallery._INDEX_PARAMS
    hashes = p["hashes"]
    lens = np.array([len(m) for m, _t in block], np.int64)
    rows = np.concatenate([m for m, _t in block]).astype(np.float32)
    minutiae.append(rows)
    texture.append(np.concatenate([t for _m, t in block]))
    if spills is None:
        return lens
    offsets = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    keys = _index.template_keys(
        rows, offsets, 0, len(block), _gallery._RANKS, hashes, p["band"], p["table_bits"]
    )
    _index.count_new(count, keys)
    # Slot a·hashes + lh is hash lh of minutia a: one hash function's keys are every hashes-th
    # column; only the minutiae a posting can name (MAX_MINUTIAE) are kept, in template order.
    named = np.minimum(lens, _index.MAX_MINUTIAE)
    kept = np.arange(keys.shape[1] // hashes)[None, :] < named[:, None]
    for lh in range(hashes):
        spills[lh].write(np.ascontiguousarray(keys[:, lh::hashes][kept]).data)
    return lens


def _postings(
    out_file: _NpyRows,
    offsets: np.ndarray,
    lengths: list[np.ndarray],
    spill: Path,
    spill_sealer: Sealer | None,
    hashes: int,
    table_bits: int,
) -> None:
    """Fill the inverted lists one hash function at a time from its spilled keys, into `out_file`."""
    try:
        named = [np.minimum(lens, _index.MAX_MINUTIAE) for lens in lengths]  # minutiae with postings
        for lh in range(hashes):
            first_bucket = lh << table_bits
            stop_bucket = (lh + 1) << table_bits
            base = int(offsets[first_bucket])
            fill = offsets[first_bucket:stop_bucket] - base  # where each bucket's next posting goes
            out = np.empty(int(offsets[stop_bucket]) - base, np.uint32)
            first = 0
            for block, keys in zip(named, _spilled_keys(spill, lh, spill_sealer, named), strict=True):
                _index.fill_ragged(fill, out, keys, block, first, first_bucket)
                first += len(block)
            if not np.array_equal(fill, offsets[first_bucket + 1 : stop_bucket + 1] - base):
                raise RuntimeError("the spilled keys disagree with their count")
            out_file.append(out)
            del out
    except BaseException:
        out_file.discard()
        raise
    out_file.close()
