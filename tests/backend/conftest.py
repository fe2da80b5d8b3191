"""Backend fixtures: a tiny population (6 subjects, plain enrolment prints), built once per session,
and valid CAR transactions of a synthetic subject, made as a station makes them (ebts.build_car):
rolled prints from `matcher.synth`, slaps of the subject's plain impressions side by side with
their segment boxes (enough for the backend, which searches the rolled prints)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.config import BackendConfig
from backend.service import Service
from ebts import Charge, FingerImage, Segment, Submission, build_car, new_tcn

SEED = 11
POPULATION = 6


@pytest.fixture(scope="session")
def gallery_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder whose gallery cache every test of the session shares (enrolment runs once)."""
    return tmp_path_factory.mktemp("backend-cache")


def make_config(data_dir: Path, db_path: Path, **overrides: object) -> BackendConfig:
    values = {
        "db_url": f"sqlite:///{db_path}",
        "data_dir": data_dir,
        "population": POPULATION,
        "seed": SEED,
        "enrol_kind": "plain",
        **overrides,
    }
    return BackendConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def idle_service(tmp_path: Path) -> Iterator[Service]:
    """A service whose population is never prepared: for the API, store and routing rules."""
    service = Service(make_config(tmp_path, tmp_path / "backend.sqlite"))
    yield service
    service.store.close()


@pytest.fixture
def idle_client(idle_service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(idle_service, start=False)) as client:
        yield client


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


RIGHT_SLAP, LEFT_SLAP = (2, 3, 4, 5), (10, 9, 8, 7)


def _plain(subject_id: int, finger: int, seed: int) -> np.ndarray:
    from matcher import synth

    return synth.impression(subject_id, finger, seed=seed, kind="plain").image


def _slap(subject_id: int, fingers: tuple[int, ...], fgp: int, seed: int) -> FingerImage:
    images = [_plain(subject_id, f, seed) for f in fingers]
    height = max(i.shape[0] for i in images)
    canvas = np.full((height, sum(i.shape[1] for i in images)), 255, np.uint8)
    segments, left = [], 0
    for finger, image in zip(fingers, images, strict=True):
        canvas[: image.shape[0], left : left + image.shape[1]] = image
        segments.append(Segment(finger, left, left + image.shape[1] - 1, 0, image.shape[0] - 1))
        left += image.shape[1]
    return FingerImage(fgp, canvas, 500.0, rolled=False, segments=tuple(segments))


def make_car(
    subject_id: int, ori: str = "TX0570000", seed: int = 5, tcn: str | None = None, rolled: bool = True
) -> tuple[str, bytes]:
    """(tcn, EBTS bytes) of a complete CAR for the virtual subject."""
    from matcher import synth

    images = []
    if rolled:
        for finger in range(1, 11):
            imp = synth.impression(subject_id, finger, seed=seed, kind="rolled")
            images.append(FingerImage(finger, imp.image, imp.ppi, rolled=True, quality=60))
    images.append(_slap(subject_id, RIGHT_SLAP, 13, seed))
    images.append(_slap(subject_id, LEFT_SLAP, 14, seed))
    images.append(FingerImage(11, _plain(subject_id, 1, seed), 500.0, rolled=False))
    images.append(FingerImage(12, _plain(subject_id, 6, seed), 500.0, rolled=False))
    tcn = tcn or new_tcn(ori)
    submission = Submission(
        tcn=tcn,
        ori=ori,
        last_name="DOE",
        first_name="JOHN",
        date_of_birth=date(1980, 5, 17),
        sex="M",
        race="W",
        place_of_birth="TX",
        height_inches=70,
        weight_pounds=180,
        eye_color="BRO",
        hair_color="BLK",
        arrest_date=date(2026, 11, 20),
        charges=[Charge("BURGLARY", date(2026, 11, 19))],
        images=images,
    )
    return tcn, build_car(submission)


@pytest.fixture
def car() -> Callable[..., tuple[str, bytes]]:
    return make_car
