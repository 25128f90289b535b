"""IF-MIB reader: one InterfaceCounters per ifIndex from ifTable + ifXTable, 64-bit counters when present."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .snmp import SnmpCredential, SnmpValue, get, walk_columns
from .system import SYS_UPTIME, text, ticks_to_s

_IF = "1.3.6.1.2.1.2.2.1"  # IF-MIB::ifEntry
_IFX = "1.3.6.1.2.1.31.1.1.1"  # IF-MIB::ifXEntry
COLUMNS = {
    "descr": f"{_IF}.2",  # ifDescr
    "if_type": f"{_IF}.3",  # ifType
    "speed": f"{_IF}.5",  # ifSpeed (bit/s, Gauge32: saturates at 4294967295)
    "admin": f"{_IF}.7",  # ifAdminStatus
    "oper": f"{_IF}.8",  # ifOperStatus
    "in_octets": f"{_IF}.10",  # ifInOctets (Counter32)
    "in_ucast": f"{_IF}.11",  # ifInUcastPkts
    "in_discards": f"{_IF}.13",  # ifInDiscards
    "in_errors": f"{_IF}.14",  # ifInErrors
    "out_octets": f"{_IF}.16",  # ifOutOctets
    "out_ucast": f"{_IF}.17",  # ifOutUcastPkts
    "out_discards": f"{_IF}.19",  # ifOutDiscards
    "out_errors": f"{_IF}.20",  # ifOutErrors
    "name": f"{_IFX}.1",  # ifName
    "in_mcast": f"{_IFX}.2",  # ifInMulticastPkts
    "in_bcast": f"{_IFX}.3",  # ifInBroadcastPkts
    "out_mcast": f"{_IFX}.4",  # ifOutMulticastPkts
    "out_bcast": f"{_IFX}.5",  # ifOutBroadcastPkts
    "hc_in_octets": f"{_IFX}.6",  # ifHCInOctets (Counter64)
    "hc_in_ucast": f"{_IFX}.7",  # ifHCInUcastPkts
    "hc_in_mcast": f"{_IFX}.8",  # ifHCInMulticastPkts
    "hc_in_bcast": f"{_IFX}.9",  # ifHCInBroadcastPkts
    "hc_out_octets": f"{_IFX}.10",  # ifHCOutOctets
    "hc_out_ucast": f"{_IFX}.11",  # ifHCOutUcastPkts
    "hc_out_mcast": f"{_IFX}.12",  # ifHCOutMulticastPkts
    "hc_out_bcast": f"{_IFX}.13",  # ifHCOutBroadcastPkts
    "high_speed": f"{_IFX}.15",  # ifHighSpeed (Mbit/s)
    "alias": f"{_IFX}.18",  # ifAlias
    "discontinuity": f"{_IFX}.19",  # ifCounterDiscontinuityTime (TimeTicks)
}
SPEED_SATURATED = 4_294_967_295  # ifSpeed (Gauge32) of any link of 4.3 Gbit/s or more
_ADMIN = {1: "up", 2: "down", 3: "testing"}
_OPER = {1: "up", 2: "down", 3: "testing", 4: "unknown", 5: "dormant", 6: "notPresent", 7: "lowerLayerDown"}
_PKT_FIELDS = ("in_ucast", "in_mcast", "in_bcast", "out_ucast", "out_mcast", "out_bcast")
# The 32-bit twins of 64-bit counters: not worth reading from an agent whose every interface has the HC ones.
LEGACY_OCTETS = frozenset({"in_octets", "out_octets"})
LEGACY_PACKETS = frozenset(_PKT_FIELDS)


@dataclass(frozen=True)
class PolledAt:
    """When a reading was taken: monotonic seconds for rate math, wall-clock epoch seconds for storage."""

    monotonic_s: float
    wall_s: float

    @classmethod
    def now(cls) -> PolledAt:
        """The current instant on both clocks."""
        return cls(time.monotonic(), time.time())


@dataclass(frozen=True)
class InterfaceCounters:
    """One interface at one instant. Counters are raw (not rates); None where the agent has no value.

    `hc` says in/out_octets are 64-bit (ifHC*Octets), `hc_pkts` the same for the packet counters; errors
    and discards are always 32-bit. counter_discontinuity_time is sysUpTime ticks (1/100 s) of the last
    counter reset, `sys_uptime_s` the agent's uptime read in the same poll, just before the counters.
    """

    if_index: int
    name: str
    alias: str
    descr: str
    if_type: int | None
    speed_bps: int | None
    admin_status: str
    oper_status: str
    in_octets: int | None
    out_octets: int | None
    hc: bool
    in_ucast_pkts: int | None
    out_ucast_pkts: int | None
    in_bcast_pkts: int | None
    out_bcast_pkts: int | None
    in_mcast_pkts: int | None
    out_mcast_pkts: int | None
    hc_pkts: bool
    in_errors: int | None
    out_errors: int | None
    in_discards: int | None
    out_discards: int | None
    counter_discontinuity_time: int | None
    polled_at: PolledAt
    sys_uptime_s: float | None


def _int(value: SnmpValue | None) -> int | None:
    return value if isinstance(value, int) else None


def _speed_bps(high_speed: SnmpValue | None, speed: SnmpValue | None) -> int | None:
    # ifHighSpeed is authoritative when non-zero; ifSpeed saturates at 2^32-1 for >= 4.3 Gbit/s links.
    # A saturated ifSpeed without an ifHighSpeed says only "4.3 Gbit/s or more": unknown, not a 4.3 Gbit/s cap
    # (that cap would reject real traffic on a 10G link as "above the interface speed").
    if isinstance(high_speed, int) and high_speed > 0:
        return high_speed * 1_000_000
    if isinstance(speed, int) and 0 < speed < SPEED_SATURATED:
        return speed
    return None


def build_interfaces(columns: dict[str, dict[str, SnmpValue]], *, polled_at: PolledAt,
                     sys_uptime_s: float | None) -> list[InterfaceCounters]:
    """Assemble rows from walked columns ({column oid: {index: value}}); indexes must be integers."""
    by_name = {name: columns.get(oid, {}) for name, oid in COLUMNS.items()}
    indexes = sorted({int(i) for col in by_name.values() for i in col if i.isdigit()})
    rows = []
    for if_index in indexes:
        key = str(if_index)

        def value(name: str, _key: str = key) -> SnmpValue | None:
            return by_name[name].get(_key)

        hc = _int(value("hc_in_octets")) is not None and _int(value("hc_out_octets")) is not None
        hc_pkts = all(_int(value(f"hc_{f}")) is not None for f in _PKT_FIELDS)
        pkts = {f: _int(value(f"hc_{f}" if hc_pkts else f)) for f in _PKT_FIELDS}
        descr = text(value("descr"))
        rows.append(InterfaceCounters(
            if_index=if_index,
            name=text(value("name")) or descr,
            alias=text(value("alias")),
            descr=descr,
            if_type=_int(value("if_type")),
            speed_bps=_speed_bps(value("high_speed"), value("speed")),
            admin_status=_ADMIN.get(_int(value("admin")) or 0, "unknown"),
            oper_status=_OPER.get(_int(value("oper")) or 0, "unknown"),
            in_octets=_int(value("hc_in_octets" if hc else "in_octets")),
            out_octets=_int(value("hc_out_octets" if hc else "out_octets")),
            hc=hc,
            in_ucast_pkts=pkts["in_ucast"],
            out_ucast_pkts=pkts["out_ucast"],
            in_bcast_pkts=pkts["in_bcast"],
            out_bcast_pkts=pkts["out_bcast"],
            in_mcast_pkts=pkts["in_mcast"],
            out_mcast_pkts=pkts["out_mcast"],
            hc_pkts=hc_pkts,
            in_errors=_int(value("in_errors")),
            out_errors=_int(value("out_errors")),
            in_discards=_int(value("in_discards")),
            out_discards=_int(value("out_discards")),
            counter_discontinuity_time=_int(value("discontinuity")),
            polled_at=polled_at,
            sys_uptime_s=sys_uptime_s,
        ))
    return rows


def redundant_columns(rows: list[InterfaceCounters]) -> frozenset[str]:
    """Columns a later poll of the same agent can skip: the 32-bit counters when every interface had 64-bit ones.

    A new interface without HC counters shows up with hc=False on the next poll, and the poll after reads
    everything again, so nothing is lost for long.
    """
    if not rows:
        return frozenset()
    skip: frozenset[str] = frozenset()
    if all(r.hc for r in rows):
        skip |= LEGACY_OCTETS
    if all(r.hc_pkts for r in rows):
        skip |= LEGACY_PACKETS
    return skip


async def read_interfaces(target: str, cred: SnmpCredential, *, label: str = "", max_repetitions: int = 50,
                          skip: frozenset[str] = frozenset()) -> list[InterfaceCounters]:
    """Read every interface's identity, status and counters (sysUpTime first, then the columns).

    `skip` names COLUMNS not to walk (see redundant_columns).
    """
    uptime = (await get(target, cred, [SYS_UPTIME], label=label))[SYS_UPTIME]
    polled_at = PolledAt.now()
    oids = [oid for name, oid in COLUMNS.items() if name not in skip]
    columns = await walk_columns(target, cred, oids, max_repetitions=max_repetitions, label=label)
    return build_interfaces(columns, polled_at=polled_at, sys_uptime_s=ticks_to_s(uptime))
