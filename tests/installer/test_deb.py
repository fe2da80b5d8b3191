"""The Debian package: built from this checkout, installed with apt-get, run, removed and purged.

Slow (it builds the private environment and enrols the backend's galleries) and it installs a
system package, so it runs only as root on a Debian machine without a booking-station package of
its own, as CI does; it says why it is skipped anywhere else. The size of the package and the time
`apt-get install` took are printed (run with -s to see them; docs/benchmarks.md keeps them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.deb]

ROOT = Path(__file__).resolve().parents[2]
NAME = "booking-station"
PREFIX = Path("/opt/booking-station")


def _installed() -> bool:
    query = subprocess.run(["dpkg-query", "-W", "-f=${Status}", NAME], capture_output=True, text=True)
    return "install ok installed" in query.stdout


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.geteuid() != 0:
        pytest.skip("installs a system package: runs as root (as CI does)")
    if not (shutil.which("dpkg-deb") and shutil.which("apt-get") and Path("/usr/bin/python3.11").exists()):
        pytest.skip("needs a Debian 12 machine (dpkg-deb, apt-get, /usr/bin/python3.11)")
    if _installed() or PREFIX.exists():
        pytest.skip(f"{NAME} is already installed on this machine; the test would replace it")
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "VIRTUAL_ENV")}
    build = subprocess.run(
        [str(ROOT / "installer" / "build-deb"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=3600,
        env=env,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    package = out / f"{NAME}_{version}_{arch}.deb"
    assert package.exists(), sorted(p.name for p in out.iterdir())
    print(f"\n{package.name}: {package.stat().st_size / 2**20:.1f} MiB")
    return package


def _run(*argv: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, env=env)


def test_the_package_installs_runs_and_removes_leaving_only_the_users_data(deb: Path, tmp_path: Path) -> None:
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    home = tmp_path / "home"
    user = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
    }
    started = time.monotonic()
    install = subprocess.run(
        ["apt-get", "install", "-y", "-q", str(deb)],
        capture_output=True,
        text=True,
        env=apt_env,
        timeout=1800,
    )
    print(f"apt-get install: {time.monotonic() - started:.1f} s")
    try:
        assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
        files = [
            Path(line)
            for line in subprocess.run(
                ["dpkg", "-L", NAME], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("/")
        ]
        shipped = [p for p in files if p.is_symlink() or p.is_file()]
        assert Path("/usr/bin/booking-station").resolve().is_relative_to(PREFIX)
        rule = Path("/usr/lib/udev/rules.d/70-booking-station-scanners.rules")
        assert rule.read_text() == (ROOT / "installer/udev/70-booking-station-scanners.rules").read_text()
        for path in (
            "/usr/share/applications/booking-station.desktop",
            "/usr/share/icons/hicolor/scalable/apps/booking-station.svg",
            "/usr/lib/systemd/user/booking-station.service",
            "/usr/share/man/man1/booking-station.1.gz",
            "/usr/share/doc/booking-station/copyright",
        ):
            assert Path(path) in shipped, path
        assert any(p.match("*/share/booking-station/galleries/*/complete") for p in shipped)

        helped = _run("booking-station", "--help", env=user)
        assert helped.returncode == 0 and "scanners" in helped.stdout, helped.stderr
        listed = _run("booking-station", "scanners", "list", "--json", env=user)
        assert listed.returncode == 0, listed.stderr
        assert any(s.get("id") == "virtual" for s in json.loads(listed.stdout))
        if shutil.which("xvfb-run"):
            gui = _run("xvfb-run", "-a", "booking-station", "gui", "--measure-startup", env=user, timeout=600)
            assert gui.returncode == 0 and "login window shown after" in gui.stdout, gui.stdout + gui.stderr
            print(gui.stdout.strip())
    finally:
        removed = subprocess.run(
            ["apt-get", "remove", "-y", "-q", NAME], capture_output=True, text=True, env=apt_env
        )
    assert removed.returncode == 0, removed.stdout[-2000:] + removed.stderr[-2000:]
    left = [p for p in shipped if p.is_symlink() or p.exists()]
    assert not left, left[:10]
    assert not PREFIX.exists(), sorted(str(p) for p in PREFIX.rglob("*"))[:10]
    assert (home / ".local" / "share" / "booking-station").is_dir()  # the user's data stays

    purged = subprocess.run(["dpkg", "--purge", NAME], capture_output=True, text=True)
    assert purged.returncode == 0, purged.stderr
    assert "Kept" in purged.stdout and "~/.local/share/booking-station" in purged.stdout
    assert not _installed()
    assert (home / ".local" / "share" / "booking-station").is_dir()
