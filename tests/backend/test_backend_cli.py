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


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--cluster", "nonsense"], "give auto, ray://HOST:PORT or HOST:PORT"),
        (["--shards", "4"], "need --cluster"),
        (["--cluster", "auto", "--shards", "0"], "--shards 0: give 1-4096"),
        (["--cluster", "auto", "--prepare-only"], "with --cluster the shards are enrolled on the cluster"),
    ],
)
def test_bad_cluster_options_are_one_clear_line(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backend", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_a_cluster_address_where_nothing_listens_is_refused_at_once(
    scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ray itself retries a silent address for minutes; the backend says what is wrong instead.
    pytest.importorskip("ray", reason="Ray is not installed (the test extra installs it)")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    assert main(["backend", "--cluster", f"{scheme}127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert f"cannot reach the Ray cluster at {scheme}127.0.0.1:{port}" in err
    assert "nothing answers" in err and "Traceback" not in err


def test_prepare_only_enrols_once(running_service, gallery_cache, population_args, capsys) -> None:
    """`backend --prepare-only` finds the galleries already enrolled (and opens them with the
    backend's key) and says so, without a progress bar outside a terminal. What an installation
    ships (`--ship`) is tested in test_gallery_at_rest."""
    key = ["--key-file", str(gallery_cache / "keys" / "backend.kek")]
    assert main(["backend", "--prepare-only", "--data-dir", str(gallery_cache), *key, *population_args]) == 0
    out, err = capsys.readouterr()
    assert "already enrolled" in out and "NGI" in out
    assert "enrolling" not in err  # not a terminal: no bar
