"""One shard: a saved `matcher.Gallery` on this node's disk, kept resident by a Ray actor.

Its files are sealed with the galleries' data key (`backend._gallery_key`), which the backend hands
to the actor when it starts it; they are opened into the actor's memory. Files that do not open
(altered, or sealed with another key) are reported by `info()["refused"]`, never served as empty.

The actor's constructor loads the shard's files; Ray runs it again when it restarts the actor
after a crash, so a restarted shard serves the same files. Searches run on several threads at once
(the matcher's kernels release the GIL).
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from backend.cluster import _wire

#: Written last when a shard's files are complete: a shard without it is (re)built.
COMPLETE = "complete"
#: Shard files live here under the node's cache folder unless the backend is given --shard-dir.
DEFAULT_ROOT = "shards"


class ShardServer:
    def __init__(self, root: str | None, relative: str, threads: int, key: bytes) -> None:
        self.started = time.time()
        self.search_cpu_s = 0.0
        from booking_station import runtime
        from booking_station.envelope import Sealer

        runtime.prepare_environment()  # numba's kernel cache, before numba is imported here
        import numba

        from matcher import Gallery

        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        self.folder = resolve(root, relative)
        self.import_s = time.time() - self.started  # numba and the matcher
        self.sealer = Sealer(key)
        self.complete = (self.folder / COMPLETE).is_file()
        self.refused: str | None = None
        try:
            self._serve(Gallery.load(self.folder, self.sealer) if self.complete else Gallery())
        except ValueError as exc:
            self._serve(Gallery())
            self.refused = str(exc)
        if self.complete and len(self.gallery):
            # Index offsets and norms ready before the first search, in the mode it was saved in
            # (the whole gallery's, which may index a shard smaller than INDEX_MIN).
            self.gallery._snapshot(self.gallery._ix is not None)
        # What a restart costs here (after Ray has started the process): imports, then the files
        # and what a search needs before it can start (the index's norms; a small shard's
        # cylinders are in its files).
        self.load_s = time.time() - self.started - self.import_s

    def _serve(self, gallery) -> None:  # type: ignore[no-untyped-def]
        from matcher import _parts

        self.gallery = gallery
        self.part = _parts.Part(gallery, pin=True)

    # --- building -----------------------------------------------------------------------------
    def add(self, items: list[tuple[str, int, _wire.Wire]]) -> int:
        for subject_id, finger, wire in items:
            self.gallery.add(subject_id, finger, _wire.unpack(wire))
        return len(self.gallery)

    def save(self, indexed: bool | None = None) -> dict:
        """Write the gallery (and its index, when the whole gallery is `indexed`) into the
        folder, the completion mark last."""
        from matcher import Gallery

        (self.folder / COMPLETE).unlink(missing_ok=True)
        self.gallery._snapshot(indexed)
        # A shard searched without the index keeps its cylinders with its files: a restarted actor
        # loads them instead of building them (most of a killed small shard's 11 s answer).
        self.gallery.save(self.folder, self.sealer, cylinders=True)
        (self.folder / COMPLETE).write_text("ok\n")
        self._serve(
            Gallery.load(self.folder, self.sealer)
        )  # served from the files from now on, as after a restart
        self.gallery._snapshot(indexed)
        self.refused = None
        self.complete = True
        return self.info()

    def write(self, enrolments: Callable[[], Iterable[tuple]], indexed: bool) -> dict:
        """Write the shard's files straight from `enrolments()` ((subject id, finger, template),
        made here on its node by the caller's function), a block at a time and sealed
        (`matcher._gallery_writer.write`): no template travels and the shard is never whole in
        memory while it is written. Then serve the files, as after a restart."""
        from matcher import Gallery, _gallery_writer

        (self.folder / COMPLETE).unlink(missing_ok=True)
        self._serve(Gallery())  # what was held before is dropped, not kept beside the new files
        self.complete, self.refused = False, None
        _gallery_writer.write(self.folder, enrolments(), self.sealer, indexed=indexed)
        if not indexed:  # searched by its cylinders: kept with the files, as `save` keeps them
            gallery = Gallery.load(self.folder, self.sealer)
            gallery._snapshot(False)
            gallery.save(self.folder, self.sealer, cylinders=True)
        (self.folder / COMPLETE).write_text("ok\n")
        self._serve(Gallery.load(self.folder, self.sealer))
        self.gallery._snapshot(indexed)
        self.complete = True
        return self.info()

    def clear(self) -> None:
        """Forget the shard's contents and its files (before a rebuild)."""
        from matcher import Gallery

        shutil.rmtree(self.folder, ignore_errors=True)
        self._serve(Gallery())
        self.complete, self.refused = False, None

    # --- searching: the stages of matcher._parts, each answered with the seconds spent here -------
    def _stage(self, work):  # type: ignore[no-untyped-def]
        """(work(), its wall seconds); its CPU (the process's, all threads) is added to `search_cpu_s`."""
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return work(), time.perf_counter() - t0
        finally:
            self.search_cpu_s += time.process_time() - c0

    def open(
        self, search: str, queries: list, indexed: bool, whole_indexed: bool, keys: list | None = None
    ) -> tuple[object, float]:
        def work():  # type: ignore[no-untyped-def]
            unpacked = [(_wire.unpack(w), finger) for w, finger in queries]
            return self.part.open(search, unpacked, indexed, whole_indexed, keys)

        return self._stage(work)

    def check(self, search: str, asks: list) -> tuple[list, float]:
        return self._stage(lambda: self.part.check(search, asks))

    def verify(self, search: str, asks: list) -> tuple[list, float]:
        return self._stage(lambda: self.part.verify(search, asks))

    def score(self, search: str, asks: list, top: int, tenprint: bool) -> tuple[list, float]:
        return self._stage(lambda: self.part.score(search, asks, top, tenprint))

    def forget(self, search: str) -> None:
        """Drop a search the driver gave up or started again."""
        self.part.forget(search)

    # --- what the admin page shows ------------------------------------------------------------
    def info(self) -> dict:
        import ray

        context = ray.get_runtime_context()
        return {
            "folder": str(self.folder),
            "complete": self.complete and self.refused is None,
            "refused": self.refused,
            "templates": len(self.gallery),
            "subjects": len(self.gallery.subjects()),
            "disk_bytes": _disk_bytes(self.folder),
            "resident_bytes": _resident_bytes(),
            "node_id": context.get_node_id(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": self.started,
            "import_s": round(self.import_s, 3),
            "load_s": round(self.load_s, 3),
            "restarted": bool(context.was_current_actor_reconstructed),
            "searches_held": self.part.held(),
            # CPU spent in search stages since it started (the process's, all threads, during each
            # stage; stages of concurrent searches overlap): the bench's CPU per search, whatever
            # the load. Its idle CPU (Ray's own threads) is not in it.
            "search_cpu_s": self.search_cpu_s,
        }

    def ping(self) -> int:
        return os.getpid()


def _disk_bytes(folder: Path) -> int:
    try:
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    except OSError:
        return 0


def _resident_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def resolve(root: str | None, relative: str) -> Path:
    """A shard's folder on this node: under `root`, or under this node's cache folder."""
    if root is None:
        from booking_station.runtime import cache_dir

        return cache_dir() / DEFAULT_ROOT / relative
    return Path(root).expanduser() / relative


def holding(root: str | None, relatives: list[str]) -> list[bool]:
    """Which of these shards this node holds complete files of (run on each node as a task)."""
    return [(resolve(root, r) / COMPLETE).is_file() for r in relatives]
