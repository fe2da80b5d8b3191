"""The station's mutual-TLS settings: a backend at a URL is https, with the station's certificate
files, checked together when the configuration is read; the embedded backend needs none."""

from __future__ import annotations

import os

import pytest

from booking_station.pki import CertificateAuthority
from desktop.station import config
from desktop.station.config import ConfigError
from desktop.station.outbox_launcher import EmbeddedBackend


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return CertificateAuthority.init(tmp_path_factory.mktemp("pki") / "ca")


def _write(path, **values) -> None:  # type: ignore[no-untyped-def]
    path.write_text("".join(f'{k} = "{v}"\n' for k, v in values.items()))


def test_a_url_backend_with_its_certificate_files_is_accepted(ca, tmp_path) -> None:
    files = ca.issue_station("TX0570000", tmp_path / "certs")
    path = tmp_path / "c.toml"
    _write(path, agency_ori="TX0570000", backend_url="https://backend.county.example:8770",
           backend_ca=files.ca, backend_certificate=files.certificate, backend_key=files.key)  # fmt: skip
    cfg = config.load(path)
    assert cfg.backend_tls() == files
    config.save(cfg)
    assert config.load(path).backend_tls() == files


def test_plain_http_and_missing_or_mismatched_files_are_named(ca, tmp_path) -> None:
    files = ca.issue_station("TX0570000", tmp_path / "certs")
    path = tmp_path / "c.toml"
    _write(path, backend_url="http://backend.county.example")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert "never travels in clear" in err.value.problems["backend_url"]

    _write(path, agency_ori="TX0570000", backend_url="https://b.example", backend_ca=files.ca)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert set(err.value.problems) == {"backend_certificate", "backend_key", "backend_url"}
    assert "pki issue --ori" in err.value.problems["backend_key"]

    _write(path, agency_ori="NY0303000", backend_url="https://b.example", backend_ca=files.ca,
           backend_certificate=files.certificate, backend_key=files.key)  # fmt: skip
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert "for ORI TX0570000, but agency_ori is NY0303000" in err.value.problems["backend_certificate"]
    assert "needs the station's certificate" in err.value.problems["backend_url"]  # what a form shows

    other = CertificateAuthority.init(tmp_path / "other").issue_station("TX0570000", tmp_path / "other-certs")
    _write(path, agency_ori="TX0570000", backend_url="https://b.example", backend_ca=files.ca,
           backend_certificate=other.certificate, backend_key=other.key)  # fmt: skip
    with pytest.raises(ConfigError, match="was not issued by the CA"):
        config.load(path)

    os.chmod(files.key, 0o644)
    _write(path, agency_ori="TX0570000", backend_url="https://b.example", backend_ca=files.ca,
           backend_certificate=files.certificate, backend_key=files.key)  # fmt: skip
    with pytest.raises(ConfigError, match="chmod 600"):
        config.load(path)
    _write(path, backend_url="https://b.example", backend_key=tmp_path / "nothing.key")
    with pytest.raises(ConfigError, match="no such file"):
        config.load(path)


def test_the_embedded_backend_issues_the_station_certificate_for_its_ori(tmp_path) -> None:
    embedded = EmbeddedBackend(tmp_path / "backend")
    first = embedded.station_tls("VA0000000")
    assert embedded.station_tls("VA0000000") == first  # kept while it is good
    serial = first.certificate.read_bytes()
    other = embedded.station_tls("TX0570000")
    assert other.certificate != first.certificate and first.certificate.read_bytes() == serial
    for key in (first.key, embedded.pki_dir / "private" / "ca.key"):
        assert os.stat(key).st_mode & 0o077 == 0 and os.stat(key.parent).st_mode & 0o077 == 0
