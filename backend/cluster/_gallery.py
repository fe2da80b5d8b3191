"""A gallery split into shards served by Ray actors, searched like a `matcher.Gallery`.

`search_tenprint` and `search` run the stages of `matcher._parts` over the shards, each stage
sent to every shard at once: the shards give the index's figures of their templates, the driver
merges them into the one shortlist a single process would make over the whole gallery (same
size, same weights, same order and ties), each shard gives the full score to its part of that
shortlist, and the merge keeps the `top` best. So the candidates, scores and order are the single
process's. A subject lives in one shard with all its fingers, so its fused tenprint score is
computed whole inside that shard.

Failures: a shard whose actor died is restarted by Ray on its files; the call waiting for it is
sent again by Ray once the actor is up, and a search a restarted shard has forgotten starts
again. An actor that is dead for good (its node left the cluster) is started anew on a node that
holds the shard's files. A search gives up only after `patience` seconds without every shard's
answer, with `ShardsUnavailable`: never a result from part of the gallery.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from backend.cluster import _connect, _placement, _shard, _wire
from backend.ngi import GalleryUnavailable

log = logging.getLogger("backend.cluster")

#: Seconds a search waits for every shard (restarts included) before it gives up for now.
DEFAULT_PATIENCE = 30.0
_ADD_BATCH = 2000  # templates sent to a shard per call while enrolling
_RETRY_PAUSE = 0.25  # seconds between attempts on a failing shard
_REVIVE_AFTER = 2  # "unavailable" (restarting) failures in a row before a shard's actor is checked


class ShardsUnavailable(GalleryUnavailable):
    """Some shards did not answer in time: the search has no answer yet."""

    def __init__(self, gallery: str, shards: Mapping[int, str]) -> None:
        self.gallery = gallery
        self.shards = dict(shards)
        listed = "; ".join(f"shard {i}: {why}" for i, why in sorted(self.shards.items()))
        super().__init__(f"{gallery}: {len(self.shards)} shard(s) unavailable ({listed})")


class _Forgotten(Exception):
    """A shard answered a stage with "unknown search": it restarted since the search opened there."""

    def __init__(self, shard: int) -> None:
        super().__init__(f"shard {shard} forgot the search")
        self.shard = shard


@dataclass
class _Shard:
    index: int
    relative: str  # its folder under the root on the serving node
    node_id: str
    actor: object = None
    failures: int = 0  # in a row
    last_error: str = ""
    revived: int = 0  # actors started anew by us (Ray's own restarts are counted by the actor)
    templates: int = 0
    pending: list = field(default_factory=list)  # templates not yet sent (enrolment)


@dataclass(frozen=True)
class FanOut:
    """Timing of one fanned-out call: wall seconds, and the slowest shard's own seconds."""

    wall_s: float
    slowest_shard_s: float  # summed over the search's stages
    scored: int = 0  # templates given the full score, all shards

    @property
    def overhead_s(self) -> float:
        return max(0.0, self.wall_s - self.slowest_shard_s)


