"""Reading and changing alerts by hand: list them, acknowledge (who, comment), resolve.

The `alerts` table holds one row per root cause (open → acknowledged → resolved); nocdesk.alerts opens and
closes them from state changes. Acknowledging stops reminders and escalation; the UI and the CLI call these.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .i18n import _
from .notify import fanout
from .store import Store


@dataclass(frozen=True)
class Alert:
    """One row of the alerts table, details decoded."""

    id: int
    rule: str
    target_type: str
    target_id: int
    device_id: int | None
    severity: str
    status: str
    message: str
    details: dict[str, Any]
    opened_at: int
    resolved_at: int | None
    acked_by: str | None
    acked_at: int | None
    ack_comment: str | None
    root_alert_id: int | None
    in_maintenance: bool
    last_notified_at: int | None
    escalated_at: int | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Alert:
        values = dict(row)
        values["details"] = json.loads(values.get("details") or "{}")
        values["in_maintenance"] = bool(values["in_maintenance"])
        return cls(**values)


def get_alert(store: Store, alert_id: int) -> Alert | None:
    row = store.conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    return Alert.from_row(row) if row else None


def list_alerts(store: Store, *, status: str | None = None, limit: int = 100) -> list[Alert]:
    """Alerts newest first; status 'active' means open or acknowledged."""
    sql, args = "SELECT * FROM alerts", []
    if status == "active":
        sql += " WHERE status IN ('open', 'acknowledged')"
    elif status:
        sql += " WHERE status = ?"
        args.append(status)
    return [Alert.from_row(r) for r in store.conn.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])]


def _require(store: Store, alert_id: int) -> Alert:
    alert = get_alert(store, alert_id)
    if alert is None:
        raise ConfigError(_("there is no alert {id} (see 'nocdesk alert list')").format(id=alert_id))
    return alert


def acknowledge(store: Store, alert_id: int, *, user: str, comment: str = "", now: int | None = None) -> Alert:
    """Someone owns the problem: reminders and escalation stop; the alert stays until it is resolved."""
    if not (user or "").strip():
        raise ConfigError(_("say who acknowledges alert {id} (--by NAME)").format(id=alert_id))
    alert = _require(store, alert_id)
    if alert.status != "open":
        raise ConfigError(_("alert {id} is not open any more (resolved or already acknowledged)").format(id=alert_id))
    now = int(time.time()) if now is None else now
    with store.transaction() as conn:
        conn.execute("UPDATE alerts SET status = 'acknowledged', acked_by = ?, acked_at = ?, ack_comment = ? "
                     "WHERE id = ?", (user.strip(), now, comment, alert_id))
        fanout.withdraw_unsent(store, alert_id, reason=f"acknowledged by {user.strip()}",
                               kinds=("reminder", "escalation"), only_untried=False)
    return _require(store, alert_id)


def resolve(store: Store, alert_id: int, *, user: str = "", now: int | None = None) -> Alert:
    """Close an alert by hand (the condition is known to be over, or not worth tracking)."""
    alert = _require(store, alert_id)
    if alert.status == "resolved":
        raise ConfigError(_("alert {id} is already resolved").format(id=alert_id))
    now = int(time.time()) if now is None else now
    details = alert.details | ({"resolved_by": user} if user else {})
    with store.transaction() as conn:
        conn.execute("UPDATE alerts SET status = 'resolved', resolved_at = ?, details = ? WHERE id = ?",
                     (now, json.dumps(details, ensure_ascii=False), alert_id))
        fanout.withdraw_unsent(store, alert_id, reason="resolved by hand", kinds=("reminder", "escalation"),
                               only_untried=False)
    return _require(store, alert_id)
