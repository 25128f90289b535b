"""The store on real files: a fresh file is WAL and versioned; unusable files are refused and never changed."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import nocdesk.store as store_module
from nocdesk.errors import StoreError
from nocdesk.inventory import DeviceSpec, add_device, list_devices
from nocdesk.schema import MIGRATIONS, SCHEMA_VERSION
from nocdesk.store import APPLICATION_ID, open_store


def make_nocdesk_db(path: Path, devices: int = 3) -> Path:
    with open_store(path) as store:
        for i in range(devices):
            add_device(store, DeviceSpec(f"dev{i}", f"198.18.{i // 250}.{i % 250 + 1}", "switch", site=f"site{i % 7}"))
    return path


def damage_page(path: Path, page: int) -> None:
    """Overwrite one whole page with random bytes, like a bad sector would."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size + (100 if page == 1 else 0)  # keep the 100-byte file header of page 1
    data[start:page * page_size] = random.Random(page).randbytes(page * page_size - start)
    path.write_bytes(bytes(data))


def root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(20_000))


def damaged_devices_table(path: Path) -> None:
    make_nocdesk_db(path, devices=300)
    damage_page(path, root_page(path, "devices"))


def damaged_schema_page(path: Path) -> None:
    make_nocdesk_db(path)
    damage_page(path, 1)


def truncated(path: Path) -> None:
    make_nocdesk_db(path, devices=300)
    path.write_bytes(path.read_bytes()[: 5 * 4096])


def newer_version(path: Path) -> None:
    make_nocdesk_db(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts(name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Budi', '0812')")
    conn.commit()
    conn.close()


UNUSABLE: list[tuple[Callable[[Path], None], str]] = [
    (random_bytes, "not a nocdesk database"),
    (damaged_devices_table, "is damaged"),
    (damaged_schema_page, "is damaged"),
    (truncated, "is damaged"),
    (newer_version, r"newer nocdesk \(schema 99"),
    (other_program, "database of another program"),
]


def test_a_fresh_file_is_wal_and_carries_the_schema_version(tmp_path):
    db = tmp_path / "sub" / "nocdesk.db"
    with open_store(db) as store:
        add_device(store, DeviceSpec("core", "198.18.0.1", "router"))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    with open_store(db) as store:
        assert [d["name"] for d in list_devices(store)] == ["core"]


@pytest.mark.parametrize(("make", "message"), UNUSABLE, ids=[m.__name__ for m, _ in UNUSABLE])
def test_an_unusable_file_is_refused_with_a_clear_message_and_left_untouched(tmp_path, make, message):
    db = tmp_path / "nocdesk.db"
    make(db)
    before = db.read_bytes()
    with pytest.raises(StoreError, match=message) as err:
        open_store(db)
    text = str(err.value)
    assert str(db) in text and "\n" not in text
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*.bak")), "no migration copy for a file that is refused"


def test_a_locked_file_is_reported_and_not_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    db = make_nocdesk_db(tmp_path / "nocdesk.db")
    before = db.read_bytes()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            open_store(db)
        assert db.read_bytes() == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_store(db) as store:
        assert len(list_devices(store)) == 3


def test_a_lock_taken_after_opening_gives_a_store_error_on_write(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    db = make_nocdesk_db(tmp_path / "nocdesk.db")
    with open_store(db) as store:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match="locked"):
                add_device(store, DeviceSpec("late", "198.18.9.9", "server"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "late" not in [d["name"] for d in list_devices(store)]
        add_device(store, DeviceSpec("late", "198.18.9.9", "server"))


def _one_more_migration(monkeypatch, sql: str) -> None:
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, sql])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)


def test_migrating_an_older_file_first_makes_a_copy(tmp_path, monkeypatch):
    db = make_nocdesk_db(tmp_path / "nocdesk.db")
    _one_more_migration(monkeypatch, "CREATE TABLE extra (x INTEGER);\nALTER TABLE sites ADD COLUMN region TEXT;")
    with open_store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        store.conn.execute("INSERT INTO extra VALUES (1)")
        assert len(list_devices(store)) == 3
    copies = list(tmp_path.glob(f"nocdesk.db.v{SCHEMA_VERSION}-*.bak"))
    assert len(copies) == 1
    conn = sqlite3.connect(copies[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    conn.close()
    with open_store(db):  # already current: no second copy
        pass
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    db = make_nocdesk_db(tmp_path / "nocdesk.db")
    _one_more_migration(monkeypatch, "CREATE TABLE extra (x INTEGER);\nCREATE TABLE devices (x INTEGER);")
    with pytest.raises(StoreError, match="already exists"):
        open_store(db)
    monkeypatch.undo()
    with open_store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
        assert len(list_devices(store)) == 3


@pytest.mark.parametrize("kwargs", [{"readonly": True}, {"create": False}])
def test_a_missing_file_is_not_created_when_not_asked_to(tmp_path, kwargs):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing.db", **kwargs)
    assert not (tmp_path / "missing.db").exists()


def test_readonly_store_reads_but_cannot_write(tmp_path):
    db = make_nocdesk_db(tmp_path / "nocdesk.db")
    with open_store(db, readonly=True) as store:
        assert len(list_devices(store)) == 3
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM devices")


def test_settings_round_trip_json_values(tmp_path):
    with open_store(tmp_path / "nocdesk.db") as store:
        store.set_setting("alerts", {"down_after": 2, "channels": ["email"]})
        store.set_setting("alerts", {"down_after": 3})
        assert store.get_setting("alerts") == {"down_after": 3}
        assert store.get_setting("missing", "x") == "x"


def test_opening_the_store_again_keeps_other_processes_from_breaking_the_wal(tmp_path) -> None:
    """POSIX locks belong to the process: closing any handle on the file drops them all. A second open_store()
    in the app (a viewer read, a CLI call) must not do that, or another process's reader takes itself for the
    last connection, checkpoints and deletes the WAL under the running app ("disk I/O error", lost rows)."""
    import subprocess
    import sys

    db = tmp_path / "n.db"
    app = open_store(db)
    app.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep the rows in the WAL, as between checkpoints
    app.conn.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER)")
    for n in range(50):
        app.conn.execute("INSERT INTO probe VALUES (?)", (n,))
    open_store(db, readonly=True).close()  # the app's second connection comes and goes
    reader = [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
              "print(c.execute('SELECT count(*) FROM probe').fetchone()[0]); c.close()", str(db)]
    for _ in range(3):
        out = subprocess.run(reader, capture_output=True, text=True, timeout=30, check=True)
        assert out.stdout.strip() == "50"
    # With the locks gone the readers above deleted the WAL; the app then writes into an unlinked file that
    # nobody else sees (or gets "disk I/O error").
    assert Path(f"{db}-wal").exists()
    app.conn.execute("INSERT INTO probe VALUES (50)")
    out = subprocess.run(reader, capture_output=True, text=True, timeout=30, check=True)
    assert out.stdout.strip() == "51"
    app.close()
    with open_store(db) as again:
        assert again.conn.execute("SELECT count(*) FROM probe").fetchone()[0] == 51
