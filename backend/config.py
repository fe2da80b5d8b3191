"""The backend's settings: one object, built from flags and environment, changed at run time by the admin API.

Faults and demo delays can be switched three ways, in increasing precedence at start-up:
environment (`BOOKING_BACKEND_FAULTS="503=0.2,slow=1.5,drop=0.1"`, `BOOKING_BACKEND_DEMO_DELAYS=1`),
command-line flags, then at run time `PUT /admin/settings`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from booking_station import runtime

#: Demo-mode delays in seconds (low, high) before each answer is posted: realistic, not instant.
DEMO_DELAYS: dict[str, tuple[float, float]] = {
    "SRE": (5.0, 20.0),
    "IAR": (15.0, 60.0),
    "DETAINER": (30.0, 150.0),
}


@dataclass
class Faults:
    """Misbehaviour of the HTTP answers of `/v1/*` (never /health or /admin)."""

    unavailable_rate: float = 0.0  # fraction of requests answered 503 before any work is done
    slow_seconds: float = 0.0  # added to every answer
    drop_rate: float = 0.0  # fraction of requests handled, whose answer is then lost (connection closed)

    def check(self) -> None:
        for name in ("unavailable_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name} must be between 0 and 1, got {value}")
        if not 0.0 <= self.slow_seconds <= 600.0:
            raise ValueError(f"fault slow_seconds must be between 0 and 600, got {self.slow_seconds}")

    def as_dict(self) -> dict[str, float]:
        return {
            "unavailable_rate": self.unavailable_rate,
            "slow_seconds": self.slow_seconds,
            "drop_rate": self.drop_rate,
        }


_FAULT_KEYS = {"503": "unavailable_rate", "slow": "slow_seconds", "drop": "drop_rate"}


def parse_faults(text: str) -> Faults:
    """`"503=0.2,slow=1.5,drop=0.1"` -> Faults; a clear ValueError naming the bad part."""
    faults = Faults()
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in _FAULT_KEYS:
            raise ValueError(f"bad fault {part!r}: use 503=RATE, slow=SECONDS or drop=RATE, comma-separated")
        try:
            setattr(faults, _FAULT_KEYS[key.strip()], float(value))
        except ValueError:
            raise ValueError(f"bad fault {part!r}: {value!r} is not a number") from None
    faults.check()
    return faults


def default_data_dir() -> Path:
    return runtime.cache_dir() / "backend"


def default_secrets_dir() -> Path:
    """The backend's CA folder and key-encryption key live here: user data, never a cache that may be wiped."""
    import platformdirs

    return Path(platformdirs.user_data_dir(runtime.APP_NAME)) / "backend"


def default_pki_dir() -> Path:
    return default_secrets_dir() / "pki"


def default_key_file() -> Path:
    return default_secrets_dir() / "keys" / "backend.kek"


@dataclass
class BackendConfig:
    db_url: str = ""  # empty: SQLite file in data_dir
    data_dir: Path = field(default_factory=default_data_dir)  # gallery cache
    population: int = 100
    seed: int = 2026
    enrol_kind: str = (
        "rolled"  # impressions the galleries are enrolled from; tests use "plain" (smaller, faster)
    )
    demo_delays: bool = False
    faults: Faults = field(default_factory=Faults)
    policy_file: Path | None = None  # ICE policy overrides (JSON); see backend.policy
    pki_dir: Path = field(default_factory=default_pki_dir)  # CA, server certificate, revocation list
    key_file: Path = field(default_factory=default_key_file)  # wraps the data key (encryption at rest)
    use_keyring: bool = False  # the key-encryption key in the desktop keyring instead of key_file
    demo: bool = False  # serve the interactive API documentation (/docs, /openapi.json)
    # Galleries on a Ray cluster (backend.cluster): None is the embedded single process.
    cluster: str | None = None  # "auto", "ray://HOST:PORT" or "HOST:PORT"
    shards: int = 4  # per gallery (NGI, IDENT), with --cluster
    shard_dir: Path | None = None  # shard files on each node; default: the node's cache folder

    def kek(self):  # type: ignore[no-untyped-def]
        """Where the key-encryption key of the database lives (booking_station.envelope)."""
        from booking_station.envelope import FileKek, KeyringKek

        return (
            KeyringKek(runtime.APP_NAME, "backend-data-key") if self.use_keyring else FileKek(self.key_file)
        )

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'backend.sqlite'}"

    @classmethod
    def from_env(cls, **overrides: object) -> BackendConfig:
        """Defaults, then environment, then the given overrides (flags)."""
        config = cls()
        if os.environ.get("BOOKING_BACKEND_FAULTS"):
            config.faults = parse_faults(os.environ["BOOKING_BACKEND_FAULTS"])
        if os.environ.get("BOOKING_BACKEND_DEMO_DELAYS", "").strip() not in ("", "0", "false", "no"):
            config.demo_delays = True
        for key, value in overrides.items():
            if value is not None:
                setattr(config, key, value)
        if config.population < 1:
            raise ValueError(f"population must be at least 1, got {config.population}")
        if not 1 <= config.shards <= 4096:
            raise ValueError(f"shards must be 1-4096, got {config.shards}")
        return config
