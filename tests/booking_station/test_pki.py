"""The certificate authority behind mutual TLS (booking_station.pki) and its command line."""

from __future__ import annotations

import os
import stat

import pytest

from booking_station.cli import main
from booking_station.pki import (
    ROLE_ADMIN,
    ROLE_STATION,
    CertificateAuthority,
    PkiError,
    RevocationList,
    TlsFiles,
    check_pair,
    client_context,
    identity_of,
    load_certificate,
)
from booking_station.private_files import InsecureKeyFile


def _mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return CertificateAuthority.init(tmp_path_factory.mktemp("pki") / "ca")


def test_station_certificate_carries_the_ori_and_keys_are_private(ca, tmp_path) -> None:
    files = ca.issue_station("va0000000", tmp_path / "station", agency="Demo County Jail")
    identity = check_pair(files)
    assert (identity.role, identity.ori) == (ROLE_STATION, "VA0000000")
    for key in (files.key, ca.backend_files.key, ca.folder / "private" / "ca.key"):
        assert _mode(key) == 0o600 and _mode(key.parent) == 0o700
    assert _mode(files.certificate) == 0o644  # a certificate is public
    client_context(files)  # usable as it is


def test_administrator_certificate_has_no_ori_and_a_browser_bundle(ca, tmp_path) -> None:
    files, p12, passphrase = ca.issue_admin("Ann Admin", tmp_path / "admin")
    identity = identity_of(load_certificate(files.certificate))
    assert (identity.role, identity.ori) == (ROLE_ADMIN, None)
    assert _mode(p12) == 0o600 and len(passphrase) >= 12
    from cryptography.hazmat.primitives.serialization import pkcs12

    bundle = pkcs12.load_pkcs12(p12.read_bytes(), passphrase.encode())
    assert bundle.cert.certificate.serial_number == identity.serial


def test_a_certificate_of_another_ca_or_a_foreign_key_is_named(ca, tmp_path) -> None:
    other = CertificateAuthority.init(tmp_path / "other")
    theirs = other.issue_station("TX0570000", tmp_path / "theirs")
    ours = ca.issue_station("TX0570000", tmp_path / "ours")
    with pytest.raises(PkiError, match="was not issued by the CA"):
        check_pair(TlsFiles(ours.ca, theirs.certificate, theirs.key))
    with pytest.raises(PkiError, match="is not the key of the certificate"):
        check_pair(TlsFiles(ours.ca, ours.certificate, theirs.key))


def test_a_key_readable_by_others_is_refused_with_the_fix(ca, tmp_path) -> None:
    files = ca.issue_station("NY0303000", tmp_path / "lax")
    os.chmod(files.key, 0o644)
    with pytest.raises(InsecureKeyFile, match="chmod 600"):
        check_pair(files)


def test_revocation_reaches_a_running_reader_and_a_forged_list_fails_closed(ca, tmp_path) -> None:
    files = ca.issue_station("CA0190000", tmp_path / "revoked")
    serial = load_certificate(files.certificate).serial_number
    reader = RevocationList(ca.crl, ca.ca_certificate)
    assert not reader.revoked(serial)
    record = ca.revoke(serial, "laptop stolen")
    assert record["revoked_at"] and record["ori"] == "CA0190000"
    assert reader.revoked(serial)  # re-read because the file changed
    forged = CertificateAuthority.init(tmp_path / "forger")
    os.replace(forged.crl, ca.crl)
    with pytest.raises(PkiError, match="not signed by the backend's CA"):
        reader.revoked(serial)
    ca._write_crl(ca._index())  # put a good list back for the other tests
    assert reader.revoked(serial)


def test_renewal_is_due_for_a_missing_or_foreign_certificate(ca, tmp_path) -> None:
    assert ca.needs_renewal(tmp_path / "absent.pem")
    assert not ca.needs_renewal(ca.backend_files.certificate)
    other = CertificateAuthority.init(tmp_path / "other")
    assert ca.needs_renewal(other.backend_files.certificate)


