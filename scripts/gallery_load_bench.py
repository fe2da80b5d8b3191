"""Load time of a saved gallery, memory-mapped in clear against sealed (opened into memory).

    nice -n 10 .venv/bin/python scripts/gallery_load_bench.py --templates 100000 [--folder DIR]

Builds the gallery once (fillers derived from 200 distinct synthetic rolled fingers, as `bench
search` does), saves it both ways, then times `Gallery.load` and load plus a first search (a
memory-mapped gallery reads its pages then), each in a fresh process, best of three. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY = bytes(range(32))  # a throw-away data key for the measurement


def _build(folder: Path, n: int) -> None:
    from booking_station.envelope import Sealer
    from matcher import Gallery, _fillers

    if (folder / "sealed" / "gallery.json").is_file():
        return
    distinct = _fillers.pool(200)
    g = Gallery()
    for k, t in enumerate(_fillers.fillers(n, distinct)):
        g.add(f"F{k}", 1 + k % 10, t)
    g.save(folder / "clear")
    g.save(folder / "sealed", Sealer(KEY))


def _measure(folder: Path, how: str) -> dict:
    from booking_station.envelope import Sealer
    from matcher import Gallery, _fillers

    probe = _fillers.pool(1)[0]
    sealer = Sealer(KEY) if how == "sealed" else None
    t0 = time.perf_counter()
    g = Gallery.load(folder / how, sealer)
    loaded = time.perf_counter() - t0
    g.search(probe, top=10)
    searched = time.perf_counter() - t0
    status = Path("/proc/self/status").read_text().splitlines()
    rss = int(next(x for x in status if x.startswith("VmRSS")).split()[1]) * 1024
    return {"load_s": loaded, "load_and_first_search_s": searched, "rss_bytes": rss}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", type=int, default=100_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--measure", choices=("clear", "sealed"))
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / f"gallery-load-{args.templates}"
    if args.measure:
        print(json.dumps(_measure(folder, args.measure)))
        return
    _build(folder, args.templates)
    out: dict = {"templates": args.templates, "loadavg": Path("/proc/loadavg").read_text().split()[:3]}
    for how in ("clear", "sealed"):
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--folder", str(folder), "--measure", how],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )  # fmt: skip
            for _ in range(3)
        ]
        out[how] = min(runs, key=lambda r: r["load_and_first_search_s"])
        out[how]["disk_bytes"] = sum(p.stat().st_size for p in (folder / how).iterdir())
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
