"""The station's one config object, read from a TOML file in the user's config folder.

Every key has a default that works, so a station with no file runs (virtual scanner, embedded
backend, local SQLite database). A file with any bad value is refused as a whole: `ConfigError`
lists every bad key with its reason, so the station never starts half-configured.
`BOOKING_STATION_CONFIG` may point at another file.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from booking_station.runtime import APP_NAME, UserError
from desktop.station.detainers.clock import HoldCalendar, HolidayRule
from desktop.station.messages import Message, message, problem_of
from ebts.codes import US_STATES

if TYPE_CHECKING:
    from booking_station.pki import TlsFiles

CONFIG_ENV = "BOOKING_STATION_CONFIG"
KEY_STORES = ("auto", "file", "keyring")
EMBEDDED = "embedded"
LANGUAGES = ("en", "es")  # UI translations shipped (Qt .qm files); English is the source language.
# Which prints a booking takes: slaps, thumbs and ten rolled, or the 4-4-2 flats only.
CAPTURE_PLANS = {
    "tenprint": "slaps, thumbs and ten rolled prints",
    "flats": "flats only (4-4-2 slaps and thumbs)",
}


def config_path() -> Path:
    """The file the station reads: $BOOKING_STATION_CONFIG, else config.toml in the user config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Where the station keeps its database and files (follows XDG_DATA_HOME)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'station.db'}"


@dataclass(frozen=True)
class Config:
    agency_ori: str = "VA0000000"
    agency_name: str = "Demo County Jail"
    time_zone: str = "America/New_York"
    state: str = "VA"
    backend_url: str = EMBEDDED
    scanner: str = "virtual"
    immigration_responses: bool = True
    # Retake below this matcher.quality score. From the error-versus-reject curves of the six FVC
    # sets (docs/benchmarks.md, "Matcher accuracy (issue 24)"): 30 asks again for about 10 % of
    # their images and cuts the false non-matches at FMR 1e-3 among the rest by more than half.
    quality_threshold: int = 30
    database_url: str = ""  # empty means default_database_url(), resolved at load time
    detainer_alerts_hours: tuple[float, ...] = (12.0, 2.0)
    language: str = "en"
    capture_plan: str = "tenprint"
    # Which holidays stop the detainer clock: "federal" (the form's rule) or "federal+state".
    hold_holidays: str = "federal"
    # Mutual TLS with a backend at a URL (`booking-station pki issue --ori`); unused when embedded.
    backend_ca: str = ""
    backend_certificate: str = ""
    backend_key: str = ""
    # Where the key-encryption key of the database lives (keys.py): auto | file | keyring, and the
    # key file ("" = <data dir>/keys/station.kek).
    key_store: str = "auto"
    key_file: str = ""
    # Operators (CJIS Security Policy 5.5.3, 5.5.5): an account locks for `lockout_minutes` after
    # `lockout_attempts` failed log-ins in a row; the session locks after `idle_lock_minutes` idle.
    lockout_attempts: int = 5
    lockout_minutes: int = 10
    idle_lock_minutes: int = 30
    # Where this config came from (None: defaults only). Not a key.
    source: Path | None = field(default=None, compare=False)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def hold_calendar(self) -> HoldCalendar:
        """The days the detainer clock runs on, from `hold_holidays` and `state`."""
        return HoldCalendar(HolidayRule(self.hold_holidays), self.state)

    @property
    def counts_state_holidays(self) -> bool:
        """The state's holidays stop the clock too; without loading the holiday tables (for views)."""
        return HolidayRule(self.hold_holidays) is HolidayRule.FEDERAL_AND_STATE

    def backend_tls(self) -> TlsFiles | None:
        """The station's certificate files for a backend at a URL (None when not configured)."""
        if not (self.backend_ca and self.backend_certificate and self.backend_key):
            return None
        from booking_station.pki import TlsFiles  # cryptography loads only when a station uses TLS

        return TlsFiles(Path(self.backend_ca), Path(self.backend_certificate), Path(self.backend_key))

    def kek_location(self):  # type: ignore[no-untyped-def]
        """Where the database's key-encryption key lives (desktop.station.keys.KekLocation)."""
        from desktop.station.keys import location_of

        return location_of(self.key_store, self.key_file)

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    def to_toml_dict(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "source"}
        values["detainer_alerts_hours"] = list(self.detainer_alerts_hours)
        for optional in ("database_url", "backend_ca", "backend_certificate", "backend_key", "key_file"):
            if not values[optional]:
                del values[optional]
        return values