def test_cli_issue_list_revoke(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    ca_dir = tmp_path / "ca"
    assert main(["pki", "init", "--dir", str(ca_dir), "--host", "backend.county.example"]) == 0
    san = load_certificate(ca_dir / "backend.pem").extensions.get_extension_for_class(
        __import__("cryptography.x509", fromlist=["x"]).SubjectAlternativeName
    )
    assert "backend.county.example" in str(san.value)
    assert (
        main(["pki", "issue", "--ori", "TX0570000", "--out", str(tmp_path / "st"), "--ca-dir", str(ca_dir)])
        == 0
    )
    out = capsys.readouterr().out
    assert 'backend_certificate = "' in out and "station.pem" in out
    serial = f"{load_certificate(tmp_path / 'st' / 'station.pem').serial_number:x}"
    assert main(["pki", "revoke", "--serial", serial, "--reason", "retired", "--ca-dir", str(ca_dir)]) == 0
    assert main(["pki", "list", "--ca-dir", str(ca_dir)]) == 0
    listing = capsys.readouterr().out
    assert serial in listing and "retired" in listing


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["init", "--dir", "{ca}"], "already holds a CA"),
        (["issue", "--ori", "12", "--out", "{tmp}/x", "--ca-dir", "{ca}"], "is not an ORI"),
        (
            ["issue", "--ori", "TX0570000", "--out", "{tmp}/x", "--ca-dir", "{tmp}/none"],
            "holds no certificate authority",
        ),
        (["revoke", "--serial", "zz", "--ca-dir", "{ca}"], "not a hexadecimal serial"),
        (["revoke", "--serial", "abc", "--ca-dir", "{ca}"], "issued no certificate with serial abc"),
    ],
)
def test_cli_mistakes_are_one_clear_line(argv, words, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ca_dir = tmp_path / "ca"
    CertificateAuthority.init(ca_dir)
    argv = [a.format(ca=ca_dir, tmp=tmp_path) for a in argv]
    assert main(["pki", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_file_written_twice_at_once_is_written_whole(tmp_path, monkeypatch) -> None:
    """Two threads of one process writing the same file (the embedded backend issuing a station's
    certificate while an administrator's is issued): each write is whole, neither fails."""
    from booking_station import private_files

    target, real_fsync, nested = tmp_path / "issued.json", os.fsync, []

    def another_write_meanwhile(fd: int) -> None:
        real_fsync(fd)
        if not nested:  # the other thread's write falls between this one's fsync and its rename
            nested.append(True)
            private_files.write_private(target, b"the other thread's index")

    monkeypatch.setattr(private_files.os, "fsync", another_write_meanwhile)
    private_files.write_private(target, b"this thread's index")
    assert target.read_bytes() == b"this thread's index"
    assert [p.name for p in tmp_path.iterdir()] == ["issued.json"]  # no partial file left


def test_certificates_issued_or_revoked_at_the_same_time_are_all_kept(tmp_path, monkeypatch) -> None:
    """The index of issued certificates is read, changed and written back: a second issue or a
    revocation in between must not lose the first's record (a lost revocation leaves a
    certificate off the revocation list)."""
    import threading

    ca = CertificateAuthority.init(tmp_path / "ca")
    read, real_index, other_done = threading.Event(), CertificateAuthority._index, threading.Event()

    def slow_reader(self):  # type: ignore[no-untyped-def]
        index = real_index(self)
        if threading.current_thread().name == "first" and not read.is_set():
            read.set()
            other_done.wait(timeout=1.0)  # the other thread's issue runs now, unless it must wait
        return index

    monkeypatch.setattr(CertificateAuthority, "_index", slow_reader)
    first = threading.Thread(name="first", target=ca.issue_station, args=("VA0000001", tmp_path / "one"))
    first.start()
    assert read.wait(timeout=30)
    ca.issue_station("VA0000002", tmp_path / "two")
    other_done.set()
    first.join(timeout=60)
    assert sorted(r["ori"] for r in ca.issued() if r["ori"]) == ["VA0000001", "VA0000002"]
