"""ICE's detainer policy: given an IDENT status determination and the FBI record, lodge a detainer or not.

The policy is data, not code: the defaults below can be overridden by a JSON file
(`booking-station backend --policy FILE`), e.g.

    {"min_conviction_level": "misdemeanor", "lodge_without_conviction": ["PREVIOUSLY_REMOVED"]}

Keys:
- `removable_statuses`: statuses whose holders ICE may remove (a US citizen never is).
- `lodge_without_conviction`: statuses that get a detainer on their own (e.g. re-entry after removal).
- `min_conviction_level`: the least conviction level that makes a removable person a priority.
- `lpr_min_conviction_level`: the same for lawful permanent residents (removable only for grave crimes).

How ICE reviews a detainee's claim (`POST /v1/claims/{ori}`, backend.claims), each decision one of
"withdrawn" (the detainer is withdrawn), "refused" (it stands) or "pending" (not decided; it stands):
- `claim_review_seconds`: how long the review takes before the decision is posted (0: at once).
- `citizen_claim_us_born`: a claim of U.S. citizenship when the place of birth in the booking (2.020
  POB of the submission the detainer answers) is a U.S. state or territory, or "US" (default withdrawn).
- `citizen_claim_foreign_born`: the same claim with a place of birth outside the United States
  (default refused: the record shows no U.S. birth; a citizen by descent or naturalisation calls LESC).
- `citizen_claim_unknown_birthplace`: no place of birth can be read (unknown "XX", not in the table
  "YY", unreadable submission): default pending.
- `victim_claim`: a claim of being a crime victim (the mock holds no U or T visa records): default pending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

#: Offense levels, least grave first.
OFFENSE_LEVELS = ("infraction", "misdemeanor", "felony", "aggravated-felony")

#: What ICE's review of a claim may decide.
CLAIM_DECISIONS = ("withdrawn", "refused", "pending")

#: IDENT status determinations produced by LESC.
STATUSES = {
    "US_CITIZEN": "United States citizen: not removable",
    "LPR": "Lawful permanent resident",
    "NONIMMIGRANT_IN_STATUS": "Nonimmigrant visa holder in status",
    "NONIMMIGRANT_OVERSTAY": "Nonimmigrant visa holder who overstayed",
    "UNLAWFULLY_PRESENT": "Entered without inspection (border encounter)",
    "PREVIOUSLY_REMOVED": "Previously removed from the United States",
}


@dataclass(frozen=True)
class Decision:
    lodge: bool
    reasons: tuple[str, ...]  # why, in words an officer and the jail can read


@dataclass(frozen=True)
class IcePolicy:
    removable_statuses: frozenset[str] = frozenset(
        {"LPR", "NONIMMIGRANT_OVERSTAY", "NONIMMIGRANT_IN_STATUS", "UNLAWFULLY_PRESENT", "PREVIOUSLY_REMOVED"}
    )
    lodge_without_conviction: frozenset[str] = frozenset({"PREVIOUSLY_REMOVED"})
    min_conviction_level: str = "felony"
    lpr_min_conviction_level: str = "aggravated-felony"
    claim_review_seconds: float = 20.0
    citizen_claim_us_born: str = "withdrawn"
    citizen_claim_foreign_born: str = "refused"
    citizen_claim_unknown_birthplace: str = "pending"
    victim_claim: str = "pending"

    def __post_init__(self) -> None:
        for name in ("citizen_claim_us_born", "citizen_claim_foreign_born",
                     "citizen_claim_unknown_birthplace", "victim_claim"):  # fmt: skip
            if getattr(self, name) not in CLAIM_DECISIONS:
                raise ValueError(f"policy {name} must be one of {', '.join(CLAIM_DECISIONS)}")
        if (
            not isinstance(self.claim_review_seconds, int | float)
            or not 0 <= self.claim_review_seconds <= 86400
        ):
            raise ValueError("policy claim_review_seconds must be a number of seconds from 0 to 86400")
        for name in ("min_conviction_level", "lpr_min_conviction_level"):
            if getattr(self, name) not in OFFENSE_LEVELS:
                raise ValueError(f"policy {name} must be one of {', '.join(OFFENSE_LEVELS)}")
        for name in ("removable_statuses", "lodge_without_conviction"):
            unknown = set(getattr(self, name)) - set(STATUSES)
            if unknown:
                raise ValueError(
                    f"policy {name} has unknown statuses {sorted(unknown)}; known: {', '.join(STATUSES)}"
                )

    @classmethod
    def load(cls, path: Path | None) -> IcePolicy:
        if path is None:
            return cls()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read ICE policy {path}: {exc}") from None
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"ICE policy {path}: unknown keys {sorted(unknown)}; known: {sorted(known)}")
        for key in ("removable_statuses", "lodge_without_conviction"):
            if key in data:
                data[key] = frozenset(data[key])
        return cls(**data)

    def as_dict(self) -> dict:
        return {
            "removable_statuses": sorted(self.removable_statuses),
            "lodge_without_conviction": sorted(self.lodge_without_conviction),
            "min_conviction_level": self.min_conviction_level,
            "lpr_min_conviction_level": self.lpr_min_conviction_level,
            "claim_review_seconds": self.claim_review_seconds,
            "citizen_claim_us_born": self.citizen_claim_us_born,
            "citizen_claim_foreign_born": self.citizen_claim_foreign_born,
            "citizen_claim_unknown_birthplace": self.citizen_claim_unknown_birthplace,
            "victim_claim": self.victim_claim,
        }

    def decide(self, status: str, offenses: list[dict]) -> Decision:
        """`offenses`: the FBI record's arrest entries, each with `level` and `disposition`."""
        if status not in STATUSES:
            raise ValueError(f"unknown immigration status {status!r}")
        if status not in self.removable_statuses:
            return Decision(False, (f"{STATUSES[status]}: not subject to removal under this policy",))
        if status in self.lodge_without_conviction:
            return Decision(True, (f"{STATUSES[status]}: a detainer is lodged regardless of convictions",))
        least = self.lpr_min_conviction_level if status == "LPR" else self.min_conviction_level
        rank = OFFENSE_LEVELS.index(least)
        qualifying = [
            o
            for o in offenses
            if o.get("disposition") == "convicted"
            and OFFENSE_LEVELS.index(o.get("level", "infraction")) >= rank
        ]
        if qualifying:
            listed = "; ".join(f"{o['offense']} ({o['level']}, {o['date']})" for o in qualifying)
            return Decision(True, (f"{STATUSES[status]} with convictions at or above {least}: {listed}",))
        return Decision(False, (f"{STATUSES[status]} without a conviction at or above {least}",))


