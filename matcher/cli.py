"""Matcher commands: `quality`, `match`, and the `bench accuracy` / `bench search` benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("quality", help="NFIQ 2-style quality (0–100) of fingerprint images")
    q.add_argument("images", nargs="+", metavar="IMAGE", help="8-bit grayscale image files")
    q.add_argument("--ppi", type=float, default=500.0, help="image resolution (default 500)")
    q.set_defaults(func=_quality)
    m = sub.add_parser("match", help="compare two fingerprint images; prints a similarity 0–1")
    m.add_argument("a", metavar="A", help="first image")
    m.add_argument("b", metavar="B", help="second image")
    m.add_argument("--ppi", type=float, default=500.0, help="resolution of both images (default 500)")
    m.set_defaults(func=_match)


def register_bench(bench: argparse._SubParsersAction) -> None:
    a = bench.add_parser(
        "accuracy",
        help="FVC protocol on FVC-style folders (FFF_I.ext): EER, FMR100, …; several folders also give "
        "FNMR at FMR 1e-3 and 1e-4 over all their cross-finger impostor pairs",
    )
    a.add_argument(
        "--dataset",
        action="append",
        required=True,
        metavar="DIR[:PPI]",
        help="folder of FFF_I images, optionally with its resolution (repeatable)",
    )
    a.add_argument(
        "--ppi", type=float, default=500.0, help="resolution of folders given without one (default 500)"
    )
    a.add_argument("--json", type=Path, help="write the figures to this JSON file")
    a.add_argument("--plot", type=Path, help="draw DET curves to this PNG")
    a.add_argument(
        "--evr-plot", type=Path, help="draw the error-versus-reject curves (FNMR at FMR 1e-3) to this PNG"
    )
    a.set_defaults(func=_bench_accuracy)
    t = bench.add_parser(
        "threshold",
        help="decision thresholds from impostor scores across FVC-style folders (all cross-finger pairs)",
    )
    t.add_argument(
        "--dataset", action="append", default=[], metavar="DIR[:PPI]", help="FVC-style folder (repeatable)"
    )
    t.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also score tenprint impostors among N synthetic subjects (rolled vs plain, same finger)",
    )
    t.add_argument("--json", type=Path, help="write the figures to this JSON file")
    t.set_defaults(func=_bench_threshold)
    e = bench.add_parser("extract", help="extraction + quality time per 640×480 500 ppi synthetic image")
    e.add_argument("--images", type=int, default=20, help="number of images (default 20)")
    e.add_argument("--json", type=Path, help="write the figures to this JSON file")
    e.set_defaults(func=_bench_extract)
    s = bench.add_parser("search", help="1:N search throughput and rank-1 on synthetic mates")
    s.add_argument(
        "--gallery",
        type=int,
        help="number of templates in the gallery to build (not with --load-gallery or --from-gallery)",
    )
    s.add_argument("--threads", type=int, default=0, help="numba threads (default: all cores)")
    s.add_argument("--probes", type=int, default=50, help="mated probes to search (default 50)")
    s.add_argument(
        "--pool",
        type=int,
        default=100,
        help="distinct rendered filler fingers; the rest are derived (default 100)",
    )
    s.add_argument(
        "--exhaustive-max",
        type=int,
        default=0,
        help="time an exhaustive search of an indexed gallery too when it is at most this large "
        "(rebuilds every template's cylinders per probe: slow; default 0 = never)",
    )
    s.add_argument(
        "--throughput-templates",
        type=int,
        default=5000,
        help="gallery templates the comparisons/s figure is measured on (default 5000)",
    )
    s.add_argument(
        "--fvc",
        action="append",
        default=[],
        metavar="DIR[:PPI]",
        help="time exhaustive search on FVC templates of these folders instead (repeatable)",
    )
    s.add_argument(
        "--mate-offset",
        type=int,
        default=0,
        help="first synthetic mate subject (default 0): another offset gives mates the index was not tuned on",
    )
    s.add_argument("--save-gallery", type=Path, metavar="DIR", help="save the built gallery (and index) here")
    s.add_argument(
        "--load-gallery",
        type=Path,
        metavar="DIR",
        help="search a gallery saved by --save-gallery instead of building one (--gallery and --pool "
        "are then ignored; mates missing from it are added)",
    )
    s.add_argument("--json", type=Path, help="write the figures to this JSON file")
    s.set_defaults(func=_bench_search)


def _read(path: str | Path):  # noqa: ANN202 - numpy array
    import cv2

    from booking_station.runtime import UserError

    p = Path(path)
    if not p.is_file():
        raise UserError(f"{p}: no such file")
    img = cv2.imread(str(p), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise UserError(f"{p}: not an image OpenCV can read")
    return img


def _quality(args: argparse.Namespace) -> int:
    from booking_station.runtime import UserError
    from matcher import quality

    for path in args.images:
        try:
            report = quality(_read(path), args.ppi)
        except ValueError as exc:
            raise UserError(f"{path}: {exc}") from exc
        print(f"{path}\t{report.score}")
    return 0


def _match(args: argparse.Namespace) -> int:
    import matcher
    from booking_station.runtime import UserError
    from matcher import Matcher, Template

    try:
        a = Template.from_image(_read(args.a), args.ppi)
        b = Template.from_image(_read(args.b), args.ppi)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    score = Matcher(a).score(b)
    verdict = "match" if score >= matcher.FINGER_MATCH_THRESHOLD else "no match"
    print(f"{score:.4f}\t{verdict} (threshold {matcher.FINGER_MATCH_THRESHOLD} at FMR 1/10 000)")
    return 0


def _bench_accuracy(args: argparse.Namespace) -> int:
    from matcher import _bench

    return _bench.accuracy(args)


def _bench_extract(args: argparse.Namespace) -> int:
    from matcher import _bench

    return _bench.extract(args)


def _bench_threshold(args: argparse.Namespace) -> int:
    from matcher import _bench

    return _bench.threshold(args)


def _bench_search(args: argparse.Namespace) -> int:
    from matcher import _bench

    return _bench.fvc_search(args) if args.fvc else _bench.search(args)
