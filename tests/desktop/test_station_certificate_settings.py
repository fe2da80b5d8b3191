"""A supervisor points the station at a remote backend on the Settings page: the URL and the
station's certificate files from `booking-station pki issue` (issue 16, item 1). Wrong files are
named beside the field that holds them; nothing is saved until they belong together."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from ui_helpers import log_in, open_main_window, settle

from booking_station.pki import CertificateAuthority
from desktop.station import config as config_module
from desktop.station.models import Role
from desktop.ui import booking_pages

BOSS_PW = "supervisor desk 7"


@pytest.fixture
def settings(qtbot, station, monkeypatch, tmp_path):
    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "station.toml"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    station.operators.add("boss", BOSS_PW, Role.SUPERVISOR, actor="t")
    win = open_main_window(qtbot, station)
    log_in(qtbot, win, "boss", BOSS_PW)
    win.show_settings()
    return win.settings_page


def _type(qtbot, editor, text: str) -> None:
    editor.clear()
    qtbot.keyClicks(editor, text)


def test_the_station_certificate_files_are_set_and_checked_on_the_settings_page(
    qtbot, settings, station, tmp_path
):
    pki = CertificateAuthority.ensure(tmp_path / "pki")
    mine = pki.issue_station("VA0000000", tmp_path / "station")
    other = pki.issue_station("TX0570000", tmp_path / "other")
    page = settings
    _type(qtbot, page.backend, "https://backend.county.example:8770")
    assert not page.save()  # a URL without the certificate files
    assert "certificate files" in page.errors["backend_ca"].text()

    _type(qtbot, page.editors["backend_ca"], str(mine.ca))
    _type(qtbot, page.editors["backend_certificate"], str(other.certificate))
    _type(qtbot, page.editors["backend_key"], str(other.key))
    assert not page.save()  # another agency's certificate
    assert "the certificate is for ORI TX0570000" in page.errors["backend_certificate"].text()

    _type(qtbot, page.editors["backend_key"], str(tmp_path / "nowhere.key"))
    assert not page.save()
    assert "no such file" in page.errors["backend_key"].text()

    _type(qtbot, page.editors["backend_certificate"], str(mine.certificate))
    _type(qtbot, page.editors["backend_key"], str(mine.key))
    assert page.save()
    settle(qtbot)
    saved = config_module.load()
    assert (saved.backend_url, saved.backend_ca, saved.backend_certificate, saved.backend_key) == (
        "https://backend.county.example:8770", str(mine.ca), str(mine.certificate), str(mine.key),
    )  # fmt: skip
    assert station.config == saved
