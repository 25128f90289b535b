"""SNMPv2-MIB system group: who a device says it is (name, description, sysObjectID, uptime)."""

from __future__ import annotations

from dataclasses import dataclass

from .snmp import SnmpCredential, SnmpValue, get

SYS_DESCR = "1.3.6.1.2.1.1.1.0"  # SNMPv2-MIB::sysDescr.0
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"  # SNMPv2-MIB::sysObjectID.0
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"  # SNMPv2-MIB::sysUpTime.0 (TimeTicks, 1/100 s)
SYS_CONTACT = "1.3.6.1.2.1.1.4.0"  # SNMPv2-MIB::sysContact.0
SYS_NAME = "1.3.6.1.2.1.1.5.0"  # SNMPv2-MIB::sysName.0
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"  # SNMPv2-MIB::sysLocation.0


@dataclass(frozen=True)
class SystemInfo:
    """The system group of one agent; strings are '' when the agent has no value."""

    sys_name: str
    sys_descr: str
    sys_object_id: str
    sys_uptime_s: float | None
    sys_location: str
    sys_contact: str


def text(value: SnmpValue | None) -> str:
    """An SNMP string value as text: bytes decoded as UTF-8 (Latin-1 if that fails), NULs stripped.

    Binary octets (a MAC address, a serial number in raw bytes) come out as hex like net-snmp shows them,
    "00:1a:2b:3c:4d:5e", never as control characters in a label.
    """
    if value is None:
        return ""
    if isinstance(value, bytes):
        trimmed = value.rstrip(b"\x00")  # C strings padded with NULs
        try:
            decoded = trimmed.decode("utf-8")
        except UnicodeDecodeError:
            decoded = trimmed.decode("latin-1")
        if any((ord(c) < 32 and c not in "\t\r\n") or 127 <= ord(c) < 160 for c in decoded):
            return ":".join(f"{b:02x}" for b in value)
        return decoded.strip()
    return str(value).strip()


def ticks_to_s(value: SnmpValue | None) -> float | None:
    """TimeTicks (hundredths of a second) as seconds; None for a missing or non-numeric value."""
    return value / 100.0 if isinstance(value, int) and value >= 0 else None


async def read_system(target: str, cred: SnmpCredential, *, label: str = "") -> SystemInfo:
    """Read the system group in one GET."""
    got = await get(target, cred, [SYS_NAME, SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_LOCATION, SYS_CONTACT],
                    label=label)
    object_id = got[SYS_OBJECT_ID]
    return SystemInfo(
        sys_name=text(got[SYS_NAME]),
        sys_descr=text(got[SYS_DESCR]),
        sys_object_id=object_id if isinstance(object_id, str) else "",
        sys_uptime_s=ticks_to_s(got[SYS_UPTIME]),
        sys_location=text(got[SYS_LOCATION]),
        sys_contact=text(got[SYS_CONTACT]),
    )
