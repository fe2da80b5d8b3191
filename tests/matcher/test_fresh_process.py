"""A fresh process with a warm numba cache: `booking-station match` loads little, and loads it right.

Kernels loaded from the cache skip numba's registry refresh (matcher._jit); these tests run the
real command and a parallel gallery search in new processes and compare with this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import cv2
import numba
import pytest
from numba.core import caching

from matcher import Gallery, Matcher, Template, _jit

ROOT = Path(__file__).resolve().parents[2]

# Packages a 1:1 match has no use for: the station, its UI and store, the backend, EBTS, drivers.
NOT_FOR_MATCH = {
    "desktop",
    "drivers",
    "ebts",
    "backend",
    "PySide6",
    "sqlalchemy",
    "alembic",
    "httpx",
    "fastapi",
    "fpdf",
    "matplotlib",
    "scipy",
}

_MATCH = """
import json, sys
from numba.core import base
calls = []
refresh = base.BaseContext.refresh
def counted(self):
    calls.append(type(self).__name__)
    refresh(self)
base.BaseContext.refresh = counted
from booking_station.cli import main
status = main(["match", sys.argv[1], sys.argv[2]])
print(json.dumps({"status": status, "refreshes": calls, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

_SEARCH = """
import json, sys
import cv2, numba
from matcher import Gallery, Template
g = Gallery()
paths = sys.argv[1:]
for i, p in enumerate(paths[1:]):
    g.add(f"s{i}", 1, Template.from_image(cv2.imread(p, cv2.IMREAD_GRAYSCALE), 500))
probe = Template.from_image(cv2.imread(paths[0], cv2.IMREAD_GRAYSCALE), 500)
hits = g.search(probe, top=3, exhaustive=True)
print(json.dumps({"hits": [[c.subject_id, c.score] for c in hits], "threads": numba.threading_layer()}))
"""


_ANSWERS = """
import json, sys
import cv2
from matcher import Gallery, Matcher, Template, _gallery
templates = [Template.from_image(cv2.imread(p, cv2.IMREAD_GRAYSCALE), 500) for p in sys.argv[1:]]
out = {"minutiae": [len(t) for t in templates], "one_to_one": Matcher(templates[0]).score(templates[1])}
for name, index_min in (("exhaustive", 10**9), ("indexed", 2)):
    _gallery.INDEX_MIN = index_min
    g = Gallery()
    for i, t in enumerate(templates[1:]):
        g.add(f"s{i}", 1, t)
    out[name] = [[c.subject_id, c.score] for c in g.search(templates[0], top=3)]
print(json.dumps(out))
"""

# A CPU without AVX-512 (this machine's may have it; CI's and a county's may not): numba compiles
# for Haswell (AVX2) with exactly its features, numpy and OpenCV leave their AVX-512 paths.
_HASWELL = {
    "NUMBA_CPU_NAME": "haswell",
    "NUMBA_CPU_FEATURES": "+64bit,+aes,+avx,+avx2,+bmi,+bmi2,+cmov,+cx16,+f16c,+fma,+fsgsbase,+fxsr,+lzcnt,"
    "+mmx,+movbe,+pclmul,+popcnt,+rdrnd,+sahf,+sse,+sse2,+sse3,+sse4.1,+sse4.2,+ssse3,+xsave,+xsaveopt",
    "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512VL "
    "AVX512BW AVX512DQ AVX512VNNI AVX512IFMA AVX512VBMI AVX512VBMI2 AVX512BITALG AVX512VPOPCNTDQ",
    "OPENCV_CPU_DISABLE": "AVX512-SKX,AVX512-CLX",
}


def _run(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def images(tmp_path_factory, prints, rotated) -> list[Path]:
    folder = tmp_path_factory.mktemp("fresh")
    imgs = [rotated(prints[0], 6, (5, 5)), prints[0], prints[1], prints[2]]
    paths = [folder / f"{i}.png" for i in range(len(imgs))]
    for p, img in zip(paths, imgs, strict=True):
        cv2.imwrite(str(p), img)
    return paths


def _template(path: Path) -> Template:
    return Template.from_image(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE), 500)


def test_match_in_a_fresh_process_imports_no_station_parts_and_refreshes_no_registry(images) -> None:
    a, b = str(images[0]), str(images[1])
    _run(_MATCH, a, b)  # compiles the four kernels if the cache is cold (first run on a machine)
    r = _run(_MATCH, a, b)
    assert r["status"] == 0
    assert not NOT_FOR_MATCH & set(r["modules"]), NOT_FOR_MATCH & set(r["modules"])
    assert {"matcher", "numba", "cv2"} <= set(r["modules"])
    assert r["refreshes"] == []  # every kernel came from the cache, without numba's full refresh


def test_kernels_loaded_in_a_fresh_process_score_as_here(images) -> None:
    out = _run(_SEARCH, *map(str, images))
    _run(_SEARCH, *map(str, images))  # cold cache: the first run compiled; this one loads
    again = _run(_SEARCH, *map(str, images))
    g = Gallery()
    for i, p in enumerate(images[1:]):
        g.add(f"s{i}", 1, _template(p))
    here = [[c.subject_id, c.score] for c in g.search(_template(images[0]), top=3, exhaustive=True)]
    assert out["hits"] == again["hits"] == here
    assert here[0][0] == "s0"  # the mate first
    assert again["threads"]  # the parallel kernel ran: its threading layer was started on load
    probe, mate = _template(images[0]), _template(images[1])
    assert here[0][1] == pytest.approx(Matcher(probe).score(mate))


@pytest.mark.slow
def test_kernels_compiled_for_a_cpu_without_avx512_run_and_answer_as_here(images, tmp_path) -> None:
    # The comparison kernels are written for AVX-512; LLVM lowers them for other CPUs. It once
    # aborted the whole process there (a floating-point vector compress), unseen on this machine.
    env = dict(_HASWELL, NUMBA_CACHE_DIR=str(tmp_path / "numba"))  # compiled here, for that CPU
    there = _run(_ANSWERS, *map(str, images), env=env)
    here = _run(_ANSWERS, *map(str, images))
    assert there["minutiae"] == here["minutiae"]
    # Other vector widths sum in another order: the last bits may differ (2e-8 seen), no more.
    assert there["one_to_one"] == pytest.approx(here["one_to_one"], rel=1e-6)
    for name in ("exhaustive", "indexed"):
        assert [s for s, _ in there[name]] == [s for s, _ in here[name]], name
        assert [x for _, x in there[name]] == pytest.approx([x for _, x in here[name]], rel=1e-6), name
    assert here["exhaustive"][0][0] == here["indexed"][0][0] == "s0"  # the mate first


def test_only_our_kernels_get_the_light_loader_and_only_over_the_method_it_was_written_for(
    monkeypatch,
) -> None:
    from matcher import _mcc

    assert _jit.LIGHT_LOADER
    assert type(_mcc.score_many._cache) is _jit._LoadOnlyCache
    # numba's own class is untouched: other numba code in the process loads as numba means it to.
    assert caching.FunctionCache.load_overload is caching.Cache.load_overload
    assert "refresh" in caching.Cache.load_overload.__code__.co_names

    def plain(x):  # noqa: ANN001, ANN202
        return x + 1

    assert type(numba.njit(cache=True)(plain)._cache) is caching.FunctionCache

    def other(self, sig, target_context):  # noqa: ANN001, ANN202 - a future numba's method
        target_context.refresh()
        return self._load_overload_v2(sig, target_context)

    assert not _jit._loader_matches(other)
    monkeypatch.setattr(_jit, "LIGHT_LOADER", False)
    assert type(_jit.njit(cache=True)(plain)._cache) is caching.FunctionCache
