"""Profile-driven readers for optical power, temperature, CPU and memory (the vendor knowledge is in YAML).

One column walk per device collects every column the profile names (plus ENTITY-MIB mapping columns when a
sensor maps rows to interfaces through it), one GET collects the scalars; `build_readings` then turns
the raw values into SensorReadings. It is pure, so recordings can be checked without a network.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .profiles import Memory, Profile, RowFilter, Sensor
from .snmp import SnmpCredential, SnmpValue, get, walk_columns
from .system import text

ENT_ALIAS_MAPPING = "1.3.6.1.2.1.47.1.3.2.1.2"  # ENTITY-MIB::entAliasMappingIdentifier (-> IF-MIB::ifIndex.N)
ENT_CONTAINED_IN = "1.3.6.1.2.1.47.1.1.1.1.4"  # ENTITY-MIB::entPhysicalContainedIn
IF_INDEX_PREFIX = "1.3.6.1.2.1.2.2.1.1."  # IF-MIB::ifIndex
_UNIT_LABELS = {"dbm": "dBm", "mw": "dBm", "uw": "dBm", "celsius": "C", "percent": "%", "count": ""}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WITH_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*(?:dBm|mW|uW|°?C|%)\s*$", re.IGNORECASE)
_MAX_ENTITY_DEPTH = 6
DOM_FLOOR_DBM = -40.0  # SFF-8472 power 0.1 uW, what most agents report for "no light" or "no module"


@dataclass(frozen=True)
class SensorReading:
    """One measured value. status: ok, absent (nothing plugged/measured), invalid (nonsense), no_signal (0 mW)."""

    kind: str  # optical_rx, optical_tx, optical_temperature, temperature, cpu, memory, sessions, radio_signal
    index: str  # row index in the sensor's table ("0" for scalars)
    name: str
    value: float | None
    unit: str  # dBm, C, %
    status: str
    if_index: int | None
    raw: str  # the agent's value as received, for "why is this odd?"


@dataclass(frozen=True)
class VendorReadings:
    """Everything the profile could read from one device."""

    profile: str
    sensors: tuple[SensorReading, ...]
    cpu_pct: float | None  # average of the CPU rows
    memory_pct: float | None
    temperature_c: float | None  # hottest temperature sensor

    def of_kind(self, kind: str) -> list[SensorReading]:
        """Readings of one kind, e.g. 'optical_rx'."""
        return [s for s in self.sensors if s.kind == kind]


def _sensors(profile: Profile) -> list[tuple[str, Sensor]]:
    found = [(f"optical_{k}", s) for k, s in (profile.optical or {}).items()]
    found += [(kind, s) for kind, s in (("temperature", profile.temperature), ("cpu", profile.cpu)) if s]
    if profile.memory and profile.memory.percent:
        found.append(("memory", profile.memory.percent))
    if profile.sessions:
        found.append(("sessions", profile.sessions))
    found += [(f"radio_{k}", s) for k, s in (profile.radio or {}).items()]
    return found


def needed_oids(profile: Profile) -> tuple[list[str], list[str]]:
    """(columns to walk, scalars to get) for this profile."""
    columns: list[str] = []
    scalars: list[str] = []
    for _kind, sensor in _sensors(profile):
        extra = [c for c in (sensor.precision, sensor.si_scale, sensor.name) if c]
        extra += [f.column for f in sensor.filters] + ([sensor.status.column] if sensor.status else [])
        (scalars if sensor.scalar else columns).append(sensor.value)
        columns.extend(extra)
        if sensor.if_index == "entity":
            columns.extend([ENT_ALIAS_MAPPING, ENT_CONTAINED_IN])
    memory = profile.memory
    if memory and not memory.percent:
        parts = [o for o in (memory.used, memory.free, memory.total, memory.available) if o]
        (scalars if memory.scalar else columns).extend(parts)
    return list(dict.fromkeys(columns)), list(dict.fromkeys(scalars))


def _number(value: SnmpValue | None, pattern: str | None = None) -> float | None:
    """A numeric value; strings are parsed ("44.5"), through `pattern` when given ("Rx -3.2 dBm")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (bytes, str)):
        shown = text(value)
        if pattern is not None:
            found = re.search(pattern, shown)
            if found is None:
                return None
            shown = found.group(1) if found.groups() else found.group(0)
            matched = _NUMBER.search(shown)
            shown = matched.group(0) if matched else ""
        elif (with_unit := _WITH_UNIT.match(shown)) is not None:  # "-3.20 dBm", "45 C", "12%"
            shown = with_unit.group(1)
        try:
            number = float(shown)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _passes(row_filter: RowFilter, value: SnmpValue | None) -> bool:
    if value is None:
        return False
    if row_filter.regex is not None:
        return re.search(row_filter.regex, text(value)) is not None
    shown = text(value) if isinstance(value, bytes) else value
    return shown in row_filter.equals or str(shown) in [str(e) for e in row_filter.equals]


