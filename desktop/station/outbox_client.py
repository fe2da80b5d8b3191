"""The station's HTTP client for the backend contract (docs/backend-api.md), Qt-free.

Two kinds of failure matter to the callers: `BackendUnavailable` (no answer, a timeout, a 5xx or
429: try again later, nothing was decided) and `BackendRejected` (a 4xx: the backend read the
request and refused it; sending the same bytes again will not help). Two kinds of unavailable
are about trust, and are fixed by an administrator, not by waiting: `BackendUntrusted` (the
backend's certificate does not chain to the station's CA) and `BackendAccessDenied` (401/403: the
backend refused the station's certificate, e.g. revoked or for another ORI). Nothing queued is
lost meanwhile.

An https URL is spoken over mutual TLS with `tls` (booking_station.pki.TlsFiles): the station
trusts only that CA, not the system's, and presents its own certificate.
"""

from __future__ import annotations

import base64
import logging
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from desktop.station import messages as said
from desktop.station.audit import AuditHead
from desktop.station.db_errors import StoreUnavailable
from desktop.station.messages import CodedError, problem_of

if TYPE_CHECKING:
    from booking_station.pki import TlsFiles

log = logging.getLogger(__name__)


class BackendUnavailable(CodedError):
    """The backend could not be reached or could not answer now; retry later. Its problem is a
    "link.*" Message (the station keeps it with the submission and shows it in the clerk's words)."""


class BackendRejected(CodedError):
    """The backend answered 4xx: the request itself is wrong."""


class BackendUntrusted(BackendUnavailable):
    """The backend's certificate does not chain to the station's CA: the station will not talk to it."""


class BackendAccessDenied(BackendUnavailable):
    """The backend refused the station's certificate (401/403): an administrator must fix it."""


@dataclass(frozen=True)
class AuditAnchor:
    """One head the backend keeps for this agency (GET /v1/audit-anchors/{ori}), newest first."""

    sequence: int
    head: str
    anchored_at: str  # ISO UTC, "Z"
    tcn: str | None
    certificate: str  # serial (hex) of the station certificate that anchored it
    regressed: bool  # lower than a sequence anchored before it


@dataclass(frozen=True)
class Message:
    cursor: int
    id: str
    tcn: str
    kind: str
    created_at: str
    media_type: str
    body: bytes


@dataclass(frozen=True)
class Submitted:
    tcn: str
    duplicate: bool  # the backend already had this TCN: nothing was searched twice


