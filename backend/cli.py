"""`booking-station backend`: run the mock FBI/DHS service."""

from __future__ import annotations

import argparse
from pathlib import Path

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backend",
        help="run the mock FBI NGI / DHS IDENT / ICE backend service",
        description="Mock FBI NGI / DHS IDENT / ICE LESC service: receives EBTS submissions over HTTP, "
        "searches them against a synthetic population and answers into ORI mailboxes. "
        "Serves mutual TLS only: stations present their certificate (booking-station pki). "
        "Admin page at /admin (an administrator's certificate), API documentation at /docs with --demo.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8770, help="port (0: pick a free one; see --ready-file)")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: SQLite file in the data folder)")
    p.add_argument("--data-dir", type=Path, help="folder for the default database and the gallery cache")
    p.add_argument("--ready-file", type=Path, help='write {"url": ...} here once listening')
    p.add_argument(
        "--population", type=int, metavar="N", help="people in the synthetic population (default 100)"
    )
    p.add_argument("--seed", type=int, help="population seed (default 2026)")
    p.add_argument(
        "--enrol-prints",
        choices=("rolled", "plain"),
        help="impressions the galleries are enrolled from (default rolled; plain is faster but matches less well)",
    )
    p.add_argument("--policy", type=Path, metavar="FILE", help="ICE detainer policy overrides (JSON)")
    p.add_argument(
        "--demo-delays", action="store_true", help="answer after realistic delays (seconds to minutes)"
    )
    p.add_argument(
        "--faults",
        metavar="SPEC",
        help='misbehave on /v1/*: "503=RATE,slow=SECONDS,drop=RATE" (also BOOKING_BACKEND_FAULTS)',
    )
    p.add_argument(
        "--pki",
        type=Path,
        metavar="DIR",
        help="CA folder made by `booking-station pki init` (ca.pem, backend.pem, private/backend.key, "
        "crl.pem); default: one made on first start in the user data folder, for loopback",
    )
    p.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="key-encryption key of the database (made on first start, 0600); default: in the user data folder",
    )
    p.add_argument(
        "--keyring",
        action="store_true",
        help="keep the key-encryption key in the desktop keyring instead of a key file",
    )
    p.add_argument(
        "--rotate-key-to",
        type=Path,
        metavar="FILE",
        help="key rotation: wrap the database's and the galleries' data keys with the key-encryption key "
        "in FILE (made if missing, 0600), then exit; start with --key-file FILE from then on",
    )
    p.add_argument(
        "--demo", action="store_true", help="also serve the interactive API documentation at /docs"
    )
    c = p.add_argument_group("galleries on a Ray cluster (default: in this process)")
    c.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="serve NGI and IDENT as shards on a Ray cluster: auto (the cluster this machine joined "
        "with `ray start`), ray://HOST:PORT (Ray Client) or HOST:PORT; needs the cluster extra",
    )
    c.add_argument("--shards", type=int, metavar="K", help="shards per gallery (default 4; with --cluster)")
    c.add_argument(
        "--shard-dir",
        type=Path,
        metavar="DIR",
        help="where each node keeps its shards' files (default: the node's user cache folder, "
        "~/.cache/booking-station/shards)",
    )
    p.add_argument(
        "--prepare-only",
        action="store_true",
        help="enrol the population's galleries into the data folder (if not there yet), sealed with the "
        "backend's key, and exit",
    )
    p.add_argument(
        "--ship",
        action="store_true",
        help="with --prepare-only: galleries to ship with an installation, into PREFIX/share/booking-station "
        "(the bootstrap and the package do this), sealed with a shipping key kept beside them; each "
        "backend re-seals them under its own key on its first start",
    )
    p.add_argument(
        "--warm-up",
        action="store_true",
        help="with --prepare-only: also compile the matcher's kernels into this user's cache, so the "
        "station's first capture and search do not (the bootstrap does this)",
    )
    p.set_defaults(func=_backend)


