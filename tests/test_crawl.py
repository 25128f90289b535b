"""Discovery crawl against a real namespace network: snmpd + lldpd, management addresses announced by LLDP.

The lab (built once for this module) is the Pemda network with one more LLDP speaker two hops out, so depth
matters: station ── core ──fiber── kec1 ── cam1 (lldpd too), core ── kec2, core ── bridge "lan" ── srv1
(srv1 has no lldpd, so no neighbour table names it). The crawl runs in the station namespace like the app would.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import netlab_daemons as dmn
import pytest
from netlab import LabSpec, LanSpec, LinkSpec, NetLab, NodeSpec, in_netns, require_lab_tools
from waiting import wait_for

from nocdesk import cli
from nocdesk.collectors.neighbours import read_lldp
from nocdesk.collectors.snmp import SnmpCredential
from nocdesk.crawl import NEW, NO_ADDRESS, NO_SNMP, NOT_PROBED, OUTSIDE, add_candidates, crawl
from nocdesk.credentials import save_snmp_credential
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import Store, open_store

CRAWL_SPEC = LabSpec(
    nodes=(
        NodeSpec("station", "station"),
        NodeSpec("core", "router", snmpd_extra=("sysServices 78",)),
        NodeSpec("kec1", "switch", snmpd_extra=("sysServices 6",)),
        NodeSpec("kec2", "switch", snmpd_extra=("sysServices 6",)),
        NodeSpec("cam1", "camera", services=("snmp", "lldp")),
        NodeSpec("srv1", "server"),
    ),
    links=(LinkSpec("station", "core"), LinkSpec("core", "kec1", medium="fiber"), LinkSpec("core", "kec2"),
           LinkSpec("kec1", "cam1"), LinkSpec("core", "srv1", lan="lan")),
    lans=(LanSpec("lan", "core"),),
)
WHOLE_LAB = ["198.18.0.0/15"]


@pytest.fixture(scope="module")
def lab(request: pytest.FixtureRequest) -> NetLab:
    require_lab_tools()
    built = NetLab(CRAWL_SPEC)
    request.addfinalizer(built.stop)
    return built.start()


@pytest.fixture
def db(lab: NetLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store that knows only core (v2c credential 'lab'), plus a credential with a wrong community."""
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "lab-master-pass")
    path = tmp_path / "crawl.db"
    with open_store(path) as store:
        save_snmp_credential(store, "lab", version="2c", community=lab.node("core").community, timeout_s=1.0,
                             retries=0)
        save_snmp_credential(store, "wrong", version="2c", community="not-the-community", timeout_s=0.5, retries=0)
        add_device(store, DeviceSpec(name="core", address=lab.node("core").addr, kind="router",
                                     snmp_credential="lab"))
    return path


def run_crawl(lab: NetLab, store: Store, **kw):  # noqa: ANN003, ANN201
    kw.setdefault("allowed_ranges", WHOLE_LAB)
    with in_netns(lab.station_ns):
        return crawl(store, kw.pop("seeds", ["core"]), **kw)


def by_name(result) -> dict:  # noqa: ANN001
    return {c.name: c for c in result.candidates}


def test_depth_1_offers_cores_lldp_neighbours_with_their_management_addresses(lab: NetLab, db: Path) -> None:
    with open_store(db) as store:
        result = run_crawl(lab, store, max_depth=1)
        assert store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 1  # nothing added silently
    found = by_name(result)
    assert set(found) == {"kec1", "kec2"}  # cam1 is two hops out; srv1 speaks no LLDP
    for name in ("kec1", "kec2"):
        c = found[name]
        assert (c.address, c.seen_from, c.via_port, c.depth) == (lab.node(name).addr, "core", name, 1)
        assert c.status == NEW and c.addable and c.credential == "lab"
        assert c.sys_object_id.startswith("1.3.6.1.4.1.8072") and c.profile  # net-snmp, matched to a profile
        assert c.kind_guess == "switch"  # sysServices 6
        assert c.remote_port == "core"
    assert result.visited == ["core"] and not result.problems and not result.cancelled