class BackendClient:
    """One connection pool to one backend URL. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        base_url: str,
        tls: TlsFiles | None = None,
        *,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tls = tls
        verify: ssl.SSLContext | bool = True
        if self.base_url.startswith("https://") and transport is None:
            if tls is None:
                raise BackendUntrusted("link.needs-certificate", url=self.base_url)
            from booking_station.pki import client_context  # cryptography loads only when needed

            verify = client_context(tls)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport, verify=verify)

    def close(self) -> None:
        self._http.close()

    def submit(self, ebts: bytes, audit_head: AuditHead | None = None) -> Submitted:
        """Send a transaction; with `audit_head`, the backend also anchors the station's audit head."""
        headers = {"Content-Type": "application/octet-stream"}
        if audit_head is not None:
            headers["X-Audit-Head"] = audit_head.header()
        answer = self._call("POST", "/v1/transactions", content=ebts, headers=headers)
        doc = answer.json()
        return Submitted(str(doc["tcn"]), bool(doc.get("duplicate", False)))

    def mailbox(self, ori: str, after: int, limit: int = 50) -> tuple[list[Message], int]:
        answer = self._call("GET", f"/v1/mailbox/{ori}", params={"after": after, "limit": limit})
        doc = answer.json()
        messages = []
        for m in doc.get("messages", []):
            try:
                body = base64.b64decode(m["body_b64"], validate=True)
            except (ValueError, KeyError) as exc:
                log.warning("mailbox message %s has no readable body: %s", m.get("id"), exc)
                raise BackendRejected("link.mailbox-unreadable", id=str(m.get("id"))) from None
            messages.append(
                Message(
                    int(m["cursor"]),
                    str(m["id"]),
                    str(m.get("tcn", "")),
                    str(m["kind"]),
                    str(m.get("created_at", "")),
                    str(m.get("media_type", "")),
                    body,
                )  # fmt: skip
            )
        return messages, int(doc.get("next_cursor", after))

    def send_claim(self, ori: str, claim: dict) -> dict:
        """Hand ICE's LESC a detainee's claim (`POST /v1/claims/{ori}`); idempotent on `claim_id`.
        Returns {"claim_id", "status", "decision_due_at", "duplicate"}."""
        return self._call("POST", f"/v1/claims/{ori}", json=claim).json()

    def ack(self, ori: str, through: int) -> None:
        self._call("POST", f"/v1/mailbox/{ori}/ack", json={"through": through})

    def put_agency(self, ori: str, name: str, immigration_responses: bool) -> dict:
        body = {"name": name, "immigration_responses": immigration_responses}
        return self._call("PUT", f"/v1/agencies/{ori}", json=body).json()

    def anchor_audit_head(self, ori: str, head: AuditHead) -> AuditAnchor:
        """Anchor the station's audit head without a submission (e.g. at the end of a shift)."""
        body = {"sequence": head.sequence, "head": head.head}
        return _anchor(self._call("POST", f"/v1/audit-anchors/{ori}", json=body).json())

    def audit_anchors(self, ori: str, limit: int = 100) -> list[AuditAnchor]:
        """The audit heads the backend keeps for this agency, newest first."""
        doc = self._call("GET", f"/v1/audit-anchors/{ori}", params={"limit": limit}).json()
        return [_anchor(a) for a in doc.get("anchors", [])]

    def health(self) -> dict:
        return self._call("GET", "/health").json()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            answer = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:  # refused, reset, timeout, DNS, TLS
            # OpenSSL's and the network's own words go to the log; the problem is said as a code.
            log.info("%s %s%s failed: %s: %s", method, self.base_url, path, exc.__class__.__name__, exc)
            reason = _untrusted(exc)
            if reason is not None and "mismatch" in reason:
                raise BackendUntrusted("link.host-mismatch", url=self.base_url) from None
            if reason is not None:
                raise BackendUntrusted("link.untrusted", url=self.base_url, ca=_ca_of(self.tls)) from None
            if isinstance(exc, httpx.TimeoutException):
                raise BackendUnavailable("link.timeout", url=self.base_url) from None
            if isinstance(exc, httpx.ConnectError):
                raise BackendUnavailable("link.refused", url=self.base_url) from None
            raise BackendUnavailable(
                "link.no-answer", url=self.base_url, error=exc.__class__.__name__
            ) from None
        request, status = f"{method} {path}", answer.status_code
        if status in (401, 403):
            raise BackendAccessDenied(
                "link.access-denied",
                url=self.base_url,
                request=request,
                status=status,
                detail=_detail(answer),
            )
        if status >= 500 or status == 429:
            raise BackendUnavailable(
                "link.unavailable", url=self.base_url, request=request, status=status, detail=_detail(answer)
            )
        if status >= 400:
            raise BackendRejected(
                "link.refused-request", request=request, status=status, detail=_detail(answer)
            )
        return answer


def _untrusted(exc: httpx.TransportError) -> str | None:
    """OpenSSL's reason when the connection failed because the server's certificate was not
    trusted (e.g. "Hostname mismatch", "unable to get local issuer certificate"); None otherwise."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return str(cause.verify_message or cause.reason or "not trusted")
        cause = cause.__cause__ or cause.__context__
    return "not trusted" if "CERTIFICATE_VERIFY_FAILED" in str(exc) else None


def link_problem(exc: BaseException) -> said.Message:
    """Why talking to the backend did not work, as a message: the exception's own code when it has
    one (the link's, a certificate's, the embedded service's), else its kind; the details are logged."""
    found = problem_of(exc)
    if found is not None:
        return found
    if isinstance(exc, StoreUnavailable):
        return said.message("link.database", database=exc.database)
    log.warning("talking to the backend failed with a problem that has no message code: %r", exc)
    return said.message("link.failed", error=exc.__class__.__name__)


def _ca_of(tls: TlsFiles | None) -> str:
    return str(tls.ca) if tls else ""


def _anchor(doc: dict) -> AuditAnchor:
    return AuditAnchor(
        int(doc["sequence"]), str(doc["head"]), str(doc.get("anchored_at", "")), doc.get("tcn"),
        str(doc.get("certificate", "")), bool(doc.get("regressed", False)),
    )  # fmt: skip


def _detail(answer: httpx.Response) -> str:
    """The backend's own words for a refusal ("—" when it gave none, so a sentence still reads)."""
    try:
        text = str(answer.json().get("detail", answer.text))
    except ValueError:
        text = answer.text
    return text.strip()[:500] or "—"
