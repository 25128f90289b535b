"""IF-MIB, HOST-RESOURCES and system readers against a real snmpd, compared with what net-snmp tools see."""

from __future__ import annotations

import asyncio
import subprocess
import time

from nocdesk.collectors.hostres import read_host_resources
from nocdesk.collectors.ifmib import LEGACY_OCTETS, LEGACY_PACKETS, read_interfaces, redundant_columns
from nocdesk.counters import interface_rates

try:
    from snmp_agents import quiet_env, require_tool, snmp_backend, snmpd_agent  # noqa: F401
except ImportError:  # tests/ collected as a package
    from tests.snmp_agents import quiet_env, require_tool, snmp_backend, snmpd_agent  # noqa: F401

HOST = "127.0.0.1"


def net_snmp_get(agent, oid: str) -> str:  # noqa: ANN001
    tool = require_tool("snmpget")
    done = subprocess.run([tool, "-m", "", "-On", "-Oqv", "-v2c", "-c", agent.cred().community,
                           f"{HOST}:{agent.port}", oid], capture_output=True, text=True, env=quiet_env(), check=True)
    return done.stdout.strip().strip('"')


def test_interfaces_have_names_status_speed_and_64_bit_counters(snmpd_agent, snmp_backend):  # noqa: F811
    rows = asyncio.run(read_interfaces(HOST, snmpd_agent.cred("2c")))
    by_name = {row.name: row for row in rows}
    assert "lo" in by_name
    lo = by_name["lo"]
    assert lo.descr == net_snmp_get(snmpd_agent, f"1.3.6.1.2.1.2.2.1.2.{lo.if_index}")
    assert lo.if_type == 24  # softwareLoopback
    assert (lo.admin_status, lo.oper_status) == ("up", "up")
    assert lo.hc and lo.hc_pkts
    assert lo.in_octets is not None and lo.in_octets > 0
    assert lo.sys_uptime_s is not None and lo.sys_uptime_s > 0
    assert lo.speed_bps == int(net_snmp_get(snmpd_agent, f"1.3.6.1.2.1.2.2.1.5.{lo.if_index}"))


def test_v1_has_no_64_bit_counters_and_falls_back_to_32_bit(snmpd_agent, snmp_backend):  # noqa: F811
    rows = asyncio.run(read_interfaces(HOST, snmpd_agent.cred("1")))
    lo = next(row for row in rows if row.name == "lo")
    assert not lo.hc and not lo.hc_pkts
    assert lo.in_octets is not None and lo.in_octets < 2**32


def test_later_polls_skip_32_bit_twins_and_still_count(snmpd_agent, snmp_backend):  # noqa: F811
    cred = snmpd_agent.cred("2c")
    first = asyncio.run(read_interfaces(HOST, cred))
    skip = redundant_columns(first)
    assert skip == LEGACY_OCTETS | LEGACY_PACKETS  # net-snmp on Linux has 64-bit counters everywhere
    second = asyncio.run(read_interfaces(HOST, cred, skip=skip))
    assert {r.if_index for r in second} == {r.if_index for r in first}
    before = {r.if_index: r for r in first}
    for row in second:
        assert row.hc and row.hc_pkts
        assert (row.name, row.speed_bps, row.oper_status) == (before[row.if_index].name,
                                                              before[row.if_index].speed_bps,
                                                              before[row.if_index].oper_status)
        assert row.in_octets is not None and row.in_ucast_pkts is not None
    # An agent without 64-bit counters (v1) keeps every column.
    assert redundant_columns(asyncio.run(read_interfaces(HOST, snmpd_agent.cred("1")))) == frozenset()


def test_two_polls_give_a_loopback_rate(snmpd_agent, snmp_backend):  # noqa: F811
    cred = snmpd_agent.cred("3")
    first = {row.if_index: row for row in asyncio.run(read_interfaces(HOST, cred))}
    time.sleep(0.3)  # the polls themselves are loopback traffic
    second = {row.if_index: row for row in asyncio.run(read_interfaces(HOST, cred))}
    lo = next(i for i, row in second.items() if row.name == "lo")
    rates = interface_rates(first[lo], second[lo], interval_s=10.0)  # the real gap: two walks and 0.3 s
    assert rates.reason is None
    assert rates.in_bps is not None and rates.in_bps >= 0
    assert rates.in_errors_per_s == 0


def test_host_resources_cpu_memory_and_disks(snmpd_agent, snmp_backend):  # noqa: F811
    host = asyncio.run(read_host_resources(HOST, snmpd_agent.cred("2c")))
    # snmpd fills hrProcessorTable only after its first minute of load samples: compare with snmpwalk.
    walked = subprocess.run([require_tool("snmpwalk"), "-m", "", "-On", "-Oqv", "-v2c", "-c", snmpd_agent.cred().community,
                             f"{HOST}:{snmpd_agent.port}", "1.3.6.1.2.1.25.3.3.1.2"], capture_output=True, text=True,
                            env=quiet_env(), check=True).stdout.split()
    loads = [int(v) for v in walked if v.lstrip("-").isdigit()]
    assert host.cpu_count == len(loads)
    if loads:
        assert host.cpu_pct is not None and 0 <= host.cpu_pct <= 100
    else:
        assert host.cpu_pct is None
    assert host.memory_pct is not None and 0 < host.memory_pct <= 100
    root = next(s for s in host.storages if s.descr == "/")
    assert root.kind == "fixed_disk" and root.size_bytes and root.used_pct is not None
    units = int(net_snmp_get(snmpd_agent, f"1.3.6.1.2.1.25.2.3.1.4.{root.index}"))
    size = int(net_snmp_get(snmpd_agent, f"1.3.6.1.2.1.25.2.3.1.5.{root.index}"))
    assert root.size_bytes == units * size
