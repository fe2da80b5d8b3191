from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest
from ebts_samples import ridges

from ebts import wsq


def test_round_trip_keeps_size_resolution_and_ridges() -> None:
    image = ridges(256, 320)
    data = wsq.encode(image, 500)
    decoded, ppi = wsq.decode(data)
    assert decoded.shape == image.shape and ppi == 500
    assert np.abs(decoded.astype(int) - image).mean() < 12  # lossy, but the ridges are still there
    assert np.corrcoef(decoded.ravel(), image.ravel())[0, 1] > 0.95


def test_resolution_other_than_500_is_recorded_in_the_file() -> None:
    _, ppi = wsq.decode(wsq.encode(ridges(64, 64), 1000))
    assert ppi == 1000


def test_compression_ratio_on_a_tenprint_sized_synthetic_image() -> None:
    image = ridges(800, 750)  # a rolled-print-sized image at 500 ppi
    assert 12 <= image.size / len(wsq.encode(image, 500)) <= 20


@pytest.mark.realdata
def test_compression_ratio_is_about_15_to_1_on_a_real_500ppi_print(shared_data: Path) -> None:
    from PIL import Image

    image = np.asarray(Image.open(shared_data / "fingerprints/fvc2002_db1_b/101_1.tif").convert("L"))
    ratio = image.size / len(wsq.encode(image, 500))
    assert 12 <= ratio <= 20, ratio


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((10, 10), np.uint8), "too small"),
        (np.zeros((64, 64), np.float32), "uint8"),
        (np.zeros(64, np.uint8), "2-D"),
    ],
)
def test_bad_images_are_refused(image: np.ndarray, message: str) -> None:
    with pytest.raises(wsq.WSQError, match=message):
        wsq.encode(image)


def test_garbage_is_a_clear_error() -> None:
    with pytest.raises(wsq.WSQError, match="not a WSQ image"):
        wsq.decode(b"\x89PNG....")
    with pytest.raises(wsq.WSQError, match="cannot decode"):
        wsq.decode(b"\xff\xa0" + b"\x00" * 40)


def test_inspect_reads_the_frame_without_decoding() -> None:
    header = wsq.inspect(wsq.encode(ridges(120, 90), 1000))
    assert (header.width, header.height, header.ppi) == (120, 90, 1000)


def test_untrusted_images_that_crash_the_decoder_cost_only_themselves() -> None:
    good = wsq.encode(ridges(96, 80), 500)
    # Corruptions of the coded data and tables, some of which abort NBIS inside its C code.
    corrupt = []
    for n in range(40):
        blob = bytearray(good)
        for k in range(3):
            blob[(97 * n + 31 * k) % len(blob)] ^= 0x5A
        corrupt.append(bytes(blob))
    results = wsq.decode_untrusted([good, *corrupt, b"not wsq", good])
    assert len(results) == 43
    for result in (results[0], results[-1]):
        assert not isinstance(result, wsq.WSQError) and result[0].shape == (80, 96)
    assert isinstance(results[-2], wsq.WSQError)
    assert all(isinstance(r, wsq.WSQError) or r[0].ndim == 2 for r in results[1:-2])


_PARENT_DIES = """
import os
import subprocess

import numpy as np

from ebts import wsq


class Child(subprocess.Popen):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        print(self.pid, self.args[-1], flush=True)  # the program it runs


rng = np.random.default_rng(0)
blobs = [wsq.encode(rng.integers(0, 255, (800, 800), dtype=np.uint8)) for _ in range(4)]
wsq.subprocess.Popen = Child
wsq._read_result = lambda *args: os._exit(0)  # the parent dies before it reads a single image
wsq.decode_untrusted(blobs)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_decoder_child_does_not_outlive_its_parent(tmp_path: Path) -> None:
    """A killed backend must not leave a decoder child behind, blocked for ever on a full pipe
    (the images it decoded are far larger than a pipe holds). The child is a fresh interpreter
    running the decoder script, not a fork of the caller, which may copy a lock another thread held."""
    import subprocess
    import sys
    import time

    script = tmp_path / "parent_dies.py"
    script.write_text(_PARENT_DIES)
    # Output to a file, not a pipe: a stuck child would hold a pipe open and hang the run.
    with open(tmp_path / "pid", "w") as out:
        subprocess.run([sys.executable, str(script)], stdout=out, stderr=subprocess.DEVNULL, timeout=120)
    pid, command = (tmp_path / "pid").read_text().split()
    pid = int(pid)
    assert command.endswith("ebts/_wsq_child.py")
    for _ in range(600):  # it exits on its next write; allow a loaded machine a minute
        if not _running(pid):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        raise AssertionError("the decoder child is still running after its parent died")


def test_a_decoder_process_that_cannot_start_is_an_error_not_a_corrupt_image(
    tmp_path: Path, monkeypatch
) -> None:
    broken = tmp_path / "child.py"
    broken.write_text("import no_such_module_here\n")
    monkeypatch.setattr(wsq, "_CHILD", broken)
    with pytest.raises(
        RuntimeError, match="did not start: ModuleNotFoundError: No module named 'no_such_module_here'"
    ):
        wsq.decode_untrusted([wsq.encode(ridges(96, 80), 500)])


def test_an_image_the_decoder_returns_in_another_size_than_its_header_is_rejected(
    tmp_path: Path, monkeypatch
) -> None:
    """Output that breaks the protocol is not trusted: that image fails, the next gets a new child."""
    liar = tmp_path / "child.py"
    liar.write_text(
        "import struct, sys\n"
        "sys.stdin.buffer.read()\n"
        "sys.stdout.buffer.write(b'R' + b'I' + struct.pack('<IIi', 2, 2, 500) + bytes(4))\n"
    )
    monkeypatch.setattr(wsq, "_CHILD", liar)
    results = wsq.decode_untrusted([wsq.encode(ridges(96, 80), 500)] * 2)
    assert [str(r) for r in results] == ["the WSQ decoder crashed on this image: it is corrupt"] * 2
