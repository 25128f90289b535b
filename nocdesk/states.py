"""The state machine: judged check outcomes in, state transitions out. Pure (no I/O, no clock).

Rules (ARCHITECTURE.md, "Availability semantics"):
- down after N consecutive failed checks (setting down_after_failures, default 2), back-dated to the first failure;
- degraded when the target answers but badly (loss/RTT over threshold, SNMP failing) for N checks in a row;
- unreachable instead of down when the parent (recursively) is down/unreachable: outcomes are applied parents
  first, and a child whose parent still has unconfirmed failures waits for the parent's verdict;
- maintenance while a window covers the target; unknown for time the engine did not watch;
- flapping: `flap_changes` transitions within `flap_window_s` give one notice until it settles.
Keys are (target_type, target_id) tuples: ("device", 3), ("service", 7), ("interface", 12).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .i18n import _, ngettext

UP, DOWN, UNREACHABLE, DEGRADED, UNKNOWN, MAINTENANCE = "up", "down", "unreachable", "degraded", "unknown", "maintenance"
STATES = (UP, DOWN, UNREACHABLE, DEGRADED, UNKNOWN, MAINTENANCE)
OK, BAD, FAILED = "ok", "degraded", "failed"   # judged outcome of one check
FLAP_STATES = (UP, DOWN, UNREACHABLE, DEGRADED)

Key = tuple[str, int]


@dataclass(frozen=True)
class StateConfig:
    """Thresholds of the state machine; settings of the same name override the defaults."""

    down_after_failures: int = 2
    degraded_loss_pct: float = 20.0
    degraded_rtt_ms: float = 500.0
    flap_changes: int = 4
    flap_window_s: int = 600

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> StateConfig:
        """Build from the settings table ("polling.<field>" keys; missing or malformed values keep the default)."""
        values: dict[str, Any] = {}
        for name, default in cls().__dict__.items():
            raw = settings.get(f"polling.{name}")
            try:
                values[name] = type(default)(raw) if raw is not None else default
            except (TypeError, ValueError):
                values[name] = default
        values["down_after_failures"] = max(1, values["down_after_failures"])
        return cls(**values)


@dataclass(frozen=True)
class Outcome:
    """One check of a target, already judged: status is ok, degraded or failed."""

    key: Key
    ts: int
    status: str
    reason: str = ""
    maintenance: str | None = None   # name of the maintenance window covering the target, if any


@dataclass(frozen=True)
class Transition:
    """A state change of a target; cause_* name the failed upstream target for unreachable."""

    target_type: str
    target_id: int
    ts: int
    state: str
    previous: str
    reason: str = ""
    cause_type: str | None = None
    cause_id: int | None = None
    device_id: int | None = None
    flapping: bool = False


@dataclass(frozen=True)
class FlapNotice:
    """A target started flapping (started=True) or settled again."""

    target_type: str
    target_id: int
    ts: int
    started: bool
    changes: int
    device_id: int | None = None


@dataclass
class Tracker:
    """What the machine remembers about one target between checks."""

    state: str = UNKNOWN
    since: int | None = None
    parent: Key | None = None
    device_id: int | None = None
    failures: int = 0
    first_failure_ts: int | None = None
    first_failure_reason: str = ""
    bad: int = 0
    first_bad_ts: int | None = None
    last_check_ts: int | None = None
    last_reason: str = ""
    awaiting_parent: bool = False
    cause: Key | None = None
    label: str = ""
    changes: deque[int] = field(default_factory=deque)
    flapping: bool = False


def judge_device(*, ping_ok: bool | None, ping_reason: str = "", loss_pct: float | None = None,
                 rtt_ms: float | None = None, snmp_configured: bool = False, snmp_ok: bool | None = None,
                 snmp_reason: str = "", config: StateConfig = StateConfig()) -> tuple[str, str]:
    """Turn one device check (ICMP and, when it ran, SNMP) into (status, reason)."""
    if not ping_ok:
        if snmp_ok:
            return OK, _("no ICMP reply, but SNMP answers")
        return FAILED, ping_reason or _("no reply")
    if loss_pct is not None and loss_pct > config.degraded_loss_pct:
        return BAD, _("packet loss {loss:.0f}% (threshold {limit:.0f}%)").format(loss=loss_pct,
                                                                              limit=config.degraded_loss_pct)
    if rtt_ms is not None and rtt_ms > config.degraded_rtt_ms:
        return BAD, _("RTT {rtt:.0f} ms (threshold {limit:.0f} ms)").format(rtt=rtt_ms, limit=config.degraded_rtt_ms)
    if snmp_configured and snmp_ok is False:
        return BAD, _("answers ping but not SNMP: {reason}").format(reason=snmp_reason or _("no response"))
    return OK, ""


def interface_state(admin_status: str | None, oper_status: str | None) -> tuple[str, str]:
    """(state, reason) of an interface from IF-MIB admin/oper status names."""
    admin, oper = (admin_status or "").lower(), (oper_status or "").lower()
    if admin and admin != "up":
        return UNKNOWN, _("administratively down")
    if oper in ("up", "dormant"):
        return UP, ""
    if oper == "testing":
        return DEGRADED, _("in test mode")
    if not oper:
        return UNKNOWN, _("no status")
    return DOWN, _("oper status {oper} while admin status is up").format(oper=oper)


class StateMachine:
    """All tracked targets; feed it outcomes with apply(), get transitions back."""

    def __init__(self, config: StateConfig | None = None) -> None:
        self.config = config or StateConfig()
        self.trackers: dict[Key, Tracker] = {}
        self._notices: list[FlapNotice] = []
        self._flapping: set[Key] = set()
        self._waiting: set[Key] = set()  # may hold keys no longer waiting; _resolve_waiting prunes it

    # -- bookkeeping -------------------------------------------------------------------------------------
    def track(self, key: Key, *, state: str = UNKNOWN, since: int | None = None, parent: Key | None = None,
              device_id: int | None = None, label: str = "") -> Tracker:
        """Start tracking a target (or update its parent of an already tracked one)."""
        tracker = self.trackers.get(key)
        if tracker is None:
            tracker = self.trackers[key] = Tracker(state=state if state in STATES else UNKNOWN, since=since)
        tracker.parent = parent
        tracker.device_id = device_id
        tracker.label = label or tracker.label
        return tracker

    def label(self, key: Key) -> str:
        """The name a target was tracked with, else 'device 3'."""
        tracker = self.trackers.get(key)
        return (tracker.label if tracker and tracker.label else "") or f"{key[0]} {key[1]}"

    def forget(self, key: Key) -> None:
        self.trackers.pop(key, None)
        self._flapping.discard(key)

    def state(self, key: Key) -> str:
        tracker = self.trackers.get(key)
        return tracker.state if tracker else UNKNOWN

    def depth(self, key: Key) -> int:
        """Number of tracked ancestors (cycles in hand-edited parents are cut)."""
        seen = {key}
        depth, parent = 0, self._parent(key)
        while parent is not None and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = self._parent(parent)
        return depth

    def _parent(self, key: Key) -> Key | None:
        tracker = self.trackers.get(key)
        parent = tracker.parent if tracker else None
        if parent not in self.trackers or parent == key:
            return None
        # A loop in hand-edited parents would make both ends wait for each other: ignore such a parent.
        seen, up = {key}, parent
        while up is not None and len(seen) <= len(self.trackers):
            if up in seen:
                return None
            seen.add(up)
            t = self.trackers.get(up)
            up = t.parent if t and t.parent in self.trackers else None
        return parent

    def ancestors(self, key: Key) -> list[Key]:
        """Tracked ancestors, nearest first."""
        out, parent = [], self._parent(key)
        while parent is not None and parent not in out and parent != key:
            out.append(parent)
            parent = self._parent(parent)
        return out

    def stale_ancestors(self, key: Key, ts: int) -> list[Key]:
        """Ancestors not checked at or after `ts`, root first: check them before judging a failing child."""
        return [a for a in reversed(self.ancestors(key))
                if (self.trackers[a].last_check_ts or -1) < ts and self.trackers[a].state != MAINTENANCE]

    def failing(self, key: Key) -> bool:
        tracker = self.trackers.get(key)
        return bool(tracker and tracker.failures)

    # -- decisions --------------------------------------------------------------------------------------
    def apply(self, outcomes: Iterable[Outcome]) -> list[Transition]:
        """Apply a batch of outcomes, parents before children; returns the transitions in order."""
        result: list[Transition] = []
        ordered = sorted((o for o in outcomes if o.key in self.trackers), key=lambda o: (self.depth(o.key), o.ts))
        latest = 0
        for outcome in ordered:
            self._apply_one(outcome, result)
            latest = max(latest, outcome.ts)
        self._resolve_waiting(result)
        if latest:
            self._settle(latest)
        return result

    def take_notices(self) -> list[FlapNotice]:
        """Flapping notices produced since the last call."""
        notices, self._notices = self._notices, []
        return notices

    def apply_interface(self, key: Key, *, admin_status: str | None, oper_status: str | None, ts: int) -> list[Transition]:
        """Set an interface's state from its status (interfaces change at once; oper status is authoritative)."""
        tracker = self.trackers.get(key) or self.track(key)
        tracker.last_check_ts = ts
        state, reason = interface_state(admin_status, oper_status)
        result: list[Transition] = []
        if state != tracker.state:
            self._transition(key, tracker, state, ts, reason, result)
        self._settle(ts)
        return result

    def mark_unknown(self, ts: int, reason: str, keys: Iterable[Key] | None = None) -> list[Transition]:
        """Everything (or `keys`) becomes unknown at `ts`, e.g. the last heartbeat before the engine stopped."""
        result: list[Transition] = []
        for key in list(keys if keys is not None else self.trackers):
            tracker = self.trackers.get(key)
            if tracker is None:
                continue
            tracker.failures = tracker.bad = 0
            tracker.first_failure_ts = tracker.first_bad_ts = None
            tracker.awaiting_parent = False
            if tracker.state != UNKNOWN:
                self._transition(key, tracker, UNKNOWN, ts, reason, result, count_flap=False)
        return result

    def _apply_one(self, o: Outcome, result: list[Transition]) -> None:
        k = self.trackers[o.key]
        n = self.config.down_after_failures
        k.last_check_ts = o.ts
        k.last_reason = o.reason
        if o.status == FAILED:
            k.bad, k.first_bad_ts = 0, None
            k.failures += 1
            if k.failures == 1:
                k.first_failure_ts, k.first_failure_reason = o.ts, o.reason
        if o.maintenance:
            if k.state != MAINTENANCE:
                self._transition(o.key, k, MAINTENANCE, o.ts, _("maintenance window '{name}'").format(name=o.maintenance), result,
                                 count_flap=False)
            k.awaiting_parent = False
            return
        leaving = k.state == MAINTENANCE
        if leaving and k.first_failure_ts is not None:
            k.first_failure_ts = max(k.first_failure_ts, o.ts)  # never back-date into the window
        if o.status == OK:
            k.failures, k.first_failure_ts, k.bad, k.first_bad_ts, k.awaiting_parent = 0, None, 0, None, False
            if k.state != UP:
                self._transition(o.key, k, UP, o.ts, o.reason or _("answers"), result)
        elif o.status == BAD:
            k.failures, k.first_failure_ts, k.awaiting_parent = 0, None, False
            k.bad += 1
            if k.bad == 1:
                k.first_bad_ts = o.ts
            if k.state == UP and k.bad >= n:
                first = o.ts if k.first_bad_ts is None else k.first_bad_ts
                self._transition(o.key, k, DEGRADED, max(first, k.since or 0), o.reason, result)
            elif k.state not in (UP, DEGRADED):
                self._transition(o.key, k, DEGRADED, o.ts, o.reason, result)
        elif k.state == UNREACHABLE:
            verdict = self._parent_verdict(o.key)
            if verdict == UP:
                self._transition(o.key, k, DOWN, o.ts, _("still not answering after the path recovered ({reason})").format(reason=o.reason),
                                 result)
        elif k.state != DOWN:
            if k.failures >= n:
                self._decide_failure(o.key, result)
            elif leaving:
                self._transition(o.key, k, UNKNOWN, o.ts, _("maintenance ended; confirming failure"), result,
                                 count_flap=False)

    def _parent_verdict(self, key: Key) -> str:
        """DOWN when the parent path is broken, UP when it answers, UNKNOWN while the parent is unconfirmed."""
        parent = self._parent(key)
        if parent is None:
            return UP
        p = self.trackers[parent]
        if p.state in (DOWN, UNREACHABLE) or (p.state == MAINTENANCE and p.failures >= self.config.down_after_failures):
            return DOWN
        if p.failures > 0 or p.awaiting_parent:
            return UNKNOWN
        return UP

    def _root_cause(self, key: Key) -> Key:
        parent = self._parent(key)
        assert parent is not None
        p = self.trackers[parent]
        return p.cause if p.state == UNREACHABLE and p.cause else parent

    def _decide_failure(self, key: Key, result: list[Transition]) -> bool:
        k = self.trackers[key]
        verdict = self._parent_verdict(key)
        if verdict == UNKNOWN:
            k.awaiting_parent = True
            self._waiting.add(key)
            return False
        k.awaiting_parent = False
        ts = max(k.first_failure_ts or 0, k.since or 0)
        checks = ngettext("{n} check", "{n} checks", k.failures).format(n=k.failures)
        if verdict == DOWN:
            cause = self._root_cause(key)
            self._transition(key, k, UNREACHABLE, ts, _("behind {cause}, which is down (no answer to {checks}: "
                                                        "{reason})").format(cause=self.label(cause), checks=checks,
                                                                           reason=k.first_failure_reason),
                             result, cause=cause)
        else:
            self._transition(key, k, DOWN, ts, _("no answer to {checks} ({reason})").format(
                checks=checks, reason=k.first_failure_reason), result)
        return True

    def _resolve_waiting(self, result: list[Transition]) -> None:
        progress = True
        while progress:
            progress = False
            # Only targets that were ever told to wait (a superset, pruned here): not all 13,000 trackers.
            self._waiting = {key for key in self._waiting if key in self.trackers and self.trackers[key].awaiting_parent}
            waiting = sorted(self._waiting, key=lambda key: (self.depth(key), key))
            for key in waiting:
                if self._decide_failure(key, result):
                    progress = True

    def _transition(self, key: Key, k: Tracker, state: str, ts: int, reason: str, result: list[Transition], *,
                    cause: Key | None = None, count_flap: bool = True) -> None:
        previous = k.state
        k.state, k.since = state, ts
        k.cause = cause
        if count_flap and state in FLAP_STATES and previous in FLAP_STATES:
            k.changes.append(ts)
            while k.changes and k.changes[0] <= ts - self.config.flap_window_s:
                k.changes.popleft()
            if not k.flapping and len(k.changes) >= self.config.flap_changes:
                k.flapping = True
                self._flapping.add(key)
                self._notices.append(FlapNotice(key[0], key[1], ts, True, len(k.changes), k.device_id))
        result.append(Transition(key[0], key[1], ts, state, previous, reason,
                                 cause[0] if cause else None, cause[1] if cause else None,
                                 k.device_id if key[0] != "device" else key[1], k.flapping))

    def _settle(self, now: int) -> None:
        for key in list(self._flapping):
            k = self.trackers[key]
            if not k.changes or k.changes[-1] <= now - self.config.flap_window_s:
                k.flapping = False
                k.changes.clear()
                self._flapping.discard(key)
                self._notices.append(FlapNotice(key[0], key[1], now, False, 0, k.device_id))
