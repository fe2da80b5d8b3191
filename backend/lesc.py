"""ICE's Law Enforcement Support Center: the Immigration Alien Response and the detainer documents.

Bodies are JSON (UTF-8). Their fields:

IAR (`kind: "IAR"`):
  `tcn`, `ori`, `generated_at` (ISO UTC), `lesc_case`, `ident` {`fin`, `a_number`, `match_score`},
  `subject` {`name`, `sex`, `dob`, `country_of_birth`, `fbi_number`},
  `status_determination` {`code` (a backend.policy.STATUSES key), `text`}, `encounters` [{`date`, `kind`,
  `place`, `detail`}], `removable` (bool), `detainer_lodged` (bool), `reasons` [str].

DETAINER (`kind: "DETAINER"`, Form I-247):
  `detainer_id`, `form` ("I-247"), `form_version` ("I-247A"), `tcn`, `ori`, `lodged_at` (ISO UTC), `subject` (as in the IAR, plus `fin`,
  `a_number`), `issuing_office` {`name`, `address`, `phone`}, `hold_limit_hours` (48),
  `hold_limit_excludes` (["saturday", "sunday", "holiday"]), `status_determination`, `reasons` [str],
  `notice_languages` (BCP 47 tags as in resources/rights, e.g. "es", "zh-Hans": English first,
  then the languages the subject reads),
  `contact` {`phone`, `hours`} for the detainee and the jail.

DETAINER_CANCEL (`kind: "DETAINER_CANCEL"`): `detainer_id`, `tcn`, `ori`, `cancelled_at`, `reason`,
  `issuing_office`.

CLAIM_CITIZEN / CLAIM_VICTIM (ICE's decision on a detainee's claim, backend.claims): `claim_id`,
  `detainer_id`, `tcn`, `ori`, `kind`, `outcome` (withdrawn | refused | pending), `reason`,
  `decided_at`, `lesc_phone`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from backend._db import iso
from backend.documents import ClaimDecisionDocument, DetainerCancelDocument, DetainerDocument, IarDocument
from backend.policy import STATUSES, Decision
from backend.population import Person

HOLD_LIMIT_HOURS = 48
FORM = "I-247"  # Immigration Detainer; its version is data (`form_version`)
FORM_VERSION = "I-247A"  # Immigration Detainer - Notice of Action
LESC_PHONE = "(855) 448-6903"
HOLD_LIMIT_EXCLUDES = ("saturday", "sunday", "holiday")

# Field office by the state in the first two letters of the ORI (a sample; others go to headquarters).
_OFFICES = {
    "TX": ("ICE ERO Dallas Field Office", "8101 N. Stemmons Freeway, Dallas, TX 75247", "+1 214 555 0140"),
    "CA": (
        "ICE ERO Los Angeles Field Office",
        "300 N. Los Angeles St., Los Angeles, CA 90012",
        "+1 213 555 0130",
    ),
    "AZ": ("ICE ERO Phoenix Field Office", "2035 N. Central Ave., Phoenix, AZ 85004", "+1 602 555 0120"),
    "FL": ("ICE ERO Miami Field Office", "865 SW 78th Ave., Plantation, FL 33324", "+1 954 555 0160"),
    "NY": ("ICE ERO New York City Field Office", "26 Federal Plaza, New York, NY 10278", "+1 212 555 0170"),
    "IL": ("ICE ERO Chicago Field Office", "101 W. Congress Pkwy, Chicago, IL 60605", "+1 312 555 0180"),
}
_HEADQUARTERS = ("ICE ERO Headquarters", "500 12th St. SW, Washington, DC 20536", "+1 202 555 0100")


def _valid(model: type, document: dict) -> dict:
    """The document, checked against its published schema (a mismatch is our bug, raised loudly)."""
    return model.model_validate(document).model_dump()  # type: ignore[attr-defined]


def office_for(ori: str) -> dict:
    name, address, phone = _OFFICES.get(ori[:2].upper(), _HEADQUARTERS)
    return {"name": name, "address": address, "phone": phone}


def _subject(person: Person) -> dict:
    return {
        "name": person.name,
        "sex": person.sex,
        "dob": person.dob,
        "country_of_birth": person.birth_country,
        "fbi_number": person.fbi_number,
    }


def lesc_case(tcn: str) -> str:
    return "LESC-" + hashlib.sha256(tcn.encode()).hexdigest()[:10].upper()


def iar(
    tcn: str, ori: str, person: Person, score: float, decision: Decision, removable: bool, at: datetime
) -> dict:
    status = person.immigration_status or "US_CITIZEN"
    return _valid(
        IarDocument,
        {
            "tcn": tcn,
            "ori": ori,
            "generated_at": iso(at),
            "lesc_case": lesc_case(tcn),
            "ident": {"fin": person.fin, "a_number": person.a_number, "match_score": round(float(score), 4)},
            "subject": _subject(person),
            "status_determination": {"code": status, "text": STATUSES[status]},
            "encounters": [
                {"date": e.date, "kind": e.kind, "place": e.place, "detail": e.detail}
                for e in person.encounters
            ],
            "removable": removable,
            "detainer_lodged": decision.lodge,
            "reasons": list(decision.reasons),
        },
    )


def detainer(detainer_id: str, tcn: str, ori: str, person: Person, decision: Decision, at: datetime) -> dict:
    office = office_for(ori)
    status = person.immigration_status or "US_CITIZEN"
    languages = ["en", *[code for code in person.languages if code != "en"]]
    return _valid(
        DetainerDocument,
        {
            "detainer_id": detainer_id,
            "form": FORM,
            "form_version": FORM_VERSION,
            "tcn": tcn,
            "ori": ori,
            "lodged_at": iso(at),
            "subject": {**_subject(person), "fin": person.fin, "a_number": person.a_number},
            "issuing_office": office,
            "hold_limit_hours": HOLD_LIMIT_HOURS,
            "hold_limit_excludes": list(HOLD_LIMIT_EXCLUDES),
            "status_determination": {"code": status, "text": STATUSES[status]},
            "reasons": list(decision.reasons),
            "notice_languages": languages,
            "contact": {"phone": office["phone"], "hours": "24 hours a day, 7 days a week"},
        },
    )


def cancellation(document: dict, reason: str, at: datetime) -> dict:
    return _valid(
        DetainerCancelDocument,
        {
            "detainer_id": document["detainer_id"],
            "tcn": document["tcn"],
            "ori": document["ori"],
            "cancelled_at": iso(at),
            "reason": reason,
            "issuing_office": document["issuing_office"],
        },
    )


def claim_decision(claim: dict, outcome: str, reason: str, at: datetime) -> dict:
    """ICE's answer to a claim (`claim`: claim_id, detainer_id, tcn, ori, kind)."""
    return _valid(
        ClaimDecisionDocument,
        {
            "claim_id": claim["claim_id"],
            "detainer_id": claim["detainer_id"],
            "tcn": claim["tcn"],
            "ori": claim["ori"],
            "kind": claim["kind"],
            "outcome": outcome,
            "reason": reason,
            "decided_at": iso(at),
            "lesc_phone": LESC_PHONE,
        },
    )
