"""The small certificate authority behind mutual TLS between stations and the backend.

One folder holds it (`booking-station pki init --dir DIR`):

    DIR/ca.pem                the CA certificate: every station and the backend trust it
    DIR/private/ca.key        the CA's private key (0600 in a 0700 folder)
    DIR/backend.pem           the backend's server certificate (its host names and addresses)
    DIR/private/backend.key
    DIR/crl.pem               the revocation list, signed by the CA; the backend re-reads it on change
    DIR/issued.json           every certificate issued: serial, role, ORI, expiry, revocation

A certificate's role is its subject's organisational unit, set by the CA when it issues it: a
station's certificate ("booking station") carries the agency's ORI as its common name and gives
access to that agency's mailbox only; an administrator's ("backend administrator") carries no ORI
and opens the admin pages. Keys are ECDSA P-256. Both TLS ends take their contexts from here
(`server_context`, `client_context`), so TLS 1.2 is the floor on both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import ipaddress
import json
import re
import secrets
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from booking_station.pki_errors import PkiError
from booking_station.private_files import private_dir, read_private, write_private, write_public

ROLE_STATION = "booking station"
ROLE_ADMIN = "backend administrator"
ROLE_BACKEND = "backend service"
ORI_PATTERN = re.compile(r"[A-Z0-9]{9}")
DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")

_CA_DAYS = 3650
_LEAF_DAYS = 397  # the longest browsers accept for a server certificate; the same for clients
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    """What one end of a mutual-TLS connection needs: the CA to trust, its certificate and key."""

    ca: Path
    certificate: Path
    key: Path


@dataclass(frozen=True)
class Identity:
    """Who a certificate speaks for."""

    role: str  # ROLE_STATION | ROLE_ADMIN | ROLE_BACKEND
    name: str  # the common name: the ORI for a station
    serial: int
    ori: str | None = None  # stations only

    @property
    def serial_hex(self) -> str:
        return f"{self.serial:x}"


def identity_of(certificate: x509.Certificate) -> Identity:
    """The role, name and ORI a certificate of this CA carries. Raises ValueError for any other."""
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(units) != 1 or len(names) != 1:
        raise ValueError("the certificate's subject has no single role (OU) and name (CN)")
    role, name = str(units[0].value), str(names[0].value)
    if role == ROLE_STATION:
        if not ORI_PATTERN.fullmatch(name):
            raise ValueError(f"a station certificate's common name must be its ORI, not {name!r}")
        return Identity(role, name, certificate.serial_number, ori=name)
    if role in (ROLE_ADMIN, ROLE_BACKEND):
        return Identity(role, name, certificate.serial_number)
    raise ValueError(f"unknown certificate role {role!r}")


def normalise_ori(ori: str) -> str:
    text = ori.strip().upper()
    if not ORI_PATTERN.fullmatch(text):
        raise PkiError("pki.not-an-ori", value=repr(ori))
    return text


# --- TLS contexts: one place that says how both ends speak --------------------------------------


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """The backend's context: TLS 1.2+, its certificate, client certificates of the CA verified when
    presented (the application decides which paths need one)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(files.ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(files.certificate), str(files.key))
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def client_context(files: TlsFiles) -> ssl.SSLContext:
    """A station's context: TLS 1.2+, trusts only the CA in `files` (not the system's), presents its
    certificate. Checks the files first so that a mistake is named, not an OpenSSL code."""
    for code, path in (
        ("pki.certificate-missing", files.ca),
        ("pki.certificate-missing", files.certificate),
        ("pki.key-missing", files.key),
    ):
        if not Path(path).is_file():
            raise PkiError(code, path=path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_verify_locations(cafile=str(files.ca))
        context.load_cert_chain(str(files.certificate), str(files.key))
    except ssl.SSLError as exc:
        raise PkiError(
            "pki.pair-unusable", certificate=files.certificate, key=files.key, reason=exc.reason or exc
        ) from None
    return context


# --- reading and checking files ------------------------------------------------------------------


def load_certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(Path(path).read_bytes())
    except FileNotFoundError:
        raise PkiError("pki.certificate-missing", path=path) from None
    except ValueError:
        raise PkiError("pki.not-a-certificate", path=path) from None


def check_pair(files: TlsFiles, check_expiry: bool = True) -> Identity:
    """Check that the certificate chains to the CA, matches the key and (unless told not to) is in
    date; its identity."""
    ca = load_certificate(files.ca)
    certificate = load_certificate(files.certificate)
    try:
        certificate.verify_directly_issued_by(ca)
    except Exception:  # ValueError, TypeError or InvalidSignature: not this CA's
        raise PkiError("pki.not-issued-by", certificate=files.certificate, ca=files.ca) from None
    try:
        key = serialization.load_pem_private_key(read_private(files.key), password=None)
    except FileNotFoundError:
        raise PkiError("pki.key-missing", path=files.key) from None
    except ValueError:
        raise PkiError("pki.not-a-key", path=files.key) from None
    if key.public_key().public_bytes(*_SPKI) != certificate.public_key().public_bytes(*_SPKI):
        raise PkiError("pki.key-mismatch", key=files.key, certificate=files.certificate)
    if check_expiry and certificate.not_valid_after_utc <= _now():
        raise PkiError(
            "pki.expired", certificate=files.certificate, date=f"{certificate.not_valid_after_utc:%Y-%m-%d}"
        )
    try:
        return identity_of(certificate)
    except ValueError:
        raise PkiError("pki.no-identity", certificate=files.certificate) from None


_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


# --- the certificate authority -------------------------------------------------------------------


class CertificateAuthority:
    """A CA folder (see the module's docstring). `init` makes one, `open` uses an existing one."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # paths
    @property
    def ca_certificate(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def crl(self) -> Path:
        return self.folder / "crl.pem"

    @property
    def backend_files(self) -> TlsFiles:
        return TlsFiles(
            self.ca_certificate, self.folder / "backend.pem", self.folder / "private" / "backend.key"
        )

    @property
    def _ca_key_path(self) -> Path:
        return self.folder / "private" / "ca.key"

    @property
    def _index_path(self) -> Path:
        return self.folder / "issued.json"

    # life cycle
    @classmethod
    def init(
        cls, folder: Path, hosts: tuple[str, ...] = DEFAULT_HOSTS, name: str = "Booking Station"
    ) -> CertificateAuthority:
        """A new CA, the backend's certificate for `hosts` and an empty revocation list."""
        ca = cls(folder)
        if ca.ca_certificate.exists() or ca._ca_key_path.exists():
            raise PkiError("pki.ca-exists", folder=ca.folder)
        private_dir(ca.folder)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA"),
        ])  # fmt: skip
        now = _now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        write_private(ca._ca_key_path, _key_pem(key))
        write_public(ca.ca_certificate, certificate.public_bytes(serialization.Encoding.PEM))
        ca._save_index({})
        ca._write_crl({})
        ca.issue_backend(hosts)
        return ca

    @classmethod
    def open(cls, folder: Path) -> CertificateAuthority:
        ca = cls(folder)
        if not ca.ca_certificate.is_file() or not ca._ca_key_path.is_file():
            raise PkiError("pki.no-ca", folder=ca.folder)
        return ca

    @classmethod
    def ensure(cls, folder: Path, hosts: tuple[str, ...] = DEFAULT_HOSTS) -> CertificateAuthority:
        """The CA in `folder`, made on first use; the backend's certificate renewed when it nears expiry."""
        ca = cls(folder)
        if not ca.ca_certificate.exists():
            return cls.init(folder, hosts)
        ca = cls.open(folder)
        if ca.needs_renewal(ca.backend_files.certificate):
            ca.issue_backend(hosts)
        return ca

    # issuing
    def issue_backend(self, hosts: tuple[str, ...]) -> TlsFiles:
        """The backend's server certificate, valid for each host name or IP address in `hosts`."""
        if not hosts:
            raise PkiError("pki.no-hosts")
        alt_names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                alt_names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                alt_names.append(x509.DNSName(host))
        files = self.backend_files
        self._issue(
            ROLE_BACKEND,
            hosts[0],
            files,
            ExtendedKeyUsageOID.SERVER_AUTH,
            x509.SubjectAlternativeName(alt_names),
        )
        return files

    def issue_station(self, ori: str, out: Path, agency: str = "") -> TlsFiles:
        """A station's client certificate for `ori`, written with the CA certificate into `out`."""
        ori = normalise_ori(ori)
        files = TlsFiles(Path(out) / "ca.pem", Path(out) / "station.pem", Path(out) / "station.key")
        self._issue(ROLE_STATION, ori, files, ExtendedKeyUsageOID.CLIENT_AUTH, organisation=agency)
        return files

    def issue_admin(self, name: str, out: Path) -> tuple[TlsFiles, Path, str]:
        """An administrator's client certificate; also as a PKCS#12 file for a browser, with its
        passphrase. Returns (files, p12 path, passphrase)."""
        name = name.strip()
        if not name or len(name) > 64:
            raise PkiError("pki.admin-name")
        files = TlsFiles(Path(out) / "ca.pem", Path(out) / "admin.pem", Path(out) / "admin.key")
        certificate, key = self._issue(ROLE_ADMIN, name, files, ExtendedKeyUsageOID.CLIENT_AUTH)
        passphrase = secrets.token_urlsafe(12)
        p12 = pkcs12.serialize_key_and_certificates(
            name.encode(), key, certificate, [self._ca()[0]],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )  # fmt: skip
        p12_path = write_private(Path(out) / "admin.p12", p12)
        return files, p12_path, passphrase

    def needs_renewal(self, certificate_path: Path) -> bool:
        """True when the certificate is missing, not this CA's, or expires within RENEW_BEFORE."""
        try:
            certificate = load_certificate(certificate_path)
            certificate.verify_directly_issued_by(self._ca()[0])
        except Exception:
            return True
        return certificate.not_valid_after_utc - _now() < RENEW_BEFORE

    # revocation
    def revoke(self, serial: int, reason: str = "") -> dict:
        """Revoke a certificate this CA issued and rewrite the revocation list. Returns its record."""
        with self._updating_index() as index:
            record = index.get(f"{serial:x}")
            if record is None:
                raise PkiError("pki.unknown-serial", serial=f"{serial:x}")
            if record.get("revoked_at") is None:
                record["revoked_at"] = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
                record["reason"] = reason
                # Still under the lock: another revocation's CRL cannot overwrite this one. Written
                # before the index: a crash between them leaves the certificate revoked, and the
                # revocation can be asked again.
                self._write_crl(index)
        return record

    def issued(self) -> list[dict]:
        """Every certificate issued, oldest first."""
        return sorted(self._index().values(), key=lambda r: r["issued_at"])

    # internals
    def _issue(
        self,
        role: str,
        name: str,
        files: TlsFiles,
        usage: x509.ObjectIdentifier,
        alt_names: x509.SubjectAlternativeName | None = None,
        organisation: str = "",
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        ca_certificate, ca_key = self._ca()
        key = ec.generate_private_key(ec.SECP256R1())
        attributes = [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role)]
        if organisation.strip():
            attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()[:64]))
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, name))
        now = _now()
        not_after = min(now + dt.timedelta(days=_LEAF_DAYS), ca_certificate.not_valid_after_utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attributes))
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, False, False, False, True, False, False, False, False), critical=True
            )
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
        )
        if alt_names is not None:
            builder = builder.add_extension(alt_names, critical=False)
        certificate = builder.sign(ca_key, hashes.SHA256())
        write_private(files.key, _key_pem(key))
        write_public(files.certificate, certificate.public_bytes(serialization.Encoding.PEM))
        if files.ca != self.ca_certificate:
            write_public(files.ca, self.ca_certificate.read_bytes())
        with self._updating_index() as index:
            index[f"{certificate.serial_number:x}"] = {
                "serial": f"{certificate.serial_number:x}",
                "role": role,
                "name": name,
                "ori": name if role == ROLE_STATION else None,
                "issued_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "not_after": not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "revoked_at": None,
                "reason": "",
            }
        return certificate, key

    def _ca(self) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        certificate = load_certificate(self.ca_certificate)
        key = serialization.load_pem_private_key(read_private(self._ca_key_path), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise PkiError("pki.ca-key-kind", path=self._ca_key_path)
        return certificate, key

    def _index(self) -> dict[str, dict]:
        try:
            return json.loads(self._index_path.read_text())
        except FileNotFoundError:
            return {}

    @contextlib.contextmanager
    def _updating_index(self) -> Iterator[dict[str, dict]]:
        """The index of issued certificates, held exclusively until it is saved (an flock: other
        threads and processes wait). Issues and revocations read, change and write it back; two at
        once lost one's record, and a lost revocation is a certificate missing from the CRL."""
        private_dir(self.folder)
        with open(self.folder / ".issued.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            index = self._index()
            before = json.dumps(index, sort_keys=True)
            yield index
            if json.dumps(index, sort_keys=True) != before:
                self._save_index(index)

    def _save_index(self, index: dict[str, dict]) -> None:
        write_private(self._index_path, json.dumps(index, indent=1, sort_keys=True).encode())

    def _write_crl(self, index: dict[str, dict]) -> None:
        """The revocation list of the certificates `index` marks revoked, signed and written."""
        certificate, key = self._ca()
        now = _now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(certificate.subject)
            .last_update(now)
            .next_update(now + dt.timedelta(days=365))
        )
        for record in index.values():
            if record.get("revoked_at"):
                revoked_at = dt.datetime.strptime(record["revoked_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=dt.UTC
                )
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder()
                    .serial_number(int(record["serial"], 16))
                    .revocation_date(revoked_at)
                    .build()
                )
        crl = builder.sign(key, hashes.SHA256())
        write_public(self.crl, crl.public_bytes(serialization.Encoding.PEM))


class RevocationList:
    """The revoked serials of a CA's list, checked against the CA's signature, re-read when the file
    changes (so `pki revoke` takes effect without restarting the backend). An unreadable or forged
    list fails closed: `revoked()` raises PkiError."""

    def __init__(self, crl: Path, ca: Path) -> None:
        self.path = Path(crl)
        self._ca = load_certificate(ca)
        self._stamp: tuple[int, int] | None = None
        self._serials: frozenset[int] = frozenset()
        self._error: str | None = None  # the code of what is wrong with the list

    def revoked(self, serial: int) -> bool:
        self._refresh()
        if self._error:
            raise PkiError(self._error, path=self.path)
        return serial in self._serials

    def _refresh(self) -> None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._error = None, "pki.crl-missing"
            return
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            crl = x509.load_pem_x509_crl(self.path.read_bytes())
        except ValueError:
            self._error = "pki.crl-unreadable"
            return
        if crl.issuer != self._ca.subject or not crl.is_signature_valid(self._ca.public_key()):
            self._error = "pki.crl-forged"
            return
        self._serials = frozenset(r.serial_number for r in crl)
        self._error = None


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
