"""Alert lifecycle in the `alerts` table: open → acknowledged (who, comment) → resolved.

The engine hands each cycle's state transitions to `AlertManager.on_transitions`; root-cause grouping
(nocdesk.rootcause) turns them into one alert per root cause, and nocdesk.notify queues the messages. The
dispatcher calls `tick()` every few seconds: unacknowledged critical alerts are repeated every
notify.renotify_minutes, escalated to the escalation contacts after notify.escalate_after_minutes, and a
flapping target's alert is resolved once it settles. Maintenance windows suppress notifications and mark the
alert (in_maintenance = 1); a flapping target gets one 'flapping' alert and its ups and downs are recorded
silently until it settles. Threshold and config-change alerts (nocdesk.ruleeval) go through open_rule_alert /
close_rule_alert with the same maintenance marking and delivery. Reading, acknowledging and resolving by hand live in nocdesk.alertstore and are
re-exported here (`nocdesk.alerts.acknowledge` is what the UI and the CLI call).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .alertfacts import incident_facts, load_tree, maintenance_for
from .alerthold import down_after_failures, hold_due_messages, hold_limit_s
from .alertstore import Alert, acknowledge, get_alert, list_alerts, resolve
from .errors import ConfigError
from .notify import fanout, messages, queue
from .notify.settings import NotifySettings, load_notify_settings
from .rootcause import Incident, OpenRoot, Tree, analyse
from .states import StateConfig
from .store import Store

log = logging.getLogger(__name__)

__all__ = ["ROOT_RULES", "Alert", "AlertManager", "acknowledge", "get_alert", "list_alerts", "resolve"]

ROOT_RULES = ("device_down", "link_down", "interface_down", "service_down", "monitor_offline")
OPEN_STATUSES = ("open", "acknowledged")


class AlertManager:
    """Turns transitions into alerts and notifications; one per engine, called on the engine's thread."""

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._last_change: dict[tuple[str, int], int] = {}
        self.urgent_interfaces: dict[int, int] = {}  # interface id -> when a trap reported it (never held)

    # -- inputs from the engine -------------------------------------------------------------------------
    def on_transitions(self, transitions: Iterable[Any]) -> list[Incident]:
        """The engine's callback for one cycle's state changes; returns the incidents acted on."""
        transitions = list(transitions)
        if not transitions:
            return []
        now = int(self.clock())
        settings = self._settings()
        for t in transitions:
            self._last_change[(t.target_type, int(t.target_id))] = int(t.ts)
        tree = load_tree(self.store)
        flapping = self._flapping_targets()
        with self.store.transaction():
            for t in transitions:
                key = (t.target_type, int(t.target_id))
                if getattr(t, "flapping", False) and key not in flapping:
                    self._open_flapping(key, getattr(t, "device_id", None), int(t.ts), 0, settings, now)
                    flapping.add(key)
            incidents = analyse(transitions, tree, open_roots=self._open_roots())
            for inc in incidents:
                quiet = inc.key in flapping or ("device", inc.device_id) in flapping
                self._apply(inc, tree, settings, now, silent=quiet)
        return incidents

    def note_trap(self, interface_id: int, ts: int) -> None:
        """A trap reported this port: an alert about its link is sent at once, not held for the devices behind."""
        self.urgent_interfaces[interface_id] = int(ts)

    def on_flap(self, notices: Iterable[Any]) -> None:
        """The state machine's flapping notices (states.FlapNotice): started → one alert; settled → resolve it."""
        now = int(self.clock())
        settings = self._settings()
        with self.store.transaction():
            for n in notices:
                key = (n.target_type, int(n.target_id))
                if n.started and key not in self._flapping_targets():
                    self._open_flapping(key, getattr(n, "device_id", None), int(n.ts), int(n.changes), settings, now)
                elif not n.started:
                    self._settle(key, settings, now)

    def tick(self, now: int | None = None) -> None:
        """Time-driven duties: settle flapping, repeat unacknowledged alerts, escalate."""
        now = int(self.clock()) if now is None else int(now)
        settings = self._settings()
        window_s = StateConfig.from_settings(self.store.settings()).flap_window_s
        with self.store.transaction():
            for key in self._flapping_targets():
                last = self.store.conn.execute("SELECT max(ts) FROM state_changes WHERE target_type = ? AND "
                                               "target_id = ?", key).fetchone()[0] or 0
                if max(last, self._last_change.get(key, 0)) <= now - window_s:
                    self._settle(key, settings, now)
            hold_due_messages(self.store, lambda: load_tree(self.store), now)
            if settings is not None:
                self._renotify(settings, now)
                self._escalate(settings, now)

    # -- helpers ----------------------------------------------------------------------------------------
    def _settings(self) -> NotifySettings | None:
        try:
            return load_notify_settings(self.store)
        except ConfigError as err:
            log.error("notification settings are invalid, alerts are recorded but not sent: %s", err)
            return None

    def _open_roots(self) -> dict[tuple[str, int], OpenRoot]:
        out = {}
        for r in self.store.conn.execute(
                "SELECT target_type, target_id, opened_at, details FROM alerts WHERE status IN ('open', 'acknowledged') "
                f"AND root_alert_id IS NULL AND rule IN ({','.join('?' * len(ROOT_RULES))})", ROOT_RULES):
            affected = tuple(json.loads(r["details"] or "{}").get("affected") or ())
            out[(r["target_type"], r["target_id"])] = OpenRoot(r["opened_at"], affected)
        return out

    def _open_alert(self, key: tuple[str, int], rules: tuple[str, ...] = ROOT_RULES) -> Alert | None:
        row = self.store.conn.execute(
            "SELECT * FROM alerts WHERE target_type = ? AND target_id = ? AND status IN ('open', 'acknowledged') "
            f"AND root_alert_id IS NULL AND rule IN ({','.join('?' * len(rules))}) ORDER BY id DESC LIMIT 1",
            (*key, *rules)).fetchone()
        return Alert.from_row(row) if row else None

    def _flapping_targets(self) -> set[tuple[str, int]]:
        return {(r[0], r[1]) for r in self.store.conn.execute(
            "SELECT target_type, target_id FROM alerts WHERE rule = 'flapping' AND status IN ('open', 'acknowledged')")}

    def _insert(self, *, rule: str, key: tuple[str, int], device_id: int | None, severity: str, message: str,
                facts: Mapping[str, Any], opened_at: int, in_maintenance: bool) -> int:
        return self.store.conn.execute(
            "INSERT INTO alerts(rule, target_type, target_id, device_id, severity, status, message, details, opened_at,"
            " in_maintenance) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
            (rule, key[0], key[1], device_id, severity, message, json.dumps(facts, ensure_ascii=False), opened_at,
             1 if in_maintenance else 0)).lastrowid

    def _tell(self, settings: NotifySettings | None, alert_id: int, kind: str, facts: Mapping[str, Any],
              severity: str, now: int, *, role: str = "primary", wait_s: int = 0,
              duration_s: int | None = None) -> list[int]:
        if settings is None:
            return []
        recipients = fanout.recipients_for(settings, role=role, severity=severity)
        return fanout.notify(self.store, settings, alert_id=alert_id, kind=kind, facts=facts, severity=severity,
                             now=now, recipients=recipients, wait_s=wait_s, duration_s=duration_s)

    # -- incidents -----------------------------------------------------------------------------------------
    def _apply(self, inc: Incident, tree: Tree, settings: NotifySettings | None, now: int, *, silent: bool) -> None:
        if inc.kind == "problem":
            self._problem(inc, tree, settings, now, silent=silent)
        elif inc.kind == "update":
            self._update(inc, tree, settings, now, silent=silent)
        elif inc.kind == "recovery":
            self._recovery(inc, settings, now, silent=silent)

    def _problem(self, inc: Incident, tree: Tree, settings: NotifySettings | None, now: int, *, silent: bool) -> None:
        if self._open_alert(inc.key) is not None:
            return
        facts = incident_facts(self.store, inc)
        window = maintenance_for(self.store, inc, now)
        if window:
            facts["maintenance"] = window
        lang = settings.language if settings else "en"
        alert_id = self._insert(rule=inc.rule, key=inc.key, device_id=inc.device_id, severity=inc.severity,
                                message=messages.problem_line(facts, lang), facts=facts, opened_at=inc.ts,
                                in_maintenance=bool(window))
        if inc.rule != "monitor_offline":
            self._fold(alert_id, inc, tree)
        if window or silent:
            return
        wait = self._wait_s(inc, tree, settings, alert_id, facts, now)
        if self._tell(settings, alert_id, "problem", facts, inc.severity, now, wait_s=wait):
            self.store.conn.execute("UPDATE alerts SET last_notified_at = ? WHERE id = ?", (now, alert_id))

    def _wait_s(self, inc: Incident, tree: Tree, settings: NotifySettings | None, alert_id: int,
                facts: dict[str, Any], now: int) -> int:
        """The group wait before the first message (a parent may fail a moment later), and the longest hold
        while devices behind the root are undecided (kept in details.hold_until, applied by tick())."""
        if settings is None or inc.target_type not in ("device", "link", "interface"):
            return 0
        link = next((lk for lk in tree.links if lk.id == inc.target_id), None) if inc.target_type == "link" else None
        ports = {link.a_interface_id, link.b_interface_id} if link else {inc.target_id} if (
            inc.target_type == "interface") else set()
        if any(now - self.urgent_interfaces.get(i or -1, -10**9) <= 60 for i in ports):
            return 0  # a trap told us: say it now, the devices behind follow as an update
        if inc.target_type == "interface" and inc.device_id is not None:
            settle = self._settling_s(inc.device_id, now)
            if settle:
                return max(settle, settings.group_wait_s)
        limit = hold_limit_s(self.store, tree, inc, settings.group_wait_s)
        # Counted from the first failure: every device behind it failed its first check within one interval
        # of the cut, so N intervals after the root's first failure all verdicts are in.
        if limit > settings.group_wait_s and inc.ts + limit > now + settings.group_wait_s:
            facts["hold_until"] = inc.ts + limit
            self.store.conn.execute("UPDATE alerts SET details = ? WHERE id = ?",
                                    (json.dumps(facts, ensure_ascii=False), alert_id))
        return settings.group_wait_s

    def _settling_s(self, device_id: int, now: int) -> int:
        """A device that came back moments ago first reports the ports that were down while it was cut off; give
        them N polling intervals to come up before telling anyone (a blip is then withdrawn unsent)."""
        row = self.store.conn.execute("SELECT state, state_since, interval_s FROM devices WHERE id = ?",
                                      (device_id,)).fetchone()
        checks = down_after_failures(self.store)
        if row is None or row["state"] != "up" or row["state_since"] is None:
            return 0
        window = checks * int(row["interval_s"] or 60)
        came_back = self.store.conn.execute(
            "SELECT 1 FROM state_changes WHERE target_type = 'device' AND target_id = ? AND ts >= ? "
            "AND previous IN ('down', 'unreachable') LIMIT 1", (device_id, now - window)).fetchone()
        return window if came_back else 0

    def _fold(self, root_id: int, inc: Incident, tree: Tree) -> None:
        """Alerts opened earlier for devices now listed under this root become part of it, and so does a port
        alert at either end of a failed link (the port of a link whose ports the topology does not know yet is
        taken while its alert is still unsent)."""
        affected = set(inc.affected)
        link = next((lk for lk in tree.links if lk.id == inc.target_id), None) if inc.target_type == "link" else None
        ends = {link.a_device_id: link.a_interface_id, link.b_device_id: link.b_interface_id} if link else {}
        for r in self.store.conn.execute(
                "SELECT id, device_id, rule, target_id, EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id "
                "AND d.status = 'sent') AS sent FROM alerts a WHERE status IN ('open', 'acknowledged') "
                "AND root_alert_id IS NULL AND id != ? AND rule IN ('device_down', 'link_down', 'interface_down', "
                "'service_down')", (root_id,)).fetchall():
            port_of_link = r["rule"] == "interface_down" and r["device_id"] in ends and (
                ends[r["device_id"]] == r["target_id"] or (ends[r["device_id"]] is None and not r["sent"]))
            if r["device_id"] in affected or port_of_link:
                self.store.conn.execute("UPDATE alerts SET root_alert_id = ?, status = 'resolved', resolved_at = ? "
                                        "WHERE id = ?", (root_id, inc.ts, r["id"]))
                fanout.withdraw_unsent(self.store, r["id"], reason=f"folded into root alert #{root_id}",
                                       kinds=("problem", "update", "reminder", "escalation"))

    def _update(self, inc: Incident, tree: Tree, settings: NotifySettings | None, now: int, *, silent: bool) -> None:
        alert = self._open_alert(inc.key)
        if alert is None:
            return
        facts = alert.details | {"affected": list(inc.affected), "affected_names": list(inc.affected_names)}
        lang = settings.language if settings else "en"
        self.store.conn.execute("UPDATE alerts SET details = ?, message = ? WHERE id = ?",
                                (json.dumps(facts, ensure_ascii=False), messages.problem_line(facts, lang), alert.id))
        self._fold(alert.id, inc, tree)
        if alert.in_maintenance or silent or settings is None:
            return
        # Messages not sent yet are rewritten, so a recipient gets one up-to-date text instead of two.
        rewritten = set()
        for d in queue.pending_for_alert(self.store, alert.id):
            if d.payload.get("kind") == "problem" and d.attempts == 0:
                msg = messages.render("problem", facts, str(d.payload.get("lang") or lang), alert_id=alert.id)
                queue.replace_payload(self.store, d.id, d.payload | msg.payload(
                    "problem", severity=alert.severity, alert_id=alert.id, facts=facts))
                rewritten.add((d.channel, d.recipient))
        told = set(fanout.told(self.store, alert.id)) - rewritten
        recipients = [r for r in fanout.recipients_for(settings, role="primary", severity=alert.severity)
                      if (r.channel, r.address) in told]
        fanout.notify(self.store, settings, alert_id=alert.id, kind="update", facts=facts, severity=alert.severity,
                      now=now, recipients=recipients)

    def _recovery(self, inc: Incident, settings: NotifySettings | None, now: int, *, silent: bool) -> None:
        alert = self._open_alert(inc.key)
        if alert is None:
            return
        self.store.conn.execute("UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE id = ?",
                                (inc.ts, alert.id))
        fanout.withdraw_unsent(self.store, alert.id, reason="resolved", kinds=("reminder", "escalation"),
                               only_untried=False)
        fanout.withdraw_unsent(self.store, alert.id, reason="recovered before it was sent")
        if alert.in_maintenance or silent or settings is None:
            return
        told = set(fanout.told(self.store, alert.id))
        recipients = [r for r in settings.recipients if (r.channel, r.address) in told and settings.enabled(r.channel)]
        fanout.notify(self.store, settings, alert_id=alert.id, kind="recovery", facts=alert.details,
                      severity=alert.severity, now=now, recipients=recipients, duration_s=inc.duration_s)

    # -- flapping ------------------------------------------------------------------------------------------
    def _title(self, key: tuple[str, int], device_id: int | None) -> str:
        table = {"device": "devices", "link": "links", "interface": "interfaces", "service": "services"}.get(key[0])
        row = self.store.conn.execute(f"SELECT name FROM {table} WHERE id = ?", (key[1],)).fetchone() if table else None
        name = row[0] if row else f"{key[0]} {key[1]}"
        if key[0] in ("interface", "service") and device_id is not None:
            dev = self.store.conn.execute("SELECT name FROM devices WHERE id = ?", (device_id,)).fetchone()
            name = f"{dev[0]} {name}" if dev else name
        return name

    def _open_flapping(self, key: tuple[str, int], device_id: int | None, ts: int, changes: int,
                       settings: NotifySettings | None, now: int) -> None:
        config = StateConfig.from_settings(self.store.settings())
        facts = {"rule": "flapping", "title": self._title(key, device_id), "changes": changes or config.flap_changes,
                 "window_min": config.flap_window_s // 60, "started_at": ts}
        alert_id = self._insert(rule="flapping", key=key, device_id=device_id, severity="critical",
                                message=messages.problem_line(facts, settings.language if settings else "en"),
                                facts=facts, opened_at=ts, in_maintenance=False)
        if self._tell(settings, alert_id, "problem", facts, "critical", now):
            self.store.conn.execute("UPDATE alerts SET last_notified_at = ? WHERE id = ?", (now, alert_id))

    def _settle(self, key: tuple[str, int], settings: NotifySettings | None, now: int) -> None:
        alert = self._open_alert(key, ("flapping",))
        if alert is None:
            return
        table = {"device": "devices", "link": "links", "interface": "interfaces", "service": "services"}.get(key[0])
        row = self.store.conn.execute(f"SELECT state FROM {table} WHERE id = ?", (key[1],)).fetchone() if table else None
        facts = alert.details | {"state": row[0] if row else "?"}
        self.store.conn.execute("UPDATE alerts SET status = 'resolved', resolved_at = ?, details = ? WHERE id = ?",
                                (now, json.dumps(facts, ensure_ascii=False), alert.id))
        if alert.last_notified_at is not None and settings is not None:
            told = set(fanout.told(self.store, alert.id))
            recipients = [r for r in settings.recipients if (r.channel, r.address) in told]
            fanout.notify(self.store, settings, alert_id=alert.id, kind="recovery", facts=facts, severity="critical",
                          now=now, recipients=recipients, duration_s=now - alert.opened_at)

    # -- rule alerts (thresholds, certificates, config changes: nocdesk.ruleeval) --------------------------
    def open_rule_alert(self, *, rule: str, key: tuple[str, int], device_id: int | None, severity: str,
                        facts: Mapping[str, Any], ts: int, now: int | None = None) -> int:
        """Open an alert for a rule of nocdesk.alertrules and queue its message (a maintenance window marks it and
        keeps it quiet); call inside a transaction. Returns the alert id."""
        now = int(self.clock()) if now is None else int(now)
        settings = self._settings()
        probe = Incident("problem", rule, key[0], key[1], ts, device_id=device_id)
        window = maintenance_for(self.store, probe, now)
        facts = dict(facts) | ({"maintenance": window} if window else {})
        alert_id = self._insert(rule=rule, key=key, device_id=device_id, severity=severity,
                                message=messages.problem_line(facts, settings.language if settings else "en"),
                                facts=facts, opened_at=ts, in_maintenance=bool(window))
        if not window and self._tell(settings, alert_id, "problem", facts, severity, now):
            self.store.conn.execute("UPDATE alerts SET last_notified_at = ? WHERE id = ?", (now, alert_id))
        return alert_id

    def close_rule_alert(self, alert: Alert, *, now: int | None = None, facts: Mapping[str, Any] | None = None,
                         silent: bool = False) -> None:
        """Resolve a rule alert whose condition is over; whoever was told gets the recovery (unless silent)."""
        now = int(self.clock()) if now is None else int(now)
        details = alert.details | dict(facts or {})
        self.store.conn.execute("UPDATE alerts SET status = 'resolved', resolved_at = ?, details = ? WHERE id = ?",
                                (now, json.dumps(details, ensure_ascii=False), alert.id))
        fanout.withdraw_unsent(self.store, alert.id, reason="resolved", kinds=("reminder", "escalation"),
                               only_untried=False)
        fanout.withdraw_unsent(self.store, alert.id, reason="recovered before it was sent")
        settings = self._settings()
        if alert.in_maintenance or silent or settings is None:
            return
        told = set(fanout.told(self.store, alert.id))
        recipients = [r for r in settings.recipients if (r.channel, r.address) in told and settings.enabled(r.channel)]
        fanout.notify(self.store, settings, alert_id=alert.id, kind="recovery", facts=details,
                      severity=alert.severity, now=now, recipients=recipients, duration_s=now - alert.opened_at)

    # -- reminders and escalation ------------------------------------------------------------------------
    def _due_unacked(self, column: str, cutoff: int) -> list[Alert]:
        return [Alert.from_row(r) for r in self.store.conn.execute(
            "SELECT * FROM alerts WHERE status = 'open' AND severity = 'critical' AND in_maintenance = 0 "
            # Reminders about the station's own outage would only pile up behind it: it says when it is back. A
            # config change is a notice: told once.
            f"AND root_alert_id IS NULL AND rule NOT IN ('flapping', 'monitor_offline', 'config_changed') "
            "AND last_notified_at IS NOT NULL "
            f"AND {column} <= ?",
            (cutoff,))]

    def _renotify(self, settings: NotifySettings, now: int) -> None:
        if settings.renotify_s <= 0:
            return
        for alert in self._due_unacked("last_notified_at", now - settings.renotify_s):
            if self._now_in_maintenance(alert, now):
                continue
            self._tell(settings, alert.id, "reminder", alert.details, alert.severity, now,
                       duration_s=now - alert.opened_at)
            self.store.conn.execute("UPDATE alerts SET last_notified_at = ? WHERE id = ?", (now, alert.id))

    def _escalate(self, settings: NotifySettings, now: int) -> None:
        if settings.escalate_s <= 0 or not settings.for_role("escalation"):
            return
        for alert in self._due_unacked("opened_at", now - settings.escalate_s):
            if alert.escalated_at is not None or self._now_in_maintenance(alert, now):
                continue
            self._tell(settings, alert.id, "escalation", alert.details, alert.severity, now, role="escalation",
                       duration_s=now - alert.opened_at)
            self.store.conn.execute("UPDATE alerts SET escalated_at = ? WHERE id = ?", (now, alert.id))

    def _now_in_maintenance(self, alert: Alert, now: int) -> bool:
        probe = Incident("problem", alert.rule, alert.target_type, alert.target_id, now, device_id=alert.device_id)
        return maintenance_for(self.store, probe, now) is not None
