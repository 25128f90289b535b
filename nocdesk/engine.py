"""The polling engine: one asyncio loop per database that schedules checks, decides states and writes batches.

    engine = Engine(db_path); await engine.run()        # until request_stop()
    thread = EngineThread(db_path); thread.start(); …; thread.stop(timeout=10)   # for the desktop app

Start-up takes the lock file next to the DB, marks the time since the previous run's last heartbeat as
'unknown' for every target, and records an engine_runs row whose heartbeat is refreshed with every batch.
Config changes by other connections (PRAGMA data_version) are picked up without a restart; the `commands`
table carries 'poll_now' requests from the UI. Hooks in `on_transitions` get each committed batch's
transitions (the alerting layer plugs in there).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from . import rollups
from .collectors.profiles import load_profiles
from .engineconfig import EngineConfig, load_config
from .enginelock import EngineLock
from .enginestart import open_run, track_targets
from .polling import ICMP, SERVICE, SNMP, Poller
from .samples import Batch, Ingest
from .scheduler import Due, Scheduler
from .states import StateMachine, Transition
from .store import Store, open_store

log = logging.getLogger("nocdesk.engine")
# A batch is written early when it reaches this size: one commit then blocks the loop ~20 ms (bench_store.py).
MAX_BATCH_SAMPLES = 2000

TransitionHook = Callable[[list[Transition]], None]
CommandHandler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
AfterFlush = Callable[[Store, int], "list[Transition] | None"]
Background = Callable[[asyncio.Event], Awaitable[None]]


def _link_states(store: Store, now: int) -> list[Transition]:
    from .linkstate import update_link_states

    return update_link_states(store, now=now)


class Engine:
    """The engine of one database; see the module docstring."""

    def __init__(self, db_path: Path | str, *, once: bool = False, clock: Callable[[], float] = time.time,
                 flush_interval_s: float = 1.0, heartbeat_s: float = 5.0, config_check_s: float = 2.0,
                 tick_s: float = 0.2, rollup_every_s: float = 60.0, retention_every_s: float = 3600.0) -> None:
        self.db_path = Path(db_path)
        self.once, self.clock = once, clock
        self.flush_interval_s, self.heartbeat_s, self.config_check_s = flush_interval_s, heartbeat_s, config_check_s
        self.tick_s, self.rollup_every_s, self.retention_every_s = tick_s, rollup_every_s, retention_every_s
        self.on_transitions: list[TransitionHook] = []      # called with each committed batch's transitions
        self.after_flush: list[AfterFlush] = [_link_states]  # derive more state (links) after a batch landed
        self.background: list[Background] = []              # long-running tasks (e.g. notify dispatcher)
        self.command_handlers: dict[str, CommandHandler] = {}
        self.ready = threading.Event()
        self.run_id: int | None = None
        self.cycles = 0
        self.last_cycle_s: float | None = None
        self.lag_s: float | None = None
        self.start_lags_s: list[float] = []       # how late each cycle started after its earliest deadline
        self.commit_s: list[float] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._wake: asyncio.Event | None = None
        self._running_keys: set[Any] = set()
        self._tasks: set[asyncio.Task] = set()
        self._cycles: set[asyncio.Task] = set()
        self._housekeeping: asyncio.Task | None = None
        self._config_dirty = self._commands_waiting = False
        self._rerun: set[Any] = set()
        self._config_at = self._rollup_at = self._prune_at = 0.0
        self.batch = Batch()

    # -- control ---------------------------------------------------------------------------------------------
    def request_stop(self) -> None:
        """Ask the engine to finish (safe from any thread and from signal handlers)."""
        self._stopping = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._poke)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def run(self) -> None:
        """Run until request_stop() (or, with once=True, until every target was checked once)."""
        lock = EngineLock(self.db_path)
        lock.acquire()
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        try:
            store = open_store(self.db_path)
            try:
                await self._run(store)
            finally:
                store.close()
        finally:
            lock.release()
            self._loop = None

    # -- start-up --------------------------------------------------------------------------------------------
    async def _run(self, store: Store) -> None:
        self.store = store
        self.profiles = load_profiles()
        self.config = load_config(store)
        self.machine = StateMachine(self.config.states)
        self.scheduler = Scheduler()
        self.ingest = Ingest(store)
        self.poller = Poller(store, self.config, scheduler=self.scheduler, machine=self.machine,
                             profiles=self.profiles, batch=lambda: self.batch, clock=self.clock,
                             snmp_concurrency=int(self.config.setting("polling.snmp_concurrency", 64)),
                             service_concurrency=int(self.config.setting("polling.service_concurrency", 32)))
        self._data_version = store.data_version()
        track_targets(self.machine, store, self.config)
        self.run_id = open_run(store, self.machine, self.config, self.ingest, self.poller.if_by_id,
                               now=int(self.clock()))
        self._last_beat = time.monotonic()
        now = self.clock()
        self._sync_jobs(None, self.config, now)
        self._background_stop = asyncio.Event()
        for factory in self.background:
            self._spawn(factory(self._background_stop))
        self.ready.set()
        log.info("engine started on %s (pid %d): %d devices, %d services", self.db_path, os.getpid(),
                 len(self.config.devices), len(self.config.services))
        try:
            await self._main_loop()
        finally:
            await self._shutdown()

    # -- jobs and config ----------------------------------------------------------------------------------------
    def _sync_jobs(self, old: EngineConfig | None, new: EngineConfig, now: float) -> None:
        """Add, drop or reschedule jobs so they match `new` (old=None: first schedule)."""
        sched, first = self.scheduler, self.once and old is None
        wanted: dict[tuple[str, int], tuple[int, tuple[str, int]]] = {}
        for d, dev in new.devices.items():
            wanted[(ICMP, d)] = (dev.interval_s, ("device", d))
            if dev.snmp_credential:
                wanted[(SNMP, d)] = (dev.interval_s, ("device", d))
        for s, svc in new.services.items():
            wanted[(SERVICE, s)] = (svc.interval_s, ("service", s))
        for key in [k for k in sched.jobs if k not in wanted]:
            sched.remove(key)
        for key, (interval_s, phase_key) in wanted.items():
            if key not in sched:
                sched.add(key, interval_s, now=now, phase_key=phase_key, immediately=first)
            else:
                sched.set_interval(key, interval_s, now=now, phase_key=phase_key)
        if old is None:
            return
        gone = [d for d in old.devices if d not in new.devices]
        for d in gone:
            self.poller.forget_device(d)
            self.machine.forget(("device", d))
            if d not in new.all_parents:  # removed, not just disabled: its ids may be reused
                self.ingest.forget_device(d)
        for s in [s for s in old.services if s not in new.services]:
            self.machine.forget(("service", s))
        track_targets(self.machine, self.store, new, old)
        if new.credentials != old.credentials:
            self.poller.credentials.clear()

    def _check_store(self, now: float) -> None:
        """React to writes by other connections: config at most every config_check_s, commands at once."""
        version = self.store.data_version()
        changed = version != self._data_version
        if changed:
            self._data_version = version
            self._config_dirty = True
        if self._config_dirty and now - self._config_at >= self.config_check_s:
            self._config_dirty, self._config_at = False, now
            old, new = self.config, load_config(self.store, previous=self.config)
            self.config = new
            self.machine.config = new.states
            self.poller.set_config(new)
            self._sync_jobs(old, new, now)
            log.info("configuration reloaded: %d devices, %d services", len(new.devices), len(new.services))
        if changed or (self._commands_waiting and not self._config_dirty):
            self._commands_waiting = False
            self._take_commands(now)  # after a reload, so a device added with its command is known

    def _take_commands(self, now: float) -> None:
        verbs = ["poll_now", *self.command_handlers]
        marks = ", ".join("?" for _ in verbs)
        rows = self.store.conn.execute(f"SELECT id, verb, args FROM commands WHERE status = 'pending' AND verb IN "
                                       f"({marks}) ORDER BY id", verbs).fetchall()
        accepted: list[tuple[int, str, dict[str, Any]]] = []
        for command_id, verb, raw in rows:
            try:
                args = json.loads(raw or "{}")
                if "device_id" in args:
                    args["device_id"] = int(args["device_id"])
            except (ValueError, TypeError):
                args = {}
            if verb == "poll_now" and args.get("device_id") not in self.config.devices and self._config_dirty:
                self._commands_waiting = True  # perhaps a device added a moment ago: retry after the reload
                continue
            accepted.append((command_id, verb, args))
        if not accepted:
            return
        with self.store.transaction() as conn:
            conn.executemany("UPDATE commands SET status = 'running' WHERE id = ?", [(c[0],) for c in accepted])
        for command_id, verb, args in accepted:
            if verb != "poll_now":
                self._spawn(self._run_command(command_id, self.command_handlers[verb], args))
                continue
            device_id = args.get("device_id")
            if device_id not in self.config.devices:
                self.batch.finish_command(command_id, "failed", {"error": f"no enabled device {device_id}"})
                continue
            self.poller.waiting_commands.setdefault(device_id, []).append(command_id)
            for key in [(ICMP, device_id), (SNMP, device_id)] + [
                    (SERVICE, s) for s, svc in self.config.services.items() if svc.device_id == device_id]:
                self._run_now(key, now)

    def _run_now(self, key: Any, now: float) -> None:
        if key in self._running_keys:
            self._rerun.add(key)  # it runs now; run it once more when this run ends
        else:
            self.scheduler.run_now(key, now=now)

    async def _run_command(self, command_id: int, handler: CommandHandler, args: dict[str, Any]) -> None:
        try:
            result = await handler(args)
            self.batch.finish_command(command_id, "done", result)
        except Exception as err:
            log.exception("command %s failed", command_id)
            self.batch.finish_command(command_id, "failed", {"error": str(err)})

    # -- the loop --------------------------------------------------------------------------------------------
    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _main_loop(self) -> None:
        assert self._wake is not None
        spawned = False
        while not self._stopping:
            now = self.clock()
            try:
                self._check_store(now)
            except sqlite3.Error as err:  # e.g. busy beyond the timeout: try again on the next turn
                log.warning("could not read configuration or commands: %s", err)
            dues = [d for d in self.scheduler.due(now) if d.key not in self._running_keys]
            if dues:
                cycle = self._spawn(self._cycle(dues, now))
                self._cycles.add(cycle)
                cycle.add_done_callback(self._cycles.discard)
                spawned = True
            self._maybe_flush()
            if not self.once:
                self._maybe_housekeeping(now)
            elif (spawned and not self._cycles) or not self.scheduler.jobs:
                break
            deadline = self.scheduler.next_deadline()
            wait_s = 1.0 if deadline is None else min(1.0, max(self.tick_s, deadline - self.clock()))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait_s)
            self._wake.clear()

    async def _cycle(self, dues: list[Due], started: float) -> None:
        keys = {d.key for d in dues}
        self._running_keys |= keys
        lag = max(0.0, started - min(d.due_ts for d in dues))
        t0 = time.monotonic()
        try:
            await self.poller.run_cycle(dues)
        except Exception:
            log.exception("a polling cycle failed")
        finally:
            self._running_keys -= keys
            for key in keys & self._rerun:
                self.scheduler.run_now(key, now=self.clock())
            self._rerun -= keys
        self.cycles += 1
        self.last_cycle_s, self.lag_s = time.monotonic() - t0, lag
        self.start_lags_s.extend(max(0.0, started - d.due_ts) for d in dues)
        del self.start_lags_s[:-100_000]
        if self._wake is not None:
            self._wake.set()

    def _maybe_flush(self, *, force: bool = False, final: bool = False) -> None:
        due = (time.monotonic() - self.batch.started_at >= self.flush_interval_s and len(self.batch)) \
            or len(self.batch.samples) >= MAX_BATCH_SAMPLES or time.monotonic() - self._last_beat >= self.heartbeat_s
        if not (due or force):
            return
        batch, self.batch = self.batch, Batch()
        now = int(self.clock())
        heartbeat: dict[str, Any] = {"last_beat_at": now, "last_cycle_s": self.last_cycle_s, "lag_s": self.lag_s}
        if final:
            heartbeat["stopped_at"] = now
        try:
            stats = self.ingest.flush(batch, heartbeat=heartbeat, run_id=self.run_id)
        except sqlite3.OperationalError as err:  # busy beyond the timeout: keep the rows for the next try
            log.warning("could not write a batch (%s); retrying", err)
            batch.merge(self.batch)
            self.batch = batch
            return
        self._last_beat = time.monotonic()
        self.commit_s.append(stats.commit_s)
        del self.commit_s[:-10_000]
        transitions = list(batch.transitions)
        if batch.transitions or batch.interfaces or batch.samples:
            for derive in list(self.after_flush):
                try:
                    transitions += derive(self.store, now) or []
                except Exception:
                    log.exception("an after_flush step failed")
        if transitions:
            for hook in list(self.on_transitions):
                try:
                    hook(list(transitions))
                except Exception:
                    log.exception("an on_transitions hook failed")

    def _maybe_housekeeping(self, now: float) -> None:
        if self._housekeeping is not None and not self._housekeeping.done():
            return
        if now - self._rollup_at >= self.rollup_every_s:
            self._rollup_at = now
            prune = now - self._prune_at >= self.retention_every_s
            if prune:
                self._prune_at = now
            self._housekeeping = self._spawn(rollups.maintain(self.store, int(now), prune=prune))

    async def _shutdown(self) -> None:
        """Let running cycles finish briefly, then write the open batch and the stop time."""
        if hasattr(self, "_background_stop"):
            self._background_stop.set()
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            _done, still = await asyncio.wait(pending, timeout=5.0)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=1.0)
        self._maybe_flush(force=True, final=True)
        log.info("engine stopped after %d cycles", self.cycles)


class EngineThread:
    """The engine in a daemon thread with its own asyncio loop, for the desktop app (no Qt here)."""

    def __init__(self, db_path: Path | str, *, setup: Callable[[Engine], None] | None = None,
                 **engine_options: Any) -> None:
        self.db_path = Path(db_path)
        self.setup = setup  # e.g. enginesetup.attach_all: alerting and side jobs
        self.engine_options = engine_options
        self.engine: Engine | None = None
        self.last_error: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *, wait_s: float = 15.0) -> None:
        """Start the engine; raises its start-up error (e.g. EngineLockedError) if it fails within wait_s."""
        if self.is_running:
            return
        self.last_error = None
        self.engine = Engine(self.db_path, **self.engine_options)
        if self.setup is not None:
            self.setup(self.engine)
        self._thread = threading.Thread(target=self._main, name="nocdesk-engine", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and not self.engine.ready.is_set() and self._thread.is_alive():
            self.engine.ready.wait(0.05)
        if self.last_error is not None:
            raise self.last_error

    def _main(self) -> None:
        assert self.engine is not None
        try:
            asyncio.run(self.engine.run())
        except BaseException as err:  # noqa: BLE001 - reported through last_error
            self.last_error = err
            expected = type(err).__module__.startswith("nocdesk")  # our errors carry a readable message
            log.error("engine stopped with an error: %s", err, exc_info=not expected)

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop cleanly (open batch written); True when the thread has ended within `timeout`."""
        if self.engine is not None:
            self.engine.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True