class ConfigError(UserError):
    """One or more bad keys; `messages` maps each key to its reason as a Message (the UI words it),
    `problems` to the same in English (the command line's and the log's)."""

    def __init__(self, source: Path | None, messages: Mapping[str, Message]) -> None:
        self.source = source
        self.messages = dict(messages)
        self.problems = {key: str(reason) for key, reason in self.messages.items()}
        where = f"in {source}" if source else "in the settings"
        lines = "; ".join(f"{key}: {reason}" for key, reason in self.problems.items())
        super().__init__(f"invalid configuration {where}: {lines}")


# --- validators: each returns the clean value or raises _Invalid with the reason ---------


class _Invalid(ValueError):
    """One key's problem, as a Message."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.message = message(code, **params)
        super().__init__(str(self.message))


def _ori(value: Any) -> str:
    text = _string(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{7}", text):
        raise _Invalid("config.ori-format")
    if text[:2] not in US_STATES:
        raise _Invalid("config.ori-state", value=repr(text[:2]))
    return text


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("config.text", kind=type(value).__name__)
    return value


def _nonempty(value: Any) -> str:
    text = _string(value).strip()
    if not text:
        raise _Invalid("config.empty")
    return text


def _zone(value: Any) -> str:
    text = _nonempty(value)
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _Invalid("config.time-zone", value=repr(text)) from None
    return text


def _state(value: Any) -> str:
    text = _nonempty(value).upper()
    if text not in US_STATES:
        raise _Invalid("config.state", value=repr(text))
    return text


def _backend(value: Any) -> str:
    text = _nonempty(value)
    if text != EMBEDDED and not re.fullmatch(r"https://[^\s/]+(/\S*)?", text):
        raise _Invalid("config.backend", embedded=repr(EMBEDDED), value=repr(text))
    return text.rstrip("/") if text != EMBEDDED else text


def _file(value: Any) -> str:
    text = _string(value).strip()
    if text and not Path(text).expanduser().is_file():
        raise _Invalid("config.file", path=text)
    return str(Path(text).expanduser()) if text else ""


_TLS_KEYS = ("backend_ca", "backend_certificate", "backend_key")


def _check_tls(clean: dict[str, Any], problems: dict[str, Message]) -> None:
    """A backend at a URL needs all three certificate files, and they must belong together. Each
    problem is also summed up under backend_url, so a form that shows only the URL still says it."""
    if any(key in problems for key in (*_TLS_KEYS, "backend_url")):
        return
    if clean.get("backend_url", EMBEDDED) == EMBEDDED:
        return
    found: dict[str, Message] = {}
    missing = [key for key in _TLS_KEYS if not clean.get(key)]
    if missing:
        for key in missing:
            found[key] = message("config.tls-files")
    else:
        from booking_station.pki import TlsFiles, check_pair

        try:
            identity = check_pair(TlsFiles(*(Path(clean[key]) for key in _TLS_KEYS)), check_expiry=False)
        except UserError as exc:
            found["backend_certificate"] = message("config.certificate", problem=problem_of(exc) or str(exc))
        else:
            ori = clean.get("agency_ori", Config.agency_ori)
            if identity.ori != ori:
                found["backend_certificate"] = message(
                    "config.certificate-ori", ori=identity.ori or identity.role, agency=ori
                )
    if found:
        problems.update(found)
        problems["backend_url"] = message("config.backend-certificate", problem=next(iter(found.values())))


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("config.bool")
    return value


def _threshold(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("config.threshold")
    if not 0 <= value <= 100:
        raise _Invalid("config.threshold-range", value=value)
    return value


def _database(value: Any) -> str:
    text = _string(value).strip()
    if not text:
        return ""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except ArgumentError:
        raise _Invalid("config.database", value=repr(text)) from None
    return text


def _alerts(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list | tuple):
        raise _Invalid("config.alerts")
    hours = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float) or item <= 0:
            raise _Invalid("config.alerts-entry", value=repr(item))
        hours.append(float(item))
    return tuple(sorted(set(hours), reverse=True))


def _language(value: Any) -> str:
    text = _nonempty(value)
    if text not in LANGUAGES:
        raise _Invalid("config.one-of", choices=", ".join(LANGUAGES), value=repr(text))
    return text


def _capture_plan(value: Any) -> str:
    text = _nonempty(value).lower()
    if text not in CAPTURE_PLANS:
        raise _Invalid("config.one-of", choices=", ".join(CAPTURE_PLANS), value=repr(text))
    return text


def _key_store(value: Any) -> str:
    text = _nonempty(value).lower()
    if text not in KEY_STORES:
        raise _Invalid("config.one-of", choices=", ".join(KEY_STORES), value=repr(text))
    return text


def _key_file(value: Any) -> str:
    text = _string(value).strip()
    return str(Path(text).expanduser()) if text else ""


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Invalid("config.whole", low=low, high=high, value=repr(value))
        return value

    return check


def _hold_holidays(value: Any) -> str:
    text = _nonempty(value).lower()
    choices = [rule.value for rule in HolidayRule]
    if text not in choices:
        raise _Invalid("config.one-of", choices=", ".join(choices), value=repr(text))
    return text


_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "agency_ori": _ori,
    "agency_name": _nonempty,
    "time_zone": _zone,
    "state": _state,
    "backend_url": _backend,
    "scanner": _nonempty,
    "immigration_responses": _bool,
    "quality_threshold": _threshold,
    "database_url": _database,
    "detainer_alerts_hours": _alerts,
    "language": _language,
    "capture_plan": _capture_plan,
    "hold_holidays": _hold_holidays,
    "backend_ca": _file,
    "backend_certificate": _file,
    "backend_key": _file,
    "key_store": _key_store,
    "key_file": _key_file,
    "lockout_attempts": _whole(1, 100),
    "lockout_minutes": _whole(1, 24 * 60),
    "idle_lock_minutes": _whole(1, 24 * 60),
}


def from_mapping(values: Mapping[str, Any], source: Path | None = None) -> Config:
    """A Config from raw values (missing keys take defaults); every problem reported at once."""
    problems: dict[str, Message] = {}
    clean: dict[str, Any] = {}
    for key, value in values.items():
        validator = _VALIDATORS.get(key)
        if validator is None:
            problems[key] = message("config.unknown-key", keys=", ".join(_VALIDATORS))
            continue
        try:
            clean[key] = validator(value)
        except _Invalid as exc:
            problems[key] = exc.message
    _check_tls(clean, problems)
    if problems:
        raise ConfigError(source, problems)
    return Config(source=source, **clean)


def _toml_problem(exc: ValueError) -> Message:
    """A file tomllib cannot read: where (line and column, when the parser says), and the parser's
    own English apart, as the technical detail."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if found:
        return message("config.toml-at", line=int(found[1]), column=int(found[2]), detail=str(exc))
    return message("config.toml", detail=str(exc))


def load(path: Path | None = None) -> Config:
    """Read the config file, or the defaults when there is none."""
    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, {"(file)": _toml_problem(exc)}) from None
    return from_mapping(values, source=path)


def save(config: Config, path: Path | None = None) -> Path:
    """Write the config atomically (a crash leaves the old file or the new one, never half)."""
    import tomli_w

    path = path or config.source or config_path()
    from_mapping(config.to_toml_dict())  # refuse to write what we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        tomli_w.dump(config.to_toml_dict(), out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return path


def replace(config: Config, **changes: Any) -> Config:
    """A copy with some keys changed, validated like a file."""
    values = config.to_toml_dict()
    values.update(changes)
    return from_mapping(values, source=config.source)
