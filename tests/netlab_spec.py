"""Test-network topologies as data, and the pure plan (names, addresses, routes) that `netlab` builds from them.

A `LabSpec` lists nodes and links; `plan_lab(spec)` turns it into per-node interfaces, addresses and static
routes without touching the system, so it is checked by plain unit tests. Addressing is automatic: the n-th
point-to-point link gets 198.18.n.0/30 (a = .1, b = .2) and the m-th LAN gets 198.19.m.0/24 (bridge owner .1,
members from .2), all inside 198.18.0.0/15. In node X the interface facing node Y is named "Y", and a LAN's
bridge is named after the LAN, so `ifDescr` and LLDP port ids read like a wiring plan.
"""

from __future__ import annotations

import ipaddress
import re
from collections import deque
from dataclasses import dataclass, field

TEST_NET = ipaddress.ip_network("198.18.0.0/15")

# What each role runs; routers and switches forward between their links.
ROLE_SERVICES: dict[str, tuple[str, ...]] = {
    "station": (),
    "router": ("snmp", "lldp", "ssh"),
    "switch": ("snmp", "lldp", "ssh"),
    "server": ("snmp",),
    "camera": ("snmp",),
}
FORWARDING_ROLES = frozenset({"router", "switch"})
_NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,11}$")


@dataclass(frozen=True)
class NodeSpec:
    """One device (or the monitoring station) in its own namespace."""

    name: str
    role: str
    location: str = "Lab"
    services: tuple[str, ...] | None = None  # None: ROLE_SERVICES[role]
    snmpd_extra: tuple[str, ...] = ()  # extra snmpd.conf lines, e.g. "sysDescr ..." for a vendor profile test


@dataclass(frozen=True)
class LinkSpec:
    """A cable between two nodes; with `lan`, node `a` puts its port into that LAN's bridge."""

    a: str
    b: str
    medium: str = "copper"  # "copper" | "fiber" (informational, for topology tests)
    lan: str | None = None

    @property
    def name(self) -> str:
        return f"{self.a}-{self.b}"


@dataclass(frozen=True)
class LanSpec:
    """A Linux bridge named `name` inside node `node` joining the ports of its `lan=` links."""

    name: str
    node: str


@dataclass(frozen=True)
class LabSpec:
    """A whole test network plus the credentials every agent accepts."""

    nodes: tuple[NodeSpec, ...]
    links: tuple[LinkSpec, ...]
    lans: tuple[LanSpec, ...] = ()
    station: str = "station"
    community: str = "ndt-ro"
    v3_user: str = "ndtmon"
    v3_auth: str = "ndt-auth-pass"  # SHA
    v3_priv: str = "ndt-priv-pass"  # AES-128
    contact: str = "NOC Diskominfo <noc@pemda.example>"


DEFAULT_SPEC = LabSpec(
    nodes=(
        NodeSpec("station", "station", "Ruang NOC Diskominfo"),
        NodeSpec("core", "router", "Ruang server Kantor Bupati"),
        NodeSpec("srv1", "server", "Ruang server Kantor Bupati"),
        NodeSpec("srv2", "server", "Ruang server Kantor Bupati"),
        NodeSpec("kec1", "switch", "Kantor Camat Sukamaju"),
        NodeSpec("kec2", "switch", "Kantor Camat Sukajadi"),
        NodeSpec("cam1", "camera", "Simpang Pasar Sukamaju"),
    ),
    links=(
        LinkSpec("station", "core"),
        LinkSpec("core", "kec1", medium="fiber"),
        LinkSpec("core", "kec2", medium="fiber"),
        LinkSpec("kec1", "cam1"),
        LinkSpec("core", "srv1", lan="lan"),
        LinkSpec("core", "srv2", lan="lan"),
    ),
    lans=(LanSpec("lan", "core"),),
)

TWO_NODE_SPEC = LabSpec(
    nodes=(NodeSpec("station", "station"), NodeSpec("sw1", "switch")),
    links=(LinkSpec("station", "sw1"),),
)


