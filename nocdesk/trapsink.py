"""Where received traps go: matched to a device (by source address) and interface (by ifIndex), kept as events
(unknown traps too, never dropped), and turned into an immediate interface state change that a poll confirms.

The engine plugs in hooks: `apply_interface(interface_id, device_id, admin, oper, ts)` feeds its state
machine (so the change is recorded and alerted like a polled one), `recheck(device_id)` polls the device at
once, and `on_port_trap(interface_id, ts)` tells alerting that a port's news came by trap (sent, not held).
Without an engine (tests, tools) the sink writes the interface state itself and hands the resulting
transitions (interface, and links derived from it) to `on_transitions`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .collectors.traps import TrapEvent
from .i18n import _
from .states import Transition, interface_state
from .store import Store

log = logging.getLogger(__name__)

IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
# IF-MIB ifOperStatus / ifAdminStatus enumeration.
IF_STATUS = {"1": "up", "2": "down", "3": "testing", "4": "unknown", "5": "dormant", "6": "notPresent",
             "7": "lowerLayerDown"}
SEVERITY = {"linkDown": "warning", "linkUp": "info", "coldStart": "warning", "warmStart": "warning",
            "authenticationFailure": "warning"}
RECHECK_ON = ("linkDown", "linkUp", "coldStart", "warmStart")

ApplyInterface = Callable[[int, int, "str | None", str, int], None]


@dataclass(frozen=True)
class TrapOutcome:
    """What a trap did: the event row written, what it matched, and state changes made at once."""

    event_id: int
    device_id: int | None
    interface_id: int | None
    name: str
    transitions: tuple[Transition, ...] = ()


class TrapSink:
    """Handles TrapEvents for one store; see the module docstring for the hooks."""

    def __init__(self, store: Store, *, apply_interface: ApplyInterface | None = None,
                 recheck: Callable[[int], None] | None = None,
                 on_transitions: Callable[[list[Transition]], None] | None = None,
                 on_port_trap: Callable[[int, int], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.apply_interface = apply_interface
        self.recheck = recheck
        self.on_transitions = on_transitions
        self.on_port_trap = on_port_trap
        self.clock = clock

    def _device(self, event: TrapEvent) -> dict[str, Any] | None:
        for address in (event.source_address, event.agent_address):
            if address:
                row = self.store.conn.execute("SELECT id, name FROM devices WHERE address = ? COLLATE NOCASE",
                                              (address,)).fetchone()
                if row:
                    return dict(row)
        return None

    def _interface(self, device_id: int, if_index: int | None) -> dict[str, Any] | None:
        if if_index is None:
            return None
        row = self.store.conn.execute(
            "SELECT i.id, i.name, i.alias, i.admin_status, i.state, "
            "(SELECT medium FROM links l WHERE l.a_interface_id = i.id OR l.b_interface_id = i.id LIMIT 1) AS medium "
            "FROM interfaces i WHERE i.device_id = ? AND i.if_index = ?", (device_id, if_index)).fetchone()
        return dict(row) if row else None

    def handle(self, event: TrapEvent) -> TrapOutcome:
        """Record one trap and act on it; never raises for an unknown sender or trap."""
        ts = int(event.received_at)
        device = self._device(event)
        iface = self._interface(device["id"], event.if_index) if device else None
        event_id = self._record(event, ts, device, iface)
        transitions: list[Transition] = []
        if device and iface and event.name in ("linkDown", "linkUp"):
            admin = IF_STATUS.get(event.value(IF_ADMIN_STATUS) or "") or iface["admin_status"]
            oper = IF_STATUS.get(event.value(IF_OPER_STATUS) or "") or ("down" if event.name == "linkDown" else "up")
            if self.on_port_trap is not None:
                self.on_port_trap(iface["id"], ts)
            if self.apply_interface is not None:
                self.apply_interface(iface["id"], device["id"], admin, oper, ts)
            else:
                transitions = self._write_interface(iface, device["id"], admin, oper, ts, event.name)
        if device and event.name in RECHECK_ON and self.recheck is not None:
            try:
                self.recheck(device["id"])
            except Exception:
                log.exception("re-check of device %s after a trap failed", device["id"])
        if transitions and self.on_transitions is not None:
            self.on_transitions(transitions)
        return TrapOutcome(event_id, device["id"] if device else None, iface["id"] if iface else None, event.name,
                           tuple(transitions))

    def _record(self, event: TrapEvent, ts: int, device: dict[str, Any] | None, iface: dict[str, Any] | None) -> int:
        who = device["name"] if device else event.source_address
        if iface:
            port = iface["name"] or f"ifIndex {event.if_index}"
            message = _("{trap} trap from {device}: interface {port}").format(trap=event.name, device=who, port=port)
        elif event.name == "unknown":
            message = _("trap {oid} from {device}").format(oid=event.trap_oid or "?", device=who)
        elif event.if_index is not None:
            message = _("{trap} trap from {device}: ifIndex {index}").format(trap=event.name, device=who,
                                                                             index=event.if_index)
        else:
            message = _("{trap} trap from {device}").format(trap=event.name, device=who)
        if not device:
            message += " " + _("(no device with this address in the inventory)")
        severity = SEVERITY.get(event.name, "info")
        if event.name == "linkDown" and iface and iface.get("medium") == "fiber":
            severity = "critical"
        details = {"trap_oid": event.trap_oid, "name": event.name, "version": event.version,
                   "source": f"{event.source_address}:{event.source_port}", "agent_address": event.agent_address,
                   "if_index": event.if_index, "security_name": event.security_name,
                   "varbinds": [list(v) for v in event.varbinds]}
        return self.store.conn.execute(
            "INSERT INTO events(ts, severity, kind, device_id, interface_id, message, details) "
            "VALUES (?, ?, 'trap', ?, ?, ?, ?)",
            (ts, severity, device["id"] if device else None, iface["id"] if iface else None, message,
             json.dumps(details, ensure_ascii=False))).lastrowid

    def _write_interface(self, iface: dict[str, Any], device_id: int, admin: str | None, oper: str, ts: int,
                         trap: str) -> list[Transition]:
        """No engine: set the interface state here, then re-derive link states from it."""
        from .linkstate import update_link_states

        state, reason = interface_state(admin, oper)
        reason = _("{trap} trap ({reason})").format(trap=trap, reason=reason) if reason else _("{trap} trap").format(
            trap=trap)
        transitions = []
        with self.store.transaction() as conn:
            conn.execute("UPDATE interfaces SET admin_status = COALESCE(?, admin_status), oper_status = ?, "
                         "updated_at = ? WHERE id = ?", (admin, oper, ts, iface["id"]))
            if state != iface["state"]:
                conn.execute("UPDATE interfaces SET state = ?, state_since = ? WHERE id = ?", (state, ts, iface["id"]))
                conn.execute("INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason) "
                             "VALUES ('interface', ?, ?, ?, ?, ?)", (iface["id"], ts, state, iface["state"], reason))
                transitions.append(Transition("interface", iface["id"], ts, state, iface["state"], reason,
                                              device_id=device_id))
        return transitions + update_link_states(self.store, now=ts)
