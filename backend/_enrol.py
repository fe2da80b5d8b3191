"""Build (or load from the cache) the NGI and IDENT fingerprint galleries of the population.

Every subject with an FBI record is enrolled in NGI under their FBI number, every subject with an
IDENT record in IDENT under their FIN, from ten rolled impressions rendered by `matcher.synth`
and run through the real extractor. The galleries are cached under
`data_dir/galleries/KEY/`, KEY naming everything that changes them, and reused at the next start;
galleries built ahead of time (at install: `booking-station backend --prepare-only --ship`) are read
from `shipped_dir()` when the data folder has none, and re-sealed into it.

The gallery files are sealed (`backend._gallery_key`: AES-256-GCM under the galleries' data key,
wrapped by the backend's KEK) and opened into memory. A sealed gallery that does not open (altered,
or sealed with another key) stops the preparation with a message naming the file; galleries an older
version wrote in clear are re-sealed in place on the first start.

Enrolment is staged so that searches need not wait for all of it: the people on FBI files come
first, then those only in IDENT, and after each stage (5, 10, 20, … people, and when NGI is
whole) `publish` receives the galleries enrolled so far. A search of a partial gallery can
identify at once; only an answer of "no record" has to wait for its gallery to be whole.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from backend import _gallery_key
from backend.population import SPEC_VERSION, Person
from booking_station.envelope import Sealer, is_sealed_file
from booking_station.runtime import UserError

log = logging.getLogger("backend.population")


def shipped_dir() -> Path:
    """Galleries built ahead of time, read-only: in the Python environment the station runs from
    (the bootstrap's .venv, the Debian package's /opt/booking-station/venv), or
    BOOKING_BACKEND_SHIPPED_GALLERIES (e.g. a folder with none, to measure a start without them)."""
    return Path(
        os.environ.get("BOOKING_BACKEND_SHIPPED_GALLERIES") or Path(sys.prefix) / "share" / "booking-station"
    )


#: People in the first stage: small enough to be searchable within seconds of the start.
FIRST_STAGE = 5

FINGERS = tuple(range(1, 11))
#: Offset added to the population seed for the enrolment impressions, so that they are other
#: impressions than the ones the virtual scanner renders for the same subject.
_ENROL_SEED_OFFSET = 7_000_000


@dataclass
class Galleries:
    ngi: object  # matcher.Gallery
    ident: object  # matcher.Gallery
    from_cache: bool
    seconds: float
    ngi_complete: bool = True  # False: a stage published during enrolment
    ident_complete: bool = True
    people: int = 0  # enrolled so far


def cache_key(persons: list[Person], seed: int, kind: str) -> str:
    enrolled = [(p.subject_id, p.fbi_number, p.fin) for p in persons if p.fbi_number or p.fin]
    text = repr((SPEC_VERSION, seed, kind, enrolled, _matcher_fingerprint()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _matcher_fingerprint() -> str:
    """A digest of the matcher's and generator's source: templates made by other code are not reused.

    The matcher publishes no template version, and a cache of stale templates would quietly
    lower every score; rebuilding after any change to `matcher/` is the safe side.
    """
    import matcher

    root = Path(matcher.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(root.rglob("*.py")):
        digest.update(str(source.relative_to(root)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def build(
    persons: list[Person],
    seed: int,
    kind: str,
    data_dir: Path,
    progress: Callable[[int, int], None],
    stop: threading.Event,
    publish: Callable[[Galleries], None] | None = None,
    pause: Callable[[], None] | None = None,
    *,
    sealer: Sealer,
) -> Galleries:
    """The galleries for `persons`, from the cache when it holds them; `progress(done, total)` as it
    goes, `publish(galleries)` after each stage of a new enrolment, and `pause()` before each print
    (it returns when enrolment may go on: searches of submissions come first). Their files are
    sealed with `sealer` (`backend._gallery_key`)."""
    started = time.monotonic()
    key = cache_key(persons, seed, kind)
    folder = Path(data_dir) / "galleries" / key
    galleries = _load(folder, started, sealer)
    if galleries is None:
        shipped = shipped_dir() / "galleries"
        if shipped.resolve() != folder.parent.resolve():
            galleries = _load(shipped / key, started, _gallery_key.shipping_sealer(shipped))
            if galleries is not None:  # the data folder gets its own copy, under its own key
                _save(folder, galleries.ngi, galleries.ident, sealer)
    if galleries is not None:
        progress(1, 1)
        return galleries
    _remove_abandoned(folder.parent)
    # NGI's people first, so that its gallery (all a first answer needs) is whole as early as it can be.
    enrolled = [p for p in persons if p.fbi_number] + [p for p in persons if p.fin and not p.fbi_number]
    jobs = [(p, finger) for p in enrolled for finger in FINGERS]
    total = len(jobs)
    ngi_people = sum(1 for p in enrolled if p.fbi_number)
    log.info("enrolling %d subject(s) (%d prints) into NGI and IDENT", len(enrolled), total)
    progress(0, total)
    templates: list = []
    for people in _stages(len(enrolled), ngi_people):
        stage = jobs[len(templates) : people * len(FINGERS)]
        templates += _extract_all(
            [(p.subject_id, finger, seed, kind) for p, finger in stage],
            progress,
            stop,
            len(templates),
            total,
            pause,
        )
        if publish is not None and people < len(enrolled):
            ngi, ident = _galleries(jobs, templates)
            publish(
                Galleries(ngi, ident, False, time.monotonic() - started, people >= ngi_people, False, people)
            )
    ngi, ident = _galleries(jobs, templates)
    _save(folder, ngi, ident, sealer)
    return Galleries(ngi, ident, False, time.monotonic() - started, people=len(enrolled))


def _stages(people: int, ngi_people: int) -> list[int]:
    """People enrolled at the end of each stage: 5, 10, 20, … doubling, NGI's last, everyone."""
    ends, n = set(), FIRST_STAGE
    while n < people:
        ends.add(n)
        n *= 2
    if 0 < ngi_people < people:
        ends.add(ngi_people)
    ends.add(people)
    return sorted(ends)


