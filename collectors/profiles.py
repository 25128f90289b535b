"""Vendor profiles: strict loading of resources/profiles/*.yaml and choosing one by sysObjectID/sysDescr.

A profile is data only (STYLE.md "Vendors are data"). Loading applies defaults, rejects unknown keys and
bad values, and fails at start-up naming the file and the field, e.g.
`some_os.yaml: snmp.optical.rx.scael: unknown key`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nocdesk.errors import ProfileError

UNITS = ("dbm", "mw", "uw", "celsius", "percent", "count")
IF_INDEX_MODES = ("none", "index", "entity")
_OID = re.compile(r"^\d+(\.\d+)+$")


@dataclass(frozen=True)
class RowFilter:
    """Keep a row only when `column` (same index) equals one of `equals` or matches `regex`."""

    column: str
    equals: tuple[Any, ...] = ()
    regex: str | None = None


@dataclass(frozen=True)
class Sensor:
    """How to read one kind of value: a column walked as a table (or a scalar) plus its conversion."""

    value: str
    scalar: bool = False
    scale: float = 1.0
    precision: str | None = None  # column of decimal places: value * 10**-precision
    si_scale: str | None = None  # column of SI prefixes (ENTITY-SENSOR-MIB SensorDataScale, units = 9)
    unit: str = "percent"
    invert: bool = False  # value = 100 - value (an idle percentage)
    absent: tuple[float | str, ...] = ()  # raw values (numbers or exact strings) meaning "nothing measured"
    pattern: str | None = None  # regex for string values ("-3.2 dBm"): the first group (or match) is the number
    index_regex: str | None = None  # keep only rows whose index matches (e.g. '^\d+\.9$': test type 9 rows)
    valid: tuple[float, float] | None = None  # plausible range after conversion
    status: RowFilter | None = None  # rows whose status is not listed are "absent"
    filters: tuple[RowFilter, ...] = ()
    name: str | None = None  # column with the row's name
    if_index: str = "none"  # "index": the row index is the ifIndex; "entity": via ENTITY-MIB


@dataclass(frozen=True)
class Memory:
    """Memory use: a percentage, or two of used/free/total/available (same units)."""

    percent: Sensor | None = None
    used: str | None = None
    free: str | None = None
    total: str | None = None
    available: str | None = None
    scalar: bool = False


@dataclass(frozen=True)
class SshProfile:
    """Config backup over SSH with netmiko."""

    device_type: str
    enable: bool = False
    backup_commands: tuple[str, ...] = ()
    ignore_lines: tuple[str, ...] = ()  # regexes: lines that change without a config change
    redact: tuple[str, ...] = ()  # regexes: the first group (or whole match) is replaced by <redacted>


@dataclass(frozen=True)
class Profile:
    """One vendor OS."""

    name: str
    description: str
    sys_object_id: tuple[str, ...] = ()
    sys_descr: str | None = None
    fallback: bool = False
    optical: dict[str, Sensor] | None = None  # keys rx, tx, temperature
    temperature: Sensor | None = None
    cpu: Sensor | None = None
    memory: Memory | None = None
    sessions: Sensor | None = None  # active sessions/connections of a firewall (unit count)
    radio: dict[str, Sensor] | None = None  # key signal: a wireless link's received signal (dBm)
    ssh: SshProfile | None = None

    def __hash__(self) -> int:
        return hash(self.name)


# --- strict schema walking --------------------------------------------------------------------------


class _Ctx:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, message: str) -> ProfileError:
        return ProfileError(f"{self.file}: {path}: {message}")

    def mapping(self, node: Any, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(node, dict):
            raise self.fail(path, "expected a mapping of keys")
        for key in node:
            if key not in allowed:
                raise self.fail(f"{path}.{key}" if path else str(key), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in node:
                raise self.fail(f"{path}.{key}" if path else key, "missing required key")
        return node

    def oid(self, node: Any, path: str) -> str:
        text = str(node).strip().lstrip(".") if isinstance(node, (str, int, float)) else ""
        if not _OID.match(text):
            raise self.fail(path, f"{node!r} is not a numeric OID (write the number, the symbol in a comment)")
        return text

    def string(self, node: Any, path: str) -> str:
        if not isinstance(node, str) or not node:
            raise self.fail(path, "expected a non-empty string")
        return node

    def regex(self, node: Any, path: str) -> str:
        text = self.string(node, path)
        try:
            re.compile(text)
        except re.error as exc:
            raise self.fail(path, f"invalid regular expression: {exc}") from None
        return text

    def strings(self, node: Any, path: str, item: Any = None) -> tuple[str, ...]:
        if not isinstance(node, list):
            raise self.fail(path, "expected a list")
        check = item or self.string
        return tuple(check(v, f"{path}[{i}]") for i, v in enumerate(node))

    def boolean(self, node: Any, path: str) -> bool:
        if not isinstance(node, bool):
            raise self.fail(path, "expected true or false")
        return node

    def number(self, node: Any, path: str) -> float:
        if isinstance(node, bool) or not isinstance(node, (int, float)):
            raise self.fail(path, "expected a number")
        return float(node)

    def choice(self, node: Any, path: str, options: tuple[str, ...]) -> str:
        if node not in options:
            raise self.fail(path, f"{node!r} is not one of {', '.join(options)}")
        return node


def _row_filter(ctx: _Ctx, node: Any, path: str) -> RowFilter:
    node = ctx.mapping(node, path, {"column", "equals", "regex"}, {"column"})
    if ("equals" in node) == ("regex" in node):
        raise ctx.fail(path, "give exactly one of equals or regex")
    equals = node.get("equals", [])
    if not isinstance(equals, list):
        raise ctx.fail(f"{path}.equals", "expected a list")
    return RowFilter(column=ctx.oid(node["column"], f"{path}.column"), equals=tuple(equals),
                     regex=ctx.regex(node["regex"], f"{path}.regex") if "regex" in node else None)


_SENSOR_KEYS = {"value", "scalar", "scale", "precision", "si_scale", "unit", "invert", "absent", "valid", "status",
                "filter", "name", "if_index", "pattern", "index_regex"}


def _sensor(ctx: _Ctx, node: Any, path: str, default_unit: str) -> Sensor:
    node = ctx.mapping(node, path, _SENSOR_KEYS, {"value"})
    valid = node.get("valid")
    if valid is not None:
        if not isinstance(valid, list) or len(valid) != 2:
            raise ctx.fail(f"{path}.valid", "expected [low, high]")
        valid = (ctx.number(valid[0], f"{path}.valid[0]"), ctx.number(valid[1], f"{path}.valid[1]"))
    filters = node.get("filter", [])
    if not isinstance(filters, list):
        raise ctx.fail(f"{path}.filter", "expected a list of {column, equals|regex}")
    return Sensor(
        value=ctx.oid(node["value"], f"{path}.value"),
        scalar=ctx.boolean(node.get("scalar", False), f"{path}.scalar"),
        scale=ctx.number(node.get("scale", 1.0), f"{path}.scale"),
        precision=ctx.oid(node["precision"], f"{path}.precision") if "precision" in node else None,
        si_scale=ctx.oid(node["si_scale"], f"{path}.si_scale") if "si_scale" in node else None,
        unit=ctx.choice(node.get("unit", default_unit), f"{path}.unit", UNITS),
        invert=ctx.boolean(node.get("invert", False), f"{path}.invert"),
        absent=_absent(ctx, node.get("absent", []), f"{path}.absent"),
        pattern=ctx.regex(node["pattern"], f"{path}.pattern") if "pattern" in node else None,
        index_regex=ctx.regex(node["index_regex"], f"{path}.index_regex") if "index_regex" in node else None,
        valid=valid,
        status=_row_filter(ctx, node["status"], f"{path}.status") if "status" in node else None,
        filters=tuple(_row_filter(ctx, f, f"{path}.filter[{i}]") for i, f in enumerate(filters)),
        name=ctx.oid(node["name"], f"{path}.name") if "name" in node else None,
        if_index=ctx.choice(node.get("if_index", "none"), f"{path}.if_index", IF_INDEX_MODES),
    )


def _absent(ctx: _Ctx, node: Any, path: str) -> tuple[float | str, ...]:
    if not isinstance(node, list):
        raise ctx.fail(path, "expected a list of numbers or strings")
    return tuple(v if isinstance(v, str) else ctx.number(v, f"{path}[{i}]") for i, v in enumerate(node))


def _memory(ctx: _Ctx, node: Any, path: str) -> Memory:
    node = ctx.mapping(node, path, {"percent", "used", "free", "total", "available", "scalar"})
    pairs = [{"used", "free"}, {"total", "available"}, {"total", "used"}]
    given = set(node) - {"scalar", "percent"}
    if "percent" in node:
        if given:
            raise ctx.fail(path, "give either percent or a pair of used/free/total/available, not both")
        return Memory(percent=_sensor(ctx, node["percent"], f"{path}.percent", "percent"))
    if given not in pairs:
        raise ctx.fail(path, "give percent, or used+free, total+available or total+used")
    return Memory(scalar=ctx.boolean(node.get("scalar", False), f"{path}.scalar"),
                  **{k: ctx.oid(node[k], f"{path}.{k}") for k in given})


def parse_profile(name: str, data: Any, *, file: str) -> Profile:
    """Validate one profile's parsed YAML and build it; raises ProfileError naming file and field."""
    ctx = _Ctx(file)
    data = ctx.mapping(data, "", {"description", "match", "snmp", "ssh"}, {"description", "match"})
    match = ctx.mapping(data["match"], "match", {"sys_object_id", "sys_descr", "fallback"})
    snmp = ctx.mapping(data.get("snmp") or {}, "snmp", {"optical", "temperature", "cpu", "memory", "sessions", "radio"})
    optical = None
    if "optical" in snmp:
        node = ctx.mapping(snmp["optical"], "snmp.optical", {"rx", "tx", "temperature"})
        units = {"rx": "dbm", "tx": "dbm", "temperature": "celsius"}
        optical = {k: _sensor(ctx, v, f"snmp.optical.{k}", units[k]) for k, v in node.items()}
    radio = None
    if "radio" in snmp:
        node = ctx.mapping(snmp["radio"], "snmp.radio", {"signal"}, {"signal"})
        radio = {"signal": _sensor(ctx, node["signal"], "snmp.radio.signal", "dbm")}
    ssh = None
    if "ssh" in data:
        node = ctx.mapping(data["ssh"], "ssh", {"device_type", "enable", "backup_commands", "ignore_lines", "redact"},
                           {"device_type"})
        ssh = SshProfile(
            device_type=ctx.string(node["device_type"], "ssh.device_type"),
            enable=ctx.boolean(node.get("enable", False), "ssh.enable"),
            backup_commands=ctx.strings(node.get("backup_commands", []), "ssh.backup_commands"),
            ignore_lines=ctx.strings(node.get("ignore_lines", []), "ssh.ignore_lines", ctx.regex),
            redact=ctx.strings(node.get("redact", []), "ssh.redact", ctx.regex),
        )
    profile = Profile(
        name=name,
        description=ctx.string(data["description"], "description"),
        sys_object_id=ctx.strings(match.get("sys_object_id", []), "match.sys_object_id", ctx.oid),
        sys_descr=ctx.regex(match["sys_descr"], "match.sys_descr") if "sys_descr" in match else None,
        fallback=ctx.boolean(match.get("fallback", False), "match.fallback"),
        optical=optical,
        temperature=_sensor(ctx, snmp["temperature"], "snmp.temperature", "celsius") if "temperature" in snmp else None,
        cpu=_sensor(ctx, snmp["cpu"], "snmp.cpu", "percent") if "cpu" in snmp else None,
        memory=_memory(ctx, snmp["memory"], "snmp.memory") if "memory" in snmp else None,
        sessions=_sensor(ctx, snmp["sessions"], "snmp.sessions", "count") if "sessions" in snmp else None,
        radio=radio,
        ssh=ssh,
    )
    if not (profile.sys_object_id or profile.sys_descr or profile.fallback):
        raise ctx.fail("match", "needs sys_object_id, sys_descr or fallback: true")
    return profile


