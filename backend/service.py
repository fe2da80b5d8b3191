"""The running service: store, population, galleries and the submission worker, without HTTP.

`Service.start()` prepares the population in a background thread (the HTTP side answers /health
meanwhile) and starts the worker; submissions received while the galleries are being built wait
in the store and are searched once they are ready. Everything is persisted before it is
acknowledged, so a killed service loses nothing: at the next start every submission not yet
finished is searched again, and responses already posted are not posted twice.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend import claims as _claims  # its table joins the schema before the store is opened
from backend import population
from backend._db import PersonRow, Setting, Store, Transaction
from backend.config import BackendConfig
from backend.policy import IcePolicy
from backend.population import Person

log = logging.getLogger("backend")


class BadSubmission(ValueError):
    """The body cannot be read as a transaction with an ORI and a TCN (answered 400)."""


class TcnTaken(ValueError):
    """Another agency's submission already has this TCN (answered 409)."""


@dataclass
class PopulationState:
    """What /health reports, updated by the enrolment thread."""

    status: str = "starting"  # starting | ok | failed
    progress: float = 0.0
    message: str = "not started"
    persons: dict[int, Person] = field(default_factory=dict)
    by_fbi: dict[str, Person] = field(default_factory=dict)
    by_fin: dict[str, Person] = field(default_factory=dict)
    ngi: object | None = None  # matcher.Gallery
    ident: object | None = None
    build_seconds: float | None = None
    from_cache: bool = False

    def summary(self, config: BackendConfig) -> dict:
        return {
            "size": config.population,
            "seed": config.seed,
            "fbi_records": len(self.by_fbi),
            "ident_records": len(self.by_fin),
            "message": self.message,
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
        self.ready = threading.Event()
        self.stopping = threading.Event()
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
        self.store.close()

    def _prepare_population(self) -> None:
        from backend import _enrol

        try:
            persons = population.generate(self.config.population, self.config.seed)
            self._store_population(persons)
            state = self.state
            state.persons = {p.subject_id: p for p in persons}
            state.by_fbi = {p.fbi_number: p for p in persons if p.fbi_number}
            state.by_fin = {p.fin: p for p in persons if p.fin}

            def progress(done: int, total: int) -> None:
                state.progress = done / total if total else 1.0
                state.message = f"enrolled {done} of {total} prints"

            galleries = _enrol.build(
                persons,
                self.config.seed,
                self.config.enrol_kind,
                self.config.data_dir,
                progress,
                self.stopping,
            )
            state.ngi, state.ident = galleries.ngi, galleries.ident
            state.build_seconds, state.from_cache = galleries.seconds, galleries.from_cache
            state.message = (
                f"{len(persons)} people; NGI {len(state.by_fbi)}, IDENT {len(state.by_fin)} "
                f"({'from cache' if galleries.from_cache else 'enrolled'} in {galleries.seconds:.1f} s)"
            )
            state.progress, state.status = 1.0, "ok"
            self.store.log("population", state.message)
            log.info("population ready: %s", state.message)
            self.ready.set()
        except InterruptedError:
            log.info("population preparation stopped")
        except Exception as exc:  # reported on /health and the admin page, not swallowed
            log.exception("population preparation failed")
            self.state.status, self.state.message = "failed", f"population preparation failed: {exc}"

    def _store_population(self, persons: list[Person]) -> None:
        """Keep the admin copy of the population in the database, rewritten only when it changed."""
        wanted = {"seed": self.config.seed, "size": len(persons), "spec": population.SPEC_VERSION}
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