def _galleries(jobs: list, templates: list):  # type: ignore[no-untyped-def]
    """NGI and IDENT galleries of the jobs done so far, added in job order (same seed, same galleries)."""
    from matcher import Gallery

    ngi, ident = Gallery(), Gallery()
    for (person, finger), template in zip(jobs, templates, strict=False):
        if person.fbi_number:
            ngi.add(person.fbi_number, finger, template)
        if person.fin:
            ident.add(person.fin, finger, template)
    return ngi, ident


class GalleryFilesRefused(UserError):
    """Sealed gallery files that do not open: altered, or sealed with another key."""


def _load(folder: Path, started: float, sealer: Sealer | None) -> Galleries | None:
    """The galleries saved in `folder`, opened with `sealer`; None when there are none (or an older
    version's clear ones are damaged: they are enrolled again). Clear galleries of an older version
    are re-sealed in place; sealed ones that do not open raise GalleryFilesRefused."""
    if not (folder / "complete").exists():
        return None
    from matcher import Gallery

    names = ("ngi.gallery", "ident.gallery")
    if not any(is_sealed_file(folder / name / "gallery.json") for name in names):
        try:
            ngi, ident = (Gallery.load(folder / name) for name in names)
        except Exception as exc:  # a damaged clear cache is rebuilt, never fatal
            log.warning("gallery cache %s unreadable (%s); enrolling again", folder, exc)
            return None
        if sealer is not None:
            log.info("gallery cache %s was written in clear by an older version: sealing it", folder)
            _save(folder, ngi, ident, sealer, replace=True)
            return _load(folder, started, sealer)  # served from the sealed files, not the removed ones
        return Galleries(ngi, ident, True, time.monotonic() - started)
    if sealer is None:
        raise GalleryFilesRefused(
            f"{folder} holds sealed galleries but no shipping key ({_gallery_key.SHIPPING_KEY_FILE}) "
            "is beside them: prepare them again with: booking-station backend --prepare-only --ship"
        )
    try:
        ngi, ident = (Gallery.load(folder / name, sealer) for name in names)
    except ValueError as exc:
        raise GalleryFilesRefused(
            f"the enrolled galleries cannot be used: {exc}. Nothing was changed: start the backend with "
            f"the key they were sealed with, or remove {folder} to enrol the population again"
        ) from None
    return Galleries(ngi, ident, True, time.monotonic() - started)


def _extract_all(
    jobs: list[tuple[int, int, int, str]],
    progress: Callable[[int, int], None],
    stop: threading.Event,
    done_before: int,
    total: int,
    pause: Callable[[], None] | None = None,
) -> list:
    """Templates for (subject, finger, seed, kind) jobs, in job order, on two threads.

    Threads rather than processes: the extractor's numba kernels and OpenCV release the GIL, and a
    service killed with SIGKILL must not leave worker processes behind.
    """
    lock = threading.Lock()
    done = done_before

    def one(job: tuple[int, int, int, str]):  # type: ignore[no-untyped-def]
        nonlocal done
        if pause is not None:
            pause()
        if stop.is_set():
            raise InterruptedError("enrolment stopped")
        template = _template(*job)
        with lock:
            done += 1
            progress(done, total)
        return template

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(one, job) for job in jobs]
        try:
            return [f.result() for f in futures]
        except InterruptedError:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _template(subject_id: int, finger: int, seed: int, kind: str):  # type: ignore[no-untyped-def]
    from matcher import Template, synth

    impression = synth.impression(subject_id, finger, seed=seed + _ENROL_SEED_OFFSET, kind=kind)
    return Template.from_image(impression.image, impression.ppi)


def _remove_abandoned(galleries: Path) -> None:
    """Half-built caches of backends that were killed while enrolling (their process is gone)."""
    if not Path("/proc/self").exists():  # no way to tell a live process from a dead one here
        return
    for partial in galleries.glob("*.partial-*"):
        pid = partial.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(partial, ignore_errors=True)


def _save(folder: Path, ngi: object, ident: object, sealer: Sealer, replace: bool = False) -> None:
    # Written beside, then renamed: a half-written cache is never taken for a whole one.
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    ngi.save(partial / "ngi.gallery", sealer)  # type: ignore[attr-defined]
    ident.save(partial / "ident.gallery", sealer)  # type: ignore[attr-defined]
    (partial / "complete").write_text("ok\n")
    if (folder / "complete").exists() and not replace:  # another backend sharing the cache finished first
        shutil.rmtree(partial, ignore_errors=True)
        return
    shutil.rmtree(folder, ignore_errors=True)  # a half-written one from a killed run
    try:
        partial.rename(folder)
    except OSError:  # lost a race with another backend: its copy is as good as ours
        shutil.rmtree(partial, ignore_errors=True)
