"""The JSON documents of IAR, DETAINER, DETAINER_CANCEL and claim-decision messages, as schemas.

`backend.lesc` builds them; these models validate every document before it is posted and put
its shape in the OpenAPI document (`/openapi.json`, components IarDocument, DetainerDocument,
DetainerCancelDocument, ClaimDecisionDocument), so the station has a machine-readable contract.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Subject(_Strict):
    name: str = Field(description="FAMILY, GIVEN as IDENT/NGI hold it")
    sex: str
    dob: str = Field(description="ISO date")
    country_of_birth: str = Field(description="ISO 3166 alpha-2")
    fbi_number: str | None


class DetainerSubject(Subject):
    fin: str | None = Field(description="IDENT fingerprint identification number")
    a_number: str | None = Field(description="alien registration number, when one was issued")


class Office(_Strict):
    name: str
    address: str
    phone: str


class StatusDetermination(_Strict):
    code: str = Field(description="a key of backend.policy.STATUSES, e.g. PREVIOUSLY_REMOVED")
    text: str


class Encounter(_Strict):
    date: str
    kind: str = Field(description="visa-application, entry, border-apprehension, removal, lpr-adjustment")
    place: str
    detail: str


class IdentMatch(_Strict):
    fin: str | None
    a_number: str | None
    match_score: float


class Contact(_Strict):
    phone: str
    hours: str


class IarDocument(_Strict):
    """Immigration Alien Response: LESC's status determination after an IDENT match."""

    tcn: str
    ori: str
    generated_at: str = Field(description="ISO 8601 UTC, e.g. 2026-11-21T15:00:00Z")
    lesc_case: str
    ident: IdentMatch
    subject: Subject
    status_determination: StatusDetermination
    encounters: list[Encounter]
    removable: bool
    detainer_lodged: bool
    reasons: list[str]


class DetainerDocument(_Strict):
    """Form I-247 (version in `form_version`, e.g. I-247A): hold the person up to `hold_limit_hours`
    beyond release, excluding the days listed."""

    detainer_id: str
    form: str = Field(description='the form: "I-247"')
    form_version: str = Field(
        description='its version, e.g. "I-247A" (Immigration Detainer - Notice of Action)'
    )
    tcn: str
    ori: str
    lodged_at: str = Field(description="ISO 8601 UTC")
    subject: DetainerSubject
    issuing_office: Office
    hold_limit_hours: int
    hold_limit_excludes: list[str] = Field(description='["saturday", "sunday", "holiday"]')
    status_determination: StatusDetermination
    reasons: list[str]
    notice_languages: list[str] = Field(description="BCP 47 tags as in resources/rights; English first")
    contact: Contact


class DetainerCancelDocument(_Strict):
    detainer_id: str
    tcn: str
    ori: str
    cancelled_at: str = Field(description="ISO 8601 UTC")
    reason: str
    issuing_office: Office


class ClaimDecisionDocument(_Strict):
    """ICE's decision on a detainee's claim (messages CLAIM_CITIZEN, CLAIM_VICTIM)."""

    claim_id: str = Field(description="the station's id for the claim, as sent")
    detainer_id: str
    tcn: str
    ori: str
    kind: str = Field(description="citizen | victim")
    outcome: str = Field(description="withdrawn (the detainer is withdrawn) | refused | pending (it stands)")
    reason: str = Field(description="why, under the rule in force (backend.policy.review_claim)")
    decided_at: str = Field(description="ISO 8601 UTC")
    lesc_phone: str = Field(description="where the person or the jail gives ICE more information")
