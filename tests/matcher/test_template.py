from __future__ import annotations

import numpy as np
import pytest

from matcher import Template, _texture


def _template() -> Template:
    rng = np.random.default_rng(3)
    n = 40
    m = np.stack(
        [
            rng.uniform(20, 300, n),
            rng.uniform(20, 350, n),
            rng.uniform(0, 2 * np.pi, n),
            rng.integers(1, 3, n),
        ],
        axis=1,
    )
    codes = rng.integers(0, _texture.INVALID + 1, (n, _texture.SAMPLES))
    return Template(m, 320, 380, rng.integers(0, 101, n), _texture.pack(codes))


def _close(a: Template, b: Template, xy_tol: float, angle_tol: float) -> None:
    assert (a.width, a.height) == (b.width, b.height)
    assert len(a) == len(b)
    np.testing.assert_allclose(a.minutiae[:, :2], b.minutiae[:, :2], atol=xy_tol)
    da = np.abs((a.minutiae[:, 2] - b.minutiae[:, 2] + np.pi) % (2 * np.pi) - np.pi)
    assert da.max() <= angle_tol
    np.testing.assert_array_equal(a.minutiae[:, 3], b.minutiae[:, 3])
    np.testing.assert_array_equal(a.quality, b.quality)
    np.testing.assert_array_equal(a.texture, b.texture)


def test_binary_round_trip_is_close_and_stable() -> None:
    t = _template()
    back = Template.from_bytes(t.to_bytes())
    _close(t, back, 1 / 16, 2 * np.pi / 65536)
    assert Template.from_bytes(back.to_bytes()) == back


def test_iso_round_trip() -> None:
    t = _template()
    rec = t.to_iso19794_2(finger=2)
    assert rec[:8] == b"FMR\x00 20\x00"
    assert int.from_bytes(rec[8:12], "big") == len(rec)
    assert len(rec) == 24 + 4 + 6 * len(t) + 2 + 4 + _texture.BYTES * len(t)  # + the texture area
    _close(t, Template.from_iso19794_2(rec), 0.5, np.pi / 256 + 1e-6)


def test_ansi_round_trip() -> None:
    t = _template()
    rec = t.to_ansi378(finger=7)
    assert rec[:8] == b"FMR\x00 20\x00"
    assert int.from_bytes(rec[8:10], "big") == len(rec)
    assert len(rec) == 26 + 4 + 6 * len(t) + 2 + 4 + _texture.BYTES * len(t)
    _close(t, Template.from_ansi378(rec), 0.5, np.pi / 180 + 1e-6)


def test_iso_angle_is_counter_clockwise_on_screen() -> None:
    # A minutia pointing straight up on screen (towards −y) is 90° counter-clockwise: code 64 of 256.
    t = Template(np.array([[100, 100, 3 * np.pi / 2, 1]]), 200, 200)
    rec = t.to_iso19794_2()
    assert rec[28 + 4] == 64


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (Template.from_bytes, b"XXXX" + bytes(20), "bad magic"),
        (Template.from_bytes, b"BS", "too short"),
        (Template.from_iso19794_2, b"FMR\x00 20\x00" + bytes(20), "says 0 bytes"),
        (Template.from_ansi378, b"nonsense" * 4, "bad header"),
    ],
)
def test_bad_records_are_rejected_clearly(reader, data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reader(data)


def test_truncated_binary_is_rejected() -> None:
    data = _template().to_bytes()
    with pytest.raises(ValueError, match="does not match"):
        Template.from_bytes(data[:-3])


def test_template_is_immutable() -> None:
    t = _template()
    with pytest.raises(ValueError):
        t.minutiae[0, 0] = 1.0


def test_records_without_texture_read_as_unknown_texture() -> None:
    """A record from another system (no extended data) or an old binary template has no
    descriptors: every sample reads as invalid, so its pairs get the neutral texture weight."""
    t = _template()
    bare = Template(t.minutiae, t.width, t.height, t.quality)
    assert (bare.texture == 0xFF).all() and bare.texture.shape == (len(t), _texture.BYTES)
    iso = bare.to_iso19794_2()
    assert len(iso) == 24 + 4 + 6 * len(t) + 2  # nothing to carry: an empty extended data block
    assert (Template.from_iso19794_2(iso).texture == 0xFF).all()
    v1 = bytearray(t.to_bytes()[: -_texture.BYTES * len(t)])
    v1[4] = 1  # version 1: minutiae only
    back = Template.from_bytes(bytes(v1))
    assert (back.texture == 0xFF).all()
    np.testing.assert_array_equal(back.minutiae, Template.from_bytes(t.to_bytes()).minutiae)


def test_foreign_extended_data_is_skipped() -> None:
    t = _template()
    rec = bytearray(t.to_iso19794_2())
    # An area of another vendor before ours: read past by its length.
    foreign = (0x0100).to_bytes(2, "big") + (10).to_bytes(2, "big") + b"abcdef"
    start = 24 + 4 + 6 * len(t)
    old_len = int.from_bytes(rec[start : start + 2], "big")
    rec[start : start + 2] = (old_len + len(foreign)).to_bytes(2, "big")
    rec[start + 2 : start + 2] = foreign
    rec[8:12] = len(rec).to_bytes(4, "big")
    back = Template.from_iso19794_2(bytes(rec))
    np.testing.assert_array_equal(back.texture, t.texture)
