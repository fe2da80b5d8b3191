from __future__ import annotations

import numpy as np
import pytest

from matcher import Matcher, Template


def _moved(t: Template, angle: float, dx: float, dy: float) -> Template:
    m = t.minutiae.astype(np.float64).copy()
    c, s = np.cos(angle), np.sin(angle)
    x, y = m[:, 0] - t.width / 2, m[:, 1] - t.height / 2
    m[:, 0] = c * x - s * y + t.width / 2 + dx
    m[:, 1] = s * x + c * y + t.height / 2 + dy
    m[:, 2] += angle
    return Template(m, t.width, t.height, t.quality, t.texture)  # descriptors are relative: they move along


@pytest.fixture(scope="module")
def templates(prints) -> dict[int, Template]:
    return {k: Template.from_image(img, 500) for k, img in prints.items()}


def test_extraction_finds_minutiae_inside_the_image(templates) -> None:
    for t in templates.values():
        assert 15 <= len(t) <= 96
        assert (t.minutiae[:, 0] >= 0).all() and (t.minutiae[:, 0] < t.width).all()
        assert (t.minutiae[:, 1] >= 0).all() and (t.minutiae[:, 1] < t.height).all()
        assert set(np.unique(t.minutiae[:, 3])) <= {1.0, 2.0}


def test_score_is_invariant_to_rotating_and_moving_the_minutiae(templates) -> None:
    t = templates[0]
    same = Matcher(t).score(t)
    for angle, dx, dy in [(0.3, 15, -20), (-0.9, -30, 5), (1.2, 0, 40)]:
        assert Matcher(t).score(_moved(t, angle, dx, dy)) == pytest.approx(same, abs=1e-3)


def test_rotated_and_shifted_image_still_matches(prints, templates, rotated) -> None:
    probe = Matcher(templates[0])
    impostor_best = max(probe.score(templates[k]) for k in (1, 2, 3, 4))
    for degrees, shift in [(0, (12, -7)), (8, (0, 0)), (-20, (5, 10))]:
        moved = Template.from_image(rotated(prints[0], degrees, shift), 500)
        assert probe.score(moved) > 3 * impostor_best


def test_scores_are_in_range_and_symmetric_enough(templates) -> None:
    for a in templates.values():
        for b in templates.values():
            s = Matcher(a).score(b)
            assert 0.0 <= s <= 1.0


def test_empty_template_scores_zero(templates) -> None:
    empty = Template(np.zeros((0, 4)), 100, 100)
    assert Matcher(empty).score(templates[0]) == 0.0
    assert Matcher(templates[0]).score(empty) == 0.0


def test_resolution_is_normalised(prints, templates) -> None:
    # The same print scanned at 1000 ppi must give the same minutiae positions at 500 ppi.
    import cv2

    big = cv2.resize(prints[1], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    t = Template.from_image(big, 1000)
    assert abs(t.width - templates[1].width) <= 1
    assert Matcher(templates[1]).score(t) > 0.3


def test_bad_images_are_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="uint8"):
        Template.from_image(np.zeros((300, 300), np.float32), 500)
    with pytest.raises(ValueError, match="2-D"):
        Template.from_image(np.zeros((300, 300, 3), np.uint8), 500)
    with pytest.raises(ValueError, match="ppi"):
        Template.from_image(np.zeros((300, 300), np.uint8), 20)
    with pytest.raises(ValueError, match="too small"):
        Template.from_image(np.zeros((20, 20), np.uint8), 500)


def test_blank_image_gives_no_minutiae() -> None:
    t = Template.from_image(np.full((300, 300), 200, np.uint8), 500)
    assert len(t) == 0
