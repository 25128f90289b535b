"""Namespace plumbing for `netlab`: ip batches, per-node build commands, sysctls, polling, stale-run sweep.

Each cable is two veth pairs meeting in a Linux bridge `w<k>` inside the lab's hidden wire namespace; taking
the wire ends down cuts the cable while both device ports stay admin-up. Interface indexes are fixed by the
plan (lo = 1, then interfaces in plan order, then bridges) and so are MACs, so both survive `NetLab.reboot()`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import icmplib
from netlab_spec import LabPlan, NodePlan
from nsutil import delete_ns, in_netns, list_ns

OWNER_RE = re.compile(r"^ndt(\d+)-")
UDP_FRAME_OVERHEAD_BYTES = 14 + 20 + 8  # Ethernet + IPv4 + UDP, as Linux interface counters see a datagram
QUIET_SYSCTLS = {"net.ipv6.conf.all.disable_ipv6": "1", "net.ipv6.conf.default.disable_ipv6": "1"}


def poll(check: Callable[[], bool], timeout_s: float, what: str, *, interval_s: float = 0.03,
         log: Path | None = None) -> None:
    """Call `check` until it returns True; after `timeout_s` raise TimeoutError naming `what` (and a log tail)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
            raise TimeoutError(f"netlab: {what} not ready after {timeout_s:.0f} s" + (f"; log:\n{tail}" if tail else ""))
        time.sleep(interval_s)


