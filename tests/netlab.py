"""A reusable test network of namespaces running real snmpd, lldpd and sshd: a small Pemda network by default.

Default topology (`DEFAULT_SPEC` in netlab_spec.py; every node is its own network namespace)::

    station ── core ──fiber── kec1 ── cam1
                 │ └──fiber── kec2
                 └─ bridge "lan": srv1, srv2

Cables run through a hidden `<prefix>_wire` namespace (one Linux bridge per link that also passes LLDP), so
`cut("core-kec1")` behaves like a cut fiber: both ports stay admin-up and lose carrier (ifOperStatus down,
ifAdminStatus up), kec1 and cam1 stop answering, and `restore()` brings them back with routes intact.
Addresses: 198.18.n.0/30 per point-to-point link, 198.19.m.0/24 per LAN (see netlab_spec.py); a node's
`addr` is its address on the link toward the station. IPv6 is off in lab namespaces (quiet counters).

Agents on every node except the station: snmpd on `addr`:161 and 127.0.0.1:161 with v1/v2c community
`ndt-ro` and SNMPv3 authPriv user `ndtmon` (SHA "ndt-auth-pass", AES "ndt-priv-pass"), sysName = node name,
sysLocation/sysContact from the spec, AgentX master on tcp:127.0.0.1:705. Routers/switches (core, kec1,
kec2) also run lldpd (tx-interval 1 s, AgentX into snmpd, so neighbours show in LLDP-MIB lldpRemTable) and
OpenSSH sshd on `addr`:22, password login as user `nocdesk-test` / "ndt-ssh-pass-1" (created if missing;
host keys are generated per run in the lab's temp dir).

API::

    lab = NetLab(spec=DEFAULT_SPEC).start()     # or `with NetLab() as lab:`; lab.start_s = seconds taken
    lab.node("kec1") -> Node(.name .ns .addr .role .community .v3_user .v3_auth .v3_priv
                             .ssh_user .ssh_password .iface(link) .ifindex(ifname))
    lab.station_ns; lab.prefix                  # every namespace name starts with lab.prefix
    lab.exec("station", "fping", addr)          # CompletedProcess (text); lab.popen(node, argv, **popen_kw)
    lab.snmpget("kec1", oid, version="3")       # net-snmp from the station; value text or None on timeout
    lab.snmpwalk("core", oid)                   # {numeric oid: value text}
    lab.cut("core-kec1"); lab.restore("core-kec1")
    lab.stop_snmpd("kec2"); lab.start_snmpd("kec2")   # agent restart: sysUpTime resets, counters do not
    lab.reboot("kec2")                          # ports recreated: counters back to 0, same ifIndex
    lab.wait_lldp("core", {"kec1", "kec2"}, timeout_s=10); lab.lldp_neighbours("core")
    lab.send_traffic("station", "srv1", 1_000_000)     # UDP; returns TrafficResult with frame_bytes
    lab.iface_bytes("srv1", "core")             # kernel (rx_bytes, tx_bytes) of one interface
    lab.reset()                                 # restore every cut link and stopped agent
    lab.stop()                                  # idempotent; also registered with atexit
    with in_netns(lab.station_ns): ...          # sockets made here (pysnmp, paramiko) live in the station

Run prefix `ndt<pid>-<n>-`; start() first deletes stale `ndt<pid>-*` namespaces whose owner process is gone.
pytest: `netlab` (session-wide) and `netlab_rw` (restored after the test) in conftest.py. Other topologies:
`NetLab(LabSpec(nodes=..., links=...))`, e.g. `TWO_NODE_SPEC`. Parts: netlab_spec.py (topology data and the
address/route plan), netlab_net.py (namespace plumbing), netlab_daemons.py (agent configs).
"""

from __future__ import annotations

import atexit
import dataclasses
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import netlab_daemons as dmn
import netlab_net as net
from netlab_net import TrafficResult, sweep_stale
from netlab_spec import DEFAULT_SPEC, TWO_NODE_SPEC, LabSpec, LanSpec, LinkSpec, NodePlan, NodeSpec, plan_lab
from nsutil import delete_ns, in_netns, require_netns, require_tool