class _EntityMap:
    def __init__(self, columns: dict[str, dict[str, SnmpValue]]) -> None:
        self.alias: dict[str, int] = {}
        for index, target in columns.get(ENT_ALIAS_MAPPING, {}).items():
            if isinstance(target, str) and target.startswith(IF_INDEX_PREFIX):
                self.alias.setdefault(index.split(".")[0], int(target[len(IF_INDEX_PREFIX):]))
        self.parent = {i: str(p) for i, p in columns.get(ENT_CONTAINED_IN, {}).items() if isinstance(p, int)}

    def if_index(self, entity: str) -> int | None:
        for _ in range(_MAX_ENTITY_DEPTH):  # sensor -> transceiver -> port: walk up the containment tree
            if entity in self.alias:
                return self.alias[entity]
            entity = self.parent.get(entity, "0")
            if entity == "0":
                return None
        return None


def _convert(kind: str, sensor: Sensor, index: str, raw: SnmpValue | None,
             columns: dict[str, dict[str, SnmpValue]], entities: _EntityMap) -> SensorReading | None:
    def column(oid: str | None) -> SnmpValue | None:
        return columns.get(oid, {}).get(index) if oid else None

    if sensor.index_regex is not None and re.search(sensor.index_regex, index) is None:
        return None
    if any(not _passes(f, column(f.column)) for f in sensor.filters):
        return None
    if sensor.if_index == "index":
        first = index.split(".")[0]
        if_index = int(first) if first.isdigit() else None
    elif sensor.if_index == "entity":
        if_index = entities.if_index(index.split(".")[0])
    else:
        if_index = None
    name = text(column(sensor.name)) if sensor.name else ""
    shown = text(raw) if isinstance(raw, bytes) else ("" if raw is None else str(raw))

    def reading(value: float | None, status: str) -> SensorReading:
        return SensorReading(kind, index, name, value, _UNIT_LABELS[sensor.unit], status, if_index, shown)

    number = _number(raw, sensor.pattern)
    if sensor.status and not _passes(sensor.status, column(sensor.status.column)):
        return reading(None, "absent")
    if isinstance(raw, bytes) and text(raw) in sensor.absent:
        return reading(None, "absent")
    if number is None:
        return reading(None, "invalid")
    if number in sensor.absent:
        return reading(None, "absent")
    value = number * sensor.scale
    precision = _number(column(sensor.precision))
    if precision is not None:
        value *= 10 ** -precision
    si_scale = _number(column(sensor.si_scale))
    if si_scale is not None:
        value *= 10 ** ((si_scale - 9) * 3)  # SensorDataScale: units(9) = 10^0, milli(8) = 10^-3, ...
    if sensor.unit in ("mw", "uw"):
        milliwatts = value / 1000 if sensor.unit == "uw" else value
        if milliwatts <= 0:
            return reading(None, "no_signal")
        value = 10 * math.log10(milliwatts)
    if sensor.invert:
        value = 100.0 - value
    if sensor.valid and not sensor.valid[0] <= value <= sensor.valid[1]:
        return reading(None, "invalid")
    return reading(round(value, 4), "ok")


