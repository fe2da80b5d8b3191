"""Property-based tests of the HTTP API from its own OpenAPI schema (schemathesis): whatever a
client sends within or around the schema, the answer is one the schema documents, in the shape it
documents, and never a server error. Kept short for the suite (few examples per operation);
`SCHEMATHESIS_EXAMPLES=500` runs a longer search."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from tls_helpers import AsCertificate, session_pki

from backend.app import create_app
from backend.config import BackendConfig
from backend.service import Service

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


def _app():  # type: ignore[no-untyped-def]
    """The API of an idle service (no population) on a throw-away database, as a station and an
    administrator of the test CA reach it. schemathesis reads the schema when the module is
    collected (its fixture loader does not work with this pytest), hence no fixture here."""
    folder = Path(tempfile.mkdtemp(prefix="booking-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = BackendConfig(
        db_url=f"sqlite:///{folder / 'backend.sqlite'}",
        data_dir=folder,
        population=6,
        pki_dir=session_pki().ca.folder,
        key_file=folder / "keys" / "backend.kek",
        demo=True,  # the schema is served in a demo only
    )
    service = Service(config)
    return AsCertificate(create_app(service, start=False), session_pki())


# Settings switch faults on for everyone (503s, minute-long delays): tested on their own.
schema = schemathesis.openapi.from_asgi("/openapi.json", _app()).exclude(method="PUT", path="/admin/settings")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: a failure here is reproducible
)
def test_every_answer_is_documented_and_none_is_a_server_error(case) -> None:  # type: ignore[no-untyped-def]
    # Not "schema-valid data is accepted": the schema says "bytes", the contract says "EBTS bytes",
    # so most generated bodies are rightly refused with 400 (their ERRT cases: tests/backend/test_ngi.py).
    case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
