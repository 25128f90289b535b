"""The namespace test network works the way later tests rely on: agents answer, LLDP shows, cuts cut, all cleans up."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import subprocess
import time

import pytest
from netlab_spec import DEFAULT_SPEC, TEST_NET, TWO_NODE_SPEC, LabSpec, LinkSpec, NodeSpec, plan_lab

SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_CONTACT = "1.3.6.1.2.1.1.4.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6"
LLDP_LOC_PORT_DESC = "1.0.8802.1.1.2.1.3.7.1.4"
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_MAN_ADDR_IF_SUBTYPE = "1.0.8802.1.1.2.1.4.2.1.3"
AGENTS = [n.name for n in DEFAULT_SPEC.nodes if n.role != "station"]


# -- the plan (pure data, runs everywhere) ---------------------------------------------------------------
def test_default_plan_routes_every_node_to_every_subnet() -> None:
    plan = plan_lab(DEFAULT_SPEC)
    all_subnets = {str(ipaddress.ip_interface(c).network) for p in plan.nodes.values()
                   for c in [i.cidr for i in p.ifaces if i.cidr] + [c for _, c in p.bridges]}
    for name, p in plan.nodes.items():
        attached = {str(ipaddress.ip_interface(c).network) for c in [i.cidr for i in p.ifaces if i.cidr]
                    + [c for _, c in p.bridges]}
        routed = {subnet for subnet, _ in p.routes}
        assert attached | routed == all_subnets, name
        assert not attached & routed, name
        for _, gw in p.routes:
            assert any(ipaddress.ip_address(gw) in ipaddress.ip_network(s) for s in attached), (name, gw)
        for i in p.ifaces:
            assert len(i.name) <= 15
            assert i.cidr is None or ipaddress.ip_interface(i.cidr).ip in TEST_NET


def test_default_plan_addresses_face_the_station() -> None:
    nodes = plan_lab(DEFAULT_SPEC).nodes
    assert nodes["kec1"].mgmt_addr == "198.18.2.2"  # its end of the core-kec1 fiber
    assert nodes["cam1"].mgmt_addr == "198.18.4.2"
    assert dict(nodes["cam1"].routes)["198.18.1.0/30"] == "198.18.4.1"  # back to the station through kec1
    assert nodes["srv1"].mgmt_addr == "198.19.1.2"
    assert nodes["core"].lldp_peers == {"kec1", "kec2"}
    assert nodes["core"].iface("core-kec1") == "kec1"


@pytest.mark.parametrize(("spec", "message"), [
    (LabSpec(nodes=(NodeSpec("station", "station"),), links=(LinkSpec("station", "ghost"),)), "unknown node"),
    (LabSpec(nodes=(NodeSpec("station", "station"), NodeSpec("Bad_Name", "switch")), links=()), "node name"),
    (LabSpec(nodes=(NodeSpec("station", "station"), NodeSpec("sw", "toaster")), links=()), "unknown role"),
    (LabSpec(nodes=(NodeSpec("station", "station"), NodeSpec("sw", "switch")), links=()), "cannot be reached"),
    # a camera does not forward, so nothing behind it is reachable
    (LabSpec(nodes=(NodeSpec("station", "station"), NodeSpec("cam", "camera"), NodeSpec("sw", "switch")),
             links=(LinkSpec("station", "cam"), LinkSpec("cam", "sw"))), "sw cannot be reached"),
])
def test_bad_specs_are_rejected_with_the_reason(spec: LabSpec, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_lab(spec)


# -- the running lab -------------------------------------------------------------------------------------
def test_start_time_is_reported(netlab) -> None:
    print(f"netlab start_s={netlab.start_s:.2f}")
    assert 0 < netlab.start_s < 30  # ~2 s here; 30 s means something sleeps instead of polling


@pytest.mark.parametrize("version", ["1", "2c", "3"])
@pytest.mark.parametrize("node", AGENTS)
def test_agents_answer_net_snmp_from_the_station(netlab, node: str, version: str) -> None:
    assert netlab.snmpget(node, SYS_NAME, version=version) == node


def test_agents_report_location_and_contact(netlab) -> None:
    assert netlab.snmpget("kec1", SYS_LOCATION) == "Kantor Camat Sukamaju"
    assert netlab.snmpget("kec1", SYS_CONTACT) == DEFAULT_SPEC.contact


async def _pysnmp_sysnames(nodes, *, community_override: str | None = None) -> dict[str, dict[str, str]]:
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        UsmUserData,
        get_cmd,
        usmAesCfb128Protocol,
        usmHMACSHAAuthProtocol,
    )

    engine = SnmpEngine()
    out: dict[str, dict[str, str]] = {}
    try:
        for n in nodes:
            auths = {"2c": CommunityData(community_override or n.community, mpModel=1)}
            if community_override is None:
                auths["3"] = UsmUserData(n.v3_user, n.v3_auth, n.v3_priv, authProtocol=usmHMACSHAAuthProtocol,
                                         privProtocol=usmAesCfb128Protocol)
            for version, auth in auths.items():
                target = await UdpTransportTarget.create((n.addr, 161), timeout=0.5, retries=0)
                err, status, _, vbs = await get_cmd(engine, auth, target, ContextData(),
                                                    ObjectType(ObjectIdentity(SYS_NAME)), lookupMib=False)
                out.setdefault(n.name, {})[version] = str(err) if err or status else str(vbs[0][1])
    finally:
        engine.close_dispatcher()
    return out


def test_pysnmp_in_the_station_namespace_reads_every_sysname(netlab) -> None:
    from netlab import in_netns

    with in_netns(netlab.station_ns):
        got = asyncio.run(_pysnmp_sysnames([netlab.node(n) for n in AGENTS]))
    assert got == {n: {"2c": n, "3": n} for n in AGENTS}


def test_wrong_community_times_out(netlab) -> None:
    from netlab import in_netns

    assert netlab.snmpget("core", SYS_NAME) == "core"
    assert netlab.snmpget("core", SYS_NAME, community="wrong-community", timeout_s=0.5) is None
    with in_netns(netlab.station_ns):
        got = asyncio.run(_pysnmp_sysnames([netlab.node("core")], community_override="wrong-community"))
    assert "No SNMP response received before timeout" in got["core"]["2c"]


def test_lldp_neighbours_show_in_lldp_mib_with_the_right_ports(netlab) -> None:
    rem = netlab.snmpwalk("core", LLDP_REM_SYS_NAME)  # from the station, over the core's mgmt address
    loc_desc = netlab.snmpwalk("core", LLDP_LOC_PORT_DESC)
    by_port = {}
    for oid, sysname in rem.items():
        local_port = oid.split(".")[-2]  # index: timeMark.localPortNum.remIndex
        by_port[loc_desc[f".{LLDP_LOC_PORT_DESC}.{local_port}"]] = sysname
    assert by_port == {"kec1": "kec1", "kec2": "kec2"}  # core's port named "kec1" hears kec1
    man_addrs = netlab.snmpwalk("core", LLDP_REM_MAN_ADDR_IF_SUBTYPE)
    assert any(oid.endswith(".1.4." + netlab.node("kec1").addr) for oid in man_addrs), man_addrs
    assert set(netlab.snmpwalk("kec1", LLDP_REM_SYS_NAME).values()) == {"core"}


def test_ssh_password_login_to_a_switch(netlab) -> None:
    paramiko = pytest.importorskip("paramiko")
    from netlab import in_netns

    kec1 = netlab.node("kec1")
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with in_netns(netlab.station_ns):
        client.connect(kec1.addr, username=kec1.ssh_user, password=kec1.ssh_password, timeout=5,
                       allow_agent=False, look_for_keys=False)
    try:
        _, stdout, _ = client.exec_command("cat /proc/net/dev", timeout=5)
        dev = stdout.read().decode()
        host_key = client.get_transport().get_remote_server_key().get_base64()
    finally:
        client.close()
    assert "cam1:" in dev and "kec2:" not in dev  # the shell runs inside kec1's namespace
    pub = (netlab.dir / "kec1" / "ssh_host_ed25519_key.pub").read_text().split()[1]
    assert host_key == pub
    assert pub != (netlab.dir / "core" / "ssh_host_ed25519_key.pub").read_text().split()[1]

    bad = paramiko.SSHClient()
    bad.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with in_netns(netlab.station_ns), pytest.raises(paramiko.AuthenticationException):
        bad.connect(kec1.addr, username=kec1.ssh_user, password="wrong", timeout=5,
                    allow_agent=False, look_for_keys=False)
    bad.close()


def test_cutting_a_fiber_isolates_what_is_behind_it(netlab_rw) -> None:
    lab = netlab_rw
    port = lab.node("core").ifindex("kec1")
    lab.cut("core-kec1")
    assert lab.snmpget("kec1", SYS_NAME, timeout_s=0.5) is None
    assert lab.snmpget("cam1", SYS_NAME, timeout_s=0.5) is None
    assert lab.snmpget("kec2", SYS_NAME) == "kec2"
    assert lab.snmpget("srv1", SYS_NAME) == "srv1"
    assert _poll_snmp(lab, "core", f"{IF_OPER_STATUS}.{port}", lambda v: v != "1") == "2"  # down
    assert lab.snmpget("core", f"{IF_ADMIN_STATUS}.{port}") == "1"  # but nobody shut it
    lab.wait_lldp("core", {"kec2"})
    lab.restore("core-kec1")
    assert lab.snmpget("kec1", SYS_NAME) == "kec1"
    assert lab.snmpget("cam1", SYS_NAME) == "cam1"
    assert _poll_snmp(lab, "core", f"{IF_OPER_STATUS}.{port}", lambda v: v == "1") == "1"


def test_agent_restart_resets_uptime_and_keeps_lldp(netlab_rw) -> None:
    lab = netlab_rw
    lab.exec("station", "sleep", "0.5")
    before = int(lab.snmpget("kec2", SYS_UPTIME))
    lab.stop_snmpd("kec2")
    assert lab.snmpget("kec2", SYS_NAME, timeout_s=0.5) is None
    assert lab.exec("station", "fping", "-t", "500", lab.node("kec2").addr).returncode == 0  # host still up
    lab.start_snmpd("kec2")
    assert int(lab.snmpget("kec2", SYS_UPTIME)) < before
    assert lab.lldp_neighbours("kec2") == {"core"}


def _poll_snmp(lab, node: str, oid: str, done, timeout_s: float = 15) -> str | None:
    """Read `oid` until `done(value)`; net-snmp caches interface data for a few seconds, like real agents."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = lab.snmpget(node, oid)
        if (value is not None and done(value)) or time.monotonic() > deadline:
            return value
        time.sleep(0.25)


