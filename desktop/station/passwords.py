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

`problems(password, username)` returns the rules broken, as the core's messages (codes with
parameters, desktop/station/messages.py: "password.too-short", …); the UI words them.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import re

from desktop.station.messages import Message, message

MIN_LENGTH = 8
MAX_LENGTH = 256
HISTORY = 10  # previous passwords that may not be used again
MAX_AGE_DAYS = 90

_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def _common() -> frozenset[str]:
    data = importlib.resources.files("resources.security").joinpath("common_passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def problems(password: str, username: str) -> list[Message]:
    """The rules `password` breaks for `username` (empty when it may be used). The history check
    needs the old hashes: Operators does it."""
    found: list[Message] = []
    if len(password) < MIN_LENGTH:
        found.append(message("password.too-short", min=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        found.append(message("password.too-long", max=MAX_LENGTH))
    folded = password.casefold()
    core = _AROUND.sub("", folded)
    if folded in _common() or (len(core) >= 4 and core in _common()):
        found.append(message("password.common"))
    name = username.strip().casefold()
    if name and (folded == name or folded == name[::-1] or (len(name) >= 3 and name in folded)):
        found.append(message("password.user-name"))
    return found
