"""Readers against misbehaving SNMP agents: loops, holes, wrong types, odd strings, huge tables, tooBig.

The agents are the demo agent's UDP responder (nocdesk/demo/agent.py) with a fixed table and one fault
each, served on 127.0.0.1 from a thread; the client under test runs on both back ends (pysnmp, fast path).
"""

from __future__ import annotations

import asyncio
import bisect
import threading
import time
from collections.abc import Iterator

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

from nocdesk.collectors import snmp
from nocdesk.collectors.ifmib import COLUMNS, build_interfaces, read_interfaces
from nocdesk.collectors.profiles import parse_profile
from nocdesk.collectors.snmp import SnmpError
from nocdesk.collectors.system import read_system, text
from nocdesk.collectors.vendor import build_readings
from nocdesk.demo.agent import DeviceEndpoint

try:
    from snmp_agents import free_udp_port, snmp_backend  # noqa: F401
except ImportError:  # tests/ collected as a package
    from tests.snmp_agents import free_udp_port, snmp_backend  # noqa: F401

HOST = "127.0.0.1"
COMMUNITY = "garbage"
IF_DESCR, IF_NAME, IF_ALIAS = COLUMNS["descr"], COLUMNS["name"], COLUMNS["alias"]
_V2 = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]


def oid(text_oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text_oid.split("."))


def system_rows(descr: bytes = b"Test agent", name: str = "garbage-agent") -> dict:
    return {oid("1.3.6.1.2.1.1.1.0"): ("str", descr), oid("1.3.6.1.2.1.1.2.0"): ("oid", "1.3.6.1.4.1.99999.1"),
            oid("1.3.6.1.2.1.1.3.0"): ("ticks", 12345), oid("1.3.6.1.2.1.1.5.0"): ("str", name)}


def if_rows(count: int, *, names: bool = True, first: int = 1) -> dict:
    rows = {}
    for i in range(first, first + count):
        rows[oid(f"{IF_DESCR}.{i}")] = ("str", f"GigabitEthernet0/{i}")
        rows[oid(f"{COLUMNS['oper']}.{i}")] = ("int", 1)
        rows[oid(f"{COLUMNS['in_octets']}.{i}")] = ("c32", 1000 * i)
        rows[oid(f"{COLUMNS['out_octets']}.{i}")] = ("c32", 2000 * i)
        if names:
            rows[oid(f"{IF_NAME}.{i}")] = ("str", f"Gi0/{i}")
            rows[oid(f"{COLUMNS['hc_in_octets']}.{i}")] = ("c64", 10**12 * i)
            rows[oid(f"{COLUMNS['hc_out_octets']}.{i}")] = ("c64", 2 * 10**12 * i)
    return rows


class GarbageAgent(DeviceEndpoint):
    """A fixed table (sorted once, so 5,000 interfaces stay fast) plus one injectable fault."""

    def __init__(self, table: dict, *, fault: str = "", fault_at: tuple[int, ...] = (), max_bulk_varbinds: int = 0):
        self._table = table
        self._oids = sorted(table)
        self.fault, self.fault_at = fault, fault_at
        self.max_bulk_varbinds = max_bulk_varbinds
        self.requests = 0
        self.too_big_sent = 0
        super().__init__(COMMUNITY, lambda: self._table, lambda: True)

    def answer(self, data: bytes) -> bytes | None:
        self.requests += 1
        if self.max_bulk_varbinds:  # tooBig when a GETBULK would carry more than this many varbinds
            message, _ = decoder.decode(data, asn1Spec=_V2.Message())
            pdu = _V2.apiMessage.get_pdu(message)
            if pdu.isSameTypeWith(_V2.GetBulkRequestPDU()):
                wanted = len(_V2.apiPDU.get_varbinds(pdu)) * int(_V2.apiBulkPDU.get_max_repetitions(pdu))
                if wanted > self.max_bulk_varbinds:
                    response = _V2.apiMessage.get_response(message)
                    rsp = _V2.apiMessage.get_pdu(response)
                    _V2.apiPDU.set_error_status(rsp, 1)
                    self.too_big_sent += 1
                    _V2.apiPDU.set_varbinds(rsp, [(o, _V2.Null("")) for o, _ in _V2.apiPDU.get_varbinds(pdu)])
                    return encoder.encode(response)
        return super().answer(data)

    def _next(self, mod, version, table, oids, requested):  # noqa: ANN001, ANN202
        oids = self._oids
        i = bisect.bisect_right(oids, requested)
        if self.fault_at and i < len(oids) and oids[i] >= self.fault_at and oids[i][:-1] == self.fault_at[:-1]:
            if self.fault == "loop":  # jump back to the first row of the column, for ever
                first = oids[bisect.bisect_left(oids, self.fault_at[:-1])]
                return first, self._value(mod, table[first])
            if self.fault == "end":  # endOfMibView in the middle of the column
                return requested, mod.EndOfMibView("")
            if self.fault == "hole" and oids[i] == self.fault_at:  # noSuchObject as one row's value
                return oids[i], mod.NoSuchObject("")
        if i < len(oids):
            return oids[i], self._value(mod, table[oids[i]])
        return requested, (None if version == api.SNMP_VERSION_1 else mod.EndOfMibView(""))


