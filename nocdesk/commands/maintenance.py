"""`nocdesk maintenance list|add|remove`: planned work that should neither alert nor count as downtime."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from zoneinfo import ZoneInfo

from ..cli import db_path
from ..errors import ConfigError
from ..i18n import _
from ..inventory import find_device
from ..maintenance import DEFAULT_TZ
from ..maintenance_windows import delete_window, list_windows, save_window
from ..store import Store, open_store

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES_ID = ("sen", "sel", "rab", "kam", "jum", "sab", "min")


def _parse_time(text: str, tz: str) -> int:
    try:
        local = dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError as err:
        raise ConfigError(_("'{text}' is not a date and time like 2026-12-01T22:00").format(text=text)) from err
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(tz))
    return int(local.timestamp())


def _parse_days(text: str) -> str:
    days = []
    for part in text.lower().replace(" ", "").split(","):
        if part in DAY_NAMES:
            days.append(DAY_NAMES.index(part))
        elif part in DAY_NAMES_ID:
            days.append(DAY_NAMES_ID.index(part))
        elif part.isdigit() and int(part) <= 6:
            days.append(int(part))
        elif part:
            raise ConfigError(_("'{day}' is not a weekday (mon … sun, or 0 = Monday … 6 = Sunday)").format(day=part))
    return ",".join(str(d) for d in sorted(set(days)))


def _target(store: Store, args: argparse.Namespace) -> tuple[str, int | None]:
    if args.device:
        return "device", int(find_device(store, args.device)["id"])
    for kind, table, value in (("site", "sites", args.site), ("group", "device_groups", args.group)):
        if value:
            row = store.conn.execute(f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE", (value,)).fetchone()
            if row is None:
                raise ConfigError(_("there is no {kind} named {name!r}").format(kind=kind, name=value))
            return kind, int(row[0])
    return "all", None


def _add(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        kind, target_id = _target(store, args)
        window = {"name": args.name, "target_type": kind, "target_id": target_id, "timezone": args.timezone,
                  "comment": args.comment, "created_by": args.by or getpass.getuser()}
        if args.start or args.end:
            if not (args.start and args.end):
                raise ConfigError(_("a one-off window needs both --start and --end"))
            window |= {"start_ts": _parse_time(args.start, args.timezone), "end_ts": _parse_time(args.end, args.timezone)}
        else:
            if not (args.weekly and args.at and args.duration):
                raise ConfigError(_("give --start and --end, or --weekly DAYS --at HH:MM --duration MINUTES"))
            hour, _sep, minute = args.at.partition(":")
            if not (hour.isdigit() and minute.isdigit()):
                raise ConfigError(_("'{at}' is not a time like 22:00").format(at=args.at))
            window |= {"weekdays": _parse_days(args.weekly), "start_minute": int(hour) * 60 + int(minute),
                       "duration_min": args.duration}
        window_id = save_window(store, window)
    print(_("Maintenance window #{id} saved.").format(id=window_id))
    return 0


def _describe(row: dict) -> str:
    tz = ZoneInfo(row["timezone"] or DEFAULT_TZ)
    if row["weekdays"]:
        days = ",".join(DAY_NAMES[int(d)] for d in str(row["weekdays"]).split(","))
        start = row["start_minute"] or 0
        return _("weekly {days} {hh:02d}:{mm:02d} for {minutes} min").format(
            days=days, hh=start // 60, mm=start % 60, minutes=row["duration_min"])
    fmt = "%Y-%m-%d %H:%M"
    return (f"{dt.datetime.fromtimestamp(row['start_ts'], tz).strftime(fmt)} – "
            f"{dt.datetime.fromtimestamp(row['end_ts'], tz).strftime(fmt)}")


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        rows = list_windows(store)
    if not rows:
        print(_("No maintenance windows."))
        return 0
    for row in rows:
        active = " [" + _("active now") + "]" if row["active_now"] else ""
        print(f"#{row['id']:<4} {row['name']:<28} {row['target_name']:<22} {_describe(row)} "
              f"({row['timezone']}){active}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        if not any(r["id"] == args.id for r in list_windows(store)):
            raise ConfigError(_("there is no maintenance window #{id}").format(id=args.id))
        delete_window(store, args.id)
    print(_("Maintenance window #{id} removed.").format(id=args.id))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `maintenance` command."""
    cmd = subparsers.add_parser("maintenance", help=_("planned work: no alerts, not counted as downtime"))
    sub = cmd.add_subparsers(dest="maintenance_command", required=True, metavar="ACTION")
    sub.add_parser("list", help=_("list maintenance windows")).set_defaults(func=_list)
    p = sub.add_parser("add", help=_("add a one-off or weekly maintenance window"))
    p.add_argument("name", help=_("what the work is, e.g. 'UPS battery swap'"))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--device", metavar="NAME", help=_("only this device (and what sits behind it)"))
    who.add_argument("--site", metavar="NAME")
    who.add_argument("--group", metavar="NAME")
    p.add_argument("--start", metavar="YYYY-MM-DDTHH:MM", help=_("one-off: local start time"))
    p.add_argument("--end", metavar="YYYY-MM-DDTHH:MM", help=_("one-off: local end time"))
    p.add_argument("--weekly", metavar="DAYS", help=_("weekly: days like sun or mon,wed,fri"))
    p.add_argument("--at", metavar="HH:MM", help=_("weekly: local start time"))
    p.add_argument("--duration", type=int, metavar="MINUTES", help=_("weekly: how long"))
    p.add_argument("--timezone", default=DEFAULT_TZ, help=_("time zone (default Asia/Jakarta)"))
    p.add_argument("--comment", default="")
    p.add_argument("--by", default="", metavar="NAME")
    p.set_defaults(func=_add)
    p = sub.add_parser("remove", help=_("remove a maintenance window"))
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=_remove)