__all__ = ["DEFAULT_SPEC", "TWO_NODE_SPEC", "LabSpec", "LanSpec", "LinkSpec", "NetLab", "Node", "NodeSpec",
           "TrafficResult", "in_netns", "require_lab_tools", "sweep_stale"]

SYS_NAME_OID = "1.3.6.1.2.1.1.5.0"
LLDP_REM_SYSNAME_OID = "1.0.8802.1.1.2.1.4.1.1.9"
REQUIRED_TOOLS = ("ip", "snmpd", "snmpget", "snmpbulkwalk", "lldpd", "lldpcli", "sshd", "ssh-keygen")
_instances = itertools.count()


def require_lab_tools() -> None:
    """Skip the calling test without root, namespaces or the agents; under CI=true fail instead."""
    require_netns()
    for name in REQUIRED_TOOLS:
        require_tool(name)


@dataclass(frozen=True)
class Node:
    """How a test reaches one lab device."""

    name: str
    ns: str
    addr: str
    role: str
    location: str
    community: str
    v3_user: str
    v3_auth: str
    v3_priv: str
    ssh_user: str | None
    ssh_password: str | None
    ifaces: tuple[tuple[str, str, int], ...]  # (link name, interface name, ifIndex)

    def iface(self, link: str) -> str:
        """This node's interface on `link`, e.g. lab.node("core").iface("core-kec1") == "kec1"."""
        return next(name for lk, name, _ in self.ifaces if lk == link)

    def ifindex(self, ifname: str) -> int:
        """SNMP ifIndex (= kernel ifindex, fixed by the plan) of one of this node's interfaces."""
        return next(idx for _, name, idx in self.ifaces if name == ifname)


