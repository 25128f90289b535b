"""Device inventory: add, edit, remove and list devices, with sites and groups created on first use.

Validation happens here once, for the CLI, the CSV import and the UI alike; each problem is a plain sentence
naming the field.
"""

from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .errors import ConfigError
from .i18n import _
from .store import Store

KINDS = ("router", "switch", "firewall", "server", "access_point", "wireless_bridge", "ups", "cctv",
         "printer", "workstation", "other")
KIND_ALIASES = {"ap": "access_point", "access point": "access_point", "camera": "cctv", "radio": "wireless_bridge",
                "nvr": "cctv", "vm": "server", "host": "server"}
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_NAME = re.compile(r"^[^\s,;][^,;\x00-\x1f\x7f]{0,62}\Z")  # no line breaks or control characters
_CHECK_METHOD = re.compile(r"^(icmp|snmp|tcp:([1-9][0-9]{0,4}))$")
MIN_INTERVAL_S, MAX_INTERVAL_S = 10, 86400


@dataclass
class DeviceSpec:
    """What a user says about a device; site, group and parent are given by name."""

    name: str
    address: str
    kind: str = "other"
    site: str = ""
    group: str = ""
    parent: str = ""
    snmp_credential: str = ""
    ssh_credential: str = ""
    profile: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    enabled: bool = True
    interval_s: int = 60
    check_method: str = "icmp"

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def normalise_kind(kind: str) -> str:
    """Map what users type ('Access Point', 'camera') to a known kind, or return it unchanged."""
    k = kind.strip().lower()
    return KIND_ALIASES.get(k, k.replace(" ", "_").replace("-", "_"))


def is_valid_address(address: str) -> bool:
    """An IPv4/IPv6 literal or a DNS host name."""
    try:
        ipaddress.ip_address(address)
        return True
    except ValueError:
        # A dotted string of digits that failed as an IP (e.g. 10.0.0.300) is a typo, not a host name.
        if re.fullmatch(r"[\d.]+", address):
            return False
        return bool(_HOSTNAME.match(address))


def check_spec(spec: DeviceSpec) -> list[str]:
    """Problems with a spec on its own (no database needed); empty when it is fine."""
    problems = []
    if not spec.name.strip():
        problems.append(_("name is empty"))
    elif not _NAME.match(spec.name.strip()):
        problems.append(_("name '{name}' must be 1-63 characters without commas, semicolons or line breaks").format(name=spec.name))
    if not spec.address.strip():
        problems.append(_("address is empty"))
    elif not is_valid_address(spec.address.strip()):
        problems.append(_("address '{address}' is not an IP address or host name").format(address=spec.address))
    if normalise_kind(spec.kind) not in KINDS:
        problems.append(_("kind '{kind}' is unknown (use one of: {kinds})").format(kind=spec.kind, kinds=", ".join(KINDS)))
    try:
        interval_s = int(spec.interval_s)
    except (TypeError, ValueError):
        problems.append(_("interval '{interval}' is not a whole number of seconds").format(interval=spec.interval_s))
    else:
        if not MIN_INTERVAL_S <= interval_s <= MAX_INTERVAL_S:
            problems.append(_("interval {interval} s is outside {low}-{high} s")
                            .format(interval=spec.interval_s, low=MIN_INTERVAL_S, high=MAX_INTERVAL_S))
    for tag in spec.tags:
        if "," in tag:
            problems.append(_("tag '{tag}' must not contain a comma").format(tag=tag))
    if not _CHECK_METHOD.match(spec.check_method or "icmp"):
        problems.append(_("check method '{method}' is unknown (use icmp, snmp or tcp:PORT)").format(method=spec.check_method))
    if spec.parent and spec.parent.strip().lower() == spec.name.strip().lower():
        problems.append(_("a device cannot be its own parent"))
    return problems


