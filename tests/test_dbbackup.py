"""Database backup and restore: copies are consistent, checked, and a bad backup never replaces good data."""

from __future__ import annotations

import sqlite3

import pytest

from nocdesk.dbbackup import backup_database, daily_backup_if_due, restore_database
from nocdesk.errors import StoreError
from nocdesk.inventory import DeviceSpec, add_device, list_devices
from nocdesk.store import open_store


def names(path) -> list[str]:
    with open_store(path) as store:
        return [d["name"] for d in list_devices(store)]


def test_backup_then_restore_brings_back_removed_devices(tmp_path):
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
        add_device(store, DeviceSpec("kec1", "198.18.1.1", "switch"))
        backup_database(store, tmp_path / "copy.db")
        store.conn.execute("DELETE FROM devices WHERE name = 'kec1'")
    assert names(db) == ["core"]
    kept = restore_database(tmp_path / "copy.db", db)
    assert names(db) == ["core", "kec1"]
    assert kept is not None and names(kept) == ["core"]


@pytest.mark.parametrize("content", [b"garbage" * 100, b""])
def test_restore_refuses_a_bad_file_and_keeps_the_database(tmp_path, content):
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    with pytest.raises(StoreError):
        restore_database(bad, db)
    assert names(db) == ["core"]


def test_restore_refuses_another_programs_database(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a nocdesk database"):
        restore_database(other, tmp_path / "nocdesk.db")


def test_daily_backup_keeps_n_copies(tmp_path):
    with open_store(tmp_path / "nocdesk.db") as store:
        day = 86400
        base = 1_790_000_000
        made = [daily_backup_if_due(store, tmp_path / "auto", keep=3, now=base + i * day) for i in range(5)]
        assert all(made)
        assert daily_backup_if_due(store, tmp_path / "auto", keep=3, now=base + 4 * day + 60) is None
    assert len(list((tmp_path / "auto").glob("*.db"))) == 3