def _poll_hc_in_octets(lab, node: str, ifindex: int, at_least: int) -> int:
    return int(_poll_snmp(lab, node, f"{IF_HC_IN_OCTETS}.{ifindex}", lambda v: int(v) >= at_least) or 0)


def test_traffic_is_counted_by_the_kernel_and_over_snmp(netlab) -> None:
    srv1 = netlab.node("srv1")
    rx_before, _ = netlab.iface_bytes("srv1", "core")
    snmp_before = int(netlab.snmpget("srv1", f"{IF_HC_IN_OCTETS}.{srv1.ifindex('core')}"))
    sent = netlab.send_traffic("station", "srv1", 2_000_000)
    rx_after, _ = netlab.iface_bytes("srv1", "core")
    assert sent.frame_bytes <= rx_after - rx_before < sent.frame_bytes + 20_000  # + LLDP/ARP/SNMP chatter
    snmp_after = _poll_hc_in_octets(netlab, "srv1", srv1.ifindex("core"), snmp_before + sent.frame_bytes)
    assert snmp_after - snmp_before >= sent.frame_bytes


def test_reboot_zeroes_counters_and_keeps_ifindex(netlab) -> None:
    kec2, idx = netlab.node("kec2"), netlab.node("kec2").ifindex("core")
    sent = netlab.send_traffic("station", "kec2", 1_000_000)
    assert _poll_hc_in_octets(netlab, "kec2", idx, sent.frame_bytes) >= sent.frame_bytes
    netlab.reboot("kec2")
    assert int(netlab.snmpget("kec2", f"{IF_HC_IN_OCTETS}.{idx}")) < sent.frame_bytes
    assert netlab.snmpget("kec2", SYS_NAME, version="3") == kec2.name
    assert netlab.lldp_neighbours("core") == {"kec1", "kec2"}


