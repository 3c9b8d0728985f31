"""MkDocs hooks of the siting documentation: the CLI reference is generated, not copied.

A page line ``<!-- siting-cli-help -->`` is replaced by the ``--help`` text of
``siting`` and of every subcommand, read from the parser the command uses
(``siting.cli.build_parser``), so the page never drifts from the code.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

MARKER = "<!-- siting-cli-help -->"


def _commands(parser: argparse.ArgumentParser, prog: str) -> list[tuple[str, argparse.ArgumentParser]]:
    """``(command line, parser)`` of ``parser`` and of its subcommands, depth first."""
    found = [(prog, parser)]
    for action in parser._actions:  # argparse keeps subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{prog} {name}")
    return found


def cli_reference() -> str:
    """Markdown: one section per command with its ``--help`` text."""
    from siting.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"  # argparse wraps at the terminal width
    try:
        parts = []
        for prog, parser in _commands(build_parser(), "siting"):
            parser.prog = prog
            level = "#" * min(2 + prog.count(" "), 4)
            text = parser.format_help().rstrip()
            parts.append(f"{level} `{prog}`\n\n```text\n$ {prog} --help\n{text}\n```\n")
        return "\n".join(parts)
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, cli_reference())
    return markdown
