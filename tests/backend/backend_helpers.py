"""Helpers the backend tests import by name (the fixtures that use them are in conftest.py).

Here, not in conftest.py: `from conftest import …` names whichever folder's conftest Python
imported first, so a run of several test folders (`pytest tests/backend tests/matcher`) failed to
collect the files that imported from it.
"""

from __future__ import annotations

from pathlib import Path

from tls_helpers import session_pki

from backend._bench import synthetic_car
from backend.config import BackendConfig
from ebts import new_tcn

SEED = 11
POPULATION = 6


def make_config(data_dir: Path, db_path: Path, **overrides: object) -> BackendConfig:
    values = {
        "db_url": f"sqlite:///{db_path}",
        "data_dir": data_dir,
        "population": POPULATION,
        "seed": SEED,
        "enrol_kind": "rolled",
        "pki_dir": session_pki().ca.folder,
        # The KEK lives with the gallery cache: the galleries are sealed under a key it wraps, so
        # every service of the session that shares the cache shares it (as one backend restarted would).
        "key_file": data_dir / "keys" / "backend.kek",
        **overrides,
    }
    return BackendConfig(**values)  # type: ignore[arg-type]


def make_car(
    subject_id: int, ori: str = "TX0570000", seed: int = 5, tcn: str | None = None, rolled: bool = True
) -> tuple[str, bytes]:
    """(tcn, EBTS bytes) of a CAR of the virtual subject, made as a station makes it."""
    tcn = tcn or new_tcn(ori)
    return tcn, synthetic_car(subject_id, ori, seed, tcn, rolled)
