"""The station's HTTP client for the backend contract (docs/backend-api.md), Qt-free.

Two kinds of failure matter to the callers: `BackendUnavailable` (no answer, a timeout, a 5xx or
429: try again later, nothing was decided) and `BackendRejected` (a 4xx: the backend read the
request and refused it; sending the same bytes again will not help).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import httpx


class BackendUnavailable(Exception):
    """The backend could not be reached or could not answer now; retry later."""


class BackendRejected(Exception):
    """The backend answered 4xx: the request itself is wrong."""


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
        self, base_url: str, *, timeout: float = 15.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def submit(self, ebts: bytes) -> Submitted:
        answer = self._call("POST", "/v1/transactions", content=ebts,
                            headers={"Content-Type": "application/octet-stream"})  # fmt: skip
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

    def health(self) -> dict:
        return self._call("GET", "/health").json()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            answer = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:  # refused, reset, timeout, DNS, TLS
            raise BackendUnavailable(
                f"{self.base_url} did not answer: {exc.__class__.__name__}: {exc}"
            ) from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise BackendUnavailable(f"{self.base_url} answered {answer.status_code} to {method} {path}")
        if answer.status_code >= 400:
            raise BackendRejected(f"{method} {path} was refused ({answer.status_code}): {_detail(answer)}")
        return answer


def _detail(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("detail", answer.text))[:500]
    except ValueError:
        return answer.text[:500]
