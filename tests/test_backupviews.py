"""nocdesk.backupviews on a real store: what the Config backups window shows, written as a backup run writes it."""

from __future__ import annotations

import pytest

from nocdesk import backupviews
from nocdesk.collectors.profiles import load_profiles
from nocdesk.configversions import filter_config, insert_version, prune_versions
from nocdesk.errors import ConfigError
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store

IOS = """Building configuration...

Current configuration : {size} bytes
!
! Last configuration change at {stamp}
!
hostname sw1
snmp-server community Pemda-RO-s3cret RO
interface Gi1/0/1
 description {desc}
{extra}end
"""
T0 = 1_795_420_800  # 2026-11-23 15:00 WIB


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        for name, address, cred in (("sw1", "198.18.1.1", "ios"), ("sw2", "198.18.1.2", "ios"),
                                    ("prn", "198.18.1.9", ""), ("sw-old", "198.18.1.3", "")):
            add_device(store, DeviceSpec(name=name, address=address, kind="switch", ssh_credential=cred,
                                         profile="cisco_ios" if cred or name == "sw-old" else ""))
        yield store


def ids(store) -> dict[str, int]:
    return {r["name"]: r["id"] for r in store.conn.execute("SELECT id, name FROM devices")}


def backup(store, device_id: int, ts: int, text: str, result: str, summary: str = "", reason: str = "") -> int | None:
    """What configbackup._record writes for one device: a version when the config is new, and a run row."""
    ignore = load_profiles()["cisco_ios"].ssh.ignore_lines
    with store.transaction() as conn:
        version_id = None
        if result in ("first", "changed"):
            version_id = insert_version(conn, device_id, ts, text, filter_config(text, ignore), summary)
        conn.execute("INSERT INTO backup_runs(device_id, ts, result, reason, version_id) VALUES (?, ?, ?, ?, ?)",
                     (device_id, ts, result, reason, version_id))
    return version_id


def config(stamp: str = "10:00:00 WIB Mon Nov 23 2026", desc: str = "uplink", extra: str = "", size: int = 100) -> str:
    return IOS.format(stamp=stamp, desc=desc, extra=extra, size=size)


def test_rows_show_last_result_versions_and_host_key(store):
    dev = ids(store)
    backup(store, dev["sw1"], T0, config(), "first", "first version, 9 lines")
    backup(store, dev["sw1"], T0 + 60, config(desc="uplink-fiber"), "changed", "+1 -1 lines")
    backup(store, dev["sw2"], T0, "", "failed", reason="sw2 (198.18.1.2:22): timeout — no SSH answer within 10 s")
    backup(store, dev["sw-old"], T0 - 86400, config(), "first", "first version, 9 lines")
    store.conn.execute("INSERT INTO ssh_host_keys(device_id, key_type, key_base64, fingerprint, first_seen) "
                       "VALUES (?, 'ssh-rsa', 'AAAA', 'SHA256:old', ?)", (dev["sw1"], T0))
    store.conn.execute("INSERT INTO ssh_host_keys(device_id, key_type, key_base64, fingerprint, first_seen, "
                       "pending_key_base64, pending_fingerprint) VALUES (?, 'ssh-rsa', 'AAAA', 'SHA256:was', ?, "
                       "'BBBB', 'SHA256:now')", (dev["sw2"], T0))

    rows = {r.name: r for r in backupviews.backup_rows(store)}
    assert list(rows) == ["sw-old", "sw1", "sw2"]  # prn: no credential and no history
    sw1, sw2, old = rows["sw1"], rows["sw2"], rows["sw-old"]
    assert (sw1.result, sw1.summary, sw1.versions, sw1.last_ts, sw1.latest_version_ts) == \
        ("changed", "+1 -1 lines", 2, T0 + 60, T0 + 60)
    assert (sw1.key_status, sw1.fingerprint, sw1.pending_fingerprint) == ("trusted", "SHA256:old", "")
    assert (sw2.result, sw2.versions, sw2.key_status, sw2.pending_fingerprint) == ("failed", 0, "changed", "SHA256:now")
    assert "timeout" in sw2.reason and sw2.has_credential
    assert (old.has_credential, old.versions, old.key_status) == (False, 1, "none")
    assert "prn" in {r.name for r in backupviews.backup_rows(store, include_all=True)}

    assert backupviews.host_key_info(store, dev["sw2"]).pending_fingerprint == "SHA256:now"
    assert backupviews.host_key_info(store, dev["prn"]) is None


