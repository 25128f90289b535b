"""The `nocdesk` command: with no subcommand it starts the desktop app; subcommands work headless.

Each area adds its subcommands in its own module (nocdesk/commands/<area>.py) exposing
`register(subparsers)`; listed in COMMAND_MODULES. A user mistake prints one line and exits non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import NocdeskError
from .i18n import _, set_language

COMMAND_MODULES = [
    "nocdesk.commands.devices",
    "nocdesk.commands.credentials",
    "nocdesk.commands.db",
    "nocdesk.commands.report",
    "nocdesk.commands.engine",
    "nocdesk.commands.alerts",
    "nocdesk.commands.backup",
    "nocdesk.commands.maintenance",
    "nocdesk.commands.discover",
    "nocdesk.commands.rules",
]

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="nocdesk", description=_("Network monitoring for a small NOC."))
    parser.add_argument("--version", action="version", version=f"nocdesk {__version__}")
    parser.add_argument("--db", type=Path, help=_("database file (default: nocdesk.db in the user data directory)"))
    parser.add_argument("--lang", choices=["en", "id"], help=_("language of messages (default: system locale)"))
    parser.add_argument("--demo", action="store_true", help=_("start the app on the simulated demo network"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def db_path(args: argparse.Namespace) -> Path:
    """The database chosen on the command line, else the default one."""
    from .paths import default_db_path, demo_db_path

    if args.db:
        return args.db
    return demo_db_path() if getattr(args, "demo", False) else default_db_path()


def _start_app(args: argparse.Namespace) -> int:
    try:
        from nocdesk.ui.app import run_app
    except ImportError as err:
        print(_("nocdesk: the desktop app is not available ({err}); headless commands still work.").format(err=err),
              file=sys.stderr)
        return 1
    return run_app(db_path(args), demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `nocdesk` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    set_language(known.lang)
    if known.lang:
        os.environ["NOCDESK_LANG"] = known.lang  # so the desktop app started from here speaks it too
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo:
        from .demo.runner import isolate_demo_environment

        isolate_demo_environment()
    try:
        if not args.command:
            return _start_app(args)
        return int(args.func(args) or 0)
    except NocdeskError as err:
        print(f"nocdesk: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except sqlite3.DatabaseError as err:
        print(_("nocdesk: database error: {err}; run 'nocdesk db check'").format(err=err), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