class Served:
    """One GarbageAgent on a free loopback port, answered from its own event loop thread."""

    def __init__(self, agent: GarbageAgent) -> None:
        self.agent, self.port = agent, free_udp_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def bind() -> None:
            self.transport, _ = await self.loop.create_datagram_endpoint(lambda: agent, local_addr=(HOST, self.port))

        def run() -> None:
            self.loop.run_until_complete(bind())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(5), "garbage agent did not start"

    def cred(self, version: str = "2c", timeout_s: float = 1.0) -> snmp.SnmpCredential:
        return snmp.SnmpCredential(version, community=COMMUNITY, port=self.port, timeout_s=timeout_s, retries=1)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.transport.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def serve() -> Iterator:
    started: list[Served] = []

    def start(agent: GarbageAgent) -> Served:
        started.append(Served(agent))
        return started[-1]

    yield start
    for served in started:
        served.stop()


def test_a_walk_that_loops_back_stops_with_a_named_error(serve, snmp_backend):  # noqa: F811
    agent = serve(GarbageAgent({**system_rows(), **if_rows(20)}, fault="loop", fault_at=oid(f"{IF_DESCR}.8")))
    began = time.monotonic()
    with pytest.raises(SnmpError, match="out of order"):
        asyncio.run(snmp.walk(HOST, agent.cred(), IF_DESCR))
    assert time.monotonic() - began < 10
    assert agent.agent.requests < 50  # it gave up, it did not spin


def test_end_of_mib_view_mid_table_keeps_the_rows_before_it(serve, snmp_backend):  # noqa: F811
    agent = serve(GarbageAgent({**system_rows(), **if_rows(20)}, fault="end", fault_at=oid(f"{IF_DESCR}.11")))
    rows = asyncio.run(snmp.walk(HOST, agent.cred(), IF_DESCR))
    assert [o for o, _ in rows] == [f"{IF_DESCR}.{i}" for i in range(1, 11)]


def test_no_such_object_in_one_row_skips_only_that_row(serve, snmp_backend):  # noqa: F811
    agent = serve(GarbageAgent({**system_rows(), **if_rows(6)}, fault="hole", fault_at=oid(f"{IF_DESCR}.3")))
    rows = asyncio.run(snmp.walk_columns(HOST, agent.cred(), [IF_DESCR, IF_NAME]))
    assert sorted(rows[IF_DESCR], key=int) == ["1", "2", "4", "5", "6"]
    assert len(rows[IF_NAME]) == 6


def test_wrong_value_types_in_columns_do_not_crash_the_interface_reader(serve, snmp_backend):  # noqa: F811
    table = {**system_rows(), **if_rows(3)}
    table[oid(f"{COLUMNS['oper']}.1")] = ("str", b"up")  # OctetString where an INTEGER belongs
    table[oid(f"{COLUMNS['hc_in_octets']}.2")] = ("str", b"12345")  # OctetString where a Counter64 belongs
    table[oid(f"{COLUMNS['hc_in_octets']}.3")] = ("c32", 77)  # Counter32 where a Counter64 belongs
    table[oid(f"{COLUMNS['high_speed']}.1")] = ("str", b"fast")
    agent = serve(GarbageAgent(table))
    rows = {r.if_index: r for r in asyncio.run(read_interfaces(HOST, agent.cred()))}
    assert rows[1].oper_status == "unknown" and rows[1].speed_bps is None
    assert not rows[2].hc and rows[2].in_octets == 2000  # falls back to the 32-bit counter
    assert rows[3].hc and rows[3].in_octets == 77


def test_v1_agent_without_if_x_table_names_interfaces_by_descr(serve, snmp_backend):  # noqa: F811
    table = {**system_rows(), **if_rows(4, names=False)}
    table[oid(f"{IF_NAME}.2")] = ("str", b"")  # an empty ifName on a v2c agent is no name either
    agent = serve(GarbageAgent(table))
    for version in ("1", "2c"):
        rows = asyncio.run(read_interfaces(HOST, agent.cred(version)))
        assert [r.name for r in rows] == [f"GigabitEthernet0/{i}" for i in range(1, 5)], version
        assert not any(r.hc for r in rows)


def test_saturated_if_speed_without_if_high_speed_is_unknown_not_4_3_gbit():
    # A 10G port on an agent with ifHighSpeed 0: a 4.29 Gbit/s "speed" would reject real 6 Gbit/s traffic.
    columns = {COLUMNS["descr"]: {"1": b"TenGig1", "2": b"Gig2"}, COLUMNS["speed"]: {"1": 4294967295, "2": 1_000_000_000},
               COLUMNS["high_speed"]: {"1": 0, "2": 0}}
    rows = build_interfaces(columns, polled_at=None, sys_uptime_s=None)  # type: ignore[arg-type]
    assert [r.speed_bps for r in rows] == [None, 1_000_000_000]


