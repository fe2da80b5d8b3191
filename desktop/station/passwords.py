"""Password rules: the CJIS Security Policy's basic password standard (5.6.2.1.1), as codes.

A password must
- be at least 8 characters long (and at most 256, so checking it stays cheap);
- not be a dictionary word or proper name, nor a commonly used password: checked against a list
  of 47 838 common passwords, English words and first and last names
  (`resources/security/common_passwords.txt.gz`), also once digits and punctuation around it are
  taken off ("Password1!" is "password");
- not be the user name (nor contain it, nor be it backwards);
- not be one of the operator's previous ten passwords (Operators keeps their hashes);
- expire within 90 days (Operators asks for a new one at log-in after that).
It is never shown when typed and never leaves the station (the UI's and the store's part).

`problems(password, username)` returns (code, parameters) pairs; `describe` says them in English
for the command line and logs; the UI translates the codes.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import re

MIN_LENGTH = 8
MAX_LENGTH = 256
HISTORY = 10  # previous passwords that may not be used again
MAX_AGE_DAYS = 90

_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")

#: The English text of each code (the UI has its own translated text per code).
MESSAGES = {
    "too_short": "at least {min} characters",
    "too_long": "at most {max} characters",
    "common": "not a common password, dictionary word or name (it is on the list of common passwords)",
    "user_name": "not your user name or a variation of it",
    "reused": "not one of your last {count} passwords",
}


@functools.cache
def _common() -> frozenset[str]:
    data = importlib.resources.files("resources.security").joinpath("common_passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def problems(password: str, username: str) -> list[tuple[str, dict[str, int]]]:
    """What is wrong with `password` for `username` (empty when it may be used). The history check
    needs the old hashes: Operators does it."""
    found: list[tuple[str, dict[str, int]]] = []
    if len(password) < MIN_LENGTH:
        found.append(("too_short", {"min": MIN_LENGTH}))
    if len(password) > MAX_LENGTH:
        found.append(("too_long", {"max": MAX_LENGTH}))
    folded = password.casefold()
    core = _AROUND.sub("", folded)
    if folded in _common() or (len(core) >= 4 and core in _common()):
        found.append(("common", {}))
    name = username.strip().casefold()
    if name and (folded == name or folded == name[::-1] or (len(name) >= 3 and name in folded)):
        found.append(("user_name", {}))
    return found


def describe(found: list[tuple[str, dict[str, int]]]) -> str:
    return "; ".join("password: " + MESSAGES[code].format(**params) for code, params in found)
