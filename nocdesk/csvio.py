"""Devices to and from CSV files: a plan that checks every row first, then one transaction that imports it.

The columns are the DeviceSpec fields. Files from spreadsheets are read as they come: a BOM, ';' or tab
as delimiter (Indonesian Excel writes ';'), an Excel "sep=;" line, header variants ('IP Address', 'Type'),
Windows-1252 bytes. Row problems are reported with the physical line number in the file. An export writes
the same columns, so export -> import round-trips; it holds credential names only, never secrets.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TextIO

from .errors import ConfigError
from .i18n import _
from .inventory import DeviceSpec, check_spec, conflicts, insert_devices, list_devices
from .store import Store

COLUMNS: tuple[str, ...] = tuple(DeviceSpec.field_names())
REQUIRED = ("name", "address")
DELIMITERS = (",", ";", "\t")
ALL_OR_NOTHING, VALID_ONLY = "all-or-nothing", "valid-only"
MODES = (ALL_OR_NOTHING, VALID_ONLY)
# Header spellings seen in spreadsheets, after lower-casing and turning runs of other characters into '_'.
HEADER_ALIASES = {
    "device": "name", "device_name": "name", "devicename": "name", "nama": "name", "nama_perangkat": "name",
    "ip": "address", "ip_address": "address", "ipaddress": "address", "ip_addr": "address", "host": "address",
    "addr": "address", "alamat": "address", "alamat_ip": "address",
    "type": "kind", "device_type": "kind", "jenis": "kind", "tipe": "kind",
    "location": "site", "lokasi": "site", "device_group": "group", "grup": "group", "kelompok": "group",
    "parent_device": "parent", "upstream": "parent", "induk": "parent",
    "snmp": "snmp_credential", "snmp_cred": "snmp_credential", "ssh": "ssh_credential", "ssh_cred": "ssh_credential",
    "vendor_profile": "profile", "tag": "tags", "note": "notes", "description": "notes", "keterangan": "notes",
    "catatan": "notes", "enable": "enabled", "active": "enabled", "aktif": "enabled",
    "interval": "interval_s", "interval_sec": "interval_s", "interval_seconds": "interval_s",
}
_TRUE = {"1", "yes", "y", "true", "t", "on", "ya", "aktif", "enabled"}
_FALSE = {"0", "no", "n", "false", "f", "off", "tidak", "nonaktif", "disabled"}
_TAG_SPLIT = re.compile(r"[;|,]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RowProblem:
    """A rejected row: its first physical line in the file, the device name it gave, and why."""

    line: int
    name: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return _("line {line}: {reasons}").format(line=self.line, reasons="; ".join(self.reasons))


@dataclass(frozen=True)
class PlannedRow:
    """One data row as read: the spec it describes and the problems found without the database."""

    line: int
    spec: DeviceSpec
    problems: tuple[str, ...] = ()


@dataclass
class ImportPlan:
    """What importing a file would do: every row, which are accepted, which are rejected and why."""

    path: Path
    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    rows: list[PlannedRow]
    accepted: list[PlannedRow]
    rejected: list[RowProblem]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row can be imported."""
        return not self.rejected


@dataclass
class ImportResult:
    """What an import did: the names of the devices added and the rows left out."""

    mode: str
    imported: list[str]
    rejected: list[RowProblem]

    @property
    def ok(self) -> bool:
        """True when every row was imported."""
        return not self.rejected


# --- reading --------------------------------------------------------------------------------------

def _decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    not_text = ConfigError(_("{path} is not a CSV text file (it holds binary data); save the sheet as CSV "
                             "(comma or semicolon separated) and import that file.").format(path=path))
    if data.startswith(b"PK\x03\x04"):
        raise ConfigError(_("{path} is an Excel workbook, not CSV; in Excel use Save As > CSV and import that "
                            "file.").format(path=path))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise not_text from None
    elif b"\x00" in data:
        raise not_text
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as err:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise not_text from None
            line = data[:err.start].count(b"\n") + 1
            notes.append(_("{path} is not UTF-8 (first odd byte on line {line}); it was read as Windows-1252. "
                           "Check accented names after the import.").format(path=path, line=line))
    if _CONTROL.search(text):
        raise not_text
    return text.lstrip("\ufeff"), encoding, notes


def _canonical(header: str) -> str | None:
    key = re.sub(r"[^a-z0-9]+", "_", header.strip().lstrip("\ufeff").lower()).strip("_")
    return key if key in COLUMNS else HEADER_ALIASES.get(key)


def _sniff(header_line: str) -> str:
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(1 for c in cells if _canonical(c)), len(cells)
    return max(DELIMITERS, key=score)