def _backend(args: argparse.Namespace) -> int:
    from backend.config import BackendConfig, default_pki_dir, parse_faults
    from booking_station.pki import DEFAULT_HOSTS, CertificateAuthority

    for path in (args.policy,):
        if path is not None and not path.is_file():
            raise UserError(f"file not found: {path}")
    if not 0 <= args.port <= 65535:
        raise UserError(f"--port {args.port} is not a port number (0-65535)")
    if args.rotate_key_to is not None:
        return _rotate_key(args)
    if args.cluster is None and (args.shards is not None or args.shard_dir is not None):
        raise UserError("--shards and --shard-dir need --cluster (the default is one process, unsharded)")
    if args.ship and not args.prepare_only:
        raise UserError("--ship goes with --prepare-only (galleries built for an installation)")
    if args.cluster is not None and args.prepare_only:
        raise UserError(
            "--prepare-only enrols the galleries of one process: with --cluster the shards are "
            "enrolled on the cluster at the backend's first start"
        )
    if args.shards is not None and not 1 <= args.shards <= 4096:
        raise UserError(f"--shards {args.shards}: give 1-4096")
    if args.cluster is not None:
        from backend.cluster import connect

        connect(args.cluster)  # here, in the main thread: a clear message now if it cannot be reached
    if args.pki is None:
        # Mutual TLS by default: the first start makes a CA for this machine.
        wildcard = args.host in ("0.0.0.0", "::", "")
        hosts = DEFAULT_HOSTS if wildcard or args.host in DEFAULT_HOSTS else (args.host, *DEFAULT_HOSTS)
        pki = CertificateAuthority.ensure(default_pki_dir(), hosts).folder
    else:
        pki = args.pki
        _check_pki(pki)
    try:
        config = BackendConfig.from_env(
            db_url=args.db,
            data_dir=args.data_dir,
            population=args.population,
            seed=args.seed,
            policy_file=args.policy,
            enrol_kind=args.enrol_prints,
            demo_delays=True if args.demo_delays else None,
            faults=parse_faults(args.faults) if args.faults else None,
            pki_dir=pki,
            key_file=args.key_file,
            use_keyring=True if args.keyring else None,
            demo=True if args.demo else None,
            cluster=args.cluster,
            shards=args.shards,
            shard_dir=args.shard_dir,
        )
        from backend.policy import IcePolicy

        IcePolicy.load(config.policy_file)  # a bad policy file is reported before anything starts
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.prepare_only:
        return _prepare(config, args.warm_up, args.ship)
    from backend.server import serve

    try:
        serve(config, args.host, args.port, args.ready_file)
    except OSError as exc:
        raise UserError(str(exc)) from None
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    """Re-wrap the database's and the galleries' data keys with a new key-encryption key; the values
    and the gallery files stay as they are."""
    from backend import _gallery_key
    from backend._db import Store
    from backend.config import BackendConfig
    from booking_station.envelope import FileKek

    config = BackendConfig.from_env(
        db_url=args.db,
        data_dir=args.data_dir,
        key_file=args.key_file,
        use_keyring=True if args.keyring else None,
    )
    new = FileKek(args.rotate_key_to)
    new.ensure()
    store = Store(config.database_url, config.kek())  # the old key must open it first
    try:
        if (config.data_dir / "galleries" / _gallery_key.KEY_FILE).exists():  # opens before anything changes
            _gallery_key.sealer(config.data_dir / "galleries", config.kek())
        store.rewrap(new)
    finally:
        store.close()
    print(f"the data key of {config.database_url} is now wrapped by {new.path}")
    if _gallery_key.rewrap(config.data_dir / "galleries", config.kek(), new):
        print(
            f"so is the key of the galleries in {config.data_dir / 'galleries'} (their files stay as they are)"
        )
    print(
        f"start the backend with --key-file {new.path}; keep a backup of it, then retire {config.kek().describe()}"
    )
    return 0


def _prepare(config, warm_up: bool = False, ship: bool = False) -> int:  # type: ignore[no-untyped-def]
    """Enrol (or find) the galleries, with a progress bar on a terminal; one line of summary."""
    import logging
    import threading

    from backend import _enrol, _gallery_key, population
    from backend._db import Store
    from booking_station.progress import Progress

    galleries_dir = config.data_dir / "galleries"
    if ship:
        sealer = _gallery_key.shipping_sealer(galleries_dir, create=True)
    else:
        Store(config.database_url, config.kek()).close()  # the backend's key, made as its first start would
        sealer = _gallery_key.sealer(galleries_dir, config.kek())

    people = population.generate(config.population, config.seed)
    meter: Progress | None = None

    def progress(done: int, total: int) -> None:
        nonlocal meter
        if meter is None and done < total:
            meter = Progress(total, "enrolling fingerprints", unit="print", log=logging.getLogger("backend"))
        if meter is not None:
            meter.advance(done - meter.done)

    try:
        galleries = _enrol.build(
            people,
            config.seed,
            config.enrol_kind,
            config.data_dir,
            progress,
            threading.Event(),
            sealer=sealer,
        )
    except OSError as exc:
        raise UserError(f"cannot write the galleries under {config.data_dir}: {exc}") from None
    finally:
        if meter is not None:
            meter.close()
    how = "already enrolled" if galleries.from_cache else f"enrolled in {galleries.seconds:.0f} s"
    if warm_up:
        _warm_up_kernels(galleries.ngi)
    print(
        f"galleries of {config.population} people (seed {config.seed}): NGI {len(galleries.ngi)}, "
        f"IDENT {len(galleries.ident)} templates, {how}, in {config.data_dir / 'galleries'}"
    )
    return 0


