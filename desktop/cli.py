"""Station commands: `gui` (the default), `station serve`, `operators add|list|unlock`,
`audit verify|show|anchor`, `keys status|rotate`, `config check`."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="start the booking station (the default)")
    gui.add_argument(
        "--measure-startup",
        action="store_true",
        help="print the seconds from process start to the login window, then quit",
    )
    gui.set_defaults(func=_gui)

    station = sub.add_parser("station", help="the station's duties without a window")
    station_sub = station.add_subparsers(dest="station_command", metavar="ACTION", required=True)
    serve = station_sub.add_parser(
        "serve",
        help="send the outbox, poll the mailbox and keep the detainer clock, headless, until stopped "
        "(shares the work with the windows on the same database: one runs it at a time)",
    )
    serve.set_defaults(func=_serve)

    ops = sub.add_parser("operators", help="local operator accounts (clerks, supervisors, hardware testers)")
    ops_sub = ops.add_subparsers(dest="operators_command", metavar="ACTION", required=True)
    add = ops_sub.add_parser("add", help="add an account (asks for the password unless --password-stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["clerk", "supervisor", "hardware-tester"])
    add.add_argument("--full-name", default="")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    add.set_defaults(func=_operators_add)
    lst = ops_sub.add_parser("list", help="list the accounts")
    lst.set_defaults(func=_operators_list)
    unlock = ops_sub.add_parser(
        "unlock", help="unlock an account locked after too many wrong passwords (recorded in the audit log)"
    )
    unlock.add_argument("username")
    unlock.set_defaults(func=_operators_unlock)

    audit = sub.add_parser("audit", help="the station's keyed hash-chained audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify",
        help="check the chain and the heads anchored at the backend; names the first changed, removed "
        "or moved event and after which time the log was changed",
    )
    verify.add_argument(
        "--offline",
        action="store_true",
        help="check the chain only, without the backend's anchored heads (cannot see a rewrite by "
        "someone who holds the key, nor removed newest events)",
    )
    verify.set_defaults(func=_audit_verify)
    anchor = audit_sub.add_parser("anchor", help="send the audit log's current head to the backend now")
    anchor.set_defaults(func=_audit_anchor)
    show = audit_sub.add_parser("show", help="print the newest events")
    show.add_argument("--limit", type=int, default=50)
    show.set_defaults(func=_audit_show)

    keys = sub.add_parser("keys", help="the key that protects the station's database at rest")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    status = keys_sub.add_parser(
        "status", help="where the key-encryption key is and which key the database wants"
    )
    status.set_defaults(func=_keys_status)
    rotate = keys_sub.add_parser(
        "rotate",
        help="wrap the database's data key with a new key-encryption key, in the same place; the data "
        "is not rewritten",
    )
    rotate.set_defaults(func=_keys_rotate)

    cfg = sub.add_parser("config", help="the station's settings file")
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = cfg_sub.add_parser("check", help="validate the settings file and print the values in effect")
    check.set_defaults(func=_config_check)


def _gui(args: argparse.Namespace) -> int:
    from desktop.ui.app import run

    _serve_virtual_scanner()
    return run(args)


def _serve_virtual_scanner() -> None:
    """With the virtual scanner configured, its control socket lives as long as the station.

    So `booking-station virtual-scanner subject N` works before the first capture, and `plug`
    after an unplug (when no scanner is open). A config that cannot be read is left for the
    window to report.
    """
    from booking_station.runtime import UserError
    from desktop.station import config as config_module

    try:
        scanner = config_module.load().scanner
    except (UserError, OSError):
        return
    if scanner == "virtual":
        from drivers.virtual import serve_control

        serve_control()


def _serve(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from desktop.station.config import data_dir
    from desktop.station.service import StationService

    station = _station()
    service = StationService(station, role="service", embedded_folder=data_dir() / "backend")
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stopping.set())
    log = logging.getLogger("booking_station.serve")
    log.info("station service started on %s", station.store.where)
    service.start()
    last = None
    try:
        while not stopping.wait(1.0):
            status = service.status()
            now = (status.mine, status.holder.owner if status.holder else None)
            if now != last:
                if status.mine:
                    print("running the station's duties (outbox, mailbox, detainer clock)", flush=True)
                elif status.holder:
                    print(f"standing by: the duties run in {status.holder.owner}", flush=True)
                last = now
    finally:
        service.stop()
        station.close()
        print("station service stopped; duties released", flush=True)
    return 0


def _station():
    from desktop.station.core import Station

    return Station.open()


def _operators_add(args: argparse.Namespace) -> int:
    import getpass

    from booking_station.runtime import UserError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            raise UserError("the two passwords differ; nothing was changed")
    station = _station()
    who = station.operators.add(
        args.username, password, args.role, full_name=args.full_name, actor=f"cli:{getpass.getuser()}"
    )
    print(f"added {who.username} ({who.role.value})")
    return 0


def _operators_list(args: argparse.Namespace) -> int:
    for op in _station().operators.list():
        print(f"{op.username:20} {op.role.value:16} {op.full_name}")
    return 0


def _operators_unlock(args: argparse.Namespace) -> int:
    import getpass

    _station().operators.unlock(args.username, actor=f"cli:{getpass.getuser()}")
    print(f"{args.username.strip().lower()} can log in again")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    """Exit 0 intact (and anchored), 1 tampered, 3 intact locally but the anchors could not be read."""
    from desktop.station import anchoring

    station = _station()
    result, problem = anchoring.verify(station.audit, station.config, offline=args.offline)
    print(result)
    if not result.ok:
        return 1
    if problem:
        print(f"NOT checked against the heads anchored at the backend: {problem}")
        return 3
    if not args.offline and not result.anchors_checked:
        print("the backend holds no anchored head of this station yet (sent with each submission)")
    return 0


def _audit_anchor(args: argparse.Namespace) -> int:
    from desktop.station.anchoring import anchor_now

    station = _station()
    anchor = anchor_now(station.config, station.audit.head())
    from desktop.station.audit import local_time, parse_time

    when = parse_time(anchor.anchored_at)
    at = local_time(when, station.config.zone) if when else anchor.anchored_at
    print(f"anchored event {anchor.sequence} ({anchor.head[:16]}…) at {at}")
    return 0


def _keys_status(args: argparse.Namespace) -> int:
    from desktop.station import keys
    from desktop.station.config import load

    config = load()
    print(keys.describe(config.resolved_database_url(), config.kek_location()))
    return 0


def _keys_rotate(args: argparse.Namespace) -> int:
    import getpass

    from desktop.station import keys

    station = _station()  # the current key must open the database first
    try:
        old, new = keys.rotate(station.store.engine, station.config.kek_location())
        station.audit.append(f"cli:{getpass.getuser()}", "keys.rotate", "database", {"from": old, "to": new})
    finally:
        station.close()
    place = station.config.kek_location().find()
    print(f"the data key is now wrapped by key {new} in the {place.describe()} (was key {old})")
    print(
        "Back up the new key now, as you did the old one: a backup of the database made before this "
        "rotation opens only with the old key, so keep the old key's backup for as long as those backups"
    )
    return 0


def _audit_show(args: argparse.Namespace) -> int:
    import json

    for e in reversed(_station().audit.events(limit=args.limit)):
        details = json.dumps(dict(e.details), ensure_ascii=False) if e.details else ""
        print(
            f"{e.seq:6} {e.at.isoformat(timespec='seconds')} {e.actor:12} {e.action:20} {e.subject} {details}"
        )
    return 0


def _config_check(args: argparse.Namespace) -> int:
    from desktop.station import config

    cfg = config.load()
    print(f"# {cfg.source or 'no file: defaults'} ({config.config_path()})")
    for key, value in cfg.to_toml_dict().items():
        print(f"{key} = {value!r}")
    print(f"# database: {cfg.resolved_database_url()}")
    return 0


def register_bench(bench: argparse._SubParsersAction) -> None:
    from desktop.station import bench_search  # import-light: its heavy imports are in the handler

    bench_search.register_bench(bench)
