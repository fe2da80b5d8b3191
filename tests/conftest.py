"""Test-wide set-up: headless Qt, a warm numba cache, isolated user folders, the realdata marker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Kept between runs so kernels compile once per machine, not once per test session.
os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".cache" / "numba"))
# Never the developer's desktop keyring: keys go to files in the isolated user folders below
# (tests that need a keyring install an in-memory one).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the developer's real config, data or caches."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    # The virtual scanner's control socket too: never another test run's or a running station's.
    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(home / "vs.sock"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a skip that says why."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (see ../shared/data/SOURCES.md)")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _patient_qt_waits() -> None:
    """pytest-qt waits 5 s by default. With both cores busy (other processes, the CI box) a log-in's
    password hash or a list read off the UI thread can take longer than that, and a test failed for
    it while the station was right: the waits below return as soon as their condition holds, so a
    longer bound costs nothing when things are quick (a timeout given by a test still wins)."""
    try:
        from pytestqt.qtbot import QtBot
    except ImportError:
        return
    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback"):
        original = getattr(QtBot, name)
        if getattr(original, "_patient", False):
            continue

        def patient(self, *args, _original=original, **kwargs):
            kwargs.setdefault("timeout", QT_WAIT_MS)
            return _original(self, *args, **kwargs)

        patient._patient = True  # type: ignore[attr-defined]
        setattr(QtBot, name, patient)


QT_WAIT_MS = 60_000
