"""Who gets a message about an alert, in which language and when: one queued delivery per recipient.

Primary recipients get problems, updates, reminders and recoveries; escalation contacts get the escalation
and, once they were told, the recovery too. A recipient in quiet hours gets the message when the quiet hours
end (marked `quiet_until`, so the dispatcher can drop a problem that was resolved meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..store import Store
from . import messages, queue
from .settings import NotifySettings, Recipient


def recipients_for(settings: NotifySettings, *, role: str, severity: str) -> list[Recipient]:
    """Enabled recipients of `role` whose channel takes alerts of `severity`."""
    return [r for r in settings.for_role(role) if settings.severity_passes(severity, r.channel)]


def notify(store: Store, settings: NotifySettings, *, alert_id: int | None, kind: str, facts: Mapping[str, Any],
           severity: str, now: int, recipients: Iterable[Recipient], wait_s: int = 0,
           duration_s: int | None = None) -> list[int]:
    """Queue `kind` about an alert for each recipient; returns the delivery ids."""
    ids = []
    for r in recipients:
        lang = r.language or settings.language
        msg = messages.render(kind, facts, lang, alert_id=alert_id, duration_s=duration_s, now=now)
        payload = msg.payload(kind, severity=severity, alert_id=alert_id, facts=facts)
        if r.channel == "desktop":
            payload["sound"] = bool(settings.get("notify.sound")) and severity == "critical" and kind in (
                "problem", "escalation")
        not_before = now + wait_s
        if r.quiet is not None and r.quiet.active(not_before):
            not_before = r.quiet.ends_after(not_before)
            payload["quiet_until"] = not_before
        ids.append(queue.enqueue(store, channel=r.channel, recipient=r.address, payload=payload, now=now,
                                 alert_id=alert_id, not_before=not_before))
    return ids


def told(store: Store, alert_id: int) -> list[tuple[str, str]]:
    """(channel, recipient) pairs that were sent, or are still due, a problem message of this alert."""
    return [(r[0], r[1]) for r in store.conn.execute(
        "SELECT DISTINCT channel, recipient FROM deliveries WHERE alert_id = ? AND status IN ('queued', 'sent') "
        "AND json_extract(payload, '$.kind') IN ('problem', 'escalation', 'update', 'reminder')", (alert_id,))]


def withdraw_unsent(store: Store, alert_id: int, *, reason: str, kinds: tuple[str, ...] = ("problem", "update"),
                    only_untried: bool = True) -> set[tuple[str, str]]:
    """Drop problem messages of an alert still waiting for their first try (a blip shorter than the group
    wait, or folded into a root); returns the (channel, recipient) pairs that were never told."""
    rows = store.conn.execute(
        "SELECT id, channel, recipient, attempts, json_extract(payload, '$.kind') AS kind, "
        "json_extract(payload, '$.quiet_until') AS quiet FROM deliveries WHERE alert_id = ? AND status = 'queued'",
        (alert_id,)).fetchall()
    # Held by quiet hours is not a blip: that recipient still hears about the outage (as a recovery).
    dropped = [r for r in rows if r["kind"] in kinds and r["quiet"] is None
               and (r["attempts"] == 0 or not only_untried)]
    queue.drop(store, [r["id"] for r in dropped], reason=reason)
    return {(r["channel"], r["recipient"]) for r in dropped}
