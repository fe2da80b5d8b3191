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


def test_prepare_only_enrols_once_and_an_installation_ships_what_it_enrolled(
    running_service, gallery_cache, population_args, people, tmp_path, capsys, monkeypatch
) -> None:
    """`backend --prepare-only` (run by the bootstrap and the package build) finds the galleries
    already enrolled and says so, without a progress bar outside a terminal; a backend with an empty
    data folder then loads the galleries shipped under the installation's prefix instead of enrolling."""
    import threading

    from backend import _enrol

    assert main(["backend", "--prepare-only", "--data-dir", str(gallery_cache), *population_args]) == 0
    out, err = capsys.readouterr()
    assert "already enrolled" in out and "NGI" in out
    assert "enrolling" not in err  # not a terminal: no bar

    monkeypatch.setenv("BOOKING_BACKEND_SHIPPED_GALLERIES", str(gallery_cache))
    seed = int(population_args[population_args.index("--seed") + 1])
    enrolled = []
    galleries = _enrol.build(
        people, seed, "rolled", tmp_path / "fresh", lambda d, t: enrolled.append(d), threading.Event()
    )
    assert galleries.from_cache and len(galleries.ngi) == len(running_service.state.ngi)
    assert not (tmp_path / "fresh" / "galleries").exists()  # nothing enrolled, nothing copied
