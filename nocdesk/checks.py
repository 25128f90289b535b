"""Adapters between the collectors and the engine: run a check, turn its dataclasses into samples and outcomes.

The engine never calls a collector directly; everything protocol-specific it needs is here, so a collector's
API change touches one file. Counter state for rates lives in `CounterState` (in memory: the first poll after
start only primes it, and a gap is a gap, never a spike).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .collectors import icmp, service, snmp
from .collectors.hostres import HostResources, read_host_resources
from .collectors.icmp_model import PingResult
from .collectors.ifmib import InterfaceCounters, read_interfaces, redundant_columns
from .collectors.profiles import Profile, match_profile
from .collectors.snmp import SnmpCredential
from .collectors.system import SystemInfo, read_system
from .collectors.vendor import VendorReadings, read_vendor
from .counters import InterfaceRates, interface_rates
from .errors import AuthError, NocdeskError
from .samples import Batch, SensorKey

__all__ = ["PingResult", "SnmpPoll", "ServiceCheck", "CounterState", "ping_sweep", "poll_snmp", "check_service",
           "ping_samples", "interface_samples", "health_samples", "service_samples"]


# -- running checks -----------------------------------------------------------------------------------------

async def ping_sweep(addresses: Iterable[str], *, count: int, timeout_s: float) -> dict[str, PingResult]:
    """ICMP for every address at once (one sweep per cycle)."""
    addresses = list(addresses)
    if not addresses:
        return {}
    return await icmp.sweep(addresses, count=count, timeout_s=timeout_s, interval_s=min(0.2, timeout_s / 2))


@dataclass(frozen=True)
class SnmpPoll:
    """One SNMP poll of a device: what answered, or why nothing did."""

    ok: bool
    reason: str = ""
    auth_failed: bool = False
    system: SystemInfo | None = None
    interfaces: tuple[InterfaceCounters, ...] = ()
    host: HostResources | None = None
    vendor: VendorReadings | None = None
    profile: str | None = None


@dataclass
class SnmpHints:
    """What we learnt about a device's agent, so later polls skip what it does not have."""

    has_host_resources: bool | None = None
    profile: Profile | None = None
    profile_checked_for: str | None = None
    if_skip: frozenset[str] = frozenset()   # IF-MIB columns this agent makes redundant (32-bit twins)


async def poll_snmp(address: str, cred: SnmpCredential, *, label: str, profiles: dict[str, Profile],
                    forced_profile: str | None, hints: SnmpHints) -> SnmpPoll:
    """System group, interfaces, and (when the agent has them) host resources and the profile's sensors."""
    try:
        system = await read_system(address, cred, label=label)
        interfaces = tuple(await read_interfaces(address, cred, label=label, skip=hints.if_skip))
        hints.if_skip = redundant_columns(list(interfaces))
        if hints.profile_checked_for != system.sys_object_id:
            hints.profile_checked_for = system.sys_object_id
            hints.profile = (profiles.get(forced_profile) if forced_profile
                             else match_profile(profiles, system.sys_object_id, system.sys_descr))
        host = None
        if hints.has_host_resources is not False:
            host = await read_host_resources(address, cred, label=label)
            hints.has_host_resources = bool(host.storages or host.cpu_count)
            host = host if hints.has_host_resources else None
        vendor = None
        if hints.profile is not None and (hints.profile.optical or hints.profile.cpu or hints.profile.memory
                                          or hints.profile.temperature):
            vendor = await read_vendor(address, cred, hints.profile, label=label)
    except AuthError as err:
        return SnmpPoll(False, str(err), auth_failed=True)
    except NocdeskError as err:
        return SnmpPoll(False, str(err))
    except (OSError, asyncio.TimeoutError) as err:
        return SnmpPoll(False, f"{label} ({address}): SNMP failed: {err}")
    return SnmpPoll(True, "", False, system, interfaces, host, vendor,
                    hints.profile.name if hints.profile else None)


async def snmp_alive(address: str, cred: SnmpCredential, *, label: str) -> tuple[bool, str]:
    """A light SNMP liveness probe (one GET of sysUpTime): (answered, reason)."""
    try:
        await snmp.get(address, cred, [snmp.SYS_UPTIME], label=label)
    except NocdeskError as err:
        return False, str(err)
    except (OSError, asyncio.TimeoutError) as err:
        return False, f"{label} ({address}): SNMP failed: {err}"
    return True, ""


@dataclass(frozen=True)
class ServiceCheck:
    """One TCP or HTTP check, whatever the kind: ok, latency, reason, certificate days left."""

    ok: bool
    response_ms: float | None
    reason: str
    cert_days: float | None = None
    status: int | None = None


