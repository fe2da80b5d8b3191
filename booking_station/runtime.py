"""Process-wide set-up shared by every command: cache folders, logging, the user-facing error type."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

APP_NAME = "booking-station"


class UserError(Exception):
    """A failure the user can act on (bad input, missing device, bad config).

    The CLI prints its message on one line, without a traceback, and exits with status 2.
    """


def cache_dir() -> Path:
    return Path(os.environ.get("BOOKING_STATION_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))


def prepare_environment() -> None:
    """Point numba's on-disk cache at a writable folder before numba is imported anywhere.

    An installed package directory may be read-only; without this numba silently recompiles
    every kernel at every start.
    """
    if "NUMBA_CACHE_DIR" not in os.environ:
        folder = cache_dir() / "numba"
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["NUMBA_CACHE_DIR"] = str(folder)


def configure_logging(verbose: bool = False) -> None:
    """The one logging set-up: messages to stderr, debug with --verbose."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Third-party chatter stays quiet unless asked for.
    for noisy in ("numba", "PIL", "matplotlib", "httpx", "httpcore", "alembic", "urllib3", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