def ip_batch(ns: str | None, lines: list[str]) -> None:
    """Run iproute2 commands in one `ip -batch` inside namespace `ns` (None: only for `netns add`)."""
    if not lines:
        return
    argv = ["ip", *(["-n", ns] if ns else []), "-batch", "-"]
    r = subprocess.run(argv, input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise RuntimeError(f"netlab: ip -batch in {ns or 'root namespace'} failed: {r.stderr.strip()}")


def write_sysctls(ns: str, values: dict[str, str]) -> None:
    with in_netns(ns):  # /proc/sys/net shows the namespace of the thread that opens it
        for key, value in values.items():
            Path("/proc/sys", key.replace(".", "/")).write_text(value)


def ifindexes(plan: NodePlan) -> dict[str, int]:
    """Fixed ifIndex of every interface and bridge of a node."""
    names = [i.name for i in plan.ifaces] + [b for b, _ in plan.bridges]
    return {name: k for k, name in enumerate(names, start=2)}


def wire_end(lab_plan: LabPlan, wire_no: dict[str, int], node: str, link: str) -> str:
    return f"w{wire_no[link]}{'a' if lab_plan.links[link].a == node else 'b'}"


def node_lines(lab_plan: LabPlan, wire_no: dict[str, int], node: str, wire_ns: str) -> list[str]:
    """`ip -batch` lines that create a node's ports (peers land in the wire), bridges, addresses and routes."""
    p, idx = lab_plan.nodes[node], ifindexes(lab_plan.nodes[node])
    node_no = list(lab_plan.nodes).index(node) + 1
    # Fixed, locally administered MACs: a rebooted device keeps its MAC (neighbours' ARP caches stay valid,
    # LLDP chassis ids stay the same), as real hardware does.
    mac = {name: f"02:4e:44:{node_no:02x}:{k:02x}:00" for name, k in idx.items()}
    lines = ["link set dev lo up"]
    lines += [f"link add name {br} index {idx[br]} address {mac[br]} type bridge" for br, _ in p.bridges]
    for i in p.ifaces:
        peer = wire_end(lab_plan, wire_no, node, i.link)
        lines.append(f"link add name {i.name} index {idx[i.name]} address {mac[i.name]} type veth "
                     f"peer name {peer} netns {wire_ns}")
        if i.bridge:
            lines.append(f"link set dev {i.name} master {i.bridge}")
        if i.cidr:
            lines.append(f"addr add {i.cidr} dev {i.name}")
        lines.append(f"link set dev {i.name} up")
    for br, cidr in p.bridges:
        lines += [f"addr add {cidr} dev {br}", f"link set dev {br} up"]
    return lines + [f"route add {subnet} via {gw}" for subnet, gw in p.routes]


def wire_lines(wire_no: dict[str, int]) -> list[str]:
    lines = []
    for k in wire_no.values():
        # group_fwd_mask bit 14 lets the wire pass LLDP (01:80:c2:00:00:0e) like a real cable.
        lines += [f"link add name w{k} type bridge group_fwd_mask 0x4000", f"link set dev w{k} up"]
    return lines


def attach_lines(ends: list[tuple[str, bool]]) -> list[str]:
    """Put wire ends (name, up?) into their link's bridge; a cut link's ends stay down."""
    lines = []
    for end, up in ends:
        lines.append(f"link set dev {end} master {end[:-1]}")
        lines.append(f"link set dev {end} {'up' if up else 'down'}")
    return lines


def has_banner(ns: str, addr: str, port: int, banner: bytes) -> bool:
    """True if a TCP server at addr:port, seen from namespace ns, greets with `banner`."""
    try:
        with in_netns(ns), socket.create_connection((addr, port), 0.5) as s:
            return s.recv(64).startswith(banner)
    except OSError:
        return False


def pings(ns: str, addr: str) -> bool:
    with in_netns(ns):  # the raw ICMP socket is created, and stays, in ns
        return icmplib.ping(addr, count=1, timeout=0.3, privileged=True).is_alive


def iface_stats(ns: str, ifname: str) -> dict:
    r = subprocess.run(["ip", "-n", ns, "-j", "-s", "link", "show", "dev", ifname],
                       capture_output=True, text=True, check=True, timeout=10)
    return json.loads(r.stdout)[0]


def _owner_alive(pid: int, created_s: float) -> bool:
    """True if `pid` runs and started before the namespace was made (a reused pid is not the owner)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, IndexError):
        return False
    btime = next(int(ln.split()[1]) for ln in Path("/proc/stat").read_text().splitlines() if ln.startswith("btime"))
    return btime + int(fields[19]) / os.sysconf("SC_CLK_TCK") <= created_s + 2


def sweep_stale() -> list[str]:
    """Delete `ndt<pid>-*` namespaces and temp dirs whose owning process is gone; return the namespaces."""
    removed = []
    for name in list_ns("ndt"):
        m = OWNER_RE.match(name)
        try:
            created_s = os.stat(f"/run/netns/{name}").st_mtime
        except FileNotFoundError:
            continue
        if m and not _owner_alive(int(m.group(1)), created_s):
            delete_ns(name)
            removed.append(name)
    for d in Path(tempfile.gettempdir()).glob("ndt*-*"):
        m = OWNER_RE.match(d.name)
        if m and (d / ".netlab").exists() and not _owner_alive(int(m.group(1)), d.stat().st_mtime):
            shutil.rmtree(d, ignore_errors=True)
    return removed


@dataclass(frozen=True)
class TrafficResult:
    datagrams: int
    payload_bytes: int

    @property
    def frame_bytes(self) -> int:
        """Bytes the kernel counts on each interface along the path (payload plus L2-L4 headers)."""
        return self.payload_bytes + self.datagrams * UDP_FRAME_OVERHEAD_BYTES


def send_udp(src_ns: str, dst_ns: str, dst_addr: str, nbytes: int, *, port: int, payload_bytes: int) -> TrafficResult:
    """Blast `nbytes` of UDP payload from namespace src_ns to a socket bound at dst_addr:port in dst_ns."""
    with in_netns(dst_ns):
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with in_netns(src_ns):
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    datagrams, left, chunk = 0, nbytes, b"\x00" * payload_bytes
    with rx, tx:
        rx.bind((dst_addr, port))  # a listener, so the far end sends no ICMP port-unreachable back
        while left > 0:
            n = min(left, payload_bytes)
            tx.sendto(chunk[:n], (dst_addr, port))
            left -= n
            datagrams += 1
    return TrafficResult(datagrams=datagrams, payload_bytes=nbytes)
