"""`nocdesk poll` (the headless engine) and `nocdesk status` (device states and the engine's health)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import logging.handlers
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..cli import db_path
from ..enginelock import is_locked
from ..i18n import _, current_language
from ..locale_format import format_datetime, format_duration
from ..store import open_store

LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5


def _setup_logging(log_file: Path | None, *, verbose: bool) -> Path:
    from ..paths import log_dir

    path = Path(log_file) if log_file else log_dir() / "engine.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(fmt)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(fmt)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(handler)
    root.addHandler(console)
    # pysnmp logs every timeout at debug level; keep the file about our decisions
    logging.getLogger("pysnmp").setLevel(logging.WARNING)
    return path


def _poll(args: argparse.Namespace) -> int:
    from ..engine import Engine
    from ..enginesetup import attach_all

    path = db_path(args)
    log_path = _setup_logging(args.log_file, verbose=args.verbose)
    demo = None
    if getattr(args, "demo", False):
        from ..demo.runner import start_demo

        demo = start_demo(path)  # the simulated agents live as long as this poller
    engine = Engine(path, once=args.once)
    attach_all(engine)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, engine.request_stop)
            except NotImplementedError:  # Windows: no loop signal handlers; stop from the plain handler
                signal.signal(sig, lambda _s, _f: loop.call_soon_threadsafe(engine.request_stop))
        await engine.run()

    if not args.once:
        print(_("Polling {db} (log: {log}); stop with Ctrl+C.").format(db=path, log=log_path), file=sys.stderr)
    try:
        asyncio.run(main())
    finally:
        if demo is not None:
            demo.stop()
    if args.once:
        return _status(args)
    return 0


def _when(ts: int | None, zone: ZoneInfo) -> str:
    if ts is None:
        return "-"
    return format_datetime(datetime.fromtimestamp(ts, zone), current_language())


def _age(ts: int | None, now: float) -> str:
    return "-" if ts is None else format_duration(max(0, now - ts), current_language(), max_units=2)


def engine_health(path: Path, store: Any, now: float) -> dict[str, Any]:
    """Whether an engine runs on this database, and its last heartbeat."""
    holder = is_locked(path)
    run = store.conn.execute("SELECT * FROM engine_runs ORDER BY id DESC LIMIT 1").fetchone()
    health: dict[str, Any] = {"running": holder is not None, "pid": holder[0] if holder else None,
                              "host": holder[1] if holder else None}
    if run is not None:
        health |= {"started_at": run["started_at"], "last_beat_at": run["last_beat_at"],
                   "stopped_at": run["stopped_at"], "last_cycle_s": run["last_cycle_s"], "lag_s": run["lag_s"],
                   "last_beat_age_s": round(now - run["last_beat_at"], 1)}
    return health


def _status(args: argparse.Namespace) -> int:
    path = db_path(args)
    now = time.time()
    with open_store(path, readonly=True) as store:
        zone = ZoneInfo(store.get_setting("ui.timezone", "Asia/Jakarta") or "Asia/Jakarta")
        devices = [dict(r) for r in store.conn.execute(
            "SELECT id, name, address, state, state_since, last_rtt_ms, last_loss_pct, last_error, enabled, "
            "last_check_at FROM devices ORDER BY name COLLATE NOCASE")]
        health = engine_health(path, store, now)
    if getattr(args, "json", False):
        print(json.dumps({"engine": health, "devices": devices}, indent=2, ensure_ascii=False))
        return 0
    header = [_("NAME"), _("ADDRESS"), _("STATE"), _("SINCE"), _("RTT"), _("LOSS"), _("LAST ERROR")]
    rows = []
    for d in devices:
        state = d["state"] if d["enabled"] else _("disabled")
        rtt = f"{d['last_rtt_ms']:.1f} ms" if d["last_rtt_ms"] is not None else "-"
        loss = f"{d['last_loss_pct']:.0f}%" if d["last_loss_pct"] is not None else "-"
        error = (d["last_error"] or "")[:60]
        rows.append([d["name"], d["address"], state, _when(d["state_since"], zone), rtt, loss, error or "-"])
    if rows:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    else:
        print(_("No devices yet. Add one with 'nocdesk device add --name NAME --address ADDRESS'."))
    print()
    if health["running"]:
        print(_("Engine: running (pid {pid} on {host})").format(pid=health["pid"], host=health["host"]))
    else:
        print(_("Engine: not running"))
    if "last_beat_at" in health:
        cycle = f"{health['last_cycle_s']:.2f} s" if health["last_cycle_s"] is not None else "-"
        lag = f"{health['lag_s']:.2f} s" if health["lag_s"] is not None else "-"
        print(_("  last heartbeat {when} ({age} ago), last cycle {cycle}, start lag {lag}").format(
            when=_when(health["last_beat_at"], zone), age=_age(health["last_beat_at"], now), cycle=cycle, lag=lag))
        if not health["running"] and health.get("stopped_at"):
            print(_("  stopped at {when}").format(when=_when(health["stopped_at"], zone)))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `poll` and `status`."""
    p = subparsers.add_parser("poll", help=_("run the polling engine without the desktop app"))
    p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=_("database file"))
    p.add_argument("--once", action="store_true", help=_("check every device once, print the states and exit"))
    p.add_argument("--log-file", type=Path, help=_("log file (default: engine.log in the data directory's logs)"))
    p.add_argument("-v", "--verbose", action="store_true", help=_("log debug messages, also to the terminal"))
    p.set_defaults(func=_poll)
    p = subparsers.add_parser("status", help=_("show device states and whether the engine is running"))
    p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=_("database file"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    p.set_defaults(func=_status)