async def check_service(row: dict[str, Any], address: str, *, timeout_s: float) -> ServiceCheck:
    """Run the check a services row describes (kind tcp: port on the device's address; kind http: url)."""
    if row["kind"] == "tcp":
        r = await service.check_tcp(address, int(row["port"]), timeout_s=timeout_s)
        return ServiceCheck(r.ok, r.connect_ms, r.reason)
    url = row.get("url") or f"http://{address}:{row.get('port') or 80}/"
    h = await service.check_http(url, keyword=row.get("keyword") or None, timeout_s=timeout_s)
    return ServiceCheck(h.ok, h.response_ms, h.reason, h.cert_days_left, h.status)


# -- counters ------------------------------------------------------------------------------------------------

@dataclass
class CounterState:
    """Previous interface readings per (device_id, if_index); rates need two of them."""

    previous: dict[tuple[int, int], InterfaceCounters] = field(default_factory=dict)

    def rates(self, device_id: int, reading: InterfaceCounters, *, interval_s: float) -> InterfaceRates | None:
        """Rates since the previous reading (None on the first one); always remembers this reading."""
        key = (device_id, reading.if_index)
        prev = self.previous.get(key)
        self.previous[key] = reading
        if prev is None:
            return None
        return interface_rates(prev, reading, interval_s=interval_s)

    def forget_device(self, device_id: int) -> None:
        self.previous = {k: v for k, v in self.previous.items() if k[0] != device_id}


# -- results to samples --------------------------------------------------------------------------------------

def _r(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    return int(round(value)) if digits == 0 else round(value, digits)


def ping_samples(batch: Batch, device_id: int, ts: int, ping: PingResult) -> None:
    """rtt_ms, loss_pct and jitter_ms of one device (RTT only when a reply came back)."""
    batch.add_sample(SensorKey(device_id, "loss_pct"), ts, ping.loss_pct)
    if ping.ok:
        batch.add_sample(SensorKey(device_id, "rtt_ms"), ts, _r(ping.rtt_avg_ms, 3))
        batch.add_sample(SensorKey(device_id, "jitter_ms"), ts, _r(ping.jitter_ms, 3))


_RATE_FIELDS = (("in_bps", "in_bps", 0), ("out_bps", "out_bps", 0), ("util_in_pct", "in_util_pct", 2),
                ("util_out_pct", "out_util_pct", 2), ("in_errors_ps", "in_errors_per_s", 3),
                ("out_errors_ps", "out_errors_per_s", 3), ("in_discards_ps", "in_discards_per_s", 3),
                ("out_discards_ps", "out_discards_per_s", 3))


def interface_samples(batch: Batch, device_id: int, interface_id: int, ts: int, rates: InterfaceRates) -> None:
    """The eight rate sensors of one interface (absent fields are simply not stored)."""
    for kind, attr, digits in _RATE_FIELDS:
        batch.add_sample(SensorKey(device_id, kind, interface_id=interface_id), ts, _r(getattr(rates, attr), digits))


def health_samples(batch: Batch, device_id: int, ts: int, poll: SnmpPoll, if_ids: dict[int, int]) -> None:
    """uptime, CPU, memory, disks, temperatures and optical power of one device."""
    if poll.system and poll.system.sys_uptime_s is not None:
        batch.add_sample(SensorKey(device_id, "uptime_s"), ts, _r(poll.system.sys_uptime_s, 0))
    vendor, host = poll.vendor, poll.host
    cpu = vendor.cpu_pct if vendor and vendor.cpu_pct is not None else (host.cpu_pct if host else None)
    mem = vendor.memory_pct if vendor and vendor.memory_pct is not None else (host.memory_pct if host else None)
    batch.add_sample(SensorKey(device_id, "cpu_pct"), ts, _r(cpu, 2))
    batch.add_sample(SensorKey(device_id, "mem_pct"), ts, _r(mem, 2))
    if host:
        for row in host.storages:
            if row.kind == "fixed_disk" and row.used_pct is not None:
                batch.add_sample(SensorKey(device_id, "disk_pct", label=row.descr or str(row.index)), ts,
                                 _r(row.used_pct, 2))
    if vendor:
        kinds = {"optical_rx": "rx_dbm", "optical_tx": "tx_dbm", "optical_temperature": "temp_c",
                 "temperature": "temp_c", "sessions": "sessions", "radio_signal": "radio_dbm"}
        for reading in vendor.sensors:
            kind = kinds.get(reading.kind)
            if kind is None or reading.status != "ok" or reading.value is None:
                continue
            interface_id = if_ids.get(reading.if_index) if reading.if_index is not None else None
            label = "" if interface_id else (reading.name or reading.index)
            batch.add_sample(SensorKey(device_id, kind, label=label, interface_id=interface_id), ts,
                             _r(reading.value, 2))


def service_samples(batch: Batch, device_id: int, service_id: int, ts: int, check: ServiceCheck) -> None:
    """response_ms and cert_days of one service."""
    batch.add_sample(SensorKey(device_id, "response_ms", service_id=service_id), ts, _r(check.response_ms, 3))
    batch.add_sample(SensorKey(device_id, "cert_days", service_id=service_id), ts, _r(check.cert_days, 2))
