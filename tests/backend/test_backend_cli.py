from __future__ import annotations

import pytest

from backend.config import BackendConfig, parse_faults
from booking_station.cli import main


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--pki", "/nonexistent/pki"], "ca.pem is missing"),
        (["--faults", "503=lots"], "'lots' is not a number"),
        (["--faults", "explode=1"], "use 503=RATE"),
        (["--faults", "drop=1.5"], "between 0 and 1"),
        (["--population", "0"], "at least 1"),
        (["--policy", "/nonexistent/policy.json"], "file not found"),
    ],
)
def test_bad_options_are_one_clear_line(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backend", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_faults_from_environment_then_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_BACKEND_FAULTS", "503=0.25, slow=2")
    monkeypatch.setenv("BOOKING_BACKEND_DEMO_DELAYS", "1")
    config = BackendConfig.from_env()
    assert (config.faults.unavailable_rate, config.faults.slow_seconds, config.faults.drop_rate) == (
        0.25,
        2.0,
        0.0,
    )
    assert config.demo_delays
    assert BackendConfig.from_env(faults=parse_faults("drop=0.5")).faults.drop_rate == 0.5
