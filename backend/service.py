"""The running service: store, population, galleries and the submission worker, without HTTP.

`Service.start()` prepares the population in a background thread (the HTTP side answers /health
meanwhile, with what it is doing, how far it has got and the time left) and starts the worker.
Enrolment is staged (`_enrol`): submissions received before the first stage wait in the store;
after it they are searched against what is enrolled, and one that finds no record there waits for
the gallery to be whole before the answer is "no record". Everything is persisted before it is
acknowledged, so a killed service loses nothing: at the next start every submission not yet
finished is searched again, and responses already posted are not posted twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend import _gallery_key, population
from backend import claims as _claims  # its table joins the schema before the store is opened
from backend._db import PersonRow, Setting, Store, Transaction
from backend.config import BackendConfig
from backend.policy import IcePolicy
from backend.population import Person
from booking_station.runtime import UserError

if TYPE_CHECKING:
    from backend._enrol import Galleries

log = logging.getLogger("backend")


class BadSubmission(ValueError):
    """The body cannot be read as a transaction with an ORI and a TCN (answered 400)."""


class TcnTaken(ValueError):
    """Another agency's submission already has this TCN (answered 409)."""


@dataclass
class PopulationState:
    """What /health reports, updated by the enrolment thread."""

    status: str = "starting"  # starting | ok | failed
    #: What the preparation is doing: starting | loading (galleries from the cache) | enrolling | ready | failed
    activity: str = "starting"
    progress: float = 0.0
    done: int = 0  # prints enrolled (of total)
    total: int = 0
    seconds_left: float | None = None
    message: str = "not started"
    persons: dict[int, Person] = field(default_factory=dict)
    by_fbi: dict[str, Person] = field(default_factory=dict)
    by_fin: dict[str, Person] = field(default_factory=dict)
    ngi: object | None = None  # matcher.Gallery
    ident: object | None = None
    ngi_complete: bool = False
    ident_complete: bool = False
    enrolled_people: int = 0
    build_seconds: float | None = None
    from_cache: bool = False
    #: Notified whenever the galleries grow (a stage published, all done, or preparation failed).
    grown: threading.Condition = field(default_factory=threading.Condition)

    @property
    def searchable(self) -> bool:
        return self.ngi is not None

    def summary(self, config: BackendConfig) -> dict:
        return {
            "size": config.population,
            "seed": config.seed,
            "fbi_records": len(self.by_fbi),
            "ident_records": len(self.by_fin),
            "message": self.message,
            "enrolled": self.enrolled_people,
            "ngi_complete": self.ngi_complete,
            "ident_complete": self.ident_complete,
            "build_seconds": None if self.build_seconds is None else round(self.build_seconds, 1),
            "from_cache": self.from_cache,
        }