def default_profile_dir() -> Path:
    """resources/profiles inside the installed package."""
    return Path(str(resources.files("nocdesk.resources") / "profiles"))


def load_profiles(directory: Path | None = None) -> dict[str, Profile]:
    """Load every *.yaml profile (name = file stem); the first bad file stops start-up with its message."""
    folder = directory or default_profile_dir()
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ProfileError(f"{path.name}: not valid YAML: {exc}") from None
        profiles[path.stem] = parse_profile(path.stem, data, file=path.name)
    fallbacks = [p.name for p in profiles.values() if p.fallback]
    if len(fallbacks) > 1:
        raise ProfileError(f"{', '.join(f + '.yaml' for f in fallbacks)}: match.fallback: only one profile may be "
                           "the fallback")
    return profiles


def match_profile(profiles: dict[str, Profile], sys_object_id: str, sys_descr: str) -> Profile | None:
    """The profile for a device: the longest matching sysObjectID prefix wins; sysDescr must match when given.

    A profile with only a sysDescr regex ranks below any sysObjectID match; the fallback comes last.
    """
    oid = sys_object_id.lstrip(".")
    best: tuple[int, Profile] | None = None
    for profile in profiles.values():
        if profile.fallback:
            continue
        if profile.sys_descr and not re.search(profile.sys_descr, sys_descr or ""):
            continue
        if profile.sys_object_id:
            lengths = [len(p.split(".")) for p in profile.sys_object_id if oid == p or oid.startswith(p + ".")]
            if not lengths:
                continue
            score = max(lengths)
        else:
            score = 0
        if best is None or score > best[0]:
            best = (score, profile)
    if best:
        return best[1]
    return next((p for p in profiles.values() if p.fallback), None)