def _id_of(store: Store, table: str, name: str) -> int | None:
    row = store.conn.execute(f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    return row[0] if row else None


def ensure_site(store: Store, name: str, **extra: Any) -> int:
    """The id of site `name`, created when missing."""
    existing = _id_of(store, "sites", name)
    if existing is not None:
        return existing
    return store.conn.execute("INSERT INTO sites(name, kind) VALUES (?, ?)", (name, extra.get("kind", "site"))).lastrowid


def ensure_group(store: Store, name: str) -> int:
    """The id of device group `name`, created when missing."""
    existing = _id_of(store, "device_groups", name)
    if existing is not None:
        return existing
    return store.conn.execute("INSERT INTO device_groups(name) VALUES (?)", (name,)).lastrowid


def _row_values(store: Store, spec: DeviceSpec, *, parent_pending: bool = False) -> dict[str, Any]:
    parent_id = None
    if spec.parent and not parent_pending:
        parent_id = _id_of(store, "devices", spec.parent)
    return {
        "name": spec.name.strip(), "address": spec.address.strip(), "kind": normalise_kind(spec.kind),
        "site_id": ensure_site(store, spec.site.strip()) if spec.site.strip() else None,
        "group_id": ensure_group(store, spec.group.strip()) if spec.group.strip() else None,
        "parent_id": parent_id, "parent_pinned": 1 if parent_id else 0,
        "snmp_credential": spec.snmp_credential or None, "ssh_credential": spec.ssh_credential or None,
        "profile": spec.profile or None, "tags": ",".join(t.strip() for t in spec.tags if t.strip()),
        "notes": spec.notes, "enabled": 1 if spec.enabled else 0, "interval_s": int(spec.interval_s),
        "check_method": spec.check_method or "icmp",
    }


def conflicts(store: Store, spec: DeviceSpec, *, except_id: int | None = None) -> list[str]:
    """Problems that need the database: duplicate name or address, unknown parent."""
    problems = []
    row = store.conn.execute("SELECT id FROM devices WHERE name = ? COLLATE NOCASE", (spec.name.strip(),)).fetchone()
    if row and row[0] != except_id:
        problems.append(_("a device named '{name}' already exists").format(name=spec.name.strip()))
    row = store.conn.execute("SELECT name, id FROM devices WHERE address = ? COLLATE NOCASE",
                             (spec.address.strip(),)).fetchone()
    if row and row[1] != except_id:
        problems.append(_("address {address} is already used by '{name}'").format(address=spec.address.strip(), name=row[0]))
    if spec.parent and _id_of(store, "devices", spec.parent) is None:
        problems.append(_("parent '{parent}' is not a known device").format(parent=spec.parent))
    return problems


def add_device(store: Store, spec: DeviceSpec) -> int:
    """Add a device; raise ConfigError listing every problem when the spec is not acceptable."""
    problems = check_spec(spec) or conflicts(store, spec)
    if problems:
        raise ConfigError(f"{spec.name or '?'}: " + "; ".join(problems))
    with store.transaction():
        return insert_devices(store, [spec])[0]


def insert_devices(store: Store, specs: list[DeviceSpec]) -> list[int]:
    """Insert already-validated specs inside the caller's transaction; parents may be among the specs, in any order."""
    now = int(time.time())
    ids = []
    for spec in specs:
        values = _row_values(store, spec, parent_pending=True) | {"created_at": now, "updated_at": now}
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        ids.append(store.conn.execute(f"INSERT INTO devices({cols}) VALUES ({marks})", list(values.values())).lastrowid)
    for spec, ident in zip(specs, ids, strict=True):
        if spec.parent.strip():
            parent_id = _id_of(store, "devices", spec.parent.strip())
            if parent_id is None:
                raise ConfigError(_("{name}: parent '{parent}' is not a known device").format(name=spec.name,
                                                                                           parent=spec.parent))
            store.conn.execute("UPDATE devices SET parent_id = ?, parent_pinned = 1 WHERE id = ?", (parent_id, ident))
    return ids


def find_device(store: Store, name_or_address: str) -> dict[str, Any]:
    """A device row as a dict, found by name or address; ConfigError when there is none."""
    row = store.conn.execute(
        "SELECT * FROM devices WHERE name = ? COLLATE NOCASE OR address = ? COLLATE NOCASE LIMIT 1",
        (name_or_address, name_or_address)).fetchone()
    if row is None:
        raise ConfigError(_("no device named '{name}'").format(name=name_or_address))
    return dict(row)


def spec_of(store: Store, device: dict[str, Any]) -> DeviceSpec:
    """The DeviceSpec describing an existing device row (names instead of ids)."""
    def name(table: str, ident: int | None) -> str:
        if ident is None:
            return ""
        row = store.conn.execute(f"SELECT name FROM {table} WHERE id = ?", (ident,)).fetchone()
        return row[0] if row else ""
    return DeviceSpec(
        name=device["name"], address=device["address"], kind=device["kind"], site=name("sites", device["site_id"]),
        group=name("device_groups", device["group_id"]), parent=name("devices", device["parent_id"]),
        snmp_credential=device["snmp_credential"] or "", ssh_credential=device["ssh_credential"] or "",
        profile=device["profile"] or "", tags=[t for t in device["tags"].split(",") if t], notes=device["notes"],
        enabled=bool(device["enabled"]), interval_s=device["interval_s"], check_method=device["check_method"])


def update_device(store: Store, name_or_address: str, **changes: Any) -> DeviceSpec:
    """Change fields of a device (DeviceSpec field names); returns the new spec."""
    device = find_device(store, name_or_address)
    spec = spec_of(store, device)
    unknown = set(changes) - set(DeviceSpec.field_names())
    if unknown:
        raise ConfigError(_("unknown field(s): {fields}").format(fields=", ".join(sorted(unknown))))
    new = DeviceSpec(**(asdict(spec) | changes))
    problems = check_spec(new) or conflicts(store, new, except_id=device["id"])
    if problems:
        raise ConfigError(f"{device['name']}: " + "; ".join(problems))
    with store.transaction():
        values = _row_values(store, new) | {"updated_at": int(time.time())}
        if "parent" not in changes:
            values.pop("parent_id")
            values.pop("parent_pinned")
        assignments = ", ".join(f"{k} = ?" for k in values)
        store.conn.execute(f"UPDATE devices SET {assignments} WHERE id = ?", [*values.values(), device["id"]])
    return new


def remove_device(store: Store, name_or_address: str) -> None:
    """Remove a device and everything measured about it (its history rows go with it)."""
    device = find_device(store, name_or_address)
    with store.transaction() as conn:
        sensor_ids = [r[0] for r in conn.execute("SELECT id FROM sensors WHERE device_id = ?", (device["id"],))]
        for table in ("samples", "rollup_5m", "rollup_1h", "rollup_1d"):
            conn.executemany(f"DELETE FROM {table} WHERE sensor_id = ?", [(s,) for s in sensor_ids])
        # Its children lose their parent; let topology choose a new one instead of keeping "pinned to none".
        conn.execute("UPDATE devices SET parent_pinned = 0 WHERE parent_id = ?", (device["id"],))
        conn.execute("DELETE FROM devices WHERE id = ?", (device["id"],))


def list_devices(store: Store) -> list[dict[str, Any]]:
    """All devices with their site and group names, ordered by name."""
    rows = store.conn.execute(
        "SELECT d.*, s.name AS site, g.name AS device_group, p.name AS parent FROM devices d "
        "LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN device_groups g ON g.id = d.group_id "
        "LEFT JOIN devices p ON p.id = d.parent_id ORDER BY d.name COLLATE NOCASE")
    return [dict(r) for r in rows]
