"""LLDP-MIB and CISCO-CDP-MIB neighbour tables: who is on the other end of each port.

Returns plain Neighbour records; matching them to known devices and interfaces is the core's job
(nocdesk/topology.py). Agents without LLDP or CDP simply give an empty list.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from nocdesk.errors import NocdeskError

from .snmp import SnmpCredential, SnmpValue, get, walk_columns
from .system import text

_LLDP = "1.0.8802.1.1.2.1"
LLDP_LOC_CHASSIS_SUBTYPE = f"{_LLDP}.3.1.0"   # LLDP-MIB::lldpLocChassisIdSubtype
LLDP_LOC_CHASSIS_ID = f"{_LLDP}.3.2.0"        # LLDP-MIB::lldpLocChassisId
LLDP_LOC_SYS_NAME = f"{_LLDP}.3.3.0"          # LLDP-MIB::lldpLocSysName
_LOC_PORT = {"port_id_subtype": f"{_LLDP}.3.7.1.2", "port_id": f"{_LLDP}.3.7.1.3", "port_desc": f"{_LLDP}.3.7.1.4"}
_REM = {  # lldpRemTable, index timeMark.localPortNum.remIndex
    "chassis_subtype": f"{_LLDP}.4.1.1.4", "chassis_id": f"{_LLDP}.4.1.1.5", "port_id_subtype": f"{_LLDP}.4.1.1.6",
    "port_id": f"{_LLDP}.4.1.1.7", "port_desc": f"{_LLDP}.4.1.1.8", "sys_name": f"{_LLDP}.4.1.1.9",
    "sys_descr": f"{_LLDP}.4.1.1.10",
}
_REM_MAN_ADDR_IF_SUBTYPE = f"{_LLDP}.4.2.1.3"  # lldpRemManAddrTable; the address is in the index
_CDP = "1.3.6.1.4.1.9.9.23.1.2.1.1"            # CISCO-CDP-MIB::cdpCacheEntry, index ifIndex.deviceIndex
_CDP_COLS = {"address_type": f"{_CDP}.3", "address": f"{_CDP}.4", "device_id": f"{_CDP}.6",
             "device_port": f"{_CDP}.7", "platform": f"{_CDP}.8"}

# LLDP chassis/port id subtypes whose value is a MAC address or a network address.
_CHASSIS_MAC, _CHASSIS_NETADDR = 4, 5
_PORT_MAC, _PORT_NETADDR = 3, 4


@dataclass(frozen=True)
class Neighbour:
    """One neighbour seen on one local port, by LLDP or CDP."""

    protocol: str                      # "lldp" | "cdp"
    local_port_num: int                # lldpLocPortNum, or the ifIndex for CDP
    local_port_id: str                 # as the device names its own port (often ifName), '' if unknown
    local_port_desc: str
    remote_chassis_id: str             # MAC as aa:bb:cc:dd:ee:ff, else the text given
    remote_port_id: str
    remote_port_desc: str
    remote_sys_name: str
    remote_sys_descr: str
    remote_addresses: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class LocalIdentity:
    """What a device announces about itself over LLDP."""

    chassis_id: str
    sys_name: str


def format_id(value: SnmpValue | None, subtype: int | None, *, mac_subtype: int, addr_subtype: int) -> str:
    """An LLDP id as text: MACs as colon hex, network addresses as dotted text, names as themselves."""
    if value is None:
        return ""
    raw = value if isinstance(value, bytes) else str(value).encode()
    if subtype == mac_subtype and len(raw) == 6:
        return ":".join(f"{b:02x}" for b in raw)
    if subtype == addr_subtype and len(raw) in (5, 17):  # IANA address family byte + address
        try:
            return str(ipaddress.ip_address(raw[1:]))
        except ValueError:
            pass
    decoded = text(raw)
    if decoded and all(c.isprintable() for c in decoded):
        return decoded
    return ":".join(f"{b:02x}" for b in raw)


def _addresses_from_index(suffixes: list[str]) -> dict[tuple[int, int], list[str]]:
    """lldpRemManAddrTable index: timeMark.localPort.remIndex.addrSubtype.addrLen.addrBytes..."""
    found: dict[tuple[int, int], list[str]] = {}
    for suffix in suffixes:
        parts = [int(p) for p in suffix.split(".")]
        if len(parts) < 6:
            continue
        local_port, rem_index, subtype, length, addr = parts[1], parts[2], parts[3], parts[4], parts[5:]
        if len(addr) != length or subtype not in (1, 2):
            continue
        try:
            ip = str(ipaddress.ip_address(bytes(addr)))
        except ValueError:
            continue
        found.setdefault((local_port, rem_index), []).append(ip)
    return found


async def read_local_identity(target: str, cred: SnmpCredential, *, label: str = "") -> LocalIdentity | None:
    """The device's own LLDP chassis id and name, or None when it has no LLDP agent."""
    got = await get(target, cred, [LLDP_LOC_CHASSIS_SUBTYPE, LLDP_LOC_CHASSIS_ID, LLDP_LOC_SYS_NAME], label=label)
    if got[LLDP_LOC_CHASSIS_ID] is None:
        return None
    subtype = got[LLDP_LOC_CHASSIS_SUBTYPE]
    return LocalIdentity(
        chassis_id=format_id(got[LLDP_LOC_CHASSIS_ID], subtype if isinstance(subtype, int) else None,
                             mac_subtype=_CHASSIS_MAC, addr_subtype=_CHASSIS_NETADDR),
        sys_name=text(got[LLDP_LOC_SYS_NAME]))


