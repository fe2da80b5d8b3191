"""What can be wrong with a certificate authority or a certificate, as codes with parameters.

`PkiError(code, **params)` says which file and which certificate: the command line and the backend
read its English (`str()`); the station words the same code in the clerk's language (its message
catalogue, desktop/station/messages.py, takes these templates in). Kept apart from `pki` so that
reading them does not load `cryptography`.
"""

from __future__ import annotations

from typing import Any

from booking_station.runtime import UserError

# code -> English template with {name} placeholders; paths are shown as they are.
ENGLISH: dict[str, str] = {
    "pki.not-an-ori": "{value} is not an ORI: 9 letters or digits, e.g. VA0000000",
    "pki.certificate-missing": "the certificate {path} does not exist",
    "pki.key-missing": "the key {path} does not exist",
    "pki.not-a-certificate": "{path} is not a PEM certificate",
    "pki.not-a-key": "{path} is not a PEM private key",
    "pki.pair-unusable": "the certificate {certificate} and the key {key} cannot be used together "
    "({reason}); issue a new pair with `booking-station pki issue`",
    "pki.not-issued-by": "the certificate {certificate} was not issued by the CA {ca}",
    "pki.key-mismatch": "the key {key} is not the key of the certificate {certificate}",
    "pki.expired": "the certificate {certificate} expired on {date}",
    "pki.no-identity": "the certificate {certificate} does not name a station, an administrator or "
    "the backend as this CA writes them",
    "pki.ca-exists": "{folder} already holds a CA; use another folder or the existing CA",
    "pki.no-ca": "{folder} holds no certificate authority (ca.pem and private/ca.key); make one "
    "with: booking-station pki init --dir {folder}",
    "pki.ca-key-kind": "{path} is not this CA's kind of key (ECDSA)",
    "pki.no-hosts": "the backend's certificate needs at least one host name or address",
    "pki.admin-name": "an administrator's certificate needs a name of 1 to 64 characters",
    "pki.unknown-serial": "this CA issued no certificate with serial {serial} (see `booking-station pki list`)",
    "pki.crl-missing": "the revocation list {path} is missing",
    "pki.crl-unreadable": "the revocation list {path} is not a PEM CRL",
    "pki.crl-forged": "the revocation list {path} is not signed by the backend's CA",
}


class PkiError(UserError):
    """A CA folder or certificate that cannot be used, with what to do about it: `code`, `params`."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in ENGLISH:
            raise KeyError(f"unknown PKI message code {code!r}")
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(ENGLISH[code].format(**self.params))