@dataclass(frozen=True)
class IfacePlan:
    """One veth end inside a node: its name, link, peer, and address (None for a bridge port)."""

    name: str
    link: str
    peer: str
    cidr: str | None
    bridge: str | None = None


@dataclass(frozen=True)
class NodePlan:
    """Everything needed to build one node."""

    spec: NodeSpec
    services: tuple[str, ...]
    forwards: bool
    ifaces: tuple[IfacePlan, ...]
    bridges: tuple[tuple[str, str], ...]  # (bridge name, cidr)
    routes: tuple[tuple[str, str], ...]  # (subnet, gateway)
    mgmt_addr: str
    lldp_peers: frozenset[str] = field(default_factory=frozenset)

    def iface(self, link: str) -> str:
        """Name of this node's interface on `link` (e.g. "core-kec1")."""
        for i in self.ifaces:
            if i.link == link:
                return i.name
        raise KeyError(f"{self.spec.name} has no interface on link {link!r}")


@dataclass(frozen=True)
class LabPlan:
    spec: LabSpec
    nodes: dict[str, NodePlan]
    links: dict[str, LinkSpec]


def _check(spec: LabSpec) -> None:
    names = [n.name for n in spec.nodes]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate node names in {names}")
    for n in spec.nodes:
        if not _NAME_RE.match(n.name):
            raise ValueError(f"node name {n.name!r}: use 1-12 lowercase letters/digits (it names interfaces)")
        if n.role not in ROLE_SERVICES:
            raise ValueError(f"node {n.name}: unknown role {n.role!r}; one of {sorted(ROLE_SERVICES)}")
    if spec.station not in names:
        raise ValueError(f"station {spec.station!r} is not a node")
    lans = {lan.name: lan for lan in spec.lans}
    for lk in spec.links:
        for end in (lk.a, lk.b):
            if end not in names:
                raise ValueError(f"link {lk.name}: unknown node {end!r}")
        if lk.lan is not None and (lk.lan not in lans or lans[lk.lan].node != lk.a):
            raise ValueError(f"link {lk.name}: lan {lk.lan!r} must be a LanSpec owned by {lk.a!r}")
    if len({lk.name for lk in spec.links}) != len(spec.links):
        raise ValueError("two links share a name; links are named 'a-b'")
    for lan in spec.lans:
        if lan.name in names or not _NAME_RE.match(lan.name):
            raise ValueError(f"lan {lan.name!r}: needs a short lowercase name different from every node")