def test_versions_count_changed_lines_after_filtering_and_survive_pruning(store):
    sw1 = ids(store)["sw1"]
    v1 = backup(store, sw1, T0, config(), "first", "first version, 9 lines")
    # A new stamp and byte count (ignored lines) plus one edited and one added line.
    v2 = backup(store, sw1, T0 + 60, config("11:00:00 WIB", "uplink-fiber", " shutdown\n", 120), "changed", "x")
    backup(store, sw1, T0 + 120, config("12:00:00 WIB", "uplink-fiber", " shutdown\n", 121), "unchanged")
    v3 = backup(store, sw1, T0 + 180, config("13:00:00 WIB", "uplink-fiber", "", 99), "changed", "y")

    rows = backupviews.version_rows(store, sw1)
    first_lines = filter_config(config(), load_profiles()["cisco_ios"].ssh.ignore_lines).count("\n")
    assert first_lines == 7  # the banner, byte count and change stamp are not counted
    assert [(r.id, r.added, r.removed, r.first) for r in rows] == [(v3, 0, 1, False), (v2, 2, 1, False),
                                                                  (v1, first_lines, 0, True)]
    assert rows[0].ts == T0 + 180 and len(rows[0].hash_short) == backupviews.HASH_SHORT and rows[0].size > 0

    with store.transaction() as conn:
        prune_versions(conn, sw1, 2)
    oldest = backupviews.version_rows(store, sw1)[-1]
    assert (oldest.id, oldest.added, oldest.removed, oldest.first, oldest.summary) == (v2, None, None, False, "x")
    assert backupviews.version_rows(store, ids(store)["sw2"]) == []


def test_diff_view_and_export_hide_secrets_and_ignored_lines(store, tmp_path):
    sw1 = ids(store)["sw1"]
    v1 = backup(store, sw1, T0, config(), "first", "first")
    v2 = backup(store, sw1, T0 + 60, config("11:00:00 WIB", "uplink-fiber"), "changed", "+1 -1 lines")

    diff = backupviews.version_diff(store, sw1, v2, v1)  # picked newest first: still old -> new
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["- description uplink", "+ description uplink-fiber"]
    assert "Pemda-RO-s3cret" not in diff and "Last configuration change" not in diff
    raw = backupviews.version_diff(store, sw1, v1, v2, raw=True)
    assert "+! Last configuration change at 11:00:00 WIB" in raw and "Pemda-RO-s3cret" not in raw

    shown = backupviews.version_view(store, sw1, v1)
    assert "hostname sw1" in shown and "<redacted>" in shown and "Last configuration change" not in shown
    assert "Last configuration change" in backupviews.version_view(store, sw1, v1, raw=True)

    out = backupviews.export_version(store, sw1, v1, tmp_path / "out" / "sw1.cfg")
    assert "<redacted>" in out.read_text() and "Pemda-RO-s3cret" not in out.read_text()
    assert "Last configuration change" in out.read_text()  # an export is the config as fetched
    plain = backupviews.export_version(store, sw1, v1, tmp_path / "sw1-plain.cfg", redact=False)
    assert "Pemda-RO-s3cret" in plain.read_text() and (plain.stat().st_mode & 0o077) == 0

    with pytest.raises(ConfigError, match="not a stored version"):
        backupviews.version_diff(store, sw1, v1, 9999)
    with pytest.raises(ConfigError, match="no longer exists"):
        backupviews.version_rows(store, 4242)