class NetLab:
    """Builds `spec` as namespaces with real agents; see the module docstring for the API."""

    def __init__(self, spec: LabSpec = DEFAULT_SPEC, *, ready_timeout_s: float = 20.0) -> None:
        self.spec = spec
        self.plan = plan_lab(spec)
        self.prefix = f"ndt{os.getpid()}-{next(_instances)}-"
        self.wire_ns = f"{self.prefix}_wire"
        self.ready_timeout_s = ready_timeout_s
        self.dir: Path | None = None
        self.start_s: float | None = None
        self._procs: dict[tuple[str, str], subprocess.Popen] = {}
        self._cut: set[str] = set()
        self._snmpd_stopped: set[str] = set()
        self._lock = threading.Lock()
        self._running = False
        self._wire = {name: k for k, name in enumerate(self.plan.links, start=1)}
        self.nodes = {name: self._node(p) for name, p in self.plan.nodes.items()}

    def _node(self, p: NodePlan) -> Node:
        ssh, idx = "ssh" in p.services, net.ifindexes(p)
        return Node(
            name=p.spec.name, ns=self.prefix + p.spec.name, addr=p.mgmt_addr, role=p.spec.role,
            location=p.spec.location, community=self.spec.community, v3_user=self.spec.v3_user,
            v3_auth=self.spec.v3_auth, v3_priv=self.spec.v3_priv,
            ssh_user=dmn.SSH_USER if ssh else None, ssh_password=dmn.SSH_PASSWORD if ssh else None,
            ifaces=tuple((i.link, i.name, idx[i.name]) for i in p.ifaces),
        )

    # -- lifecycle ---------------------------------------------------------------------------------------
    def __enter__(self) -> NetLab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> NetLab:
        """Build namespaces, links, addresses and routes, start all agents, wait until LLDP has converged."""
        t0 = time.monotonic()
        sweep_stale()
        self.dir = Path(tempfile.mkdtemp(prefix=f"ndt{os.getpid()}-"))
        self.dir.chmod(0o755)  # lldpd's lldpcli runs as _lldpd and must reach its socket in here
        (self.dir / ".netlab").write_text(self.prefix)
        self._running = True
        self._cut.clear()
        self._snmpd_stopped.clear()
        atexit.register(self.stop)
        try:
            self._build_network()
            if any("ssh" in p.services for p in self.plan.nodes.values()):
                dmn.ensure_ssh_user()
            with ThreadPoolExecutor(max_workers=len(self.plan.nodes)) as pool:
                list(pool.map(self._start_agents, self.plan.nodes))
            self._wait_lldp_converged(self.ready_timeout_s)
        except BaseException:
            self.stop()
            raise
        self.start_s = time.monotonic() - t0
        return self

    def stop(self) -> None:
        """Stop every agent, delete every namespace of this lab and its temp dir. Safe to call twice."""
        with self._lock:
            if not self._running:
                return
            self._running = False
        for proc in self._procs.values():
            proc.terminate()
        for proc in self._procs.values():
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=3)
        self._procs.clear()
        for ns in [n.ns for n in self.nodes.values()] + [self.wire_ns]:
            delete_ns(ns)
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        atexit.unregister(self.stop)

    def _build_network(self) -> None:
        all_ns = [n.ns for n in self.nodes.values()] + [self.wire_ns]
        net.ip_batch(None, [f"netns add {ns}" for ns in all_ns])
        for ns in all_ns:
            net.write_sysctls(ns, net.QUIET_SYSCTLS)
        net.ip_batch(self.wire_ns, net.wire_lines(self._wire))
        for name, p in self.plan.nodes.items():
            net.ip_batch(self.nodes[name].ns, net.node_lines(self.plan, self._wire, name, self.wire_ns))
            if p.forwards:
                net.write_sysctls(self.nodes[name].ns, {"net.ipv4.ip_forward": "1"})
        net.ip_batch(self.wire_ns, net.attach_lines([(f"w{k}{s}", True) for k in self._wire.values() for s in "ab"]))

    def reboot(self, name: str) -> None:
        """Power-cycle a device: agents stop, its ports are recreated (kernel counters back to 0, same ifIndex),
        agents start again (sysUpTime resets) and LLDP re-converges with its neighbours."""
        p = self.plan.nodes[name]
        for daemon in ("lldpd", "sshd", "snmpd"):
            self._stop_daemon(name, daemon)
        ns = self.nodes[name].ns
        net.ip_batch(ns, [f"link del dev {i.name}" for i in p.ifaces] + [f"link del dev {b}" for b, _ in p.bridges])
        net.ip_batch(ns, net.node_lines(self.plan, self._wire, name, self.wire_ns))
        ends = [(net.wire_end(self.plan, self._wire, name, i.link), i.link not in self._cut) for i in p.ifaces]
        net.ip_batch(self.wire_ns, net.attach_lines(ends))
        self._start_agents(name)
        self._snmpd_stopped.discard(name)
        for n in {name} | set(p.lldp_peers):
            if "lldp" in self.plan.nodes[n].services:
                self.wait_lldp(n, self._expected_lldp(n), self.ready_timeout_s)

    # -- agents ------------------------------------------------------------------------------------------
    def _node_dir(self, name: str) -> Path:
        assert self.dir is not None, "NetLab not started"
        d = self.dir / name
        d.mkdir(exist_ok=True)
        return d

    def _spawn(self, name: str, daemon: str, argv: list[str]) -> None:
        env = {**os.environ, **dmn.QUIET_SNMP_ENV}
        with open(self._node_dir(name) / f"{daemon}.log", "ab") as log:
            proc = subprocess.Popen(["ip", "netns", "exec", self.nodes[name].ns, *argv], stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self._procs[(name, daemon)] = proc

    def _start_agents(self, name: str) -> None:
        p, nd = self.plan.nodes[name], self._node_dir(name)
        if "ssh" in p.services:
            if not (nd / "ssh_host_ed25519_key").exists():
                dmn.make_host_key(nd)
            (nd / "sshd_config").write_text(dmn.sshd_conf(p, nd))
            self._spawn(name, "sshd", dmn.sshd_argv(nd))
        if "snmp" in p.services:
            self._start_snmpd_only(name)
        if "lldp" in p.services:
            self._start_lldpd(name)
        if "ssh" in p.services:
            node = self.nodes[name]
            net.poll(lambda: net.has_banner(node.ns, node.addr, dmn.SSH_PORT, b"SSH-2.0"), self.ready_timeout_s,
                     f"sshd on {name}", log=nd / "sshd.log")

    def _start_snmpd_only(self, name: str) -> None:
        p, nd = self.plan.nodes[name], self._node_dir(name)
        (nd / "snmp-persist").mkdir(exist_ok=True)
        (nd / "snmpd.conf").write_text(dmn.snmpd_conf(p, self.spec))
        self._spawn(name, "snmpd", dmn.snmpd_argv(nd))
        net.poll(lambda: self.snmpget(name, SYS_NAME_OID, source=name, timeout_s=0.2) == name,
                 self.ready_timeout_s, f"snmpd on {name}", log=nd / "snmpd.log")

    def _start_lldpd(self, name: str) -> None:
        p, nd = self.plan.nodes[name], self._node_dir(name)
        (nd / "lldpd.conf").write_text(dmn.lldpd_conf(p))
        self._spawn(name, "lldpd", dmn.lldpd_argv(p, nd))
        # Read-only readiness check: lldpd applies the -O file itself before its first frame. Do not send
        # `lldpcli update` here: it rewrites the whole config and, racing the -O run, can revert the system
        # name to the machine's hostname (seen as a neighbour called "vm").
        argv = [dmn.tool("lldpcli"), "-u", str(nd / "lldpd.sock"), "-f", "keyvalue", "show", "configuration"]
        want = {f"configuration.config.hostname={name}", f"configuration.config.tx-delay={dmn.LLDP_TX_INTERVAL_S}"}
        net.poll(lambda: want <= set(self.exec(name, *argv).stdout.splitlines()), self.ready_timeout_s,
                 f"lldpd on {name}", log=nd / "lldpd.log")

    def _stop_daemon(self, name: str, daemon: str) -> None:
        proc = self._procs.pop((name, daemon), None)
        if proc:
            proc.terminate()
            proc.wait(timeout=5)

    def stop_snmpd(self, name: str) -> None:
        """Stop the node's SNMP agent (the device stops answering SNMP; ping still works)."""
        self._stop_daemon(name, "snmpd")
        self._snmpd_stopped.add(name)

    def start_snmpd(self, name: str) -> None:
        """Start the agent again: sysUpTime restarts from 0 and snmpEngineBoots goes up (a discontinuity).

        Kernel interface counters keep counting (net-snmp reads them live); use reboot() to zero them.
        On LLDP nodes lldpd restarts too, so LLDP-MIB is back at once (its AgentX reconnect would take 15 s).
        """
        self._start_snmpd_only(name)
        self._snmpd_stopped.discard(name)
        if "lldp" in self.plan.nodes[name].services:
            self._stop_daemon(name, "lldpd")
            self._start_lldpd(name)
            self.wait_lldp(name, self._expected_lldp(name), self.ready_timeout_s)

    # -- links -------------------------------------------------------------------------------------------
    def _wire_ifaces(self, link: str) -> tuple[str, str]:
        if link not in self._wire:
            raise KeyError(f"no link {link!r}; links are {sorted(self._wire)}")
        k = self._wire[link]
        return f"w{k}a", f"w{k}b"

    def cut(self, link: str) -> None:
        """Cut a cable like a backhoe cuts fiber: both ports lose carrier but stay admin-up."""
        a, b = self._wire_ifaces(link)
        net.ip_batch(self.wire_ns, [f"link set dev {a} down", f"link set dev {b} down"])
        self._cut.add(link)

    def restore(self, link: str) -> None:
        """Splice the cable again and return once the two ends can ping each other."""
        a, b = self._wire_ifaces(link)
        net.ip_batch(self.wire_ns, [f"link set dev {a} up", f"link set dev {b} up"])
        self._cut.discard(link)
        spec = self.plan.links[link]
        far = next(i.cidr for i in self.plan.nodes[spec.b].ifaces if i.link == link)
        far_ip = far.split("/")[0] if far else self.nodes[spec.b].addr
        near_ns = self.node(spec.a).ns
        net.poll(lambda: net.pings(near_ns, far_ip), self.ready_timeout_s, f"link {link} after restore")

    @property
    def is_pristine(self) -> bool:
        return not self._cut and not self._snmpd_stopped

    def reset(self) -> None:
        """Restore every cut link and stopped agent, then wait until LLDP looks as after start()."""
        if self.is_pristine:
            return
        for link in list(self._cut):
            self.restore(link)
        for name in list(self._snmpd_stopped):
            self.start_snmpd(name)
        self._wait_lldp_converged(self.ready_timeout_s)

    # -- reaching nodes ----------------------------------------------------------------------------------
    def node(self, name: str) -> Node:
        if name not in self.nodes:
            raise KeyError(f"no node {name!r} in this lab; nodes are {sorted(self.nodes)}")
        return self.nodes[name]

    @property
    def station_ns(self) -> str:
        return self.nodes[self.spec.station].ns

    def exec(self, node: str, *argv: str, timeout_s: float = 30, input: str | None = None,
             check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run argv inside the node's namespace and wait for it."""
        return subprocess.run(["ip", "netns", "exec", self.node(node).ns, *argv], capture_output=True,
                              text=True, timeout=timeout_s, input=input, check=check)

    def popen(self, node: str, argv: list[str], **kw: object) -> subprocess.Popen:
        """Start argv inside the node's namespace (e.g. `nocdesk poll` on the station); the caller waits."""
        return subprocess.Popen(["ip", "netns", "exec", self.node(node).ns, *argv], **kw)  # type: ignore[call-overload]

    def snmpget(self, target: str, oid: str, *, source: str | None = None, version: str = "2c",
                timeout_s: float = 1.0, community: str | None = None) -> str | None:
        """Value text of one OID read with net-snmp from `source` (default: the station); None if no answer."""
        src, node = source or self.spec.station, self.node(target)
        node = dataclasses.replace(node, community=community) if community else node
        argv = dmn.snmp_client_argv("snmpget", node, src == target, version, timeout_s)
        r = self.exec(src, *argv, oid, timeout_s=timeout_s + 10)
        values = dmn.parse_snmp_output(r.stdout) if r.returncode == 0 else {}
        return next(iter(values.values()), None)

    def snmpwalk(self, target: str, oid: str, *, source: str | None = None, version: str = "2c",
                 timeout_s: float = 1.0) -> dict[str, str]:
        """{numeric oid: value text} under `oid`, bulk-walked from `source` (default: the station)."""
        src = source or self.spec.station
        argv = dmn.snmp_client_argv("snmpbulkwalk", self.node(target), src == target, version, timeout_s)
        r = self.exec(src, *argv, "-Cr50", oid, timeout_s=timeout_s + 20)
        return dmn.parse_snmp_output(r.stdout)

    # -- LLDP --------------------------------------------------------------------------------------------
    def lldp_neighbours(self, name: str) -> set[str]:
        """Remote sysNames in the node's LLDP-MIB lldpRemTable, read over SNMP inside the node."""
        return set(self.snmpwalk(name, LLDP_REM_SYSNAME_OID, source=name).values())

    def _expected_lldp(self, name: str) -> set[str]:
        p = self.plan.nodes[name]
        return {i.peer for i in p.ifaces if i.peer in p.lldp_peers and i.link not in self._cut}

    def wait_lldp(self, name: str, expected_neighbours: set[str], timeout_s: float = 10) -> set[str]:
        """Wait until the node's lldpRemTable names exactly `expected_neighbours`; return them."""
        want = set(expected_neighbours)
        seen: set[str] = set()

        def check() -> bool:
            nonlocal seen
            seen = self.lldp_neighbours(name)
            return seen == want

        try:
            net.poll(check, timeout_s, f"LLDP on {name}", interval_s=0.1)
        except TimeoutError as e:
            raise TimeoutError(f"{e}: wanted {sorted(want)}, lldpRemTable has {sorted(seen)}") from None
        return seen

    def _wait_lldp_converged(self, timeout_s: float) -> None:
        names = [n for n, p in self.plan.nodes.items() if "lldp" in p.services and n not in self._snmpd_stopped]
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            list(pool.map(lambda n: self.wait_lldp(n, self._expected_lldp(n), timeout_s), names))

    # -- traffic -----------------------------------------------------------------------------------------
    def send_traffic(self, src: str, dst: str, nbytes: int, *, port: int = 9000,
                     payload_bytes: int = 1400) -> TrafficResult:
        """Send `nbytes` of UDP payload from `src` to `dst`'s address (a bound socket there absorbs it)."""
        return net.send_udp(self.node(src).ns, self.node(dst).ns, self.node(dst).addr, nbytes,
                            port=port, payload_bytes=payload_bytes)

    def iface_bytes(self, node: str, ifname: str) -> tuple[int, int]:
        """(rx_bytes, tx_bytes) the kernel counts on one interface of a node."""
        stats = net.iface_stats(self.node(node).ns, ifname)["stats64"]
        return stats["rx"]["bytes"], stats["tx"]["bytes"]
