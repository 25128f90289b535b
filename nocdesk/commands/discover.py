"""`nocdesk discover crawl`: follow LLDP/CDP neighbours from seed devices and list (or, with --add, add) new ones."""

from __future__ import annotations

import argparse
import json
import sys

from ..cli import db_path
from ..crawl import MAX_DEPTH, CrawlResult, add_candidates, crawl
from ..i18n import _, ngettext
from ..inventory import KINDS
from ..store import open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `discover` command group."""
    disc = subparsers.add_parser("discover", help=_("find devices that are not monitored yet"))
    sub = disc.add_subparsers(dest="discover_command", required=True, metavar="ACTION")
    p = sub.add_parser("crawl", help=_("follow LLDP/CDP neighbours from seed devices; lists new devices, "
                                       "adds them only with --add"))
    p.add_argument("--seed", action="append", required=True, metavar="DEVICE",
                   help=_("a known device (name, address or id) or an IP address to start from; repeatable"))
    p.add_argument("--depth", type=int, default=2, metavar="N",
                   help=_("how many hops to follow from the seeds (1-{max}, default 2)").format(max=MAX_DEPTH))
    p.add_argument("--range", action="append", dest="ranges", metavar="CIDR",
                   help=_("allowed range for this run; repeatable (default: the saved allowed discovery ranges)"))
    p.add_argument("--credential", action="append", dest="credentials", metavar="NAME",
                   help=_("SNMP credential to try on new devices; repeatable (default: the seeds' credentials, "
                          "then the default polling credential)"))
    p.add_argument("--timeout", type=float, default=2.0, metavar="SECONDS",
                   help=_("SNMP timeout per probe (default 2)"))
    p.add_argument("--add", action="store_true", help=_("add the devices that can be added"))
    p.add_argument("--kind", choices=KINDS, help=_("kind for added devices (default: guessed per device)"))
    p.add_argument("--site", default="", help=_("site for added devices"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("-v", "--verbose", action="store_true", help=_("show progress on stderr"))
    p.set_defaults(func=_crawl)


def _progress(done: int, total: int, text: str) -> None:
    print(f"[{done}/{total}] {text}", file=sys.stderr)


def _crawl(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        result = crawl(store, args.seed, max_depth=args.depth, allowed_ranges=args.ranges,
                       credentials_to_try=args.credentials, probe_timeout_s=args.timeout,
                       progress=_progress if args.verbose else None)
        outcome = add_candidates(store, result.addable, kind=args.kind, site=args.site) if args.add else None
    if args.json:
        print(json.dumps(_as_json(result, outcome), indent=2, ensure_ascii=False))
        return 0
    _print(result)
    if outcome is not None:
        for name in outcome.added:
            print(_("Added {name}.").format(name=name))
        for problem in outcome.problems:
            print(_("Not added: {problem}").format(problem=problem), file=sys.stderr)
    elif result.addable:
        print(_("Run again with --add to add the {n} device(s) marked 'yes'.").format(n=len(result.addable)))
    return 0


def _print(result: CrawlResult) -> None:
    header = (_("name"), _("address"), _("via"), _("profile"), _("kind"), _("add?"), _("why / note"))
    rows = [(c.name, c.address or "-", f"{c.seen_from} {c.via_port}".strip(), c.profile or "-", c.kind_guess,
             _("yes") if c.addable else _("no"), c.reason or c.note) for c in result.candidates]
    if rows:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[-1])
    print(ngettext("{n} new neighbour found", "{n} new neighbours found", len(result.candidates))
          .format(n=len(result.candidates)) + "; " +
          _("{known} already monitored, {read} neighbour table(s) read in {s:.1f} s.").format(
              known=len(result.known), read=len(result.visited), s=result.elapsed_s))
    for problem in result.problems:
        print(_("note: {problem}").format(problem=problem), file=sys.stderr)
    if result.cancelled:
        print(_("The crawl was interrupted; the list is partial."), file=sys.stderr)


def _as_json(result: CrawlResult, outcome: object | None) -> dict:
    from dataclasses import asdict

    return {"candidates": [asdict(c) | {"addable": c.addable} for c in result.candidates],
            "known": [asdict(k) for k in result.known], "visited": result.visited, "problems": result.problems,
            "cancelled": result.cancelled, "elapsed_s": round(result.elapsed_s, 3),
            "added": list(getattr(outcome, "added", [])), "not_added": list(getattr(outcome, "problems", []))}