def _check_pki(folder: Path) -> None:
    """The files the backend serves with, each named when missing or unusable."""
    from booking_station.pki import CertificateAuthority, check_pair

    ca = CertificateAuthority(folder)
    for path in (ca.ca_certificate, ca.backend_files.certificate, ca.backend_files.key, ca.crl):
        if not path.is_file():
            raise UserError(
                f"--pki {folder}: {path.name} is missing (make the folder with: booking-station pki init --dir DIR)"
            )
    check_pair(ca.backend_files)


def _warm_up_kernels(gallery) -> None:  # type: ignore[no-untyped-def]
    """Everything a first booking runs through numba once: the virtual scanner's prints, extraction,
    quality, the sequence check's 1:1 match and the backend's search (compiled, or loaded if cached)."""
    import time

    from matcher import Matcher, Template, quality, synth

    started = time.process_time()
    rolled = synth.impression(1, 1, seed=1, kind="rolled")
    synth.slap(1, "right", seed=1)
    template = Template.from_image(rolled.image, rolled.ppi)
    quality(rolled.image, rolled.ppi)
    Matcher(template).score(template)
    gallery.search_tenprint({1: template}, top=1)
    print(f"matcher kernels ready ({time.process_time() - started:.0f} CPU-s)")


def register_bench(bench: argparse._SubParsersAction) -> None:
    p = bench.add_parser(
        "backend",
        help="mock backend: population build time, search time per submission, identification results",
    )
    p.add_argument("--population", type=int, default=100, metavar="N", help="people (default 100)")
    p.add_argument("--seed", type=int, default=2026, help="population seed (default 2026)")
    p.add_argument("--submissions", type=int, default=10, metavar="K", help="CARs to search (default 10)")
    p.add_argument("--enrol-prints", choices=("rolled", "plain"), default="rolled")
    p.add_argument("--data-dir", type=Path, help="gallery cache folder (default: a new temporary one)")
    p.add_argument("--flats", action="store_true", help="submit flats-only (4-4-2) CARs instead of tenprints")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the full report here")
    p.set_defaults(func=_bench)

    w = bench.add_parser(
        "wire",
        help="submission round trip over mutual TLS against plain HTTP; backend memory during a 1 GiB upload",
    )
    w.add_argument("--submissions", type=int, default=100, metavar="N", help="per mode and connection kind")
    w.add_argument("--upload-mib", type=int, default=1024, metavar="MIB", help="size of the oversized upload")
    w.add_argument("--json", type=Path, metavar="PATH", help="also write the report here")
    w.set_defaults(func=_bench_wire)

    i = bench.add_parser(
        "identify",
        help="FpVTE-style tenprint identification: FNIR at FPIR 1e-2/1e-3/1e-4, rank-1, search time",
    )
    i.add_argument(
        "--gallery-subjects", type=int, required=True, metavar="N", help="distinct enrolled subjects"
    )
    i.add_argument("--probes", type=int, required=True, metavar="P", help="tenprint searches (a third mated)")
    i.add_argument(
        "--impressions",
        choices=("rolled", "flats", "both"),
        default="rolled",
        help="probe prints: ten rolled, the ten plain fingers of a 4-4-2 capture, or both (default rolled)",
    )
    i.add_argument("--seed", type=int, default=24, help="which subjects are mated and which fingers missing")
    i.add_argument(
        "--data-dir",
        type=Path,
        help="where templates and galleries are kept for reuse (default: the cache folder's bench-identify)",
    )
    i.add_argument("--json", type=Path, metavar="OUT", help="also write the full report (every search) here")
    i.add_argument("--plot", type=Path, metavar="DET.png", help="draw FNIR against FPIR to this PNG")
    i.set_defaults(func=_bench_identify)


def _bench_wire(args: argparse.Namespace) -> int:
    if args.submissions < 1 or args.upload_mib < 1:
        raise UserError("--submissions and --upload-mib must be at least 1")
    args.upload_bytes = args.upload_mib << 20
    from backend import _bench_wire

    return _bench_wire.main(args)


def _bench_identify(args: argparse.Namespace) -> int:
    from backend import _identify

    return _identify.main(args)


def _bench(args: argparse.Namespace) -> int:
    if args.population < 1 or args.submissions < 0:
        raise UserError("--population must be at least 1 and --submissions not negative")
    from backend import _bench

    return _bench.main(args)
