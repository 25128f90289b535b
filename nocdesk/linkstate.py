"""The live state of links, derived from both ends: ports, devices, optical power and errors.

A link is down when a port at either end is admin-up but oper-down, or when the device beyond it is down or
unreachable and no port reading says otherwise; degraded when an optic's Rx power is below its threshold or
errors climb; 'disabled' when a port was shut on purpose. Every change is a state_changes row.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from .i18n import _
from .states import Transition
from .store import Store

DOWN_OPER = {"down", "lowerLayerDown", "notPresent"}
DEFAULT_RX_LOW_DBM = -22.0
DEFAULT_ERRORS_PS = 1.0


@dataclass(frozen=True)
class LinkEnd:
    """One end as read from the store."""

    device_state: str
    admin: str | None
    oper: str | None
    rx_dbm: float | None
    errors_ps: float | None
    port: str


def decide(a: LinkEnd, b: LinkEnd, *, rx_low_dbm: float = DEFAULT_RX_LOW_DBM,
           errors_ps: float = DEFAULT_ERRORS_PS) -> tuple[str, str]:
    """(state, reason) of a link from its two ends."""
    ends = (a, b)
    if any(e.admin == "down" for e in ends):
        return "disabled", _("port {port} is administratively down").format(
            port=next(e.port for e in ends if e.admin == "down"))
    for e in ends:
        if e.oper in DOWN_OPER:
            return "down", _("port {port} is {status}").format(port=e.port, status=e.oper)
    if any(e.device_state in ("down", "unreachable") for e in ends) and not all(e.oper == "up" for e in ends):
        far = next(e for e in ends if e.device_state in ("down", "unreachable"))
        return "down", _("the device at {port} is {state}").format(port=far.port, state=far.device_state)
    for e in ends:
        if e.rx_dbm is not None and e.rx_dbm < rx_low_dbm:
            return "degraded", _("optical Rx power at {port} is {value:.1f} dBm (below {limit:.1f} dBm)").format(
                port=e.port, value=e.rx_dbm, limit=rx_low_dbm)
        if e.errors_ps is not None and e.errors_ps > errors_ps:
            return "degraded", _("errors at {port}: {value:.1f}/s").format(port=e.port, value=e.errors_ps)
    if all(e.oper == "up" for e in ends if e.oper) and any(e.oper for e in ends):
        return "up", ""
    if all(e.device_state == "up" or e.device_state == "degraded" for e in ends):
        return "up", ""
    return "unknown", ""


_END_SQL = """
SELECT d.state AS device_state, d.name AS device, i.name AS port, i.admin_status AS admin, i.oper_status AS oper,
       (SELECT s.last_value FROM sensors s WHERE s.interface_id = i.id AND s.kind = 'rx_dbm' LIMIT 1) AS rx_dbm,
       (SELECT s.last_value FROM sensors s WHERE s.interface_id = i.id AND s.kind = 'in_errors_ps' LIMIT 1) AS errors_ps
FROM devices d LEFT JOIN interfaces i ON i.id = ?
WHERE d.id = ?
"""


def _end(store: Store, device_id: int, interface_id: int | None) -> LinkEnd:
    row = store.conn.execute(_END_SQL, (interface_id, device_id)).fetchone()
    port = f"{row['device']}:{row['port']}" if row["port"] else row["device"]
    return LinkEnd(row["device_state"], row["admin"], row["oper"], row["rx_dbm"], row["errors_ps"], port)


def update_link_states(store: Store, *, now: int | None = None) -> list[Transition]:
    """Re-derive every link's state; write and return the changes."""
    now = int(time.time()) if now is None else now
    rx_low = float(store.get_setting("optical_rx_low_dbm", DEFAULT_RX_LOW_DBM))
    errors_limit = float(store.get_setting("link_errors_ps", DEFAULT_ERRORS_PS))
    changes: list[Transition] = []
    links = store.conn.execute(
        "SELECT id, name, medium, state, a_device_id, a_interface_id, b_device_id, b_interface_id FROM links").fetchall()
    decided = []
    for link in links:
        state, reason = decide(_end(store, link["a_device_id"], link["a_interface_id"]),
                               _end(store, link["b_device_id"], link["b_interface_id"]),
                               rx_low_dbm=rx_low, errors_ps=errors_limit)
        if state != link["state"]:
            decided.append((link, state, reason))
    if not decided:
        return changes
    with store.transaction() as conn:
        for link, state, reason in decided:
            conn.execute("UPDATE links SET state = ?, state_since = ? WHERE id = ?", (state, now, link["id"]))
            conn.execute("INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason) "
                         "VALUES ('link', ?, ?, ?, ?, ?)", (link["id"], now, state, link["state"], reason))
            if link["state"] != "unknown" or state != "up":
                severity = "critical" if state == "down" else "warning" if state == "degraded" else "info"
                medium = _("Fiber link") if link["medium"] == "fiber" else _("Link")
                conn.execute(
                    "INSERT INTO events(ts, severity, kind, link_id, message, details) VALUES (?, ?, 'link_state', ?, ?, ?)",
                    (now, severity, link["id"], f"{medium} {link['name']}: {state}" + (f" — {reason}" if reason else ""),
                     json.dumps({"state": state, "previous": link["state"]})))
            changes.append(Transition("link", link["id"], now, state, link["state"], reason,
                                      device_id=link["b_device_id"]))
    return changes
