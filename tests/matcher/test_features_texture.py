"""Texture descriptors: the orientation field around a minutia, relative to its direction."""

from __future__ import annotations

import numpy as np

from matcher import Matcher, Template, _texture


def _field(h: int = 300, w: int = 300, angle: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    return np.full((h, w), angle, np.float32), np.ones((h, w), np.uint8)


def test_codes_are_the_field_relative_to_the_minutia() -> None:
    theta, mask = _field(angle=0.4)
    for a in (0.0, 1.0, 2.5, 4.0):
        codes = _texture.unpack(_texture.describe(np.array([[150.0, 150.0, a]]), theta, mask))[0]
        want = int(np.floor(np.mod(0.4 - a, np.pi) / np.pi * _texture.LEVELS + 0.5)) % _texture.LEVELS
        assert (codes == want).all()


def test_samples_outside_the_print_are_invalid() -> None:
    theta, mask = _field()
    mask[:, 150:] = 0
    codes = _texture.unpack(_texture.describe(np.array([[140.0, 150.0, 0.0], [5.0, 5.0, 0.0]]), theta, mask))
    # Pointing into the background: the samples ahead of the minutia are out, those behind are in.
    assert (codes[0] == _texture.INVALID).any() and (codes[0] != _texture.INVALID).any()
    assert (codes[1] == _texture.INVALID).sum() > _texture.SAMPLES // 2  # near the image corner
    assert _texture.describe(np.zeros((0, 4)), theta, mask).shape == (0, _texture.BYTES)


def test_pack_round_trip() -> None:
    codes = np.random.default_rng(1).integers(0, 16, (7, _texture.SAMPLES)).astype(np.uint8)
    assert np.array_equal(_texture.unpack(_texture.pack(codes)), codes)


def test_descriptors_follow_a_rotated_print(prints, rotated) -> None:
    """Turning the image turns minutiae and field together: a mate's texture still agrees, and
    the texture weight keeps the mate far above impostors."""
    a = Template.from_image(prints[0], 500)
    b = Template.from_image(rotated(prints[0], 20, (5, -5)), 500)
    assert (a.texture != 0xFF).any()
    m = Matcher(a)
    bare = Template(b.minutiae, b.width, b.height, b.quality)  # the same print, texture unknown
    assert m.score(b) > m.score(bare) * 1.2  # agreeing texture weighs more than the neutral 0.6
    impostor_best = max(m.score(Template.from_image(prints[k], 500)) for k in (1, 2, 3))
    assert m.score(b) > 3 * impostor_best


def test_gallery_scores_with_texture_as_the_matcher_does(prints, rotated, tmp_path) -> None:
    """The gallery keeps each minutia's descriptor (saved, memory-mapped on loading), so 1:N
    scores equal 1:1 scores — the decision thresholds hold for both."""
    from matcher import Gallery

    probe = Template.from_image(prints[0], 500)
    enrolled = [Template.from_image(rotated(prints[0], 10, (4, 2)), 500)]
    enrolled += [Template.from_image(prints[k], 500) for k in (1, 2, 3)]
    g = Gallery()
    for k, t in enumerate(enrolled):
        g.add(f"s{k}", 1, t)
    g.save(tmp_path / "g")
    loaded = Gallery.load(tmp_path / "g")
    assert isinstance(loaded._texture, np.memmap)
    m = Matcher(probe)
    want = sorted((m.score(t) for t in enrolled), reverse=True)
    for gallery in (g, loaded):
        got = [c.score for c in gallery.search(probe, top=4, exhaustive=True)]
        assert got == want