def test_depth_2_follows_known_and_new_devices_to_the_ones_behind_them(lab: NetLab, db: Path) -> None:
    with open_store(db) as store:
        add_device(store, DeviceSpec(name="kec1", address=lab.node("kec1").addr, kind="switch",
                                     snmp_credential="lab"))
        result = run_crawl(lab, store, max_depth=2)
    found = by_name(result)
    assert set(found) == {"kec2", "cam1"}  # kec1 is known: followed, not offered
    assert [(k.name, k.seen_from, k.depth) for k in result.known] == [("kec1", "core", 1)]
    cam = found["cam1"]
    assert (cam.address, cam.seen_from, cam.via_port, cam.depth) == (lab.node("cam1").addr, "kec1", "cam1", 2)
    assert cam.addable and cam.kind_guess == "other"  # its snmpd sets no sysServices: no guess
    assert sorted(result.visited) == ["core", "kec1", "kec2"]  # the depth-2 device is probed, not read


def test_neighbours_outside_the_allowed_ranges_are_listed_but_not_probed_or_addable(lab: NetLab, db: Path) -> None:
    kec2 = lab.node("kec2").addr  # 198.18.3.2: left out of the ranges below
    ranges = ["198.18.1.0/24", "198.18.2.0/24", "198.18.4.0/24"]
    with open_store(db) as store:
        result = run_crawl(lab, store, max_depth=2, allowed_ranges=ranges)
        outside = by_name(result)["kec2"]
        assert outside.status == OUTSIDE and not outside.addable
        assert outside.address == kec2 and "outside the allowed discovery ranges" in outside.reason
        assert outside.sys_object_id == "" and "kec2" not in result.visited  # never asked over SNMP
        assert by_name(result)["cam1"].addable  # behind kec1, which is inside
        outcome = add_candidates(store, result.candidates)
        assert sorted(outcome.added) == ["cam1", "kec1"]
        assert any("kec2" in p and "outside" in p for p in outcome.problems)


def test_a_neighbour_without_a_management_address_says_why_it_cannot_be_added(lab: NetLab, db: Path) -> None:
    cred = SnmpCredential(community=lab.node("kec1").community, timeout_s=1.0, retries=0)

    def cam1_addresses() -> tuple[str, ...]:
        import asyncio

        with in_netns(lab.station_ns):
            got = asyncio.run(read_lldp(lab.node("kec1").addr, cred))
        return next((n.remote_addresses for n in got if n.remote_sys_name == "cam1"), ("missing",))

    def lldpcli_on_cam1(*args: str) -> None:
        lab.exec("cam1", dmn.tool("lldpcli"), "-u", str(lab.dir / "cam1" / "lldpd.sock"), *args)

    lldpcli_on_cam1("configure", "system", "ip", "management", "pattern", "203.0.113.*")  # matches nothing
    try:
        wait_for(lambda: cam1_addresses() == (), "cam1 announcing no management address", timeout_s=15)
        with open_store(db) as store:
            result = run_crawl(lab, store, max_depth=2)
        cam = by_name(result)["cam1"]
        assert cam.status == NO_ADDRESS and cam.address == "" and not cam.addable
        assert "no management address" in cam.reason and cam.seen_from == "kec1"
    finally:
        lldpcli_on_cam1("configure", "system", "ip", "management", "pattern", lab.node("cam1").addr)
        wait_for(lambda: cam1_addresses() == (lab.node("cam1").addr,), "cam1 address back", timeout_s=15)


def test_devices_that_do_not_answer_our_credentials_are_offered_for_ping_with_a_note(lab: NetLab, db: Path) -> None:
    with open_store(db) as store:
        result = run_crawl(lab, store, max_depth=2, credentials_to_try=["wrong"], probe_timeout_s=0.5)
    found = by_name(result)
    assert set(found) == {"kec1", "kec2"}  # without an answer the crawl cannot go past them
    for c in found.values():
        assert c.status == NO_SNMP and c.addable and c.credential == ""
        assert "no SNMP answer with wrong" in c.note
    assert result.visited == ["core"]  # the seed was read with its own credential


