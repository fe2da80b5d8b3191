"""The command line imports only the module of the command it runs, and its table says which that is."""

from __future__ import annotations

import argparse
import importlib

import pytest

from booking_station import cli


@pytest.mark.parametrize("module", list(cli.COMMANDS))
def test_table_names_exactly_the_commands_each_module_registers(module: str) -> None:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(module).register(sub)
    assert tuple(sub.choices) == cli.COMMANDS[module]


def test_every_command_has_one_module() -> None:
    names = [name for names in cli.COMMANDS.values() for name in names]
    assert len(names) == len(set(names))
    assert "bench" not in names  # bench collects benchmarks from every module
    assert "report" not in names  # and report the quarterly reports


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        ([], "desktop.cli"),  # no command: the station
        (["-v"], "desktop.cli"),
        (["match", "a.png", "b.png"], "matcher.cli"),
        (["--verbose", "quality", "a.png"], "matcher.cli"),
        (["virtual-scanner", "--help"], "drivers.virtual.cli"),
        (["rights", "x"], "desktop.detainer_cli"),
        (["-h"], None),
        (["bench", "search"], None),
        (["report", "jail"], None),
        (["no-such-command"], None),
    ],
)
def test_command_module_is_the_one_that_registers_the_command(argv: list[str], module: str | None) -> None:
    assert cli.command_module(argv) == module


def test_a_narrow_parser_parses_its_command_like_the_full_one(capsys) -> None:
    argv = ["-v", "match", "a.png", "b.png", "--ppi", "569"]
    narrow, full = cli.build_parser(argv), cli.build_parser()
    a, b = narrow.parse_args(argv), full.parse_args(argv)
    assert vars(a) == vars(b)
    with pytest.raises(SystemExit):  # it knows only its own module's commands
        narrow.parse_args(["gui"])
    assert "invalid choice: 'gui'" in capsys.readouterr().err


def test_unknown_command_still_gets_the_full_parsers_error(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "'match'" in err and "'gui'" in err