def test_a_two_node_lab_builds_and_leaves_nothing_behind() -> None:
    from netlab import NetLab, require_lab_tools
    from nsutil import list_ns

    require_lab_tools()
    lab = NetLab(TWO_NODE_SPEC)
    with lab:
        print(f"two-node start_s={lab.start_s:.2f}")
        assert lab.snmpget("sw1", SYS_NAME, version="3") == "sw1"
        assert len(list_ns(lab.prefix)) == 3  # station, sw1, the hidden wire
        pids = [p.pid for p in lab._procs.values()]
        lab_dir = lab.dir
    assert list_ns(lab.prefix) == []
    assert not lab_dir.exists()
    assert not [pid for pid in pids if os.path.exists(f"/proc/{pid}")]


def test_sweep_removes_namespaces_of_dead_owners_only() -> None:
    from netlab import sweep_stale
    from nsutil import add_ns, delete_ns, list_ns, require_netns

    require_netns()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale, alive = f"ndt{dead.pid}-0-core", f"ndt{os.getpid()}-99-core"
    add_ns(stale)
    add_ns(alive)
    try:
        removed = sweep_stale()
        assert stale in removed
        assert list_ns(stale) == [] and list_ns(alive) == [alive]
    finally:
        delete_ns(stale)
        delete_ns(alive)
