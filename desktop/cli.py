"""Station commands: `gui` (the default)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="start the booking station (the default)")
    gui.set_defaults(func=_gui)


def _gui(args: argparse.Namespace) -> int:
    from desktop.ui.app import run

    return run(args)