def plan_lab(spec: LabSpec) -> LabPlan:
    """Allocate interface names, addresses, management addresses and static routes for `spec`."""
    _check(spec)
    node_specs = {n.name: n for n in spec.nodes}
    services = {n.name: n.services if n.services is not None else ROLE_SERVICES[n.role] for n in spec.nodes}
    forwards = {n.name: n.role in FORWARDING_ROLES for n in spec.nodes}
    ifaces: dict[str, list[IfacePlan]] = {n: [] for n in node_specs}
    addrs: dict[str, dict[str, str]] = {n: {} for n in node_specs}  # node -> subnet -> address
    lan_subnet: dict[str, ipaddress.IPv4Network] = {}
    lan_hosts: dict[str, list] = {}
    bridges: dict[str, list[tuple[str, str]]] = {n: [] for n in node_specs}
    for m, lan in enumerate(spec.lans, start=1):
        net = ipaddress.ip_network(f"198.19.{m}.0/24")
        lan_subnet[lan.name], lan_hosts[lan.name] = net, list(net.hosts())
        owner_ip = lan_hosts[lan.name].pop(0)
        bridges[lan.node].append((lan.name, f"{owner_ip}/24"))
        addrs[lan.node][str(net)] = str(owner_ip)

    def ifname(node: str, peer: str) -> str:
        taken = {i.name for i in ifaces[node]} | {b for b, _ in bridges[node]}
        name, k = peer, 2
        while name in taken:
            name, k = f"{peer}-{k}", k + 1
        return name

    p2p = 0
    for lk in spec.links:
        if lk.lan is None:
            p2p += 1
            if p2p > 255:
                raise ValueError("more than 255 point-to-point links")
            net = ipaddress.ip_network(f"198.18.{p2p}.0/30")
            ip_a, ip_b = list(net.hosts())
            ifaces[lk.a].append(IfacePlan(ifname(lk.a, lk.b), lk.name, lk.b, f"{ip_a}/30"))
            ifaces[lk.b].append(IfacePlan(ifname(lk.b, lk.a), lk.name, lk.a, f"{ip_b}/30"))
            addrs[lk.a][str(net)], addrs[lk.b][str(net)] = str(ip_a), str(ip_b)
        else:
            net = lan_subnet[lk.lan]
            ip_b = lan_hosts[lk.lan].pop(0)
            ifaces[lk.a].append(IfacePlan(ifname(lk.a, lk.b), lk.name, lk.b, None, bridge=lk.lan))
            ifaces[lk.b].append(IfacePlan(ifname(lk.b, lk.a), lk.name, lk.a, f"{ip_b}/24"))
            addrs[lk.b][str(net)] = str(ip_b)

    # Adjacency: neighbours sharing a subnet (LAN members see each other and the owner).
    adj: dict[str, list[tuple[str, str]]] = {n: [] for n in node_specs}  # node -> [(neighbour, subnet)]
    for a in node_specs:
        for b in node_specs:
            if a != b:
                adj[a].extend((b, s) for s in addrs[a].keys() & addrs[b].keys())

    def bfs(src: str) -> tuple[list[str], dict[str, str]]:
        """Nodes in hop order from src, and each one's first-hop gateway address (transit only via forwarders)."""
        order, gateway, queue = [src], {src: ""}, deque([src])
        while queue:
            cur = queue.popleft()
            if cur != src and not forwards[cur]:
                continue
            for nb, subnet in sorted(adj[cur]):
                if nb not in gateway:
                    gateway[nb] = addrs[nb][subnet] if cur == src else gateway[cur]
                    order.append(nb)
                    queue.append(nb)
        return order, gateway

    order_from_station, _ = bfs(spec.station)
    parents: dict[str, str] = {}
    for cur in order_from_station:
        for nb, _s in sorted(adj[cur]):
            if nb not in parents and nb != spec.station and (cur == spec.station or forwards[cur]):
                parents[nb] = cur
    for name in node_specs:
        if name != spec.station and name not in parents:
            raise ValueError(f"node {name} cannot be reached from the station {spec.station!r}")
    plans: dict[str, NodePlan] = {}
    for name, ns in node_specs.items():
        order, gateway = bfs(name)
        routes: list[tuple[str, str]] = []
        seen = set(addrs[name])
        for other in order[1:]:
            for subnet in sorted(addrs[other]):
                if subnet not in seen:
                    seen.add(subnet)
                    routes.append((subnet, gateway[other]))
        toward = parents.get(name) or sorted(adj[name])[0][0]
        shared = sorted(addrs[name].keys() & addrs[toward].keys())[0]
        lldp_peers = frozenset(
            i.peer for i in ifaces[name] if "lldp" in services[name] and "lldp" in services[i.peer]
        )
        plans[name] = NodePlan(
            spec=ns, services=services[name], forwards=forwards[name], ifaces=tuple(ifaces[name]),
            bridges=tuple(bridges[name]), routes=tuple(routes), mgmt_addr=addrs[name][shared],
            lldp_peers=lldp_peers,
        )
    for p in plans.values():
        for i in p.ifaces:
            if len(i.name) > 15:
                raise ValueError(f"interface name {i.name!r} in {p.spec.name} is longer than 15 characters")
            if i.cidr and ipaddress.ip_interface(i.cidr).ip not in TEST_NET:
                raise ValueError(f"{i.cidr} is outside {TEST_NET}")
    return LabPlan(spec=spec, nodes=plans, links={lk.name: lk for lk in spec.links})
