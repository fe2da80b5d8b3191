"""Mutual TLS under uvicorn: the client's certificate handed to the application.

uvicorn verifies a presented certificate against the CA (booking_station.pki.server_context) but
does not pass it on. `MutualTlsProtocol` is uvicorn's HTTP/1.1 protocol that, once the handshake is
done, wraps the application of that one connection in `PeerCertificate`, which puts the certificate
into each request's scope as the ASGI TLS extension says (`extensions.tls.client_cert_chain`, PEM).
"""

from __future__ import annotations

import ssl

from uvicorn.protocols.http.h11_impl import H11Protocol


class PeerCertificate:
    """ASGI wrapper: every request it passes on carries `der` as the client's certificate."""

    def __init__(self, app, der: bytes | None) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self._pem = ssl.DER_cert_to_PEM_cert(der) if der else None

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if self._pem is not None and scope["type"] in ("http", "websocket"):
            extensions = dict(scope.get("extensions") or {})
            extensions["tls"] = {"client_cert_chain": [self._pem]}
            scope = {**scope, "extensions": extensions}
        await self.app(scope, receive, send)


class MutualTlsProtocol(H11Protocol):
    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def,override]
        super().connection_made(transport)
        # asyncio calls this once the TLS handshake is complete, so the peer's certificate is known.
        tls = transport.get_extra_info("ssl_object")
        der = tls.getpeercert(binary_form=True) if tls is not None else None
        if der:
            self.app = PeerCertificate(self.app, der)


def client_certificate_pem(scope: dict) -> str | None:
    """The client certificate (PEM) of a request, when it presented one."""
    chain = (scope.get("extensions") or {}).get("tls", {}).get("client_cert_chain") or ()
    return chain[0] if chain else None
