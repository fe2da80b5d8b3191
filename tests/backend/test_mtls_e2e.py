"""The real backend process over mutual TLS, with the station's own client: per-agency access,
a backend or a station the CA does not vouch for, revocation, old TLS, and a 1 GB upload."""

from __future__ import annotations

import signal
import ssl
import time

import httpx
import pytest
from tls_helpers import start_backend, tls_client

from backend._bench_wire import upload_and_watch
from booking_station.cli import main
from booking_station.pki import CertificateAuthority, TlsFiles
from desktop.station.outbox_client import (
    AuditHead,
    BackendAccessDenied,
    BackendClient,
    BackendUnavailable,
    BackendUntrusted,
)

pytestmark = pytest.mark.slow

FIRST, SECOND, REVOKED = "NY0303000", "IL0160000", "FL0130000"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, gallery_cache, population_args, pki):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("mtls")
    process, url = start_backend(folder, gallery_cache, "mtls", population_args, pki)
    yield process, url
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_a_station_reads_its_own_mailbox_and_another_stations_certificate_gets_403(backend, pki, car) -> None:  # type: ignore[no-untyped-def]
    _, url = backend
    first, second = BackendClient(url, pki.station(FIRST)), BackendClient(url, pki.station(SECOND))
    try:
        first.put_agency(FIRST, "New York County", True)
        tcn, body = car(1, FIRST, rolled=False)
        assert first.submit(body, AuditHead(7, "c" * 64)).tcn == tcn
        assert first.mailbox(FIRST, 0)[1] >= 0
        with pytest.raises(BackendAccessDenied, match=f"certificate is for ORI {SECOND}"):
            second.mailbox(FIRST, 0)
        with pytest.raises(BackendAccessDenied, match="403"):
            second.ack(FIRST, 10**6)
        with pytest.raises(BackendAccessDenied):
            second.audit_anchors(FIRST)
        assert [(a.sequence, a.tcn) for a in first.audit_anchors(FIRST)] == [(7, tcn)]
        assert second.mailbox(SECOND, 0) == ([], 0)
    finally:
        first.close()
        second.close()


def test_the_station_refuses_a_backend_its_ca_does_not_vouch_for(backend, pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, url = backend
    stranger = CertificateAuthority.init(tmp_path / "stranger")
    theirs = stranger.issue_station(FIRST, tmp_path / "theirs")
    client = BackendClient(url, theirs)  # trusts only the stranger's CA
    try:
        with pytest.raises(BackendUntrusted, match="does not chain to the station's CA"):
            client.health()
    finally:
        client.close()
    # A certificate of another CA, presented to our backend, ends the handshake: no answer at all.
    ours = pki.station(FIRST)
    client = BackendClient(url, TlsFiles(ours.ca, theirs.certificate, theirs.key))
    try:
        with pytest.raises(BackendUnavailable) as refused:
            client.mailbox(FIRST, 0)
        assert not isinstance(refused.value, BackendAccessDenied)
    finally:
        client.close()


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_no_certificate_old_tls_and_admin_pages(backend, pki) -> None:  # type: ignore[no-untyped-def]
    _, url = backend
    trust_only = ssl.create_default_context(cafile=str(pki.ca.ca_certificate))
    assert httpx.get(f"{url}/v1/mailbox/{FIRST}", verify=trust_only).status_code == 401
    assert httpx.get(f"{url}/health", verify=trust_only).status_code == 200
    old = ssl.create_default_context(cafile=str(pki.ca.ca_certificate))
    old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health", verify=old)
    with tls_client(url, pki.station(FIRST)) as station, tls_client(url, pki.admin) as admin:
        assert station.get("/admin").status_code == 403
        assert station.put("/admin/settings", json={"faults": {"unavailable_rate": 1}}).status_code == 403
        assert admin.get("/admin").status_code == 200
        assert station.get("/docs").status_code == 404


def test_pki_revoke_takes_effect_on_the_running_backend(backend, pki) -> None:  # type: ignore[no-untyped-def]
    _, url = backend
    files = pki.station(REVOKED)
    client = BackendClient(url, files)
    try:
        assert client.mailbox(REVOKED, 0) == ([], 0)
        argv = [
            "pki",
            "revoke",
            "--cert",
            str(files.certificate),
            "--reason",
            "test",
            "--ca-dir",
            str(pki.ca.folder),
        ]
        assert main(argv) == 0
        with pytest.raises(BackendAccessDenied, match="has been revoked"):
            client.mailbox(REVOKED, 0)
    finally:
        client.close()


def test_a_1_gb_chunked_upload_is_cut_off_without_growing_the_backend(
    tmp_path, gallery_cache, population_args, pki
) -> None:  # type: ignore[no-untyped-def]
    # A backend of its own, idle once its population is ready: nothing else allocates meanwhile
    # (the other tests' submissions are searched by the module's backend).
    process, url = start_backend(tmp_path, gallery_cache, "upload", population_args, pki)
    try:
        with tls_client(url, pki.admin) as admin:
            for _ in range(3000):
                if admin.get("/health").json()["status"] == "ok":
                    break
                time.sleep(0.2)
        sent, rise_kib, status = upload_and_watch(url, pki.station(FIRST), process.pid, 1 << 30)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    print(f"sent {sent / 2**20:.0f} MiB, RSS rise {rise_kib / 1024:.1f} MiB, status {status}")
    assert status in (413, None)
    assert sent < 1 << 30  # it stopped reading long before the end
    assert rise_kib < 100 * 1024, f"resident memory rose by {rise_kib / 1024:.0f} MiB"