def review_claim(policy: IcePolicy, kind: str, place_of_birth: str | None) -> tuple[str, str]:
    """ICE's decision on a detainee's claim under `policy`, and why, in words the jail can read.

    `place_of_birth`: the booking's 2.020 POB code (None when it cannot be read)."""
    from ebts import codes

    if kind == "victim":
        return policy.victim_claim, (
            "claim of being a crime victim: ICE holds no U or T visa record to confirm it here; "
            + _standing(policy.victim_claim)
        )
    place = (place_of_birth or "").strip().upper()
    name = codes.PLACE_OF_BIRTH.get(place, "")
    if place in codes.US_PLACES_OF_BIRTH:
        outcome = policy.citizen_claim_us_born
        return (
            outcome,
            f"claim of U.S. citizenship: place of birth in the booking is {place} ({name}), in the United States; {_standing(outcome)}",
        )
    if not place or place in ("XX", "YY"):
        outcome = policy.citizen_claim_unknown_birthplace
        return (
            outcome,
            f"claim of U.S. citizenship: the booking gives no place of birth; {_standing(outcome)}",
        )
    outcome = policy.citizen_claim_foreign_born
    return outcome, (
        f"claim of U.S. citizenship: place of birth in the booking is {place} ({name}), outside the United "
        f"States; {_standing(outcome)}"
    )


def _standing(outcome: str) -> str:
    return {
        "withdrawn": "the detainer is withdrawn",
        "refused": "the detainer stands; citizenship by descent or naturalisation: call LESC at (855) 448-6903",
        "pending": "referred for review by an officer; the detainer stands meanwhile",
    }[outcome]
