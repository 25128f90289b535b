"""`nocdesk alert list|ack|resolve` and `nocdesk notify test|log|set-secret|send`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from ..alerts import Alert, acknowledge, list_alerts, resolve
from ..cli import db_path
from ..errors import ConfigError
from ..i18n import _, current_language
from ..locale_format import format_datetime, format_duration
from ..store import open_store

STATUSES = ("active", "open", "acknowledged", "resolved", "all")


def _when(ts: int | None, tz: str = "Asia/Jakarta") -> str:
    return "-" if ts is None else format_datetime(datetime.fromtimestamp(ts, ZoneInfo(tz)), current_language())


def _line(alert: Alert, now: float) -> str:
    end = alert.resolved_at or int(now)
    flags = (" [" + _("maintenance") + "]" if alert.in_maintenance else "") + (
        " [" + _("part of #{id}").format(id=alert.root_alert_id) + "]" if alert.root_alert_id else "")
    who = f" ({alert.acked_by}: {alert.ack_comment})" if alert.acked_by and alert.ack_comment else (
        f" ({alert.acked_by})" if alert.acked_by else "")
    return (f"#{alert.id:<5} {alert.status:<12} {_when(alert.opened_at):<22} "
            f"{format_duration(end - alert.opened_at, current_language()):<14} {alert.message}{flags}{who}")


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        alerts = list_alerts(store, status=None if args.status == "all" else args.status, limit=args.limit)
    if args.format == "json":
        print(json.dumps([a.__dict__ for a in alerts], ensure_ascii=False, indent=1))
        return 0
    if not alerts:
        print(_("No alerts."))
        return 0
    now = time.time()
    for alert in alerts:
        print(_line(alert, now))
    return 0


def _ack(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        alert = acknowledge(store, args.id, user=args.by, comment=args.comment or "")
    print(_("Alert #{id} acknowledged by {who}; reminders and escalation stop.").format(id=alert.id, who=alert.acked_by))
    return 0


def _resolve(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        alert = resolve(store, args.id, user=args.by or "")
    print(_("Alert #{id} resolved.").format(id=alert.id))
    return 0


def _test(args: argparse.Namespace) -> int:
    from ..notify.dispatcher import Dispatcher

    with open_store(db_path(args)) as store:
        results = Dispatcher(store).send_test(args.channel)
    failed = 0
    for recipient, result in results:
        where = recipient or args.channel
        if result.ok:
            print(_("{channel}: test message sent to {to}").format(channel=args.channel, to=where))
        else:
            failed += 1
            print(_("{channel}: sending to {to} failed: {error}").format(channel=args.channel, to=where,
                                                                         error=result.error), file=sys.stderr)
    return 1 if failed else 0


def _log(args: argparse.Namespace) -> int:
    from ..notify.queue import history

    with open_store(db_path(args)) as store:
        rows = history(store, limit=args.limit, channel=args.channel)
    for d in rows:
        when = _when(d.sent_at or d.created_at)
        note = f" — {d.last_error}" if d.last_error else ""
        alert = f"#{d.alert_id}" if d.alert_id else "-"
        print(f"{d.id:<6} {when:<22} {d.channel:<9} {d.status:<8} {alert:<6} {d.recipient[:30]:<30} "
              f"{str(d.payload.get('summary', ''))[:70]}{note}")
    return 0


def _set_secret(args: argparse.Namespace) -> int:
    from ..notify.secrets import save_secret

    value = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass(
        _("Secret for '{name}': ").format(name=args.name))
    if not value:
        raise ConfigError(_("the secret is empty; nothing stored"))
    with open_store(db_path(args)) as store:
        save_secret(store, args.name, value)
    print(_("Stored secret '{name}'. Refer to it from notify.email.password_credential or "
            "notify.telegram.token_credential.").format(name=args.name))
    return 0


def _send(args: argparse.Namespace) -> int:
    from ..alerts import AlertManager
    from ..notify.dispatcher import Dispatcher

    with open_store(db_path(args)) as store:
        stats = Dispatcher(store, alerts=AlertManager(store)).run_once()
    for channel in sorted(set(stats.sent) | set(stats.failed)):
        print(_("{channel}: {sent} sent, {failed} failed (kept for a later try)").format(
            channel=channel, sent=stats.sent.get(channel, 0), failed=stats.failed.get(channel, 0)))
    return 1 if stats.failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `alert` and `notify` commands."""
    alert = subparsers.add_parser("alert", help=_("list, acknowledge or resolve alerts"))
    sub = alert.add_subparsers(dest="alert_command", required=True, metavar="ACTION")
    p = sub.add_parser("list", help=_("list alerts, newest first"))
    p.add_argument("--status", choices=STATUSES, default="active",
                   help=_("which alerts (default: active = open or acknowledged)"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_list)
    p = sub.add_parser("ack", help=_("acknowledge an alert: you are on it (stops reminders and escalation)"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--by", required=True, metavar="NAME", help=_("who takes care of it"))
    p.add_argument("--comment", default="", metavar="TEXT")
    p.set_defaults(func=_ack)
    p = sub.add_parser("resolve", help=_("close an alert by hand"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--by", default="", metavar="NAME")
    p.set_defaults(func=_resolve)

    notify = subparsers.add_parser("notify", help=_("test notification channels and read the delivery log"))
    sub = notify.add_subparsers(dest="notify_command", required=True, metavar="ACTION")
    p = sub.add_parser("test", help=_("send a test message on one channel now"))
    p.add_argument("channel", choices=["email", "telegram", "webhook", "desktop"])
    p.set_defaults(func=_test)
    p = sub.add_parser("log", help=_("show the delivery log, newest first"))
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--channel", choices=["email", "telegram", "webhook", "desktop"])
    p.set_defaults(func=_log)
    p = sub.add_parser("set-secret", help=_("store the SMTP password or the Telegram bot token (read from stdin "
                                            "or asked for)"))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=_set_secret)
    p = sub.add_parser("send", help=_("deliver what is due in the queue now (the engine does this by itself)"))
    p.set_defaults(func=_send)
