"""Who may do what: the client certificate decides (booking_station.pki roles).

- `/v1/*` needs a station's certificate that is not revoked; the agency is the certificate's ORI,
  so a station reads, acknowledges and registers only its own ORI (another's: 403).
- `/admin*` needs an administrator's certificate; no station certificate carries that role.
- `/health` answers anyone who completed the TLS handshake (monitoring needs it; it holds no CJI).

The TLS layer has already checked that a presented certificate chains to the backend's CA;
here the role, the ORI and the revocation list are checked, for every request.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from cryptography import x509
from fastapi import HTTPException, Request

from backend._tls import client_certificate_pem
from booking_station.pki import ROLE_ADMIN, ROLE_STATION, Identity, PkiError, RevocationList, identity_of

log = logging.getLogger("backend.access")


class Access:
    def __init__(self, ca_certificate: Path, crl: Path) -> None:
        self._revocations = RevocationList(crl, ca_certificate)

    def identify(self, request: Request) -> Identity:
        """The identity of the request's certificate; 401 without one, 403 when revoked or foreign."""
        pem = client_certificate_pem(request.scope)
        if pem is None:
            raise HTTPException(
                401,
                "a client certificate is required: a station's for /v1, an administrator's for /admin "
                "(booking-station pki issue)",
            )
        try:
            identity = _identity(pem)
        except ValueError as exc:
            raise HTTPException(403, f"the client certificate is not usable here: {exc}") from None
        try:
            revoked = self._revocations.revoked(identity.serial)
        except PkiError as exc:  # fail closed: without a trustworthy list nobody is let in
            log.error("refusing every client: %s", exc)
            raise HTTPException(503, f"the backend cannot check certificates now: {exc}") from None
        if revoked:
            raise HTTPException(
                403, f"the certificate {identity.serial_hex} ({identity.name}) has been revoked"
            )
        return identity

    def station(self, request: Request) -> Identity:
        identity = self.identify(request)
        if identity.role != ROLE_STATION:
            raise HTTPException(403, f"a {identity.role}'s certificate cannot use the station API")
        return identity

    def administrator(self, request: Request) -> Identity:
        identity = self.identify(request)
        if identity.role != ROLE_ADMIN:
            raise HTTPException(
                403,
                "the admin pages need an administrator's certificate (`booking-station pki issue --admin`)",
            )
        return identity


def require_own_ori(identity: Identity, ori: str) -> str:
    """The ORI of the path, when it is the certificate's; otherwise 403."""
    ori = ori.upper()
    if ori != identity.ori:
        raise HTTPException(
            403, f"this station's certificate is for ORI {identity.ori}; it gives no access to ORI {ori}"
        )
    return ori


@functools.lru_cache(maxsize=256)
def _identity(pem: str) -> Identity:
    return identity_of(x509.load_pem_x509_certificate(pem.encode("ascii")))
