"""The submission worker: NGI search -> SRE or ERRT, then IDENT search -> LESC IAR and the ICE detainer decision.

Each step first checks whether its answer was already posted, so a submission interrupted by a
crash is simply processed again from the start at the next start-up, without duplicates.
"""

from __future__ import annotations

import json
import logging
import queue
import random
import threading
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from backend import lesc, mailbox, ngi
from backend._db import Detainer, Transaction, utcnow
from backend.config import DEMO_DELAYS

if TYPE_CHECKING:
    from backend.service import Service

log = logging.getLogger("backend.worker")


class Processor:
    def __init__(self, service: Service) -> None:
        self._service = service
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._rng = random.Random(service.config.seed)

    def start(self, workers: int = 2) -> None:
        # Submissions left unfinished by an earlier run come first.
        with self._service.store.session() as s:
            for tcn in s.scalars(
                select(Transaction.tcn).where(Transaction.status == "queued").order_by(Transaction.id)
            ):
                self._queue.put(tcn)
        for i in range(workers):
            thread = threading.Thread(target=self._run, name=f"worker-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10)

    def submit(self, tcn: str) -> None:
        self._queue.put(tcn)

    def _run(self) -> None:
        service = self._service
        while not service.stopping.is_set():
            tcn = self._queue.get()
            if tcn is None:
                return
            while not service.searchable.wait(timeout=0.5):  # searches need the first stage
                if service.stopping.is_set():
                    return
                if service.state.status == "failed":
                    break
            try:
                if service.state.status == "failed":
                    raise RuntimeError(f"the galleries are not available ({service.state.message})")
                self.process(tcn)
            except InterruptedError:
                return
            except Exception as exc:  # one bad submission never stops the worker, nor goes unanswered
                log.exception("processing %s failed", tcn)
                self._answer_failure(tcn, exc)

    def refuse(self, tcn: str, ori: str, *errors: object) -> None:
        """Answer a stored submission with an ERRT of `errors` (ebts.ErrorItem) without searching it."""
        rejection = ngi.Rejection(tuple(errors), None)  # type: ignore[arg-type]
        store = self._service.store
        mailbox.post(store, ori, tcn, "ERRT", ngi.errt(ori, tcn, rejection), mailbox.EBTS_MEDIA_TYPE)
        self._finish(tcn, "done", {"answer": "ERRT", "code": rejection.code, "message": rejection.message})
        store.log("ERRT", rejection.message, tcn=tcn, ori=ori)

    def _answer_failure(self, tcn: str, exc: Exception) -> None:
        """An internal error still gets the submission its one answer: an ERRT asking to submit again,
        unless its SRE or ERRT was already posted."""
        from ebts import ErrorItem

        store = self._service.store
        reason = f"{type(exc).__name__}: {exc}"
        try:
            with store.session() as s:
                ori = s.scalars(select(Transaction.ori).where(Transaction.tcn == tcn)).one()
            answered = mailbox.already_posted(store, tcn, "SRE") or mailbox.already_posted(store, tcn, "ERRT")
            if not answered:
                error = ErrorItem(
                    "L0014", "-", "the service failed while processing this submission; submit it again"
                )
                self.refuse(tcn, ori, error)
            self._finish(tcn, "failed", {"error": reason, "answered": "earlier" if answered else "ERRT"})
            store.log("failed", f"internal error: {reason}", tcn=tcn)
        except Exception:  # the store itself is failing: the submission stays queued for the next start
            log.exception("could not record the failure of %s", tcn)

    def _delay(self, kind: str) -> None:
        if not self._service.config.demo_delays:
            return
        low, high = DEMO_DELAYS[kind]
        if self._service.stopping.wait(self._rng.uniform(low, high)):
            raise InterruptedError

    def _finish(self, tcn: str, status: str, outcome: dict) -> None:
        with self._service.store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
            row.status, row.outcome, row.finished_at = status, outcome, utcnow()

    def process(self, tcn: str) -> dict:
        service = self._service
        store, state = service.store, service.state
        with store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
            body, ori = row.body, row.ori
        with service.searching():  # enrolment pauses while a clerk waits on this work
            examined = ngi.examine(body)
        if isinstance(examined, ngi.Rejection):
            self._delay("SRE")
            mailbox.post(store, ori, tcn, "ERRT", ngi.errt(ori, tcn, examined), mailbox.EBTS_MEDIA_TYPE)
            outcome = {"answer": "ERRT", "code": examined.code, "message": examined.message}
            self._finish(tcn, "done", outcome)
            store.log("ERRT", examined.message, tcn=tcn, ori=ori)
            return outcome

        hit = self._search("ngi", examined.probes)
        person = state.by_fbi.get(hit.record_id) if hit and hit.identified else None
        outcome: dict = {
            "answer": "SRE",
            "srf": "I" if person else "N",
            "fbi_number": person.fbi_number if person else None,
            # For the oversight review (backend.oversight): does the FBI record hold a conviction?
            "prior_conviction": bool(person and any(o.disposition == "convicted" for o in person.offenses)),
            "ngi_best_score": round(hit.score, 4) if hit else None,
            "ngi_matching_fingers": hit.corroborating if hit else None,
            "not_searched": [*examined.unsearched_prints, *examined.unused],  # records: in the SRE too
        }
        if not mailbox.already_posted(store, tcn, "SRE"):
            self._delay("SRE")
            mailbox.post(store, ori, tcn, "SRE", ngi.sre(ori, tcn, person, examined), mailbox.EBTS_MEDIA_TYPE)
        store.log(
            "SRE",
            f"{'identified ' + person.fbi_number if person else 'non-identification'}"
            + (f" (best score {hit.score:.3f})" if hit else ""),
            tcn=tcn,
            ori=ori,
        )

        match = self._search("ident", examined.probes)
        alien = state.by_fin.get(match.record_id) if match and match.identified else None
        if alien is None:
            outcome["ident"] = "no match"
            outcome["ident_best_score"] = round(match.score, 4) if match else None
            self._finish(tcn, "done", outcome)
            return outcome
        fbi_record = person if person is not None else (alien if alien.fbi_number else None)
        offenses = [o.__dict__ for o in fbi_record.offenses] if fbi_record else []
        status = alien.immigration_status or "US_CITIZEN"
        decision = service.policy.decide(status, offenses)
        removable = status in service.policy.removable_statuses
        outcome.update(
            {
                "ident": alien.fin,
                "ident_score": round(match.score, 4),
                "status": status,
                "detainer": decision.lodge,
                "removable": removable,
            }
        )
        if not mailbox.already_posted(store, tcn, "IAR"):
            self._delay("IAR")
            document = lesc.iar(tcn, ori, alien, match.score, decision, removable, utcnow())
            posted = mailbox.post(store, ori, tcn, "IAR", _json(document), mailbox.JSON_MEDIA_TYPE)
            outcome["iar"] = "withheld" if posted.withheld else "sent"
        store.log(
            "LESC",
            f"IDENT {alien.fin}: {status}; detainer {'lodged' if decision.lodge else 'not lodged'}",
            tcn=tcn,
            ori=ori,
        )
        if decision.lodge and not mailbox.already_posted(store, tcn, "DETAINER"):
            self._delay("DETAINER")
            self._lodge(tcn, ori, alien, decision, utcnow())
        self._finish(tcn, "done", outcome)
        return outcome

    def _search(self, which: str, probes) -> ngi.Hit | None:  # type: ignore[no-untyped-def]
        """Search NGI or IDENT as enrolled so far: an identification is answered at once, while "no
        record" waits for the gallery to be whole (searched again after each stage of enrolment)."""
        service, state = self._service, self._service.state
        while True:
            with state.grown:
                seen = (state.ngi, state.ident)
                complete = state.ngi_complete if which == "ngi" else state.ident_complete
            with service.searching():
                hit = ngi.search(seen[0] if which == "ngi" else seen[1], probes)
            if complete or (hit is not None and hit.identified):
                return hit
            service.wait_for_growth(seen)

    def _lodge(self, tcn: str, ori: str, alien, decision, at: datetime) -> None:  # type: ignore[no-untyped-def]
        store = self._service.store
        with store.session() as s:
            existing = s.scalars(select(Detainer).where(Detainer.tcn == tcn)).first()
            document = (
                existing.document
                if existing
                else lesc.detainer(str(uuid.uuid4()), tcn, ori, alien, decision, at)
            )
            if existing is None:
                s.add(
                    Detainer(
                        id=document["detainer_id"],
                        tcn=tcn,
                        ori=ori,
                        subject_id=alien.subject_id,
                        lodged_at=at,
                        office=document["issuing_office"]["name"],
                        document=document,
                    )
                )
        mailbox.post(store, ori, tcn, "DETAINER", _json(document), mailbox.JSON_MEDIA_TYPE)
        store.log("detainer", f"lodged by {document['issuing_office']['name']}", tcn=tcn, ori=ori)


def cancel_detainer(service: Service, detainer_id: str, reason: str) -> dict:
    """The admin action: cancel a lodged detainer and tell the jail. Raises KeyError/ValueError."""
    store = service.store
    now = utcnow()
    with store.session() as s:
        row = s.get(Detainer, detainer_id)
        if row is None:
            raise KeyError(f"no detainer {detainer_id}")
        if row.status == "cancelled":
            raise ValueError(f"detainer {detainer_id} was already cancelled at {row.cancelled_at}")
        document, tcn, ori = row.document, row.tcn, row.ori
    body = lesc.cancellation(document, reason, now)
    # Posted before the row is marked, so a crash in between leaves a detainer that can be cancelled again.
    mailbox.post(store, ori, tcn, "DETAINER_CANCEL", _json(body), mailbox.JSON_MEDIA_TYPE)
    with store.session() as s:
        row = s.get(Detainer, detainer_id)
        row.status, row.cancelled_at, row.cancel_reason = "cancelled", now, reason
    store.log("detainer cancelled", reason, tcn=tcn, ori=ori)
    return body


def _json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