async def read_lldp(target: str, cred: SnmpCredential, *, label: str = "") -> list[Neighbour]:
    """LLDP neighbours from lldpRemTable, with local port names and management addresses."""
    rem = await walk_columns(target, cred, list(_REM.values()), label=label)
    if not rem.get(_REM["chassis_id"]):
        return []
    loc = await walk_columns(target, cred, list(_LOC_PORT.values()), label=label)
    man = await walk_columns(target, cred, [_REM_MAN_ADDR_IF_SUBTYPE], label=label)
    addresses = _addresses_from_index(list(man.get(_REM_MAN_ADDR_IF_SUBTYPE, {})))
    out = []
    for suffix, chassis in rem[_REM["chassis_id"]].items():
        parts = suffix.split(".")
        if len(parts) != 3:
            continue
        local_port, rem_index = int(parts[1]), int(parts[2])

        def col(name: str, table: dict = rem, key: str = suffix) -> SnmpValue | None:
            return table.get(_REM.get(name, _LOC_PORT.get(name, "")), {}).get(key)

        chassis_subtype = col("chassis_subtype")
        port_subtype = col("port_id_subtype")
        loc_subtype = loc.get(_LOC_PORT["port_id_subtype"], {}).get(str(local_port))
        out.append(Neighbour(
            protocol="lldp", local_port_num=local_port,
            local_port_id=format_id(loc.get(_LOC_PORT["port_id"], {}).get(str(local_port)),
                                    loc_subtype if isinstance(loc_subtype, int) else None,
                                    mac_subtype=_PORT_MAC, addr_subtype=_PORT_NETADDR),
            local_port_desc=text(loc.get(_LOC_PORT["port_desc"], {}).get(str(local_port))),
            remote_chassis_id=format_id(chassis, chassis_subtype if isinstance(chassis_subtype, int) else None,
                                        mac_subtype=_CHASSIS_MAC, addr_subtype=_CHASSIS_NETADDR),
            remote_port_id=format_id(col("port_id"), port_subtype if isinstance(port_subtype, int) else None,
                                     mac_subtype=_PORT_MAC, addr_subtype=_PORT_NETADDR),
            remote_port_desc=text(col("port_desc")), remote_sys_name=text(col("sys_name")),
            remote_sys_descr=text(col("sys_descr")),
            remote_addresses=tuple(addresses.get((local_port, rem_index), ()))))
    return out


async def read_cdp(target: str, cred: SnmpCredential, *, label: str = "") -> list[Neighbour]:
    """CDP neighbours from cdpCacheTable (Cisco and devices that speak CDP)."""
    cdp = await walk_columns(target, cred, list(_CDP_COLS.values()), label=label)
    out = []
    for suffix, device_id in cdp.get(_CDP_COLS["device_id"], {}).items():
        parts = suffix.split(".")
        if len(parts) != 2:
            continue
        address = cdp.get(_CDP_COLS["address"], {}).get(suffix)
        addr_type = cdp.get(_CDP_COLS["address_type"], {}).get(suffix)
        ips: tuple[str, ...] = ()
        if isinstance(address, bytes) and addr_type == 1 and len(address) == 4:
            ips = (str(ipaddress.ip_address(address)),)
        name = text(device_id)
        out.append(Neighbour(
            protocol="cdp", local_port_num=int(parts[0]), local_port_id="", local_port_desc="",
            remote_chassis_id=name, remote_port_id=text(cdp.get(_CDP_COLS["device_port"], {}).get(suffix)),
            remote_port_desc="", remote_sys_name=name.split("(")[0].strip(),
            remote_sys_descr=text(cdp.get(_CDP_COLS["platform"], {}).get(suffix)), remote_addresses=ips))
    return out


async def read_neighbours(target: str, cred: SnmpCredential, *, label: str = "") -> list[Neighbour]:
    """LLDP and CDP neighbours together; a table the agent lacks contributes nothing."""
    found: list[Neighbour] = []
    for reader in (read_lldp, read_cdp):
        try:
            found.extend(await reader(target, cred, label=label))
        except NocdeskError:
            if reader is read_lldp:
                raise
    return found
