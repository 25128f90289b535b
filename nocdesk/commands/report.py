"""`nocdesk report`: write a month's uptime report as PDF, XLSX and/or CSV."""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import datetime
from pathlib import Path

from ..errors import ConfigError
from ..i18n import _, current_language


def _month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(_("'{month}' is not a month; write it as YYYY-MM, e.g. 2026-10")
                                         .format(month=text))
    return int(match.group(1)), int(match.group(2))


def _last_month() -> str:
    today = datetime.now()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year}-{month:02d}"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` subcommand."""
    p = subparsers.add_parser("report", help=_("write a monthly uptime report (PDF, XLSX, CSV)"),
                              description=_("Write the availability report of one month. Figures are computed from "
                                            "the recorded state changes; the counting rules are printed in the report."))
    p.add_argument("--month", default=_last_month(), help=_("the month, YYYY-MM (default: last month)"))
    p.add_argument("--format", default="pdf,xlsx,csv", help=_("comma-separated: pdf, xlsx, csv (default: all)"))
    p.add_argument("--lang", dest="report_lang", choices=["id", "en"],
                   help=_("language of the report (default: the language of messages)"))
    p.add_argument("--out", type=Path, default=Path("."), help=_("folder for the files (default: current folder)"))
    p.add_argument("--scope", default=None, help=_("site:NAME or group:NAME (default: the whole agency)"))
    p.add_argument("--unreachable", choices=["excluded", "up", "down"],
                   help=_("how unreachable time counts (default: setting report.rules, else excluded)"))
    p.add_argument("--unknown", choices=["excluded", "up", "down"],
                   help=_("how unknown time counts (default: setting report.rules, else excluded)"))
    p.add_argument("--quiet", action="store_true", help=_("print only the file names"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate the report and print the files written."""
    from ..availability import Rules
    from ..cli import db_path
    from ..reportbuild import rules_from_settings
    from ..reports import generate_report
    from ..store import open_store

    try:
        year, month = _month(args.month)
    except argparse.ArgumentTypeError as err:
        raise ConfigError(str(err)) from err
    path = db_path(args)
    if not Path(path).exists():
        raise ConfigError(_("{path} does not exist; choose the database with --db").format(path=path))
    lang = args.report_lang or getattr(args, "lang", None) or current_language()
    started = time.monotonic()
    with open_store(path, readonly=True) as store:
        base = rules_from_settings(store)
        rules = Rules(unreachable=args.unreachable or base.unreachable, unknown=args.unknown or base.unknown)

        def progress(fraction: float, message: str) -> None:
            if not args.quiet and sys.stderr.isatty():
                print(f"\r{fraction * 100:5.1f}%  {message:<40}", end="", file=sys.stderr, flush=True)

        files = generate_report(store, year=year, month=month, formats=args.format, lang=lang, out_dir=args.out,
                                scope=args.scope, rules=rules, progress=progress)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    for f in files:
        print(f)
    if not args.quiet:
        print(_("{count} file(s) written in {seconds:.1f} s").format(count=len(files),
                                                                     seconds=time.monotonic() - started), file=sys.stderr)
    return 0
