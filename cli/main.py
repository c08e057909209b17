"""Entry point of the `lingodesk` console script.

Each sub-command lives in `cli/commands/<name>.py` and exposes `register(subparsers)`; the
handler it sets with `set_defaults(func=...)` returns the process exit code.
"""

import argparse
import importlib
import sys
from collections.abc import Sequence

# Order is the order of `lingodesk --help`.
COMMAND_MODULES = [
    "cli.commands.submit",
    "cli.commands.detect",
    "cli.commands.classifier",
    "cli.commands.translate",
    "cli.commands.glossary",
    "cli.commands.template",
    "cli.commands.models",
    "cli.commands.worker",
    "cli.commands.mail",
    "cli.commands.web",
    "cli.commands.db",
    "cli.commands.agents",
    "cli.commands.users",
    "cli.commands.codec_server",
    "cli.commands.customer",
    "cli.commands.report",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lingodesk", description="Lingodesk multilingual ticket center")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
