from __future__ import annotations

import pytest

from desktop.station import config
from desktop.station.config import Config, ConfigError


def test_defaults_work_without_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv(config.CONFIG_ENV, str(tmp_path / "none.toml"))
    cfg = config.load()
    assert cfg == Config()
    assert cfg.resolved_database_url().startswith("sqlite:///")
    # The default database lives in the (test-isolated) user data dir.
    assert str(config.data_dir()) in cfg.resolved_database_url()
    assert cfg.detainer_alerts_hours == (12.0, 2.0)


def test_file_values_are_read_and_written_back(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text(
        'agency_ori = "tx1234567"\ntime_zone = "America/Chicago"\nstate = "TX"\nquality_threshold = 55\n'
    )
    monkeypatch.setenv(config.CONFIG_ENV, str(path))
    cfg = config.load()
    assert (cfg.agency_ori, cfg.time_zone, cfg.state, cfg.quality_threshold) == (
        "TX1234567",
        "America/Chicago",
        "TX",
        55,
    )
    changed = config.replace(cfg, immigration_responses=False)
    config.save(changed)
    assert config.load().immigration_responses is False
    assert config.load().agency_ori == "TX1234567"


def test_every_bad_key_is_named_with_its_reason(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'agency_ori = "123"\ntime_zone = "Mars/Olympus"\nquality_threshold = 140\n'
        'immigration_responses = "yes"\ndetainer_alerts_hours = [12, -1]\ncolour = "blue"\n'
        'backend_url = "ftp://x"\n'
    )
    with pytest.raises(ConfigError) as err:
        config.load(path)
    problems = err.value.problems
    assert set(problems) == {
        "agency_ori", "time_zone", "quality_threshold", "immigration_responses",
        "detainer_alerts_hours", "colour", "backend_url",
    }  # fmt: skip
    assert "9 characters" in problems["agency_ori"]
    assert "Mars/Olympus" in problems["time_zone"]
    assert str(path) in str(err.value)


def test_broken_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("agency_ori = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(path)


def test_save_refuses_invalid_values(tmp_path):
    with pytest.raises(ConfigError):
        config.replace(Config(), state="ZZ")