def test_cancel_mid_crawl_returns_at_once_with_the_partial_list(lab: NetLab, db: Path) -> None:
    with open_store(db) as store:
        save_snmp_credential(store, "slow", version="2c", community="not-the-community", timeout_s=3.0, retries=1)
        cancel = threading.Event()
        steps: list[str] = []

        def progress(done: int, total: int, text: str) -> None:
            steps.append(text)
            if text == "core":  # the seed is read: the probes (6 s each on 'slow') start now
                threading.Timer(0.3, lambda: (cancelled_at.append(time.monotonic()), cancel.set())).start()

        cancelled_at: list[float] = []
        result = run_crawl(lab, store, max_depth=3, credentials_to_try=["slow", "lab"], probe_timeout_s=3.0,
                           progress=progress, cancel=cancel)
        returned_at = time.monotonic()
    assert result.cancelled and returned_at - cancelled_at[0] < 2.0  # not the 6 s the wrong community costs
    found = by_name(result)
    assert set(found) == {"kec1", "kec2"}  # what the seed's table showed is kept
    assert all(c.status == NOT_PROBED and "cancelled" in c.reason for c in found.values())
    assert steps[0] == "core"


def cli_main(lab: NetLab, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *argv: str) -> str:
    if "nocdesk.commands.discover" not in cli.COMMAND_MODULES:  # until cli.py lists it
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "nocdesk.commands.discover"])
    with in_netns(lab.station_ns):
        assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_cli_add_adds_the_new_devices_and_a_second_crawl_offers_nothing(lab: NetLab, db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture) -> None:
    base = ("--db", str(db), "discover", "crawl", "--seed", "core", "--depth", "2", "--range", "198.18.0.0/15")
    listed = cli_main(lab, monkeypatch, capsys, *base)
    assert "kec1" in listed and "cam1" in listed and "--add" in listed
    with open_store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 1  # listing adds nothing
    out = cli_main(lab, monkeypatch, capsys, *base, "--add")
    assert {"Added kec1.", "Added kec2.", "Added cam1."} <= set(out.splitlines())
    with open_store(db) as store:
        rows = {r["name"]: dict(r) for r in store.conn.execute("SELECT * FROM devices")}
    assert set(rows) == {"core", "kec1", "kec2", "cam1"}
    assert rows["cam1"]["address"] == lab.node("cam1").addr and rows["cam1"]["snmp_credential"] == "lab"
    assert rows["kec1"]["kind"] == "switch" and rows["kec1"]["chassis_id"]
    again = json.loads(cli_main(lab, monkeypatch, capsys, *base, "--json"))
    assert again["candidates"] == []
    assert sorted(k["name"] for k in again["known"]) == ["cam1", "kec1", "kec2"]


def test_an_agent_answering_garbage_is_a_candidate_with_a_note_not_an_error(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed given by address whose 'agent' answers every request with bytes that are not SNMP (loopback only)."""
    import socket

    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "lab-master-pass")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def answer_garbage() -> None:
        while not stop.is_set():
            try:
                _data, peer = sock.recvfrom(4096)
            except OSError:
                continue
            sock.sendto(b"\x30\x05\x02\x01\x63\xff\xfe not snmp at all", peer)

    worker = threading.Thread(target=answer_garbage, daemon=True)
    worker.start()
    try:
        with open_store(tmp_path / "g.db") as store:
            save_snmp_credential(store, "odd", version="2c", community="public", port=sock.getsockname()[1],
                                 timeout_s=0.5, retries=0)
            result = crawl(store, ["127.0.0.1"], max_depth=1, allowed_ranges=["127.0.0.0/8"],
                           credentials_to_try=["odd"])
    finally:
        stop.set()
        worker.join(timeout=2)
        sock.close()
    [cand] = result.candidates
    assert (cand.name, cand.address, cand.status) == ("host-127-0-0-1", "127.0.0.1", NO_SNMP)
    assert cand.addable and "no SNMP answer with odd" in cand.note
    assert result.visited == [] and not result.cancelled
