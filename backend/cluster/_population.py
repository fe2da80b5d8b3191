"""The backend's population enrolled into sharded NGI and IDENT galleries on the cluster.

The same prints as the single process (`backend._enrol`: rolled impressions rendered by
`matcher.synth`, extracted by the real extractor, under the FBI number or the FIN), rendered and
extracted by tasks spread over the cluster's workers, each template routed to its subject's shard.
Shard files stay on their nodes under a folder named by the population's cache key, so the next
start loads them there instead of enrolling again; only shards with incomplete files are rebuilt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from backend._enrol import FINGERS, Galleries, GalleryFilesRefused, cache_key
from backend.cluster import _placement, _wire
from backend.cluster._gallery import ShardedGallery
from backend.population import Person
from booking_station.envelope import Sealer

log = logging.getLogger("backend.cluster")

GALLERIES = ("ngi", "ident")
_CHUNK = 10  # prints per extraction task: small enough to spread, large enough to amortise


def build(
    persons: list[Person],
    seed: int,
    kind: str,
    shards: int,
    shard_dir: Path | None,
    progress: Callable[[int, int], None],
    stop: threading.Event,
    threads: int = 1,
    *,
    sealer: Sealer,
) -> Galleries:
    """Open (or build) the NGI and IDENT shards of `persons` on the connected cluster, their files
    sealed with `sealer` (the galleries' key, `backend._gallery_key`)."""
    started = time.monotonic()
    key = f"{cache_key(persons, seed, kind)}-k{shards}"
    root = str(shard_dir) if shard_dir else None
    galleries: dict[str, ShardedGallery] = {}
    try:
        for name in GALLERIES:
            galleries[name] = ShardedGallery.open(
                name,
                shards,
                root,
                lambda i, n=name: f"{n}/{key}/{_placement.shard_name(i, shards)}",
                threads,
                key=sealer.key_bytes(),
            )
        refused = [f"{name} {line}" for name, g in galleries.items() for line in g.refused()]
        if refused:
            raise GalleryFilesRefused(
                "the shards' files cannot be used: " + "; ".join(refused) + ". Nothing was changed: "
                "start the backend with the key they were sealed with, or remove those shard folders "
                "to enrol them again"
            )
        missing = {name: [i for i, ok in enumerate(g.complete()) if not ok] for name, g in galleries.items()}
        if any(missing.values()):
            _enrol(persons, seed, kind, galleries, missing, progress, stop)
        else:
            progress(1, 1)
    except BaseException:
        for gallery in galleries.values():
            gallery.close()
        raise
    return Galleries(
        galleries["ngi"], galleries["ident"], not any(missing.values()), time.monotonic() - started
    )


def _enrol(
    persons: list[Person],
    seed: int,
    kind: str,
    galleries: dict[str, ShardedGallery],
    missing: dict[str, list[int]],
    progress: Callable[[int, int], None],
    stop: threading.Event,
) -> None:
    import ray

    for name, indices in missing.items():
        galleries[name].clear(indices)
    wanted = {name: set(indices) for name, indices in missing.items()}

    def targets(person: Person) -> list[tuple[str, str]]:
        out = []
        for name, record in (("ngi", person.fbi_number), ("ident", person.fin)):
            if record and _placement.shard_of(record, galleries[name].shards) in wanted[name]:
                out.append((name, record))
        return out

    jobs = [(p, finger) for p in persons if targets(p) for finger in FINGERS]
    total = len(jobs)
    log.info("enrolling %d prints into %s shards %s on the cluster", total, "/".join(GALLERIES), missing)
    progress(0, total)
    extract = ray.remote(_extract_chunk).options(num_cpus=1, max_retries=3)
    chunks = [jobs[i : i + _CHUNK] for i in range(0, total, _CHUNK)]
    refs = {
        extract.remote([(p.subject_id, f, seed, kind) for p, f in chunk]): k for k, chunk in enumerate(chunks)
    }
    templates: dict[int, list] = {}
    done = 0
    while refs:
        if stop.is_set():
            for ref in refs:
                ray.cancel(ref)
            raise InterruptedError("enrolment stopped")
        ready, _ = ray.wait(list(refs), num_returns=1, timeout=0.5)
        for ref in ready:
            k = refs.pop(ref)
            templates[k] = ray.get(ref)
            done += len(templates[k])
            progress(done, total)
    # Added in job order, whatever order the tasks finished in: the same shards every time.
    for k, chunk in enumerate(chunks):
        for (person, finger), wire in zip(chunk, templates[k], strict=True):
            template = _wire.unpack(wire)
            for name, record in targets(person):
                galleries[name].add(record, finger, template)
    for name, indices in missing.items():
        if indices:
            galleries[name].save(indices)


def _extract_chunk(jobs: list[tuple[int, int, int, str]]) -> list:
    """Templates of (subject, finger, seed, kind) prints, made on a worker of the cluster."""
    from booking_station import runtime

    runtime.prepare_environment()
    from backend._enrol import _template

    return [_wire.pack(_template(*job)) for job in jobs]
