"""A small, valid CAR submission shared by the ebts tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from ebts_samples import ORI, tenprint_images

from ebts import Charge, FingerImage, Submission


@pytest.fixture(scope="session")
def images() -> list[FingerImage]:
    return tenprint_images()


@pytest.fixture
def submission(images: list[FingerImage]) -> Submission:
    return Submission(
        tcn=f"{ORI}-20261120101500-ABCDEF0123",
        ori=ORI,
        last_name="DOE",
        first_name="JOHN",
        middle_name="Q",
        date_of_birth=date(1985, 4, 12),
        sex="M",
        race="W",
        place_of_birth="NY",
        height_inches=70,
        weight_pounds=180,
        eye_color="BRO",
        hair_color="BLK",
        arrest_date=date(2026, 11, 20),
        charges=[Charge("BURGLARY 2ND DEGREE", date(2026, 11, 19)), Charge("RESISTING ARREST")],
        images=images,
        created=datetime(2026, 11, 20, 10, 15, tzinfo=UTC),
    )
