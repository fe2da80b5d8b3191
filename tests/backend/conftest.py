"""Backend fixtures: a tiny population (6 subjects, rolled enrolment prints), built once per session,
and valid CAR transactions of a synthetic subject, made as a station makes them (ebts.build_car)
from `matcher.synth`'s rolled prints, slaps and thumbs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from backend_helpers import POPULATION, SEED, make_car, make_config
from fastapi.testclient import TestClient
from tls_helpers import AsCertificate, SessionPki, session_pki

from backend.app import create_app
from backend.service import Service
from ebts import Transaction, new_tcn, parse, write


@pytest.fixture(scope="session")
def gallery_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder whose gallery cache every test of the session shares (enrolment runs once)."""
    return tmp_path_factory.mktemp("backend-cache")


@pytest.fixture(scope="session")
def pki() -> SessionPki:
    return session_pki()


@pytest.fixture(params=["sqlite", "postgresql"])
def idle_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    """A service whose population is never prepared: for the API, store and routing rules.

    Also on PostgreSQL when BOOKING_BACKEND_TEST_POSTGRES names an empty database's URL
    (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/backend); its tables are dropped after.
    """
    config = make_config(tmp_path, tmp_path / "backend.sqlite")
    if request.param == "postgresql":
        url = os.environ.get("BOOKING_BACKEND_TEST_POSTGRES")
        if not url:
            pytest.skip("BOOKING_BACKEND_TEST_POSTGRES is not set (URL of an empty PostgreSQL database)")
        config.db_url = url
    service = Service(config)
    yield service
    if request.param == "postgresql":
        from backend._db import Base

        Base.metadata.drop_all(service.store.engine)
    service.store.close()


@pytest.fixture
def idle_client(idle_service: Service) -> Iterator[TestClient]:
    app = create_app(idle_service, start=False)
    with TestClient(AsCertificate(app, session_pki())) as client:
        yield client


@pytest.fixture
def make_service(gallery_cache: Path) -> Callable[..., Service]:
    """Services (not started) on the shared gallery cache, with the given database and settings."""
    return lambda db_path, **overrides: Service(make_config(gallery_cache, db_path, **overrides))


@pytest.fixture
def running_service(tmp_path: Path, gallery_cache: Path) -> Iterator[Service]:
    """A started service with its galleries ready (built at the first use in the session)."""
    service = Service(make_config(gallery_cache, tmp_path / "backend.sqlite"))
    service.start()
    try:
        assert service.ready.wait(timeout=600), service.state.message
        yield service
    finally:
        service.stop()


@pytest.fixture
def car() -> Callable[..., tuple[str, bytes]]:
    return make_car


@pytest.fixture(scope="session")
def car_of() -> Callable[[int], Transaction]:
    """The CAR of a subject as a parsed transaction, built once per subject per session.

    Variants (another ORI or TCN, records removed) are cheap: the images stay WSQ-encoded.
    """
    built: dict[int, bytes] = {}

    def get(subject_id: int) -> Transaction:
        if subject_id not in built:
            built[subject_id] = make_car(subject_id)[1]
        return parse(built[subject_id])

    return get


def variant(transaction: Transaction, ori: str | None = None, tcn: str | None = None) -> tuple[str, bytes]:
    """The transaction with another ORI and a new TCN (or the one given), as bytes."""
    header = transaction.header
    if ori is not None:
        header.set(8, ori)
    tcn = tcn or new_tcn(header.get(8) or "TX0570000")
    header.set(9, tcn)
    return tcn, write(transaction)


@pytest.fixture(name="variant")
def variant_fixture() -> Callable[..., tuple[str, bytes]]:
    return variant


@pytest.fixture(scope="session")
def people() -> list:
    """The test population, as the backend generates it (for picking subjects with a record)."""
    from backend import population

    return population.generate(POPULATION, SEED)


@pytest.fixture(scope="session")
def population_spec() -> tuple[int, int]:
    """(size, seed) of the test population."""
    return POPULATION, SEED


@pytest.fixture(scope="session")
def population_args() -> list[str]:
    """The command-line flags that give a backend process this session's population and gallery cache."""
    return ["--population", str(POPULATION), "--seed", str(SEED), "--enrol-prints", "rolled"]


@pytest.fixture(scope="session")
def ray_cluster():  # type: ignore[no-untyped-def]
    """A real local Ray cluster (head and a second node, separate processes), joined by this
    process; stopped, every process of it, at the end of the session."""
    pytest.importorskip("ray", reason="Ray is not installed (the test extra installs it)")
    from ray_cluster import LocalCluster

    cluster = LocalCluster()
    try:
        cluster.start()
        cluster.connect()
        yield cluster
    finally:
        cluster.stop()