class Service:
    def __init__(self, config: BackendConfig) -> None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.config = config
        self.policy = IcePolicy.load(config.policy_file)
        self.store = Store(config.database_url, config.kek())
        self.state = PopulationState()
        self.ready = threading.Event()  # the galleries are whole
        self.searchable = threading.Event()  # the first stage is enrolled
        self.stopping = threading.Event()
        # Submissions being searched; enrolment waits while there are any (a clerk waits on them).
        self._searching = 0
        self._search_done = threading.Condition()
        self._threads: list[threading.Thread] = []
        from backend._process import Processor

        self.processor = Processor(self)
        self.claims = _claims.ClaimReviewer(self)  # decides detainees' claims when their review ends

    # --- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.processor.start()
        self.claims.start()
        thread = threading.Thread(target=self._prepare_population, name="population", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        self.processor.stop()
        self.claims.stop()
        for thread in self._threads:
            thread.join(timeout=10)
        for gallery in (self.state.ngi, self.state.ident):
            if hasattr(gallery, "close"):  # shards on a cluster: their actors stop, their files stay
                gallery.close()
        self.store.close()

    def _prepare_population(self) -> None:
        from booking_station.progress import Progress

        state = self.state
        meter: Progress | None = None
        try:
            persons = population.generate(self.config.population, self.config.seed)
            self._store_population(persons)
            state.persons = {p.subject_id: p for p in persons}
            state.by_fbi = {p.fbi_number: p for p in persons if p.fbi_number}
            state.by_fin = {p.fin: p for p in persons if p.fin}
            state.activity, state.message = "loading", "looking for enrolled galleries"

            def progress(done: int, total: int) -> None:
                nonlocal meter
                if meter is None and done < total:  # an enrolment starts (a cache hit reports 1 of 1)
                    meter = Progress(total, "enrolling fingerprints", unit="print", log=log)
                    state.activity = "enrolling"
                if meter is not None:
                    meter.advance(done - meter.done)
                    state.seconds_left, state.message = meter.seconds_left, meter.describe()
                state.done, state.total = done, total
                state.progress = done / total if total else 1.0

            galleries = self._build_galleries(persons, progress)
            self._publish(galleries)
            state.build_seconds, state.from_cache = galleries.seconds, galleries.from_cache
            state.message = (
                f"{len(persons)} people; NGI {len(state.by_fbi)}, IDENT {len(state.by_fin)} "
                f"({'from cache' if galleries.from_cache else 'enrolled'} in {galleries.seconds:.1f} s)"
            )
            if self.config.cluster is not None:
                state.message += f"; {self.config.shards} shards per gallery on the Ray cluster"
            state.progress, state.seconds_left, state.status, state.activity = 1.0, 0.0, "ok", "ready"
            self.store.log("population", state.message)
            log.info("population ready: %s", state.message)
            self.ready.set()
            _warm_up_search(galleries.ngi, persons, self.config.seed)
        except InterruptedError:
            log.info("population preparation stopped")
        except UserError as exc:  # e.g. gallery files that do not open: the message says what to do
            log.error("population preparation failed: %s", exc)
            state.status, state.activity = "failed", "failed"
            state.message = f"population preparation failed: {exc}"
        except Exception as exc:  # reported on /health and the admin page, not swallowed
            log.exception("population preparation failed")
            state.status, state.activity = "failed", "failed"
            state.message = f"population preparation failed: {exc}"
        finally:
            if meter is not None:
                meter.close()
            with state.grown:
                state.grown.notify_all()

    @contextlib.contextmanager
    def searching(self) -> Iterator[None]:
        """Marks a submission's search: enrolment pauses meanwhile, so the answer is not kept waiting."""
        with self._search_done:
            self._searching += 1
        try:
            yield
        finally:
            with self._search_done:
                self._searching -= 1
                self._search_done.notify_all()

    def _wait_while_searching(self) -> None:
        with self._search_done:
            while self._searching and not self.stopping.is_set():
                self._search_done.wait(0.5)

    def _publish(self, galleries: Galleries) -> None:
        """Make the galleries enrolled so far (or all of them) the ones searches use."""
        state = self.state
        with state.grown:
            state.ngi, state.ident = galleries.ngi, galleries.ident
            state.ngi_complete, state.ident_complete = galleries.ngi_complete, galleries.ident_complete
            state.enrolled_people = galleries.people or sum(
                1 for p in state.persons.values() if p.fbi_number or p.fin
            )
            state.grown.notify_all()
        if not galleries.ngi_complete:
            log.info("searchable: %d people enrolled so far", galleries.people)
        self.searchable.set()

    def wait_for_growth(self, seen: tuple[object, object], timeout: float = 0.5) -> None:
        """Block until the galleries differ from `seen` (NGI, IDENT); InterruptedError when the service
        stops, RuntimeError when the preparation failed (what is enrolled stays searchable)."""
        state = self.state
        with state.grown:
            while (state.ngi, state.ident) == seen:
                if self.stopping.is_set():
                    raise InterruptedError("service stopping")
                if state.status == "failed":
                    raise RuntimeError(state.message)
                state.grown.wait(timeout)

    def _build_galleries(self, persons: list[Person], progress):  # type: ignore[no-untyped-def]
        """NGI and IDENT: in this process (the default), or sharded on the Ray cluster; their files
        sealed with the galleries' key, wrapped by the same KEK as the database's (a key that does
        not open it fails the preparation, naming the file)."""
        config = self.config
        sealer = _gallery_key.sealer(config.data_dir / "galleries", config.kek())
        if config.cluster is None:
            from backend import _enrol

            return _enrol.build(
                persons,
                config.seed,
                config.enrol_kind,
                config.data_dir,
                progress,
                self.stopping,
                self._publish,
                self._wait_while_searching,
                sealer=sealer,
            )
        from backend.cluster import _population, connect

        connect(config.cluster)
        return _population.build(
            persons,
            config.seed,
            config.enrol_kind,
            config.shards,
            config.shard_dir,
            progress,
            self.stopping,
            sealer=sealer,
        )

    def _store_population(self, persons: list[Person]) -> None:
        """Keep the admin copy of the population in the database, rewritten only when it changed."""
        wanted = {
            "seed": self.config.seed,
            "size": len(persons),
            "spec": population.SPEC_VERSION,
            "record": population.RECORD_VERSION,
        }
        with self.store.session() as s:
            stored = s.get(Setting, "population")
            if stored is not None and stored.value == wanted:
                return
            for row in s.scalars(select(PersonRow)):
                s.delete(row)
            s.flush()
            s.add_all(PersonRow(subject_id=p.subject_id, record=p.as_dict()) for p in persons)
            s.merge(Setting(key="population", value=wanted))

    # --- submissions ---------------------------------------------------------------------------
    def receive(self, body: bytes, station_ori: str) -> tuple[str, bool]:
        """Store a submission of the station of `station_ori` (its certificate's) and queue it;
        (tcn, duplicate). Raises BadSubmission without ORI or TCN, TcnTaken for another agency's TCN.

        A CAR whose ORI (1.008) is not the certificate's is accepted and answered at once with an
        ERRT in the certificate's mailbox: a station submits for its own agency only.
        """
        from ebts import ParseError, parse, read_header

        if not body:
            raise BadSubmission("empty body: send the EBTS transaction bytes")
        try:
            header = parse(body).header
        except ParseError as exc:
            # A readable Type-1 record is enough to answer: the worker sends an ERRT (L0010) with
            # the reason, so the station never waits for an answer that cannot come.
            try:
                header = read_header(body)
            except ParseError:
                raise BadSubmission(f"not a readable ANSI/NIST-ITL transaction: {exc}") from None
        tcn, ori, tot = (header.get(9) or "").strip(), (header.get(8) or "").strip(), header.get(4) or ""
        if not tcn or not ori:
            missing = " and ".join(n for n, v in (("TCN (1.009)", tcn), ("ORI (1.008)", ori)) if not v)
            raise BadSubmission(f"the Type-1 record has no {missing}: cannot answer it")
        if len(tcn) > 40 or len(ori) > 9:
            raise BadSubmission(f"TCN {tcn[:50]!r} or ORI {ori[:20]!r} is longer than EBTS allows")
        if not (tcn.isascii() and tcn.isprintable()):
            # The answer carries the TCN back to the station: it must be one the station can read.
            raise BadSubmission(f"TCN {tcn!r} is not printable ASCII: cannot answer it")
        foreign = ori.upper() != station_ori
        try:
            with self.store.session() as s:
                s.add(Transaction(tcn=tcn, ori=station_ori, tot=tot[:8], body=body,
                                  status="done" if foreign else "queued"))  # fmt: skip
        except IntegrityError:
            with self.store.session() as s:
                owner = s.scalars(select(Transaction.ori).where(Transaction.tcn == tcn)).first()
            if owner is not None and owner != station_ori:
                raise TcnTaken(f"TCN {tcn} is already used by another agency's submission") from None
            self.store.log(
                "duplicate", "submission received again; not searched twice", tcn=tcn, ori=station_ori
            )
            return tcn, True
        self.store.log(
            "received", f"{tot[:8] or 'transaction'} of {len(body)} bytes", tcn=tcn, ori=station_ori
        )
        if foreign:
            self.processor.refuse(tcn, station_ori, _foreign_ori(ori, station_ori))
        else:
            self.processor.submit(tcn)
        return tcn, False


def _foreign_ori(declared: str, station_ori: str):  # type: ignore[no-untyped-def]
    from ebts import ErrorItem

    return ErrorItem(
        "L0013",
        "1.008 ORI",
        f"this station's certificate is for ORI {station_ori}; it cannot submit for ORI {declared[:9]}",
    )


def _warm_up_search(gallery: object, persons: list[Person], seed: int) -> None:
    """One throw-away search, so that the matcher's kernels are compiled (a fresh machine) or loaded
    from the cache now, while the clerk captures, instead of delaying the first answer."""
    from backend import _enrol

    if not persons:
        return
    try:
        probe = _enrol._template(persons[0].subject_id, 1, seed, "plain")
        gallery.search_tenprint({1: probe}, top=1)  # type: ignore[attr-defined]
    except Exception:  # only an optimisation: the first real search compiles them instead
        log.debug("search warm-up failed", exc_info=True)