class ShardedGallery:
    """`len`, `add`, `search_tenprint` and `search` as a `matcher.Gallery`, on K shard actors."""

    def __init__(
        self,
        name: str,
        shards: list[_Shard],
        root: str | None,
        threads: int = 1,
        patience: float = DEFAULT_PATIENCE,
        *,
        key: bytes,
    ) -> None:
        self.name = name
        self._key = key  # the galleries' data key: the actors open and seal the shard files with it
        self.root = root
        self.threads = threads
        self.patience = patience
        self._shards = shards
        self._lock = threading.Lock()  # guards actor handles while a shard is revived

    # --- opening ------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        name: str,
        shards: int,
        root: str | None,
        relative: Callable[[int], str],
        threads: int = 1,
        patience: float = DEFAULT_PATIENCE,
        *,
        key: bytes,
    ) -> ShardedGallery:
        """Start one actor per shard, on a node that holds the shard's files when one does
        (they load them), otherwise spread over the alive nodes (they start empty). The shard files
        are sealed with `key` (the galleries' data key, `backend._gallery_key`)."""
        if shards < 1:
            raise ValueError(f"a gallery needs at least one shard, not {shards}")
        relatives = [relative(i) for i in range(shards)]
        nodes = [n.node_id for n in _connect.alive_nodes()]
        holders = _locate(root, relatives, nodes)
        chosen = _placement.place(holders, nodes)
        gallery = cls(
            name,
            [_Shard(i, relatives[i], chosen[i]) for i in range(shards)],
            root,
            threads,
            patience,
            key=key,
        )
        for shard in gallery._shards:
            shard.actor = gallery._start_actor(shard)
        gallery._refresh()
        return gallery

    def _start_actor(self, shard: _Shard):  # type: ignore[no-untyped-def]
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        server = ray.remote(_shard.ShardServer)
        return server.options(
            # Pinned to the node with the files; Ray restarts it there (constructor: load the files).
            scheduling_strategy=NodeAffinitySchedulingStrategy(shard.node_id, soft=False),
            max_restarts=-1,
            max_task_retries=0,  # retried here, with a deadline, not forever by Ray
            max_concurrency=4,
            num_cpus=0,  # a resident service: it takes CPU when it searches, like any process
        ).remote(self.root, shard.relative, self.threads, self._key)

    # --- contents -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(s.templates + len(s.pending) for s in self._shards)

    def _refresh(self, infos: list[dict] | None = None) -> list[dict]:
        infos = infos or self._call_all(lambda a, _i: a.info.remote())
        for shard, info in zip(self._shards, infos, strict=True):
            shard.templates = info["templates"]
        return infos

    @property
    def shards(self) -> int:
        return len(self._shards)

    def add(self, subject_id: str, finger: int, template) -> None:  # type: ignore[no-untyped-def]
        """Route a template to its subject's shard (sent in batches, and by `flush`)."""
        shard = self._shards[_placement.shard_of(subject_id, len(self._shards))]
        shard.pending.append((subject_id, int(finger), _wire.pack(template)))
        if len(shard.pending) >= _ADD_BATCH:
            self._send(shard)

    def _send(self, shard: _Shard) -> None:
        import ray

        batch, shard.pending = shard.pending, []
        shard.templates = ray.get(shard.actor.add.remote(batch))

    def flush(self) -> None:
        for shard in self._shards:
            if shard.pending:
                self._send(shard)

    def save(self, indices: list[int] | None = None) -> list[dict]:
        """The shards (all, or those of `indices`) write their files and build their index on
        their nodes, all at once; the info of every shard after."""
        import ray

        self.flush()
        from matcher import _gallery

        chosen = range(len(self._shards)) if indices is None else indices
        indexed = len(self) >= _gallery.INDEX_MIN  # the whole gallery's mode, whatever a shard's size
        ray.get([self._shards[i].actor.save.remote(indexed) for i in chosen])
        return self._refresh()

    def write(self, sources: list[Callable[[], Iterable[tuple]]], templates: int) -> list[dict]:
        """Every shard writes its files from its own source of enrolments, all at once on their
        nodes: `sources[i]()` runs in shard i's actor and yields that shard's (subject id, finger,
        template), its subjects only (`_placement.shard_of`), in enrolment order. Only the
        functions travel, not the templates. `templates`: the whole gallery's count, which decides
        whether every shard is indexed. The info of every shard after."""
        import ray

        from matcher import _gallery

        if len(sources) != len(self._shards):
            raise ValueError(f"{len(sources)} sources for {len(self._shards)} shards")
        if any(s.pending for s in self._shards):
            raise RuntimeError("templates added but not saved would be lost: save them first")
        indexed = templates >= _gallery.INDEX_MIN
        ray.get(
            [
                shard.actor.write.remote(source, indexed)
                for shard, source in zip(self._shards, sources, strict=True)
            ]
        )
        return self._refresh()

    def clear(self, indices: list[int]) -> None:
        import ray

        ray.get([self._shards[i].actor.clear.remote() for i in indices])
        self._refresh()

    def complete(self) -> list[bool]:
        return [i["complete"] for i in self._refresh()]

    def refused(self) -> list[str]:
        """Why shards' files were refused (altered, or sealed with another key): one line each."""
        return [
            f"shard {i}: {info['refused']}" for i, info in enumerate(self._refresh()) if info.get("refused")
        ]

    # --- searching ----------------------------------------------------------------------------
    def search_tenprint(self, probes: Mapping[int, object], top: int = 10) -> list:
        return self.search_tenprint_timed(probes, top)[0]

    def search_tenprint_timed(self, probes: Mapping[int, object], top: int = 10) -> tuple[list, FanOut]:
        from matcher import TenprintCandidate

        queries = [(_wire.pack(t, cylinders=True), int(f)) for f, t in probes.items()]
        found, timing = self._search([(t, f) for f, t in probes.items()], queries, top, tenprint=True)
        return [TenprintCandidate(sid, score, dict(fs)) for sid, score, fs in found], timing

    def search(self, probe, top: int = 10) -> list:  # type: ignore[no-untyped-def]
        return self.search_timed(probe, top)[0]

    def search_timed(self, probe, top: int = 10) -> tuple[list, FanOut]:  # type: ignore[no-untyped-def]
        from matcher import Candidate

        found, timing = self._search(
            [(probe, None)], [(_wire.pack(probe, cylinders=True), None)], top, tenprint=False
        )
        return [Candidate(sid, finger, score) for sid, finger, score in found], timing

    def _search(self, queries: list, wired: list, top: int, *, tenprint: bool) -> tuple[list, FanOut]:
        """The stages of matcher._parts over the shards: the same shortlist, scores and order as
        one `matcher.Gallery` of the same templates. A shard restarted between two stages has
        forgotten the search: it starts again (within the patience)."""
        from matcher import _gallery, _parts

        if top <= 0:
            return [], FanOut(0.0, 0.0)
        self.flush()
        deadline = time.monotonic() + self.patience
        t0 = time.perf_counter()
        forgot: dict[int, int] = {}  # shard → searches it forgot (restarted) during this one
        while True:
            shard_s = [0.0]
            search = f"{self.name}-{uuid.uuid4().hex[:12]}"

            def fan(stage: str, args: list[tuple], spent: list = shard_s) -> list:
                if stage == "open":  # the probes travel once, packed
                    args = [(a[0], wired, *a[2:]) for a in args]
                answers = self._call_all(lambda a, i: _retried(a, stage).remote(*args[i]), deadline=deadline)
                spent[0] += max((sec for _r, sec in answers), default=0.0)
                return [r for r, _sec in answers]

            try:
                # What depends on the probe alone (its cylinders, its hash keys) is made here once
                # and sent, not made again by every shard.
                outcome = _parts.run(fan, len(self._shards), queries, top, tenprint=tenprint,
                                     indexed=len(self) >= _gallery.INDEX_MIN, search=search,
                                     keys=_gallery.probe_keys)  # fmt: skip
            except _Forgotten as exc:
                self._forget(search)
                forgot[exc.shard] = forgot.get(exc.shard, 0) + 1
                log.warning("%s shard %d restarted during a search; searching again", self.name, exc.shard)
                if time.monotonic() >= deadline:
                    raise self._unavailable({}, forgot) from None
                continue
            except ShardsUnavailable as exc:
                self._forget(search)
                raise self._unavailable(exc.shards, forgot) from None
            except BaseException:
                self._forget(search)
                raise
            wall = time.perf_counter() - t0
            return outcome.found, FanOut(wall, shard_s[0], outcome.scored)

    def _forget(self, search: str) -> None:
        """Tell every shard to drop a search given up or started again (what it holds between
        stages: each template's collision score per probe finger, tens of MB at national scale).
        Not waited for: a shard that is down holds nothing."""
        for shard in self._shards:
            try:
                shard.actor.forget.remote(search)
            except Exception:  # the handle refuses (actor gone): nothing held there
                log.debug("%s shard %d: forget not sent", self.name, shard.index, exc_info=True)

    def _unavailable(self, missing: Mapping[int, str], forgot: Mapping[int, int]) -> ShardsUnavailable:
        """The shards that kept the search from an answer: those that forgot it at every attempt
        (restarted), and those that failed or did not answer, unless they only ran out of the time
        the restarting ones used up."""
        why = {
            i: f"restarted during the search (forgot it {n} time(s) in {self.patience:.0f} s)"
            for i, n in forgot.items()
        }
        for i, reason in missing.items():
            if i not in why and (not forgot or self._shards[i].failures):
                why[i] = reason
        return ShardsUnavailable(self.name, why)

    def _call_all(self, call: Callable, patience: float | None = None, deadline: float | None = None) -> list:
        """`call(actor, shard index)` on every shard (in shard order), retried on a failing shard until
        `patience` (default: the gallery's) or the `deadline` runs out."""
        import ray

        from matcher import _parts

        patience = self.patience if patience is None else patience
        deadline = time.monotonic() + patience if deadline is None else deadline
        pending: dict = {}
        for shard in self._shards:
            ref = self._submit(shard, call, deadline)
            if ref is not None:
                pending[ref] = shard
        answers: dict[int, object] = {}
        while pending and len(answers) + len(pending) == len(self._shards):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=remaining)
            if not ready:
                break
            shard = pending.pop(ready[0])
            try:
                answers[shard.index] = ray.get(ready[0])
                shard.failures = 0
            except _parts.UnknownSearch:
                raise _Forgotten(shard.index) from None
            except _shard_failures() as exc:
                self._failed(shard, exc)
                time.sleep(min(_RETRY_PAUSE, max(0.0, deadline - time.monotonic())))
                ref = self._submit(shard, call, deadline)
                if ref is not None:
                    pending[ref] = shard
        missing = [s for s in self._shards if s.index not in answers]
        if missing:
            for ref in pending:
                ray.cancel(ref)
            raise ShardsUnavailable(
                self.name,
                {s.index: s.last_error or f"no answer within {patience:.0f} s" for s in missing},
            )
        return [answers[s.index] for s in self._shards]

    def _submit(self, shard: _Shard, call: Callable, deadline: float):  # type: ignore[no-untyped-def]
        """The call's object ref, or None when the shard refused every attempt until the deadline."""
        while True:
            with self._lock:
                actor = shard.actor
            try:
                return call(actor, shard.index)
            except _shard_failures() as exc:  # the handle itself refuses (actor gone for good)
                self._failed(shard, exc)
            if time.monotonic() + _RETRY_PAUSE > deadline:
                return None
            time.sleep(_RETRY_PAUSE)

    def _failed(self, shard: _Shard, exc: BaseException) -> None:
        shard.failures += 1
        shard.last_error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        log.warning("%s shard %d failed (%d in a row): %s", self.name, shard.index, shard.failures,
                    shard.last_error)  # fmt: skip
        import ray

        if not isinstance(exc, ray.exceptions.ActorUnavailableError) or shard.failures >= _REVIVE_AFTER:
            self._revive(shard)  # dead, not restarting: started anew when Ray will not

    def _revive(self, shard: _Shard) -> None:
        """Start the shard's actor anew if it is dead for good, on a node holding its files."""
        import ray

        with self._lock:
            try:
                ray.get(shard.actor.ping.remote(), timeout=5)
                return  # alive (or restarted by Ray meanwhile)
            except (ray.exceptions.GetTimeoutError, ray.exceptions.ActorUnavailableError):
                return  # Ray is restarting it: a later attempt reaches it
            except _shard_failures():
                pass  # dead for good (its node is gone, or Ray gave up on it)
            nodes = [n.node_id for n in _connect.alive_nodes()]
            try:
                holders = _locate(self.root, [shard.relative], nodes)[0]
            except _shard_failures() + (ray.exceptions.GetTimeoutError,):
                holders = []
            if not holders:
                shard.last_error = f"no alive node holds its files ({shard.last_error})"
                return
            ray.kill(shard.actor, no_restart=True)
            shard.node_id = holders[0] if shard.node_id not in holders else shard.node_id
            shard.actor = self._start_actor(shard)
            shard.revived += 1
            log.warning("%s shard %d started anew on node %s", self.name, shard.index, shard.node_id[:12])

    # --- what the admin page shows ------------------------------------------------------------
    def placement(self, timeout: float = 3.0) -> list[dict]:
        """Each shard's node, files and state; a shard that does not answer within `timeout` is
        listed as unavailable with the reason."""
        import ray

        nodes = {n.node_id: n for n in _connect.alive_nodes()}
        refs = [s.actor.info.remote() for s in self._shards]
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=timeout)
        rows = []
        for shard, ref in zip(self._shards, refs, strict=True):
            node = nodes.get(shard.node_id)
            row = {
                "gallery": self.name,
                "shard": shard.index,
                "node_id": shard.node_id,
                "node_address": node.address if node else None,
                "node_alive": node is not None,
                "revived": shard.revived,
                "last_error": shard.last_error or None,
            }
            if ref in ready:
                try:
                    row.update(ray.get(ref), state="serving")
                except _shard_failures() as exc:
                    row.update(state="unavailable", reason=f"{type(exc).__name__}")
            else:
                ray.cancel(ref)
                row.update(state="unavailable", reason=f"no answer within {timeout:.0f} s")
            rows.append(row)
        return rows

    def close(self) -> None:
        """Stop the shard actors (their files stay for the next start)."""
        import ray

        for shard in self._shards:
            try:
                ray.kill(shard.actor, no_restart=True)
            except Exception:  # already gone, or the cluster with it
                log.debug("shard %d actor already gone", shard.index, exc_info=True)


