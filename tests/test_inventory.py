"""Device inventory: validation messages, duplicates, edits, parents and removal, on a real store."""

from __future__ import annotations

import pytest

from nocdesk.errors import ConfigError
from nocdesk.inventory import (
    DeviceSpec,
    add_device,
    check_spec,
    find_device,
    insert_devices,
    list_devices,
    remove_device,
    spec_of,
    update_device,
)
from nocdesk.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "nocdesk.db") as s:
        yield s


@pytest.mark.parametrize(("spec", "problem"), [
    (DeviceSpec("", "198.18.0.1"), "name is empty"),
    (DeviceSpec("a,b", "198.18.0.1"), "without commas"),
    (DeviceSpec("two\nlines", "198.18.0.1"), "line breaks"),
    (DeviceSpec("sw", ""), "address is empty"),
    (DeviceSpec("sw", "198.18.0.300"), "'198.18.0.300' is not an IP address"),
    (DeviceSpec("sw", "bad host!"), "not an IP address or host name"),
    (DeviceSpec("sw", "198.18.0.1", kind="toaster"), "kind 'toaster' is unknown"),
    (DeviceSpec("sw", "198.18.0.1", interval_s=5), "interval 5 s is outside 10-86400 s"),
    (DeviceSpec("sw", "198.18.0.1", interval_s="abc"), "'abc' is not a whole number"),  # type: ignore[arg-type]
    (DeviceSpec("sw", "198.18.0.1", parent="SW"), "its own parent"),
    (DeviceSpec("sw", "198.18.0.1", tags=["a,b"]), "must not contain a comma"),
])
def test_check_spec_names_the_problem(spec, problem):
    assert any(problem in p for p in check_spec(spec)), check_spec(spec)


@pytest.mark.parametrize("spec", [
    DeviceSpec("sw-kec-kutaraja", "198.18.1.2", "switch"),
    DeviceSpec("Kantor Camat Pérak", "fe80::1", "Access Point"),
    DeviceSpec("nvr", "nvr.pemda.local", "camera", interval_s=300),
])
def test_good_specs_have_no_problems(spec):
    assert check_spec(spec) == []


def test_add_then_find_by_name_or_address_and_kind_aliases_are_normalised(store):
    add_device(store, DeviceSpec("ap-1", "198.18.0.5", "Access Point", site="Kantor Bupati", tags=["lt2"]))
    device = find_device(store, "AP-1")
    assert device["kind"] == "access_point"
    assert find_device(store, "198.18.0.5")["id"] == device["id"]
    assert spec_of(store, device) == DeviceSpec("ap-1", "198.18.0.5", "access_point", site="Kantor Bupati", tags=["lt2"])


@pytest.mark.parametrize(("second", "problem"), [
    (DeviceSpec("CORE", "198.18.0.2"), "a device named 'CORE' already exists"),
    (DeviceSpec("other", "198.18.0.1"), "address 198.18.0.1 is already used by 'core'"),
    (DeviceSpec("child", "198.18.0.3", parent="nowhere"), "parent 'nowhere' is not a known device"),
])
def test_conflicts_with_the_database_are_refused(store, second, problem):
    add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
    with pytest.raises(ConfigError, match=problem):
        add_device(store, second)
    assert len(list_devices(store)) == 1


def test_update_changes_only_given_fields_and_checks_conflicts(store):
    add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
    add_device(store, DeviceSpec("sw", "198.18.0.2", "switch", parent="core", site="DC"))
    update_device(store, "sw", interval_s=30, tags=["x"])
    spec = spec_of(store, find_device(store, "sw"))
    assert (spec.interval_s, spec.tags, spec.parent, spec.site) == (30, ["x"], "core", "DC")
    with pytest.raises(ConfigError, match="already used by 'core'"):
        update_device(store, "sw", address="198.18.0.1")
    with pytest.raises(ConfigError, match="unknown field"):
        update_device(store, "sw", colour="red")
    update_device(store, "sw", parent="")
    assert find_device(store, "sw")["parent_id"] is None


def test_insert_devices_accepts_a_parent_listed_after_its_child(store):
    with store.transaction():
        insert_devices(store, [DeviceSpec("leaf", "198.18.0.3", parent="dist"),
                               DeviceSpec("dist", "198.18.0.2", parent="core"),
                               DeviceSpec("core", "198.18.0.1")])
    parents = {d["name"]: d["parent"] for d in list_devices(store)}
    assert parents == {"core": None, "dist": "core", "leaf": "dist"}


def test_remove_deletes_history_and_frees_the_children(store):
    add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
    add_device(store, DeviceSpec("sw", "198.18.0.2", "switch", parent="core"))
    core = find_device(store, "core")["id"]
    sensor = store.conn.execute("INSERT INTO sensors(device_id, kind) VALUES (?, 'rtt_ms')", (core,)).lastrowid
    store.conn.execute("INSERT INTO samples VALUES (?, 1, 2.5)", (sensor,))
    remove_device(store, "core")
    assert store.conn.execute("SELECT count(*) FROM samples").fetchone()[0] == 0
    sw = find_device(store, "sw")
    assert (sw["parent_id"], sw["parent_pinned"]) == (None, 0)
    with pytest.raises(ConfigError, match="no device named 'core'"):
        remove_device(store, "core")