def test_non_utf8_and_binary_strings_become_readable_text(serve, snmp_backend):  # noqa: F811
    table = {**system_rows(descr="Switch Dinas Perhubungan \xe9t\xe9 2".encode("latin-1")), **if_rows(3)}
    table[oid(f"{IF_ALIAS}.1")] = ("str", bytes.fromhex("001a2b3c4d5e"))  # a MAC address as raw octets
    table[oid(f"{IF_ALIAS}.2")] = ("str", b"Uplink ke Kantor Camat\x00\x00")
    table[oid(f"{IF_ALIAS}.3")] = ("str", b"Ruang rapat \xff\xfe")  # not UTF-8, printable as Latin-1
    agent = serve(GarbageAgent(table))
    info = asyncio.run(read_system(HOST, agent.cred()))
    assert info.sys_descr == "Switch Dinas Perhubungan été 2"
    aliases = [r.alias for r in asyncio.run(read_interfaces(HOST, agent.cred()))]
    assert aliases == ["00:1a:2b:3c:4d:5e", "Uplink ke Kantor Camat", "Ruang rapat ÿþ"]
    assert text(b"\x01\x02") == "01:02" and text(b"") == ""


def test_duplicated_interface_names_stay_separate_interfaces(serve, snmp_backend):  # noqa: F811
    table = {**system_rows(), **if_rows(3)}
    for i in (1, 2, 3):
        table[oid(f"{IF_NAME}.{i}")] = ("str", b"Ethernet")
    agent = serve(GarbageAgent(table))
    rows = asyncio.run(read_interfaces(HOST, agent.cred()))
    assert [(r.if_index, r.name) for r in rows] == [(1, "Ethernet"), (2, "Ethernet"), (3, "Ethernet")]


def test_five_thousand_interfaces_finish_in_reasonable_time(serve, snmp_backend):  # noqa: F811
    agent = serve(GarbageAgent({**system_rows(), **if_rows(5000)}))
    began = time.monotonic()
    rows = asyncio.run(snmp.walk_columns(HOST, agent.cred(timeout_s=3.0), [IF_DESCR, IF_NAME, COLUMNS["hc_in_octets"]]))
    elapsed_s = time.monotonic() - began
    assert [len(rows[c]) for c in rows] == [5000, 5000, 5000]
    assert rows[IF_NAME]["5000"] == b"Gi0/5000"
    assert elapsed_s < 60, f"5,000-interface walk took {elapsed_s:.1f} s"


def test_too_big_answers_make_the_walk_ask_for_fewer_rows(serve, snmp_backend):  # noqa: F811
    agent = serve(GarbageAgent({**system_rows(), **if_rows(60)}, max_bulk_varbinds=20))
    rows = asyncio.run(snmp.walk_columns(HOST, agent.cred(), [IF_DESCR, IF_NAME]))
    assert len(rows[IF_DESCR]) == 60 and len(rows[IF_NAME]) == 60
    assert agent.agent.too_big_sent > 0  # the agent did refuse the first, too large request


SENTINELS = """\
description: Sentinel test
match: {sys_object_id: [1.3.6.1.4.1.99999]}
snmp:
  optical:
    rx: {value: 1.3.6.1.4.1.99999.1.2, scale: 0.01, valid: [-40, 10], if_index: index}   # TEST-MIB::rx
    tx: {value: 1.3.6.1.4.1.99999.1.3, scale: 0.01, valid: [-40, 10], if_index: index}   # TEST-MIB::tx
    temperature: {value: 1.3.6.1.4.1.99999.1.4, unit: celsius, valid: [-40, 150], if_index: index}  # TEST-MIB::t
"""


def test_sentinels_of_an_empty_cage_are_no_reading_not_a_minus_40_alarm():
    profile = parse_profile("sentinel", __import__("yaml").safe_load(SENTINELS), file="sentinel.yaml")
    rx, tx, temp = "1.3.6.1.4.1.99999.1.2", "1.3.6.1.4.1.99999.1.3", "1.3.6.1.4.1.99999.1.4"
    columns = {
        rx: {"1": -350, "2": -4000, "3": -4000, "4": -999900, "5": 6553500},
        tx: {"1": -210, "2": -4000, "3": -200, "4": -999900, "5": 6553500},
        temp: {"1": 35, "2": 0, "3": 36, "4": 0, "5": 65535},
    }
    got = {(r.kind, r.index): (r.status, r.value) for r in build_readings(profile, columns, {}).sensors}
    assert got[("optical_rx", "1")] == ("ok", -3.5)
    # Port 2: Rx and Tx at -40 dBm, 0 C: an empty cage, no sample at all.
    assert got[("optical_rx", "2")] == got[("optical_tx", "2")] == got[("optical_temperature", "2")] == ("absent", None)
    # Port 3: the laser is on and nothing comes back: a real fibre cut stays a -40 dBm reading.
    assert got[("optical_rx", "3")] == ("ok", -40.0)
    # -9999 dBm and 65535: out of range, never a value.
    for index in ("4", "5"):
        assert got[("optical_rx", index)][1] is None and got[("optical_tx", index)][1] is None
    assert got[("optical_temperature", "5")] == ("invalid", None)
