"""The engine's configuration snapshot: interfaces are re-read only when one that matters to polling changed,
and every such change (from the engine or from another connection) is seen at the next reload."""

from __future__ import annotations

from nocdesk.engineconfig import load_config
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.samples import ensure_interfaces
from nocdesk.store import open_store


def _store(tmp_path):
    store = open_store(tmp_path / "n.db")
    sw = add_device(store, DeviceSpec(name="sw1", address="127.0.0.1", kind="switch"))
    ensure_interfaces(store, sw, [{"if_index": i, "name": f"Gi0/{i}"} for i in range(1, 25)])
    return store, sw


def test_adding_a_device_keeps_the_interface_snapshot(tmp_path) -> None:
    store, _sw = _store(tmp_path)
    first = load_config(store)
    other = open_store(tmp_path / "n.db")
    add_device(other, DeviceSpec(name="sw2", address="127.0.0.2", kind="switch"))
    second = load_config(store, previous=first)
    assert "sw2" in {d.name for d in second.devices.values()}
    assert second.interfaces is first.interfaces


def test_interface_changes_from_another_connection_are_read_again(tmp_path) -> None:
    store, sw = _store(tmp_path)
    first = load_config(store)
    assert first.interfaces[(sw, 3)].monitored
    other = open_store(tmp_path / "n.db")
    other.conn.execute("UPDATE interfaces SET monitored = 0 WHERE device_id = ? AND if_index = 3", (sw,))
    second = load_config(store, previous=first)
    assert not second.interfaces[(sw, 3)].monitored

    other.conn.execute("UPDATE interfaces SET speed_override_bps = 1000000000 WHERE if_index = 4")
    third = load_config(store, previous=second)
    assert third.interfaces[(sw, 4)].speed_override_bps == 1_000_000_000

    ensure_interfaces(other, sw, [{"if_index": 99, "name": "Te1/1"}, {"if_index": 5, "name": "uplink-renamed"}])
    fourth = load_config(store, previous=third)
    assert fourth.interfaces[(sw, 99)].name == "Te1/1"
    assert fourth.interfaces[(sw, 5)].name == "uplink-renamed"

    other.conn.execute("DELETE FROM interfaces WHERE if_index = 99")
    assert (sw, 99) not in load_config(store, previous=fourth).interfaces


def test_live_counters_do_not_count_as_a_change(tmp_path) -> None:
    store, sw = _store(tmp_path)
    first = load_config(store)
    # What the engine writes every cycle: rates, oper status, state; and a refresh with the same names.
    store.conn.execute("UPDATE interfaces SET in_bps = 5e6, oper_status = 'down', state = 'down', updated_at = 9")
    ensure_interfaces(store, sw, [{"if_index": 1, "name": "Gi0/1"}])
    assert load_config(store, previous=first).interfaces is first.interfaces


def test_a_device_enabled_later_gets_its_interfaces_tracked(tmp_path) -> None:
    from nocdesk.enginestart import track_targets
    from nocdesk.inventory import update_device
    from nocdesk.states import StateMachine

    store, sw = _store(tmp_path)
    other = add_device(store, DeviceSpec(name="sw2", address="127.0.0.2", kind="switch"))
    ensure_interfaces(store, other, [{"if_index": 1, "name": "Gi0/1"}])
    update_device(store, "sw2", enabled=False)
    machine = StateMachine()
    first = load_config(store)
    track_targets(machine, store, first)
    sw2_port = store.conn.execute("SELECT id FROM interfaces WHERE device_id = ?", (other,)).fetchone()[0]
    assert ("interface", sw2_port) not in machine.trackers
    assert len([k for k in machine.trackers if k[0] == "interface"]) == 24

    update_device(store, "sw2", enabled=True)
    second = load_config(store, previous=first)
    assert second.interfaces is first.interfaces  # nothing about interfaces changed
    track_targets(machine, store, second, first)
    assert ("interface", sw2_port) in machine.trackers
    assert len([k for k in machine.trackers if k[0] == "interface"]) == 25
