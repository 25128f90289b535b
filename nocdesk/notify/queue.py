"""The delivery queue: one row per message per recipient in the `deliveries` table, so nothing is lost.

A delivery stays 'queued' until its channel accepts it. A failure keeps it queued with an exponential back-off
(attempts, last_error and next_attempt_at tell the user what happened); only a configuration that can never
work, or the give-up age, moves it to 'failed'. 'dropped' means it became pointless (its alert was folded into
a root cause, or resolved while the recipient's quiet hours held it back). Rate limits defer, never drop
(the dispatcher counts sends per channel; see dispatcher.RateLimiter).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..store import Store

GIVE_UP_AFTER_S = 7 * 86400  # a week of retries: after that the message is stale, and says so


@dataclass(frozen=True)
class Delivery:
    """A queued (or finished) message for one recipient on one channel."""

    id: int
    alert_id: int | None
    channel: str
    recipient: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: int
    last_error: str | None
    created_at: int
    sent_at: int | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Delivery:
        return cls(row["id"], row["alert_id"], row["channel"], row["recipient"], json.loads(row["payload"]),
                   row["status"], row["attempts"], row["next_attempt_at"], row["last_error"], row["created_at"],
                   row["sent_at"])

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))

    @property
    def subject(self) -> str:
        return str(self.payload.get("subject", ""))


def enqueue(store: Store, *, channel: str, payload: dict[str, Any], now: int, recipient: str = "",
            alert_id: int | None = None, not_before: int | None = None) -> int:
    """Queue one message; it becomes due at `not_before` (default: now). Returns the delivery id."""
    return store.conn.execute(
        "INSERT INTO deliveries(alert_id, channel, recipient, payload, status, attempts, next_attempt_at, created_at)"
        " VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
        (alert_id, channel, recipient, json.dumps(payload, ensure_ascii=False), max(now, not_before or now), now),
    ).lastrowid


def due(store: Store, *, now: int, channel: str | None = None, limit: int = 100) -> list[Delivery]:
    """Queued deliveries whose time has come, oldest first."""
    sql = "SELECT * FROM deliveries WHERE status = 'queued' AND next_attempt_at <= ?"
    args: list[Any] = [now]
    if channel is not None:
        sql += " AND channel = ?"
        args.append(channel)
    sql += " ORDER BY next_attempt_at, id LIMIT ?"
    return [Delivery.from_row(r) for r in store.conn.execute(sql, [*args, limit])]


def queued_channels(store: Store, *, now: int) -> list[str]:
    """Channels that have something due."""
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT channel FROM deliveries WHERE status = 'queued' AND next_attempt_at <= ?", (now,))]


def get(store: Store, delivery_id: int) -> Delivery | None:
    row = store.conn.execute("SELECT * FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
    return Delivery.from_row(row) if row else None


def mark_sent(store: Store, delivery_ids: Iterable[int], *, now: int) -> None:
    """The channel accepted these deliveries."""
    store.conn.executemany(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL "
        "WHERE id = ? AND status = 'queued'", [(now, i) for i in delivery_ids])


def backoff_s(attempts: int, *, base_s: int = 30, max_s: int = 3600) -> int:
    """Delay before the next try after `attempts` failed ones: base, 2×base, 4×base… capped at max_s."""
    return int(min(max_s, base_s * 2 ** max(0, attempts - 1)))


def mark_failed(store: Store, delivery_ids: Iterable[int], *, error: str, now: int, base_s: int = 30,
                max_s: int = 3600, retry_after_s: int | None = None, permanent: bool = False) -> None:
    """A try failed: keep the delivery queued for a later try (or 'failed' when permanent or too old)."""
    for ident in delivery_ids:
        row = store.conn.execute("SELECT attempts, created_at FROM deliveries WHERE id = ?", (ident,)).fetchone()
        if row is None:
            continue
        attempts = row["attempts"] + 1
        give_up = permanent or now - row["created_at"] >= GIVE_UP_AFTER_S
        delay = max(retry_after_s or 0, backoff_s(attempts, base_s=base_s, max_s=max_s))
        store.conn.execute(
            "UPDATE deliveries SET attempts = ?, last_error = ?, next_attempt_at = ?, status = ? "
            "WHERE id = ? AND status = 'queued'",
            (attempts, error[:500], now + delay, "failed" if give_up else "queued", ident))


def defer(store: Store, delivery_ids: Iterable[int], *, until: int, reason: str = "") -> None:
    """Push deliveries to a later time without counting a try (rate limit, quiet hours, group wait)."""
    store.conn.executemany(
        "UPDATE deliveries SET next_attempt_at = ?, last_error = COALESCE(NULLIF(?, ''), last_error) "
        "WHERE id = ? AND status = 'queued'", [(until, reason, i) for i in delivery_ids])


def drop(store: Store, delivery_ids: Iterable[int], *, reason: str) -> None:
    """Give up on deliveries that no longer make sense (kept in the log with the reason)."""
    store.conn.executemany("UPDATE deliveries SET status = 'dropped', last_error = ? WHERE id = ? AND status = 'queued'",
                           [(reason, i) for i in delivery_ids])


STATUSES = ("queued", "sent", "failed", "dropped")


def history(store: Store, *, limit: int = 50, channel: str | None = None, status: str | None = None) -> list[Delivery]:
    """The delivery log, newest first; optionally one channel and/or one status (queued, sent, failed, dropped)."""
    where, args = [], []
    for column, value in (("channel", channel), ("status", status)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    sql = "SELECT * FROM deliveries" + (" WHERE " + " AND ".join(where) if where else "")
    return [Delivery.from_row(r) for r in store.conn.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])]


def pending_for_alert(store: Store, alert_id: int) -> list[Delivery]:
    """Deliveries of an alert still waiting to go out."""
    return [Delivery.from_row(r) for r in store.conn.execute(
        "SELECT * FROM deliveries WHERE alert_id = ? AND status = 'queued' ORDER BY id", (alert_id,))]


def replace_payload(store: Store, delivery_id: int, payload: dict[str, Any]) -> None:
    """Rewrite a queued message (its alert grew before it went out), so the user gets one up-to-date text."""
    store.conn.execute("UPDATE deliveries SET payload = ? WHERE id = ? AND status = 'queued'",
                       (json.dumps(payload, ensure_ascii=False), delivery_id))
