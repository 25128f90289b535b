"""Traps into the store: a real snmptrap linkDown flips the interface and its fiber link at once and opens the
link alert; unknown traps and unknown senders are kept as events, never dropped."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time

from alert_helpers import build_lab
from notify_peers import free_port
from test_traps import COMMUNITY, LINK_DOWN, need_snmptrap

from nocdesk.alerts import list_alerts
from nocdesk.collectors.traps import TrapEvent, TrapListener, TrapListenerConfig
from nocdesk.notify.desktop import take_desktop
from nocdesk.trapsink import TrapSink


def lab_with_ports(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0})
    store = lab.store
    # The core is the trap sender here: its address is the loopback the trap comes from.
    store.conn.execute("UPDATE devices SET address = '127.0.0.1' WHERE id = ?", (lab.ids["core"],))
    core_port = store.conn.execute("INSERT INTO interfaces(device_id, if_index, name, admin_status, oper_status, state)"
                                   " VALUES (?, 3, 'ge-0/0/3', 'up', 'up', 'up')", (lab.ids["core"],)).lastrowid
    kec_port = store.conn.execute("INSERT INTO interfaces(device_id, if_index, name, admin_status, oper_status, state) "
                                  "VALUES (?, 1, 'gi0/1', 'up', 'up', 'up')", (lab.ids["kec1"],)).lastrowid
    store.conn.execute("UPDATE links SET a_interface_id = ?, b_interface_id = ? WHERE id = ?",
                       (core_port, kec_port, lab.fiber_id))
    return lab, core_port


async def listen_and_send(lab, commands: list[str], expect: int) -> list:
    need_snmptrap()
    outcomes, port = [], free_port(socket.SOCK_DGRAM)
    sink = TrapSink(lab.store, recheck=lab.extra.setdefault("rechecks", []).append,
                    on_transitions=lab.alerts.on_transitions, on_port_trap=lab.alerts.note_trap)
    cfg = TrapListenerConfig(bind="127.0.0.1", port=port, communities=(COMMUNITY,))
    async with TrapListener(cfg, lambda e: outcomes.append((time.monotonic(), sink.handle(e)))):
        sent_at = time.monotonic()
        for command in commands:
            proc = await asyncio.create_subprocess_shell(command.replace("PORT", str(port)),
                                                         env={**os.environ, "MIBS": ""})
            await asyncio.wait_for(proc.wait(), 15)
        deadline = time.monotonic() + 10
        while len(outcomes) < expect and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
    lab.extra["latency_s"] = [t - sent_at for t, _ in outcomes]
    return [o for _, o in outcomes]


def test_link_down_trap_flips_port_and_fiber_at_once_and_opens_the_link_alert(tmp_path):
    lab, core_port = lab_with_ports(tmp_path)
    (outcome,) = asyncio.run(listen_and_send(lab, [
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' {LINK_DOWN} 1.3.6.1.2.1.2.2.1.1.3 i 3 "
        "1.3.6.1.2.1.2.2.1.7.3 i 1 1.3.6.1.2.1.2.2.1.8.3 i 2"], expect=1))
    assert (outcome.device_id, outcome.interface_id, outcome.name) == (lab.ids["core"], core_port, "linkDown")
    port = lab.store.conn.execute("SELECT state, oper_status FROM interfaces WHERE id = ?", (core_port,)).fetchone()
    assert tuple(port) == ("down", "down")
    assert lab.store.conn.execute("SELECT state FROM links WHERE id = ?", (lab.fiber_id,)).fetchone()[0] == "down"
    assert [(t.target_type, t.state) for t in outcome.transitions] == [("interface", "down"), ("link", "down")]
    event = lab.store.conn.execute("SELECT * FROM events WHERE kind = 'trap'").fetchone()
    assert event["severity"] == "critical" and "linkDown trap from core: interface ge-0/0/3" == event["message"]
    assert COMMUNITY not in event["details"]
    (alert,) = list_alerts(lab.store)
    assert (alert.rule, alert.target_type, alert.target_id) == ("link_down", "link", lab.fiber_id)
    (notice,) = take_desktop(lab.store, now=lab.clock.now)
    assert notice.text.startswith("Fiber link core ↔ kec1 down")
    assert lab.extra["rechecks"] == [lab.ids["core"]]
    assert lab.extra["latency_s"][0] < 5  # the target: within 5 s of a linkDown trap


def test_unknown_enterprise_trap_from_a_known_device_is_kept(tmp_path):
    lab, _ = lab_with_ports(tmp_path)
    (outcome,) = asyncio.run(listen_and_send(lab, [
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' 1.3.6.1.4.1.2011.5.25.136.1.6.1 "
        "1.3.6.1.4.1.2011.5.25.136.1.1.1 s 'optical power low'"], expect=1))
    event = lab.store.conn.execute("SELECT * FROM events WHERE id = ?", (outcome.event_id,)).fetchone()
    assert event["device_id"] == lab.ids["core"] and event["kind"] == "trap"
    assert event["message"] == "trap 1.3.6.1.4.1.2011.5.25.136.1.6.1 from core"
    assert ["1.3.6.1.4.1.2011.5.25.136.1.1.1", "optical power low"] in json.loads(event["details"])["varbinds"]
    assert list_alerts(lab.store) == []


def test_trap_from_an_address_not_in_the_inventory_is_kept_as_an_event(tmp_path):
    lab, _ = lab_with_ports(tmp_path)
    sink = TrapSink(lab.store)
    stray = TrapEvent("198.18.9.9", "2c", LINK_DOWN, "linkDown", 4, (("1.3.6.1.2.1.2.2.1.1.4", "4"),), 1.7e9)
    outcome = sink.handle(stray)
    assert outcome.device_id is None and outcome.transitions == ()
    row = lab.store.conn.execute("SELECT device_id, message FROM events WHERE id = ?", (outcome.event_id,)).fetchone()
    assert row["device_id"] is None and "198.18.9.9" in row["message"] and "no device with this address" in row["message"]


def test_link_up_trap_restores_port_and_resolves_the_alert(tmp_path):
    lab, core_port = lab_with_ports(tmp_path)
    asyncio.run(listen_and_send(lab, [
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' {LINK_DOWN} 1.3.6.1.2.1.2.2.1.1.3 i 3",
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' 1.3.6.1.6.3.1.1.5.4 1.3.6.1.2.1.2.2.1.1.3 i 3"], expect=2))
    assert lab.store.conn.execute("SELECT state FROM interfaces WHERE id = ?", (core_port,)).fetchone()[0] == "up"
    (alert,) = list_alerts(lab.store)
    assert alert.status == "resolved"
