"""The demo network as data, and the live values its simulated devices report.

A Pemda data center (core router, distribution switch, three SPBE servers) with two kecamatan offices
on fiber. Traffic follows an office-hours day curve; the fiber to one kecamatan is cut every few minutes
and restored, so alerts, the map and the reports have something real to show.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field

from .agent import Oid

DEMO_COMMUNITY = "demo-public"
DEMO_PORT = 16161
SYS_UPTIME_EPOCH = time.time() - 86400 * 41.3  # the simulated devices have been up for ~41 days


@dataclass
class DemoPort:
    """One interface of a simulated device; `peer` names the device:port at the other end."""

    if_index: int
    name: str
    speed_mbps: int
    alias: str = ""
    peer: str = ""
    medium: str = "copper"
    peak_mbps: float = 0.0          # traffic at the busiest hour, inbound; outbound is a fraction of it
    out_ratio: float = 0.35
    rx_dbm: float | None = None     # fiber optics
    tx_dbm: float | None = None


@dataclass
class DemoDevice:
    """A simulated device: identity, site, parent and its ports."""

    name: str
    address: str
    kind: str
    site: str
    sys_descr: str
    sys_object_id: str
    parent: str = ""
    group: str = ""
    ports: list[DemoPort] = field(default_factory=list)
    cut_by: str = ""                # the fiber link whose cut makes this device unreachable
    cpu_pct: float | None = None    # servers report HOST-RESOURCES
    mem_total_mb: int = 0


@dataclass
class FiberCut:
    """The scenario: `link` is cut for `down_s` seconds every `every_s` seconds."""

    link: str
    every_s: float = 300.0
    down_s: float = 90.0
    offset_s: float = 120.0

    def is_cut(self, now: float, started: float) -> bool:
        t = now - started - self.offset_s
        return t >= 0 and (t % self.every_s) < self.down_s


def _fiber(if_index: int, name: str, peer: str, alias: str, peak: float, rx: float) -> DemoPort:
    return DemoPort(if_index, name, 1000, alias=alias, peer=peer, medium="fiber", peak_mbps=peak,
                    rx_dbm=rx, tx_dbm=-2.1)


def demo_devices() -> list[DemoDevice]:
    """The devices of the demo network (addresses on 127.77.0.0/24, SNMP on a high port)."""
    linux = "1.3.6.1.4.1.8072.3.2.10"
    switch_oid = "1.3.6.1.4.1.14988.1"  # a MikroTik-like switch: its profile reads optical power
    return [
        DemoDevice("core-dc", "127.77.0.1", "router", "Data Center", "RouterOS CCR2004-16G-2S+ 7.14", switch_oid,
                   group="Backbone", ports=[
                       DemoPort(1, "ether1", 1000, "uplink ISP", peak_mbps=420, out_ratio=0.25),
                       DemoPort(2, "ether2", 10000, "to dist-dc", peer="dist-dc:sfp-sfpplus1", peak_mbps=380),
                       _fiber(3, "sfp-kutaraja", "sw-kec-kutaraja:sfp1", "FO Kec. Kutaraja", 85, -7.9),
                       _fiber(4, "sfp-baiturrahman", "sw-kec-baiturrahman:sfp1", "FO Kec. Baiturrahman", 140, -12.6),
                   ]),
        DemoDevice("dist-dc", "127.77.0.2", "switch", "Data Center", "RouterOS CRS326-24G-2S+ 7.14", switch_oid,
                   parent="core-dc", group="Backbone", ports=[
                       DemoPort(1, "sfp-sfpplus1", 10000, "to core-dc", peer="core-dc:ether2", peak_mbps=360, out_ratio=1.1),
                       DemoPort(2, "ether2", 1000, "srv-spbe", peer="srv-spbe:eth0", peak_mbps=180, out_ratio=2.5),
                       DemoPort(3, "ether3", 1000, "srv-db", peer="srv-db:eth0", peak_mbps=60),
                       DemoPort(4, "ether4", 1000, "srv-mail", peer="srv-mail:eth0", peak_mbps=35),
                   ]),
        DemoDevice("srv-spbe", "127.77.0.10", "server", "Data Center", "Linux srv-spbe 6.1.0-18-amd64 x86_64", linux,
                   parent="dist-dc", group="Servers SPBE", cpu_pct=38, mem_total_mb=32768,
                   ports=[DemoPort(2, "eth0", 1000, peer="dist-dc:ether2", peak_mbps=450, out_ratio=0.4)]),
        DemoDevice("srv-db", "127.77.0.11", "server", "Data Center", "Linux srv-db 6.1.0-18-amd64 x86_64", linux,
                   parent="dist-dc", group="Servers SPBE", cpu_pct=22, mem_total_mb=65536,
                   ports=[DemoPort(2, "eth0", 1000, peer="dist-dc:ether3", peak_mbps=25, out_ratio=2.0)]),
        DemoDevice("srv-mail", "127.77.0.12", "server", "Data Center", "Linux srv-mail 6.1.0-18-amd64 x86_64", linux,
                   parent="dist-dc", group="Servers SPBE", cpu_pct=12, mem_total_mb=16384,
                   ports=[DemoPort(2, "eth0", 1000, peer="dist-dc:ether4", peak_mbps=12, out_ratio=2.5)]),
        DemoDevice("sw-kec-kutaraja", "127.77.1.1", "switch", "Kec. Kutaraja", "RouterOS CRS112-8P-4S 7.14",
                   switch_oid, parent="core-dc", group="Kecamatan", cut_by="core-dc:sfp-kutaraja", ports=[
                       _fiber(1, "sfp1", "core-dc:sfp-kutaraja", "FO ke Data Center", 30, -8.4),
                       DemoPort(2, "ether2", 1000, "AP aula", peer="ap-kec-kutaraja:eth0", peak_mbps=40),
                       DemoPort(3, "ether3", 100, "CCTV depan", peer="cctv-kec-kutaraja:eth0", peak_mbps=6, out_ratio=0.1),
                   ]),
        DemoDevice("ap-kec-kutaraja", "127.77.1.2", "access_point", "Kec. Kutaraja", "RouterOS cAP ax 7.14",
                   switch_oid, parent="sw-kec-kutaraja", group="Kecamatan", cut_by="core-dc:sfp-kutaraja",
                   ports=[DemoPort(1, "eth0", 1000, peer="sw-kec-kutaraja:ether2", peak_mbps=38)]),
        DemoDevice("cctv-kec-kutaraja", "127.77.1.3", "cctv", "Kec. Kutaraja", "IP Camera DS-2CD2143 V5.7",
                   "1.3.6.1.4.1.39165.1", parent="sw-kec-kutaraja", group="CCTV", cut_by="core-dc:sfp-kutaraja",
                   ports=[DemoPort(1, "eth0", 100, peer="sw-kec-kutaraja:ether3", peak_mbps=0.6, out_ratio=9)]),
        DemoDevice("sw-kec-baiturrahman", "127.77.2.1", "switch", "Kec. Baiturrahman", "RouterOS CRS112-8P-4S 7.14",
                   switch_oid, parent="core-dc", group="Kecamatan", ports=[
                       _fiber(1, "sfp1", "core-dc:sfp-baiturrahman", "FO ke Data Center", 55, -13.1),
                       DemoPort(2, "ether2", 1000, "AP pelayanan", peer="ap-kec-baiturrahman:eth0", peak_mbps=60),
                   ]),
        DemoDevice("ap-kec-baiturrahman", "127.77.2.2", "access_point", "Kec. Baiturrahman", "RouterOS cAP ax 7.14",
                   switch_oid, parent="sw-kec-baiturrahman", group="Kecamatan",
                   ports=[DemoPort(1, "eth0", 1000, peer="sw-kec-baiturrahman:ether2", peak_mbps=55)]),
    ]


def day_factor(ts: float, tz_offset_h: float = 7.0) -> float:
    """Share of the peak traffic at `ts`: low at night, busy in office hours (WIB), a dip at lunch."""
    hour = ((ts / 3600.0) + tz_offset_h) % 24
    office = max(0.0, math.sin(math.pi * (hour - 6.5) / 11.0)) if 6.5 <= hour <= 17.5 else 0.0
    lunch = 0.25 * math.exp(-((hour - 12.2) ** 2) / 0.3)
    return max(0.06, 0.08 + 0.92 * office - lunch)


class DemoState:
    """The live state of every simulated device: counters advanced lazily, cut status from the scenario."""

    def __init__(self, devices: list[DemoDevice], cut: FiberCut, *, started: float | None = None) -> None:
        self.devices = {d.name: d for d in devices}
        self.cut = cut
        self.started = time.time() if started is None else started
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, int], list[float]] = {}  # in_octets, out_octets, in_pkts, out_pkts, errors
        self._last: dict[str, float] = {}
        self._rng = random.Random(7)

    def link_cut(self, now: float | None = None) -> bool:
        return self.cut.is_cut(time.time() if now is None else now, self.started)

    def alive(self, name: str) -> bool:
        """Whether device `name` answers now (devices behind a cut fiber do not)."""
        return not (self.devices[name].cut_by == self.cut.link and self.link_cut())

    def port_up(self, device: DemoDevice, port: DemoPort) -> bool:
        cut_here = f"{device.name}:{port.name}" == self.cut.link or port.peer == self.cut.link
        return not (cut_here and self.link_cut())

    def _advance(self, device: DemoDevice, now: float) -> None:
        last = self._last.get(device.name, now - 1.0)
        dt = max(0.0, now - last)
        self._last[device.name] = now
        factor = day_factor(now)
        for port in device.ports:
            c = self._counters.setdefault((device.name, port.if_index),
                                          [self._rng.uniform(1e9, 9e11), self._rng.uniform(1e9, 9e11), 0.0, 0.0, 0.0])
            if not self.port_up(device, port):
                continue
            noise = 1.0 + self._rng.uniform(-0.08, 0.08)
            in_bps = port.peak_mbps * 1e6 * factor * noise
            out_bps = in_bps * port.out_ratio
            c[0] += in_bps * dt / 8
            c[1] += out_bps * dt / 8
            c[2] += in_bps * dt / 8 / 800
            c[3] += out_bps * dt / 8 / 800
            if port.medium == "fiber" and port.rx_dbm is not None and port.rx_dbm < -12:
                c[4] += self._rng.random() * dt * 0.05  # a weak optic picks up a few CRC errors

    def table(self, name: str) -> dict[Oid, tuple[str, object]]:
        """Every OID the device answers, with its value at this instant."""
        device = self.devices[name]
        now = time.time()
        with self._lock:
            self._advance(device, now)
            return build_table(device, self, now)


def _oid(text: str) -> Oid:
    return tuple(int(x) for x in text.strip(".").split("."))


def build_table(device: DemoDevice, state: DemoState, now: float) -> dict[Oid, tuple[str, object]]:
    """The MIB view of one device: system, IF-MIB, HOST-RESOURCES, LLDP and optical power."""
    t: dict[Oid, tuple[str, object]] = {}
    sys = _oid("1.3.6.1.2.1.1")
    uptime_ticks = int((now - SYS_UPTIME_EPOCH) * 100) % (2**32)
    t[sys + (1, 0)] = ("str", device.sys_descr)
    t[sys + (2, 0)] = ("oid", device.sys_object_id)
    t[sys + (3, 0)] = ("ticks", uptime_ticks)
    t[sys + (4, 0)] = ("str", "noc@diskominfo.example.go.id")
    t[sys + (5, 0)] = ("str", device.name)
    t[sys + (6, 0)] = ("str", device.site)
    t[sys + (7, 0)] = ("int", 78)
    t[_oid("1.3.6.1.2.1.2.1.0")] = ("int", len(device.ports))
    if_entry, if_x = _oid("1.3.6.1.2.1.2.2.1"), _oid("1.3.6.1.2.1.31.1.1.1")
    for port in device.ports:
        i = port.if_index
        c = state._counters[(device.name, i)]
        up = state.port_up(device, port)
        t[if_entry + (1, i)] = ("int", i)
        t[if_entry + (2, i)] = ("str", port.name)
        t[if_entry + (3, i)] = ("int", 6)
        t[if_entry + (5, i)] = ("g32", min(port.speed_mbps * 1_000_000, 2**32 - 1))
        t[if_entry + (6, i)] = ("str", bytes([0x4C, 0x5E, 0x0C, 0x10, len(device.name) % 256, i]))
        t[if_entry + (7, i)] = ("int", 1)
        t[if_entry + (8, i)] = ("int", 1 if up else 2)
        t[if_entry + (10, i)] = ("c32", int(c[0]) % 2**32)
        t[if_entry + (11, i)] = ("c32", int(c[2]) % 2**32)
        t[if_entry + (13, i)] = ("c32", 0)
        t[if_entry + (14, i)] = ("c32", int(c[4]) % 2**32)
        t[if_entry + (16, i)] = ("c32", int(c[1]) % 2**32)
        t[if_entry + (17, i)] = ("c32", int(c[3]) % 2**32)
        t[if_entry + (19, i)] = ("c32", 0)
        t[if_entry + (20, i)] = ("c32", 0)
        t[if_x + (1, i)] = ("str", port.name)
        t[if_x + (6, i)] = ("c64", int(c[0]))
        t[if_x + (7, i)] = ("c64", int(c[2]))
        t[if_x + (10, i)] = ("c64", int(c[1]))
        t[if_x + (11, i)] = ("c64", int(c[3]))
        t[if_x + (15, i)] = ("g32", port.speed_mbps)
        t[if_x + (18, i)] = ("str", port.alias)
        t[if_x + (19, i)] = ("ticks", 0)
        if port.rx_dbm is not None:
            _optical(t, port, up, state)
    _lldp(t, device, state)
    if device.cpu_pct is not None:
        _host_resources(t, device, now)
    return t


def _optical(t: dict, port: DemoPort, up: bool, state: DemoState) -> None:
    # MIKROTIK-MIB mtxrOpticalTable (1.3.6.1.4.1.14988.1.1.19.1.1), indexed by ifIndex; power in 0.001 dBm.
    base = _oid("1.3.6.1.4.1.14988.1.1.19.1.1")
    rx = port.rx_dbm + state._rng.uniform(-0.15, 0.15) if up else -40.0
    t[base + (1, port.if_index)] = ("int", port.if_index)
    t[base + (2, port.if_index)] = ("str", port.name)
    t[base + (6, port.if_index)] = ("int", 41)                      # temperature, C
    t[base + (9, port.if_index)] = ("int", int((port.tx_dbm or -2.0) * 1000))
    t[base + (10, port.if_index)] = ("int", int(rx * 1000))


def _lldp(t: dict, device: DemoDevice, state: DemoState) -> None:
    lldp = _oid("1.0.8802.1.1.2.1")
    t[lldp + (3, 1, 0)] = ("int", 4)                                # chassis id subtype: macAddress
    t[lldp + (3, 2, 0)] = ("str", _chassis(device.name))
    t[lldp + (3, 3, 0)] = ("str", device.name)
    for port in device.ports:
        t[lldp + (3, 7, 1, 2, port.if_index)] = ("int", 5)          # port id subtype: interfaceName
        t[lldp + (3, 7, 1, 3, port.if_index)] = ("str", port.name)
        t[lldp + (3, 7, 1, 4, port.if_index)] = ("str", port.alias or port.name)
        if not port.peer or not state.port_up(device, port):
            continue
        peer_name, peer_port = port.peer.split(":")
        peer = state.devices.get(peer_name)
        if peer is None or peer.kind in ("cctv",):
            continue  # cameras speak no LLDP: the map gets that link from the manual list instead
        idx = (0, port.if_index, 1)
        t[lldp + (4, 1, 1, 4) + idx] = ("int", 4)
        t[lldp + (4, 1, 1, 5) + idx] = ("str", _chassis(peer.name))
        t[lldp + (4, 1, 1, 6) + idx] = ("int", 5)
        t[lldp + (4, 1, 1, 7) + idx] = ("str", peer_port)
        t[lldp + (4, 1, 1, 8) + idx] = ("str", peer_port)
        t[lldp + (4, 1, 1, 9) + idx] = ("str", peer.name)
        t[lldp + (4, 1, 1, 10) + idx] = ("str", peer.sys_descr)
        addr = tuple(int(x) for x in peer.address.split("."))
        t[lldp + (4, 2, 1, 3) + idx + (1, 4) + addr] = ("int", 2)   # lldpRemManAddrIfSubtype: ifIndex
        t[lldp + (4, 2, 1, 4) + idx + (1, 4) + addr] = ("int", 0)


def _chassis(name: str) -> bytes:
    h = sum(ord(c) * (i + 1) for i, c in enumerate(name))
    return bytes([0x4C, 0x5E, 0x0C, (h >> 16) & 0xFF, (h >> 8) & 0xFF, h & 0xFF])


def _host_resources(t: dict, device: DemoDevice, now: float) -> None:
    hr = _oid("1.3.6.1.2.1.25")
    load = device.cpu_pct * (0.5 + day_factor(now))
    t[hr + (1, 1, 0)] = ("ticks", int((now - SYS_UPTIME_EPOCH) * 100) % 2**32)
    for cpu in range(1, 5):
        t[hr + (3, 3, 1, 2, 195 + cpu)] = ("int", int(min(100, load + cpu * 3)))
    storage = [
        (1, "1.3.6.1.2.1.25.2.1.2", "Physical memory", 1024, device.mem_total_mb * 1024, 0.62),
        (3, "1.3.6.1.2.1.25.2.1.3", "Virtual memory", 1024, device.mem_total_mb * 1024 * 2, 0.35),
        (31, "1.3.6.1.2.1.25.2.1.4", "/", 4096, 120_000_000 // 4, 0.48),
        (35, "1.3.6.1.2.1.25.2.1.4", "/var/lib/data", 4096, 950_000_000 // 4, 0.81),
    ]
    for idx, type_oid, descr, units, size, used in storage:
        t[hr + (2, 3, 1, 1, idx)] = ("int", idx)
        t[hr + (2, 3, 1, 2, idx)] = ("oid", type_oid)
        t[hr + (2, 3, 1, 3, idx)] = ("str", descr)
        t[hr + (2, 3, 1, 4, idx)] = ("int", units)
        t[hr + (2, 3, 1, 5, idx)] = ("int", size)
        t[hr + (2, 3, 1, 6, idx)] = ("int", int(size * used))