def _retried(actor, method: str):  # type: ignore[no-untyped-def]
    """The actor's method, sent again by Ray itself once a restarted actor is up. Ray queues
    the call while the actor restarts and delivers it the moment its constructor has loaded the
    shard's files: the search waits for exactly the restart, with no polling (which, at attempts
    every few seconds, added up to 4 s to the answer after a killed actor). The deadline stays
    ours (`_call_all`). A search stage sent again to a restarted actor finds the search
    forgotten (`matcher._parts.UnknownSearch`), and the search starts again."""
    return getattr(actor, method).options(max_task_retries=-1)


def _shard_failures() -> tuple[type[BaseException], ...]:
    """What a shard's death looks like to a caller (not an error of the search itself)."""
    from ray import exceptions as e

    return (e.RayActorError, e.WorkerCrashedError, e.NodeDiedError, e.ObjectLostError,
            e.LocalRayletDiedError, e.RaySystemError)  # fmt: skip


def _locate(root: str | None, relatives: list[str], nodes: list[str]) -> list[list[str]]:
    """For each shard, the alive nodes holding its complete files."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    check = ray.remote(_shard.holding)
    refs = [
        check.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False), num_cpus=0, max_retries=1
        ).remote(root, relatives)
        for node in nodes
    ]
    found = ray.get(refs, timeout=120)
    return [[node for node, held in zip(nodes, found, strict=True) if held[i]] for i in range(len(relatives))]
