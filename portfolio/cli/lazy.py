"""Sub-parsers built only when argparse chooses them.

Building a parser per command costs every run (argparse makes each parser's help action and
looks up ``gettext`` translations for it), yet a run uses one command. argparse reaches a
command's parser only through ``choices`` (``_name_parser_map``): its help lists the commands
from their help texts, and an unknown command's error names the choices; so the commands are
listed up front and each parser is built the first time it is looked up. What a user sees is
what ``add_parser`` would have made.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TypeAlias

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What ``add_subparsers`` returns (argparse names it privately)."""
Declare = Callable[[str, argparse.ArgumentParser], None]
"""``declare(name, parser)``: adds the command's arguments (and its own sub-commands)."""


class LazyParsers(MutableMapping[str, argparse.ArgumentParser]):
    """Parsers by command name, each made by ``build(name)`` when first looked up."""

    def __init__(self, names: list[str], build: Callable[[str], argparse.ArgumentParser]) -> None:
        self._parsers: dict[str, argparse.ArgumentParser | None] = dict.fromkeys(names)
        self._build = build

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        parser = self._parsers[name]
        if parser is None:
            parser = self._parsers[name] = self._build(name)
        return parser

    def __setitem__(self, name: str, parser: argparse.ArgumentParser) -> None:
        self._parsers[name] = parser

    def __delitem__(self, name: str) -> None:
        del self._parsers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsers)

    def __len__(self) -> int:
        return len(self._parsers)

    def built(self) -> list[str]:
        """The commands whose parsers exist so far."""
        return [name for name, parser in self._parsers.items() if parser is not None]


def add_commands(
    sub: Subcommands, helps: Mapping[str, str], declare: Declare, *, lazily: bool = True
) -> None:
    """Give ``sub`` one command per name in ``helps`` (its help text), as
    ``declare(name, sub.add_parser(name, help=...))`` would; ``lazily``, each parser is built
    when argparse looks it up."""
    if not lazily:
        for name, help_text in helps.items():
            declare(name, sub.add_parser(name, help=help_text))
        return

    def build(name: str) -> argparse.ArgumentParser:
        parser = sub._parser_class(prog=f"{sub._prog_prefix} {name}")  # as add_parser names it
        declare(name, parser)
        return parser

    for name, help_text in helps.items():
        sub._choices_actions.append(sub._ChoicesPseudoAction(name, (), help_text))
    # argparse keeps one dict as both; it reads and writes it only by item and iteration.
    sub.choices = sub._name_parser_map = LazyParsers(list(helps), build)  # type: ignore[assignment]
