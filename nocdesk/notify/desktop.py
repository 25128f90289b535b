"""Desktop notifications and sound: queued as 'desktop' deliveries that the UI polls and shows (no Qt here).

The UI calls `take_desktop(store)` every few seconds (off the GUI thread) and shows what it gets as a tray
message, playing a sound when `sound` is set. A notice that waited longer than `max_age_s` (no app was open,
e.g. a headless poller overnight) is dropped rather than shown late; the alert itself stays in the alert list.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..store import Store
from . import queue

MAX_AGE_S = 3600


@dataclass(frozen=True)
class DesktopNotice:
    """One notification for the desktop: a title, a text, and whether to make a sound."""

    delivery_id: int
    alert_id: int | None
    kind: str
    severity: str
    title: str
    text: str
    sound: bool
    created_at: int


def take_desktop(store: Store, *, now: int | None = None, max_age_s: int = MAX_AGE_S,
                 limit: int = 20) -> list[DesktopNotice]:
    """Desktop notices that are due, oldest first, marked as shown; stale ones are dropped."""
    now = int(now if now is not None else time.time())
    items = queue.due(store, now=now, channel="desktop", limit=limit + 200)
    stale = [d.id for d in items if now - d.created_at > max_age_s]
    fresh = [d for d in items if now - d.created_at <= max_age_s][:limit]
    with store.transaction():
        if stale:
            queue.drop(store, stale, reason="not shown: no desktop app was running")
        queue.mark_sent(store, [d.id for d in fresh], now=now)
    return [DesktopNotice(d.id, d.alert_id, str(d.payload.get("kind", "")), str(d.payload.get("severity", "")),
                          (d.subject or str(d.payload.get("summary", ""))).removeprefix("[nocdesk] "),
                          str(d.payload.get("summary") or d.text),
                          bool(d.payload.get("sound")), d.created_at) for d in fresh]


def expire_desktop(store: Store, *, now: int, max_age_s: int = MAX_AGE_S) -> int:
    """Drop desktop notices no app showed in time (a headless poller has no desktop); returns how many."""
    return store.conn.execute(
        "UPDATE deliveries SET status = 'dropped', last_error = 'not shown: no desktop app was running' "
        "WHERE channel = 'desktop' AND status = 'queued' AND created_at < ?", (now - max_age_s,)).rowcount


def pending_desktop_count(store: Store) -> int:
    """How many desktop notices wait (the tray can show a badge)."""
    return store.conn.execute("SELECT count(*) FROM deliveries WHERE channel = 'desktop' AND status = 'queued'"
                              ).fetchone()[0]