def _memory_pct(memory: Memory, columns: dict[str, dict[str, SnmpValue]], scalars: dict[str, SnmpValue | None]) -> float | None:
    def rows(oid: str | None) -> dict[str, float]:
        source = {"0": scalars.get(oid)} if memory.scalar else columns.get(oid or "", {})
        return {i: n for i, v in source.items() if (n := _number(v)) is not None}

    used, free, total, available = (rows(o) for o in (memory.used, memory.free, memory.total, memory.available))
    if memory.used and memory.free:
        pairs = [(used[i], used[i] + free[i]) for i in used if i in free]
    elif memory.available:
        pairs = [(total[i] - available[i], total[i]) for i in total if i in available]
    else:
        pairs = [(used[i], total[i]) for i in used if i in total]
    size = sum(t for _u, t in pairs)
    return 100.0 * sum(u for u, _t in pairs) / size if size > 0 else None


def _port_key(reading: SensorReading) -> str:
    return f"if{reading.if_index}" if reading.if_index is not None else f"ix{reading.index}"


def _empty_cages(readings: list[SensorReading]) -> list[SensorReading]:
    """Rx and Tx both at the DOM floor (-40 dBm, 0 mW) on one port: no transceiver, not a -40 dBm alarm.

    Many agents report an empty cage as -40 dBm Rx/Tx and 0 C. A real fibre cut keeps the laser on
    (Tx healthy, Rx at the floor) and stays a reading, so the floor only means "absent" when no power
    reading of the port is above it.
    """
    optical = [r for r in readings if r.kind in ("optical_rx", "optical_tx")]
    lit = {_port_key(r) for r in optical if r.status == "ok" and r.value is not None and r.value > DOM_FLOOR_DBM}
    floored = {_port_key(r) for r in optical if r.status == "ok" and r.value is not None and r.value <= DOM_FLOOR_DBM}
    empty = floored - lit
    if not empty:
        return readings

    def at_floor(r: SensorReading) -> bool:
        if r.kind == "optical_temperature":
            return r.value == 0.0
        return r.kind in ("optical_rx", "optical_tx") and r.value is not None and r.value <= DOM_FLOOR_DBM

    return [replace(r, value=None, status="absent") if r.status == "ok" and _port_key(r) in empty and at_floor(r)
            else r for r in readings]


def build_readings(profile: Profile, columns: dict[str, dict[str, SnmpValue]],
                   scalars: dict[str, SnmpValue | None]) -> VendorReadings:
    """Turn walked columns and fetched scalars into readings for this profile."""
    entities = _EntityMap(columns)
    readings: list[SensorReading] = []
    for kind, sensor in _sensors(profile):
        rows = {"0": scalars.get(sensor.value)} if sensor.scalar else columns.get(sensor.value, {})
        for index, raw in rows.items():
            if raw is None and not sensor.scalar:
                continue
            reading = _convert(kind, sensor, index, raw, columns, entities)
            if reading is not None and not (sensor.scalar and raw is None):
                readings.append(reading)

    readings = _empty_cages(readings)

    def ok(kind: str) -> list[float]:
        return [r.value for r in readings if r.kind == kind and r.status == "ok" and r.value is not None]

    cpu, temps, mem = ok("cpu"), ok("temperature"), ok("memory")
    memory_pct = sum(mem) / len(mem) if mem else None
    if profile.memory and not profile.memory.percent:
        memory_pct = _memory_pct(profile.memory, columns, scalars)
    return VendorReadings(
        profile=profile.name,
        sensors=tuple(readings),
        cpu_pct=sum(cpu) / len(cpu) if cpu else None,
        memory_pct=memory_pct,
        temperature_c=max(temps) if temps else None,
    )


async def read_vendor(target: str, cred: SnmpCredential, profile: Profile, *, label: str = "") -> VendorReadings:
    """Read everything `profile` describes from one device (one column walk, one GET)."""
    columns_wanted, scalars_wanted = needed_oids(profile)
    columns = await walk_columns(target, cred, columns_wanted, label=label) if columns_wanted else {}
    scalars = await get(target, cred, scalars_wanted, label=label) if scalars_wanted else {}
    return build_readings(profile, columns, scalars)
