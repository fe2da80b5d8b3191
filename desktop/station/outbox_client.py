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
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from desktop.station.audit import AuditHead

if TYPE_CHECKING:
    from booking_station.pki import TlsFiles


class BackendUnavailable(Exception):
    """The backend could not be reached or could not answer now; retry later."""


class BackendRejected(Exception):
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
                raise BackendUntrusted(
                    f"{self.base_url} needs the station's certificate: set backend_ca, "
                    "backend_certificate and backend_key in the station's configuration"
                )
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
                raise BackendRejected(f"mailbox message {m.get('id')} has no readable body: {exc}") from None
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
            reason = _untrusted(exc)
            if reason is not None:
                ca = self.tls.ca if self.tls else "the station's CA"
                why = (
                    f"its certificate is not for the host in the URL ({reason})"
                    if "mismatch" in reason
                    else f"its certificate does not chain to the station's CA ({ca})"
                )
                raise BackendUntrusted(
                    f"refused {self.base_url}: {why}; the station talks only to the backend its CA vouches for"
                ) from None
            raise BackendUnavailable(
                f"{self.base_url} did not answer: {exc.__class__.__name__}: {exc}"
            ) from None
        if answer.status_code in (401, 403):
            raise BackendAccessDenied(
                f"{self.base_url} refused this station's certificate for {method} {path} "
                f"({answer.status_code}): {_detail(answer)}"
            )
        if answer.status_code >= 500 or answer.status_code == 429:
            raise BackendUnavailable(
                f"{self.base_url} answered {answer.status_code} to {method} {path}: {_detail(answer)}"
            )
        if answer.status_code >= 400:
            raise BackendRejected(f"{method} {path} was refused ({answer.status_code}): {_detail(answer)}")
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


def _anchor(doc: dict) -> AuditAnchor:
    return AuditAnchor(
        int(doc["sequence"]), str(doc["head"]), str(doc.get("anchored_at", "")), doc.get("tcn"),
        str(doc.get("certificate", "")), bool(doc.get("regressed", False)),
    )  # fmt: skip


def _detail(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("detail", answer.text))[:500]
    except ValueError:
        return answer.text[:500]
