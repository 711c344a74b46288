"""A run builds only the parser of its own command (issue 17), and a user sees exactly what the
parser built in full shows: every help text, every usage error and its exit status.

Each case parses the same words with a parser built lazily (as every run builds it) and one
built in full (``build_parser(lazily=False)``, every sub-parser through ``add_parser``). What
both share is held by tests/data/cli_help.json: every ``COMMAND --help`` at 100 columns,
recorded from the parser before it was built lazily (commit b909ee4).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio.cli import build_parser
from portfolio.cli.lazy import LazyParsers

DATA = Path(__file__).parents[1] / "data"
RECORDED: dict[str, dict[str, dict[str, object]]] = json.loads(
    (DATA / "cli_contract.json").read_text("utf-8")
)
HELP: dict[str, str] = json.loads((DATA / "cli_help.json").read_text("utf-8"))
COMMANDS = sorted(path for path in RECORDED if path)
WIDTH = "100"
"""Terminal columns for argparse's wrapping, in this process and in the children."""

GLOBAL_CASES = [
    [],
    ["--help"],
    ["-h"],
    ["--he"],  # an abbreviated long option
    ["--version"],
    ["--vers"],
    ["nosuch"],
    ["--data-dir"],
    ["--data", "folder"],
    ["--data-dir", "folder", "--database", "sqlite://"],
    ["--database", "nope://"],
    ["-h", "list"],
    ["list", "-h", "--json"],
    ["--data", "folder", "list", "--js"],
    ["list", "--data-dir", "folder"],  # a global option after the command is not one
    ["--portfolio-pass", "file", "coverage"],
    ["--database", "sqlite://", "deanery", "status"],
    ["deanery", "status", "--database", "sqlite://"],
    ["search", "words", "--limit", "0"],
    ["identity", "nosuch"],
]


@functools.cache
def full_parser() -> argparse.ArgumentParser:
    return build_parser(lazily=False)


def outcome(argv: list[str], *, lazily: bool) -> tuple[str, str, object]:
    """What the user sees: stdout, stderr, and the exit status (or what was parsed), from a
    fresh lazy parser, as a run makes one, or the full one."""
    parser = build_parser() if lazily else full_parser()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed = vars(parser.parse_args(argv))
        except SystemExit as stop:
            result: object = stop.code
        else:  # handlers are closures made per build: compare what wraps what by name
            handler = parsed.pop("handler", None)
            result = sorted((k, repr(v)) for k, v in parsed.items()), handler_name(handler)
    return out.getvalue(), err.getvalue(), result


def handler_name(handler: object) -> str:
    return getattr(handler, "__qualname__", repr(handler)) if handler else ""


def command_cases(command: str) -> list[list[str]]:
    """Help, a missing argument, an unknown option, and for each option that takes a value: it
    bad, it missing, and it abbreviated."""
    words = command.split()
    cases = [
        [*words, "--help"],
        [*words, "-h"],
        words,
        [*words, "--no-such-option"],
        [*words, "surplus", "words"],
    ]
    for option, spec in RECORDED[command].items():
        first = option.split(", ")[0]
        if first.startswith("--") and spec["nargs"] != 0:
            cases += [[*words, first, "not-valid-§"], [*words, first], [*words, first[:-1], "x"]]
    return cases


@pytest.fixture(autouse=True)
def _width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", WIDTH)


@pytest.mark.parametrize("argv", GLOBAL_CASES, ids=" ".join)
def test_global_options_and_the_command_show_what_the_full_parser_shows(argv: list[str]) -> None:
    assert outcome(argv, lazily=True) == outcome(argv, lazily=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_what_the_full_parser_shows(command: str) -> None:
    for argv in command_cases(command):
        lazy = outcome(argv, lazily=True)
        assert lazy == outcome(argv, lazily=False), argv
    help_text = outcome([*command.split(), "--help"], lazily=True)
    assert help_text[0].startswith(f"usage: gpc-portfolio {command} ")
    assert help_text[2] == 0
    assert outcome([*command.split(), "--no-such-option"], lazily=True)[2] == 2


@pytest.mark.parametrize("command", sorted(HELP))
def test_every_help_is_the_recorded_one(command: str) -> None:
    assert sorted(HELP) == sorted(RECORDED)
    assert outcome([*command.split(), "--help"], lazily=True) == (HELP[command], "", 0)


def built_after(argv: list[str]) -> list[str]:
    """The commands whose parsers a lazy parser built to parse ``argv``."""
    parser = build_parser()
    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
        parser.parse_args(argv)
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert isinstance(commands.choices, LazyParsers)
    return commands.choices.built()


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        ([], []),  # the window
        (["--data-dir", "folder"], []),
        (["--help"], []),
        (["--version"], []),
        (["list", "--json"], ["list"]),
        (["coverage", "--json"], ["coverage"]),
        (["identity", "show"], ["identity"]),
        (["deanery", "status", "--database", "sqlite://"], ["deanery"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_run_builds_only_its_own_commands_parser(argv: list[str], built: list[str]) -> None:
    assert built_after(argv) == built


def test_the_contract_reads_every_command_through_the_lazy_parser() -> None:
    parser = build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(commands.choices) == sorted(path for path in COMMANDS if " " not in path)
    assert commands.choices.built() == []  # type: ignore[attr-defined]
    assert all(isinstance(p, argparse.ArgumentParser) for p in commands.choices.values())
    assert commands.choices.built() == list(commands.choices)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "argv", [["--help"], ["nosuch"], ["list", "--bogus"], ["review", "sign", "--help"]]
)
def test_a_real_process_shows_what_the_full_parser_shows(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portfolio", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": WIDTH},
    )
    stdout, stderr, status = outcome(argv, lazily=False)
    assert (result.stdout, result.stderr, result.returncode) == (stdout, stderr, status)
