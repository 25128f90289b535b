"""Engine start-up bookkeeping: which targets the state machine tracks, and the engine_runs row.

When an engine starts, the time since the previous run's last heartbeat was watched by nobody: every target
gets an 'unknown' state change at that heartbeat, and the next check decides its new state.
"""

from __future__ import annotations

import logging
import os
import socket

from . import __version__
from .engineconfig import EngineConfig, InterfaceConf
from .polling import record_transitions
from .samples import Batch, Ingest
from .states import UNKNOWN, StateMachine
from .store import Store

log = logging.getLogger("nocdesk.engine")


def track_targets(machine: StateMachine, store: Store, config: EngineConfig,
                  previous: EngineConfig | None = None) -> None:
    """Track every enabled device, its services and monitored interfaces (state as last stored).

    Interfaces (thousands of them) are gone through again only when they changed since `previous`; when only
    devices were added or enabled, just those devices' interfaces are read.
    """
    conn = store.conn
    states = {("device", r[0]): (r[1], r[2]) for r in conn.execute("SELECT id, state, state_since FROM devices")}
    states |= {("service", r[0]): (r[1], r[2]) for r in conn.execute("SELECT id, state, state_since FROM services")}
    for d in config.devices:
        parent = config.parent_of(d)
        state, since = states.get(("device", d), (UNKNOWN, None))
        machine.track(("device", d), state=state, since=since, parent=("device", parent) if parent else None,
                      label=config.devices[d].name)
    for s, svc in config.services.items():
        state, since = states.get(("service", s), (UNKNOWN, None))
        machine.track(("service", s), state=state, since=since, parent=("device", svc.device_id),
                      device_id=svc.device_id, label=svc.name)
    query = "SELECT id, device_id, state, state_since FROM interfaces WHERE monitored = 1"
    if previous is not None and previous.interfaces is config.interfaces:
        added = sorted(config.devices.keys() - previous.devices.keys())
        if not added:
            return
        # Same interfaces, a few more devices (just added or enabled): only theirs need tracking.
        query += f" AND device_id IN ({', '.join(str(int(d)) for d in added)})"
    for r in conn.execute(query):
        if r[1] in config.devices:
            machine.track(("interface", r[0]), state=r[2], since=r[3], device_id=r[1])


def open_run(store: Store, machine: StateMachine, config: EngineConfig, ingest: Ingest,
             if_by_id: dict[int, InterfaceConf], *, now: int) -> int:
    """Close the previous run, mark the time nobody watched as unknown, insert our engine_runs row (its id)."""
    conn = store.conn
    last = conn.execute("SELECT * FROM engine_runs ORDER BY id DESC LIMIT 1").fetchone()
    if last is not None:
        gap_start = int(last["last_beat_at"])
        batch = Batch()
        transitions = machine.mark_unknown(gap_start, "engine not running")
        record_transitions(batch, transitions, config, if_by_id)
        ingest.flush(batch)
        log.info("previous engine run ended at %s: %d targets unknown since then", gap_start, len(transitions))
    with store.transaction():
        if last is not None and last["stopped_at"] is None:
            conn.execute("UPDATE engine_runs SET stopped_at = last_beat_at WHERE id = ?", (last["id"],))
        return conn.execute(
            "INSERT INTO engine_runs(started_at, last_beat_at, pid, host, version) VALUES (?, ?, ?, ?, ?)",
            (now, now, os.getpid(), socket.gethostname(), __version__)).lastrowid