def _header_map(path: Path, header: list[str], notes: list[str]) -> list[str | None]:
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    for cell in header:
        column = _canonical(cell)
        if column is None:
            if cell.strip():
                notes.append(_("column '{column}' is not a device field and was ignored").format(column=cell.strip()))
        elif column in seen:
            raise ConfigError(_("{path}: columns '{first}' and '{second}' both mean {column}; keep one of them.")
                              .format(path=path, first=seen[column], second=cell.strip(), column=column))
        else:
            seen[column] = cell.strip()
        mapping.append(column)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise ConfigError(_("{path}: the header row has no {missing} column (found: {found}); the first line must "
                            "name the columns, e.g. {example}.")
                          .format(path=path, missing=" or ".join(missing), found=", ".join(header) or "-",
                                  example=",".join(COLUMNS[:4])))
    return mapping


def _parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if not value or value in _TRUE:
        return True
    return False if value in _FALSE else None


def _parse_interval(text: str) -> int | None:
    value = text.strip().lower().removesuffix("s").strip()
    if not value:
        return 60
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _row(line: int, cells: list[str], mapping: list[str | None]) -> PlannedRow:
    if len(cells) != len(mapping) and not (len(cells) > len(mapping) and not any(c.strip() for c in cells[len(mapping):])):
        spec = DeviceSpec(name=cells[0].strip() if cells else "", address="")
        return PlannedRow(line, spec, (_("has {found} fields but the header has {expected} (a value containing the "
                                         "delimiter must be in double quotes)")
                                       .format(found=len(cells), expected=len(mapping)),))
    values = {col: cell.strip() for col, cell in zip(mapping, cells, strict=False) if col}
    problems: list[str] = []
    enabled = _parse_bool(values.get("enabled", ""))
    if enabled is None:
        problems.append(_("enabled '{value}' must be yes or no").format(value=values["enabled"]))
    interval_s = _parse_interval(values.get("interval_s", ""))
    if interval_s is None:
        problems.append(_("interval '{value}' is not a whole number of seconds").format(value=values["interval_s"]))
    kwargs = {f.name: values.get(f.name) or f.default for f in fields(DeviceSpec)
              if f.name not in ("tags", "enabled", "interval_s") and isinstance(f.default, str)}
    spec = DeviceSpec(name=values.get("name", ""), address=values.get("address", ""), **kwargs,
                      tags=[t.strip() for t in _TAG_SPLIT.split(values.get("tags", "")) if t.strip()],
                      enabled=enabled is not False, interval_s=60 if interval_s is None else interval_s)
    return PlannedRow(line, spec, tuple(problems + check_spec(spec)))


