"""HOST-RESOURCES-MIB reader: CPU load, memory and storage use (servers, RouterOS, many appliances)."""

from __future__ import annotations

from dataclasses import dataclass

from .snmp import SnmpCredential, SnmpValue, walk_columns
from .system import text

HR_PROCESSOR_LOAD = "1.3.6.1.2.1.25.3.3.1.2"  # HOST-RESOURCES-MIB::hrProcessorLoad (% over the last minute)
_STORAGE = "1.3.6.1.2.1.25.2.3.1"  # HOST-RESOURCES-MIB::hrStorageEntry
HR_STORAGE_TYPE = f"{_STORAGE}.2"  # hrStorageType (OID)
HR_STORAGE_DESCR = f"{_STORAGE}.3"  # hrStorageDescr
HR_STORAGE_UNITS = f"{_STORAGE}.4"  # hrStorageAllocationUnits (bytes per unit)
HR_STORAGE_SIZE = f"{_STORAGE}.5"  # hrStorageSize (units)
HR_STORAGE_USED = f"{_STORAGE}.6"  # hrStorageUsed (units)
_TYPES = "1.3.6.1.2.1.25.2.1"  # HOST-RESOURCES-TYPES::hrStorageTypes
STORAGE_KINDS = {f"{_TYPES}.{n}": kind for n, kind in {
    1: "other", 2: "ram", 3: "virtual_memory", 4: "fixed_disk", 5: "removable_disk", 6: "floppy_disk",
    7: "compact_disc", 8: "ram_disk", 9: "flash_memory", 10: "network_disk"}.items()}


@dataclass(frozen=True)
class StorageRow:
    """One hrStorageTable row in bytes."""

    index: int
    kind: str  # "ram", "virtual_memory", "fixed_disk", "flash_memory", ... or "other"
    descr: str
    size_bytes: int | None
    used_bytes: int | None
    used_pct: float | None


@dataclass(frozen=True)
class HostResources:
    """CPU, memory and storage of one host; None where the agent does not say."""

    cpu_pct: float | None  # average hrProcessorLoad over all processors
    cpu_count: int
    memory_pct: float | None  # used share of the hrStorageRam rows
    storages: tuple[StorageRow, ...]

    @property
    def disk_pct(self) -> float | None:
        """Fullest fixed disk (the one that will run out first)."""
        disks = [s.used_pct for s in self.storages if s.kind == "fixed_disk" and s.used_pct is not None]
        return max(disks) if disks else None


def _units(value: SnmpValue | None) -> int | None:
    if not isinstance(value, int):
        return None
    # hrStorageSize/Used are Integer32: agents on big disks send them wrapped negative.
    return value + 2**32 if value < 0 else value


def build_host_resources(columns: dict[str, dict[str, SnmpValue]]) -> HostResources:
    """Assemble HostResources from walked columns ({column oid: {index: value}})."""
    loads = [v for v in columns.get(HR_PROCESSOR_LOAD, {}).values() if isinstance(v, int) and 0 <= v <= 100]
    rows = []
    for index in sorted(columns.get(HR_STORAGE_TYPE, {}), key=lambda i: int(i) if i.isdigit() else 0):
        kind_oid = columns[HR_STORAGE_TYPE][index]
        unit = _units(columns.get(HR_STORAGE_UNITS, {}).get(index))
        size = _units(columns.get(HR_STORAGE_SIZE, {}).get(index))
        used = _units(columns.get(HR_STORAGE_USED, {}).get(index))
        size_bytes = size * unit if size is not None and unit else None
        used_bytes = used * unit if used is not None and unit else None
        pct = 100.0 * used / size if size and used is not None and 0 <= used <= size else None
        rows.append(StorageRow(
            index=int(index) if index.isdigit() else 0,
            kind=STORAGE_KINDS.get(kind_oid, "other") if isinstance(kind_oid, str) else "other",
            descr=text(columns.get(HR_STORAGE_DESCR, {}).get(index)),
            size_bytes=size_bytes,
            used_bytes=used_bytes,
            used_pct=pct,
        ))
    ram = [r for r in rows if r.kind == "ram" and r.size_bytes and r.used_bytes is not None]
    memory_pct = (100.0 * sum(r.used_bytes or 0 for r in ram) / sum(r.size_bytes or 0 for r in ram)) if ram else None
    return HostResources(
        cpu_pct=sum(loads) / len(loads) if loads else None,
        cpu_count=len(loads),
        memory_pct=memory_pct,
        storages=tuple(rows),
    )


async def read_host_resources(target: str, cred: SnmpCredential, *, label: str = "") -> HostResources:
    """Walk hrProcessorLoad and hrStorageTable."""
    columns = await walk_columns(target, cred, [HR_PROCESSOR_LOAD, HR_STORAGE_TYPE, HR_STORAGE_DESCR,
                                                HR_STORAGE_UNITS, HR_STORAGE_SIZE, HR_STORAGE_USED], label=label)
    return build_host_resources(columns)
