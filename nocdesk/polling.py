"""One polling cycle: run the due checks (one ICMP sweep, SNMP and service checks under per-protocol caps),
confirm the parents of failing devices, feed the state machine in dependency order, and fill the batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from . import checks
from .collectors.icmp_model import PingResult, failed
from .collectors.profiles import Profile
from .collectors.snmp import SnmpCredential
from .credentials import load_snmp_credential
from .engineconfig import DeviceConf, EngineConfig, InterfaceConf
from .errors import NocdeskError
from .i18n import _
from .maintenance import active_window
from .samples import SEVERITY, Batch, ensure_interfaces
from .scheduler import Due, Scheduler
from .states import (
    DOWN,
    FAILED,
    OK,
    UNKNOWN,
    UNREACHABLE,
    UP,
    Outcome,
    StateMachine,
    Transition,
    judge_device,
)
from .store import Store

log = logging.getLogger("nocdesk.engine")

ICMP, SNMP, SERVICE = "icmp", "snmp", "svc"
# A credential that could not be loaded (locked secrets file, keyring refused) is tried again after this long,
# so unlocking the saved passwords in the app reaches the running engine without a restart.
CREDENTIAL_RETRY_S = 30.0


class Poller:
    """Runs cycles for the engine; owns counter state, SNMP hints, credentials and per-protocol semaphores."""

    def __init__(self, store: Store, config: EngineConfig, *, scheduler: Scheduler, machine: StateMachine,
                 profiles: dict[str, Profile], batch: Callable[[], Batch], clock: Callable[[], float] = time.time,
                 snmp_concurrency: int = 64, service_concurrency: int = 32) -> None:
        self.store, self.scheduler, self.machine, self.profiles = store, scheduler, machine, profiles
        self.batch, self.clock = batch, clock
        self.counters = checks.CounterState()
        self.hints: dict[int, checks.SnmpHints] = {}
        self.credentials: dict[str, SnmpCredential | str] = {}
        self.credential_failed_at: dict[str, float] = {}
        self.semaphores = {SNMP: asyncio.Semaphore(snmp_concurrency), SERVICE: asyncio.Semaphore(service_concurrency)}
        self.waiting_commands: dict[int, list[int]] = {}
        self.config = config
        self.set_config(config)

    def set_config(self, config: EngineConfig) -> None:
        """Adopt a new snapshot (interfaces created by the engine itself are part of it once committed)."""
        previous, self.config = getattr(self, "config", None), config
        if previous is not None and previous is not config and previous.interfaces is config.interfaces:
            return  # the same interfaces: keep the maps (12,000 of them on a big network)
        self.if_map: dict[int, dict[int, InterfaceConf]] = {}
        self.if_by_id: dict[int, InterfaceConf] = {}
        for (device_id, if_index), conf in config.interfaces.items():
            self.if_map.setdefault(device_id, {})[if_index] = conf
            self.if_by_id[conf.id] = conf

    def forget_device(self, device_id: int) -> None:
        self.counters.forget_device(device_id)
        self.hints.pop(device_id, None)

    def credential(self, name: str) -> SnmpCredential | str:
        """The named SNMP credential, or the reason it cannot be used (cached until credentials change; a reason
        only for CREDENTIAL_RETRY_S)."""
        cached = self.credentials.get(name)
        if cached is None or (isinstance(cached, str)
                              and self.clock() - self.credential_failed_at.get(name, 0.0) >= CREDENTIAL_RETRY_S):
            try:
                cached = load_snmp_credential(self.store, name)
            except NocdeskError as err:
                cached = str(err)
                self.credential_failed_at[name] = self.clock()
            self.credentials[name] = cached
        return cached

    # -- running checks -------------------------------------------------------------------------------------
    async def _snmp(self, dev: DeviceConf) -> checks.SnmpPoll:
        cred = self.credential(dev.snmp_credential or "")
        if isinstance(cred, str):
            return checks.SnmpPoll(False, f"{dev.name}: SNMP credential '{dev.snmp_credential}': {cred}")
        async with self.semaphores[SNMP]:
            try:
                result = await checks.poll_snmp(dev.address, cred, label=dev.name, profiles=self.profiles,
                                                forced_profile=dev.profile,
                                                hints=self.hints.setdefault(dev.id, checks.SnmpHints()))
            except Exception as err:  # a collector bug must not stop the other devices' cycle
                log.exception("SNMP poll of %s failed unexpectedly", dev.name)
                return checks.SnmpPoll(False, f"{dev.name}: SNMP poll failed ({type(err).__name__}: {err})")
        if result.auth_failed:
            self.credentials.pop(dev.snmp_credential or "", None)  # re-read: the secret may have been fixed
        return result

    async def _service(self, service_id: int) -> checks.ServiceCheck:
        svc = self.config.services[service_id]
        dev = self.config.devices[svc.device_id]
        async with self.semaphores[SERVICE]:
            try:
                return await checks.check_service(svc.as_row(), dev.address,
                                                  timeout_s=min(10.0, max(1.0, svc.interval_s / 2)))
            except NocdeskError as err:
                return checks.ServiceCheck(False, None, str(err))
            except Exception as err:  # a collector bug must not stop the cycle
                log.exception("service check %s failed unexpectedly", svc.name)
                return checks.ServiceCheck(False, None, f"check failed ({type(err).__name__}: {err})")

    async def _tcp_alive(self, dev: DeviceConf) -> checks.ServiceCheck:
        async with self.semaphores[SERVICE]:
            return await checks.check_service({"kind": "tcp", "port": dev.tcp_port}, dev.address,
                                              timeout_s=self.config.ping_timeout_s * 2)

    async def _sweep(self, device_ids: list[int]) -> dict[int, PingResult]:
        cfg = self.config
        addresses = [cfg.devices[d].address for d in device_ids]
        try:
            by_address = await checks.ping_sweep(addresses, count=cfg.ping_count, timeout_s=cfg.ping_timeout_s)
        except NocdeskError as err:
            log.error("ICMP sweep failed: %s", err)
            by_address = {}
        return {d: by_address.get(cfg.devices[d].address) or failed(cfg.devices[d].address, "not checked")
                for d in device_ids}

    async def _alive(self, device_ids: list[int]) -> tuple[dict[int, tuple[bool, str]], dict[int, PingResult]]:
        """A quick liveness check of each device by its own check method (used to confirm parents)."""
        cfg = self.config
        by_ping = [d for d in device_ids if cfg.devices[d].check_method == "icmp" or not (
            cfg.devices[d].tcp_port or (cfg.devices[d].check_method == "snmp" and cfg.devices[d].snmp_credential))]

        async def other(d: int) -> tuple[bool, str]:
            dev = cfg.devices[d]
            if dev.tcp_port:
                check = await self._tcp_alive(dev)
                return check.ok, check.reason
            cred = self.credential(dev.snmp_credential or "")
            if isinstance(cred, str):
                return False, cred
            async with self.semaphores[SNMP]:
                return await checks.snmp_alive(dev.address, cred, label=dev.name)

        others = [d for d in device_ids if d not in by_ping]
        pings = await self._sweep(by_ping)
        results = {d: (p.ok, p.reason or "") for d, p in pings.items()}
        for d, result in zip(others, await asyncio.gather(*(other(d) for d in others)), strict=True):
            results[d] = result
        return results, pings

    def _window(self, dev: DeviceConf, ts: int) -> str | None:
        window = active_window(self.config.windows, ts, device_id=dev.id, site_id=dev.site_id, group_id=dev.group_id)
        return (window.name or f"#{window.id}") if window else None

    async def run_cycle(self, dues: list[Due]) -> list[Transition]:
        """Run the checks of `dues` and record everything in the current batch; returns the transitions."""
        cfg = self.config
        ts = int(self.clock())
        icmp_ids = [k[1] for k in (d.key for d in dues) if k[0] == ICMP and k[1] in cfg.devices]
        snmp_ids = [k[1] for k in (d.key for d in dues)
                    if k[0] == SNMP and k[1] in cfg.devices and cfg.devices[k[1]].snmp_credential]
        svc_ids = [k[1] for k in (d.key for d in dues) if k[0] == SERVICE and k[1] in cfg.services]
        snmp_tasks = {d: asyncio.ensure_future(self._snmp(cfg.devices[d])) for d in snmp_ids}
        svc_tasks = {s: asyncio.ensure_future(self._service(s)) for s in svc_ids}
        tcp_tasks = {d: asyncio.ensure_future(self._tcp_alive(cfg.devices[d])) for d in icmp_ids
                     if cfg.devices[d].tcp_port}
        pings = await self._sweep(icmp_ids)
        polls = {d: await t for d, t in snmp_tasks.items()}
        services = {s: await t for s, t in svc_tasks.items()}
        tcp_alive = {d: await t for d, t in tcp_tasks.items()}

        outcomes: list[Outcome] = []
        for d in icmp_ids:
            dev, ping, poll = cfg.devices[d], pings[d], polls.get(d)
            status, reason = judge_device(
                ping_ok=ping.ok, ping_reason=ping.reason or "", loss_pct=ping.loss_pct, rtt_ms=ping.rtt_avg_ms,
                snmp_configured=bool(dev.snmp_credential), snmp_ok=poll.ok if poll else None,
                snmp_reason=poll.reason if poll else "", config=self.machine.config)
            if dev.check_method == "snmp" and poll is not None:
                status, reason = (OK, "") if poll.ok else (FAILED, poll.reason)
            elif d in tcp_alive:
                status, reason = (OK, "") if tcp_alive[d].ok else (FAILED, f"TCP {dev.tcp_port}: {tcp_alive[d].reason}")
            outcomes.append(Outcome(("device", d), ts, status, reason, self._window(dev, ts)))
        # Confirm the path before blaming a device: parents not checked since this failure are pinged now.
        checked = set(icmp_ids)
        confirm = sorted({a[1] for o in outcomes if o.status == FAILED
                          for a in self.machine.stale_ancestors(o.key, ts - 1) if a[1] not in checked})
        confirmed, confirm_pings = await self._alive(confirm) if confirm else ({}, {})
        for d, (alive, why) in confirmed.items():
            outcomes.append(Outcome(("device", d), ts, OK if alive else FAILED, why, self._window(cfg.devices[d], ts)))
        for s, check in services.items():
            svc = cfg.services[s]
            outcomes.append(Outcome(("service", s), ts, OK if check.ok else FAILED, check.reason,
                                    self._window(cfg.devices[svc.device_id], ts)))
        transitions = self.machine.apply(outcomes)
        interface_updates = {d: self._interfaces(cfg.devices[d], poll) for d, poll in polls.items() if poll.ok}

        # Everything below is synchronous: it lands in one batch, whatever other cycles do meanwhile.
        batch = self.batch()
        for d, poll in polls.items():
            transitions += self._record_snmp(batch, cfg.devices[d], poll, interface_updates.get(d), ts)
        for d in icmp_ids:
            self._record_ping(batch, d, pings[d], next(o for o in outcomes if o.key == ("device", d)), ts)
        for d in confirmed:
            batch.set_device(d, last_check_at=ts)
        for d, ping in confirm_pings.items():
            checks.ping_samples(batch, d, ts, ping)
        for s, check in services.items():
            checks.service_samples(batch, cfg.services[s].device_id, s, ts, check)
            batch.set_service(s, last_error=check.reason or None)
        self._back_off(snmp_ids, icmp_ids)
        for d in icmp_ids:
            for command_id in self.waiting_commands.pop(d, []):
                batch.finish_command(command_id, "done", {"state": self.machine.state(("device", d))})
        self._record_transitions(batch, transitions)
        return transitions

    # -- recording ------------------------------------------------------------------------------------------
    def _interfaces(self, dev: DeviceConf, poll: checks.SnmpPoll) -> dict[int, InterfaceConf]:
        known = self.if_map.setdefault(dev.id, {})
        fresh = [c for c in poll.interfaces if c.if_index not in known or known[c.if_index].name != c.name]
        if fresh:
            ids = ensure_interfaces(self.store, dev.id, [
                {"if_index": c.if_index, "name": c.name, "alias": c.alias, "descr": c.descr, "if_type": c.if_type,
                 "speed_bps": c.speed_bps, "admin_status": c.admin_status, "oper_status": c.oper_status}
                for c in fresh])
            for c in fresh:
                if c.if_index in ids:
                    old = known.get(c.if_index)
                    conf = InterfaceConf(ids[c.if_index], dev.id, c.if_index, c.name, old.monitored if old else True,
                                         old.speed_override_bps if old else None)
                    known[c.if_index] = conf
                    self.if_by_id[conf.id] = conf
        return known

    def _record_snmp(self, batch: Batch, dev: DeviceConf, poll: checks.SnmpPoll,
                     known: dict[int, InterfaceConf] | None, ts: int) -> list[Transition]:
        transitions: list[Transition] = []
        if not poll.ok or poll.system is None:
            return transitions
        s = poll.system
        batch.set_device(dev.id, sys_name=s.sys_name, sys_descr=s.sys_descr, sys_object_id=s.sys_object_id,
                         matched_profile=poll.profile, uptime_s=s.sys_uptime_s)
        known = known or {}
        for reading in poll.interfaces:
            iface = known.get(reading.if_index)
            if iface is None:
                continue
            values: dict[str, object] = {"admin_status": reading.admin_status, "oper_status": reading.oper_status,
                                         "speed_bps": reading.speed_bps, "updated_at": ts}
            rates = self.counters.rates(dev.id, reading, interval_s=dev.interval_s)
            if rates is not None and rates.reason is None:
                if iface.speed_override_bps:
                    speed = iface.speed_override_bps
                    rates = replace(rates, in_util_pct=_util(rates.in_bps, speed), out_util_pct=_util(rates.out_bps, speed))
                values.update(in_bps=rates.in_bps, out_bps=rates.out_bps, util_in_pct=rates.in_util_pct,
                              util_out_pct=rates.out_util_pct)
                if iface.monitored:
                    checks.interface_samples(batch, dev.id, iface.id, ts, rates)
            batch.set_interface(iface.id, **values)
            key = ("interface", iface.id)
            if iface.monitored:
                if key not in self.machine.trackers:
                    self.machine.track(key, device_id=dev.id)
                transitions += self.machine.apply_interface(key, admin_status=reading.admin_status,
                                                            oper_status=reading.oper_status, ts=ts)
            else:
                self.machine.forget(key)
        checks.health_samples(batch, dev.id, ts, poll, {i: c.id for i, c in known.items()})
        return transitions

    def _record_ping(self, batch: Batch, device_id: int, ping: PingResult, outcome: Outcome, ts: int) -> None:
        checks.ping_samples(batch, device_id, ts, ping)
        batch.set_device(device_id, last_check_at=ts, last_rtt_ms=ping.rtt_avg_ms, last_loss_pct=ping.loss_pct,
                         last_error=outcome.reason if outcome.status != OK else None)

    def _back_off(self, snmp_ids: list[int], icmp_ids: list[int]) -> None:
        """SNMP of a dead device is polled less and less often; ICMP always keeps its interval."""
        now = self.clock()
        for d in snmp_ids:
            if self.config.devices[d].check_method == "snmp":
                continue  # SNMP is this device's liveness check: it keeps its interval
            if self.machine.state(("device", d)) in (DOWN, UNREACHABLE):
                self.scheduler.back_off((SNMP, d))
        for d in icmp_ids:
            job = self.scheduler.jobs.get((SNMP, d))
            if job and job.backoff > 1 and self.machine.state(("device", d)) not in (DOWN, UNREACHABLE):
                self.scheduler.reset_backoff((SNMP, d))
                self.scheduler.run_now((SNMP, d), now=now)

    def _record_transitions(self, batch: Batch, transitions: list[Transition]) -> None:
        record_transitions(batch, transitions, self.config, self.if_by_id)
        for notice in self.machine.take_notices():
            name = describe(notice.target_type, notice.target_id, self.config, self.if_by_id)
            if notice.started:
                message = _("{target} is flapping ({changes} state changes within {minutes} min)").format(
                    target=name, changes=notice.changes, minutes=self.machine.config.flap_window_s // 60)
            else:
                message = _("{target} has stopped flapping").format(target=name)
            batch.add_event(notice.ts, "flapping", message, severity="warning" if notice.started else "info",
                            device_id=notice.device_id, details={"started": notice.started,
                                                                 "target_type": notice.target_type,
                                                                 "target_id": notice.target_id})


def _util(bps: float | None, speed_bps: int) -> float | None:
    return None if bps is None else min(100.0, 100.0 * bps / speed_bps)


def describe(target_type: str, target_id: int, config: EngineConfig, if_by_id: dict[int, InterfaceConf]) -> str:
    """'kec1 (198.18.2.2)', 'kec1 interface core' or 'srv1 service web' for messages."""
    if target_type == "device":
        dev = config.devices.get(target_id)
        return f"{dev.name} ({dev.address})" if dev else f"device #{target_id}"
    if target_type == "interface":
        iface = if_by_id.get(target_id)
        dev = config.devices.get(iface.device_id) if iface else None
        return _("{device} interface {name}").format(device=dev.name if dev else "?", name=iface.name if iface else target_id)
    svc = config.services.get(target_id)
    dev = config.devices.get(svc.device_id) if svc else None
    return _("{device} service {name}").format(device=dev.name if dev else "?", name=svc.name if svc else target_id)


def record_transitions(batch: Batch, transitions: list[Transition], config: EngineConfig,
                       if_by_id: dict[int, InterfaceConf]) -> None:
    """State-change rows, live state columns and one event per transition (unknown -> up is not news)."""
    table = {"device": batch.set_device, "interface": batch.set_interface, "service": batch.set_service}
    batch.transitions.extend(transitions)
    for t in transitions:
        table[t.target_type](t.target_id, state=t.state, state_since=t.ts)
        if t.previous == UNKNOWN and t.state == UP:
            continue
        what = describe(t.target_type, t.target_id, config, if_by_id)
        message = _("{target} is {state}").format(target=what, state=t.state)
        if t.reason:
            message += f": {t.reason}"
        iface = if_by_id.get(t.target_id) if t.target_type == "interface" else None
        batch.add_event(t.ts, "state", message, severity=SEVERITY.get(t.state, "info"), device_id=t.device_id,
                        interface_id=iface.id if iface else None,
                        details={"target_type": t.target_type, "target_id": t.target_id, "state": t.state,
                                 "previous": t.previous, "cause_type": t.cause_type, "cause_id": t.cause_id,
                                 "flapping": t.flapping})