def _read_file(path: Path | str) -> tuple[list[PlannedRow], str, str, tuple[str, ...], list[str]]:
    """Parse a CSV file into rows (no database): (rows, encoding, delimiter, columns, notes)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(_("{path}: no such file").format(path=path)) from None
    except OSError as err:
        raise ConfigError(_("{path}: cannot read it ({reason})").format(path=path, reason=err.strerror)) from None
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ConfigError(_("{path} is empty; it needs a header row ({example},...) and one row per device.")
                          .format(path=path, example=",".join(COLUMNS[:4])))
    text, encoding, notes = _decode(path, data)
    # Only \r, \n and \r\n end a line, as for the csv module (str.splitlines also splits on \x85, \u2028...).
    lines = io.StringIO(text, newline="").readlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    hint = re.fullmatch(r"sep=(.)", lines[start].strip()) if start < len(lines) else None
    if hint:  # Excel's own "sep=;" line
        delimiter, start = hint.group(1), start + 1
    else:
        delimiter = _sniff(lines[start] if start < len(lines) else "")
    reader = csv.reader(io.StringIO("".join(lines[start:]), newline=""), delimiter=delimiter, strict=True)
    rows: list[PlannedRow] = []
    mapping: list[str | None] | None = None
    consumed = 0
    try:
        for cells in reader:
            first_line = start + consumed + 1
            consumed = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines and Excel's ';;;;' rows
            if mapping is None:
                mapping = _header_map(path, cells, notes)
                continue
            rows.append(_row(first_line, cells, mapping))
    except csv.Error as err:
        raise ConfigError(_("{path}: line {line}: {reason} (check the double quotes)")
                          .format(path=path, line=start + reader.line_num, reason=err)) from None
    if mapping is None:
        raise ConfigError(_("{path} has no header row.").format(path=path))
    if not rows:
        raise ConfigError(_("{path} has a header row but no devices; add one row per device.").format(path=path))
    columns = tuple(c for c in mapping if c)
    return rows, encoding, delimiter, columns, notes


# --- checking -------------------------------------------------------------------------------------

def _validate(store: Store, rows: list[PlannedRow]) -> tuple[list[PlannedRow], list[RowProblem]]:
    reasons: dict[int, list[str]] = {}
    names: dict[str, int] = {}
    addresses: dict[str, int] = {}
    for index, row in enumerate(rows):
        spec, found = row.spec, list(row.problems)
        name, address = spec.name.strip().lower(), spec.address.strip().lower()
        if name and name in names:
            found.append(_("name '{name}' is already on line {line}").format(name=spec.name, line=rows[names[name]].line))
        elif name:
            names[name] = index
        if address and address in addresses:
            found.append(_("address {address} is already on line {line}")
                         .format(address=spec.address, line=rows[addresses[address]].line))
        elif address:
            addresses[address] = index
        if not row.problems:
            found += conflicts(store, replace(spec, parent=""))
        reasons[index] = found
    _check_parents(store, rows, names, reasons)
    accepted = [row for i, row in enumerate(rows) if not reasons[i]]
    rejected = [RowProblem(row.line, row.spec.name, tuple(reasons[i])) for i, row in enumerate(rows) if reasons[i]]
    return accepted, rejected


def _check_parents(store: Store, rows: list[PlannedRow], names: dict[str, int], reasons: dict[int, list[str]]) -> None:
    def in_db(parent: str) -> bool:
        return store.conn.execute("SELECT 1 FROM devices WHERE name = ? COLLATE NOCASE", (parent,)).fetchone() is not None

    known = {i: in_db(row.spec.parent.strip()) for i, row in enumerate(rows) if row.spec.parent.strip()}
    for i, row in enumerate(rows):
        parent = row.spec.parent.strip()
        if parent and not known[i] and parent.lower() not in names:
            reasons[i].append(_("parent '{parent}' is neither a known device nor in this file").format(parent=parent))
    changed = True
    while changed:  # a rejected parent takes its children (and theirs) with it
        changed = False
        for i, row in enumerate(rows):
            parent = row.spec.parent.strip()
            if reasons[i] or not parent or known[i]:
                continue
            j = names[parent.lower()]
            if reasons[j]:
                reasons[i].append(_("its parent '{parent}' (line {line}) is rejected").format(parent=parent,
                                                                                            line=rows[j].line))
                changed = True
    for i in range(len(rows)):
        chain, j = [i], i
        while not reasons[i] and rows[j].spec.parent.strip() and not known[j]:
            j = names[rows[j].spec.parent.strip().lower()]
            if j == i:
                loop = " -> ".join(rows[k].spec.name for k in [*chain, i])
                reasons[i].append(_("parents form a loop: {loop}").format(loop=loop))
                break
            if j in chain:
                break
            chain.append(j)


def plan_import(store: Store, path: Path | str) -> ImportPlan:
    """Read and check a CSV file against the database without changing anything."""
    rows, encoding, delimiter, columns, notes = _read_file(path)
    accepted, rejected = _validate(store, rows)
    credential_names = {r[0].lower() for r in store.conn.execute("SELECT name FROM credentials")}
    for row in accepted:
        for ref in (row.spec.snmp_credential, row.spec.ssh_credential):
            if ref and ref.lower() not in credential_names:
                notes.append(_("line {line}: credential '{name}' does not exist yet; add it before polling")
                             .format(line=row.line, name=ref))
    return ImportPlan(Path(path), encoding, delimiter, columns, rows, accepted, rejected, notes)


def apply_import(store: Store, plan: ImportPlan, mode: str = ALL_OR_NOTHING) -> ImportResult:
    """Import a plan in one transaction: all rows or none ('all-or-nothing'), or every valid row ('valid-only')."""
    if mode not in MODES:
        raise ConfigError(_("import mode '{mode}' is unknown (use {modes})").format(mode=mode, modes=" or ".join(MODES)))
    with store.transaction():
        # Checked again under the write lock: the database may have changed since the plan was made.
        accepted, rejected = _validate(store, plan.rows)
        if rejected and mode == ALL_OR_NOTHING:
            return ImportResult(mode, [], rejected)
        insert_devices(store, [row.spec for row in accepted])
    return ImportResult(mode, [row.spec.name for row in accepted], rejected)


# --- writing --------------------------------------------------------------------------------------

def device_rows(store: Store) -> Iterable[list[str]]:
    """Every device as a list of CSV cells in COLUMNS order (credential names only, never secrets)."""
    for d in list_devices(store):
        values = dict(d) | {"group": d["device_group"], "tags": "|".join(t for t in d["tags"].split(",") if t),
                            "enabled": "yes" if d["enabled"] else "no"}
        yield ["" if values[c] is None else str(values[c]) for c in COLUMNS]


def write_devices(store: Store, out: TextIO, *, delimiter: str = ",", lineterminator: str = "\r\n") -> int:
    """Write the header and every device to an open text stream; returns the number of devices."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(COLUMNS)
    count = 0
    for cells in device_rows(store):
        writer.writerow(cells)
        count += 1
    return count


def export_devices(store: Store, target: Path | str, *, delimiter: str = ",") -> int:
    """Write all devices to a CSV file ('-' = stdout); UTF-8 with a BOM so Excel shows accents right."""
    if delimiter not in DELIMITERS:
        raise ConfigError(_("delimiter must be ',', ';' or a tab"))
    if str(target) == "-":
        return write_devices(store, sys.stdout, delimiter=delimiter, lineterminator="\n")
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8-sig", newline="") as out:
            count = write_devices(store, out, delimiter=delimiter)
        os.replace(partial, target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise ConfigError(_("cannot write {path} ({reason})").format(path=target, reason=err.strerror or err)) from None
    return count
