"""Read-only views of config backups for the desktop app: per-device summary rows, version lists, diffs, exports.

Plain functions over an open Store returning frozen dataclasses, so the UI runs them off the GUI thread and
draws from the result (no SQL in widgets). The writing verbs stay in nocdesk.configbackup (run_backups,
accept_host_key); `export_version` only writes the chosen file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .collectors.profiles import Profile, load_profiles
from .configbackup import diff_device, ignore_patterns, redact_patterns, version_for_export
from .configversions import (
    diff_stats,
    export_text,
    filter_config,
    get_version,
    list_versions,
    redact_config,
    version_text,
)
from .errors import ConfigError
from .i18n import _
from .store import Store

HASH_SHORT = 10
KEY_NONE, KEY_TRUSTED, KEY_CHANGED = "none", "trusted", "changed"


@dataclass(frozen=True)
class BackupRow:
    """One device in the backup table: its last result, how many versions are stored and its host-key state."""

    device_id: int
    name: str
    address: str
    has_credential: bool
    enabled: bool
    last_ts: int | None
    result: str  # '' = never backed up; else unchanged / changed / first / failed / blocked
    reason: str
    summary: str  # the version's summary for first / changed ('+3 -1 lines')
    versions: int
    latest_version_ts: int | None
    key_status: str  # none / trusted / changed
    fingerprint: str
    pending_fingerprint: str


@dataclass(frozen=True)
class VersionRow:
    """One stored version with how it differs from the version stored before it (None: that one was pruned)."""

    id: int
    ts: int
    hash_short: str
    size: int
    summary: str
    added: int | None
    removed: int | None
    first: bool  # the device's first version ever (nothing stored before it, nothing pruned)


@dataclass(frozen=True)
class HostKeyInfo:
    """A device's trusted SSH host key and the changed key waiting for the admin, if any."""

    device_id: int
    name: str
    key_type: str
    fingerprint: str
    first_seen: int | None
    pending_fingerprint: str


def backup_rows(store: Store, *, include_all: bool = False) -> list[BackupRow]:
    """Devices with an SSH credential or any backup history (every device if include_all), by name."""
    rows = store.conn.execute(
        """
        SELECT d.id, d.name, d.address, d.enabled, COALESCE(d.ssh_credential, '') AS cred,
               r.ts, r.result, r.reason, (SELECT summary FROM config_versions v WHERE v.id = r.version_id) AS summary,
               (SELECT COUNT(*) FROM config_versions v WHERE v.device_id = d.id) AS versions,
               (SELECT MAX(v.ts) FROM config_versions v WHERE v.device_id = d.id) AS latest_ts,
               k.fingerprint, k.pending_fingerprint
        FROM devices d
        LEFT JOIN backup_runs r ON r.id = (SELECT MAX(id) FROM backup_runs b WHERE b.device_id = d.id)
        LEFT JOIN ssh_host_keys k ON k.device_id = d.id
        ORDER BY d.name COLLATE NOCASE
        """).fetchall()
    out = []
    for row in rows:
        if not (include_all or row["cred"] or row["result"] or row["versions"]):
            continue
        status = KEY_NONE if row["fingerprint"] is None else KEY_CHANGED if row["pending_fingerprint"] else KEY_TRUSTED
        out.append(BackupRow(row["id"], row["name"], row["address"], bool(row["cred"]), bool(row["enabled"]),
                             row["ts"], row["result"] or "", row["reason"] or "", row["summary"] or "",
                             row["versions"], row["latest_ts"],
                             status, row["fingerprint"] or "", row["pending_fingerprint"] or ""))
    return out


def _device(store: Store, device_id: int) -> dict:
    row = store.conn.execute("SELECT * FROM devices WHERE id = ?", (device_id,)).fetchone()
    if row is None:
        raise ConfigError(_("device {id} no longer exists; it may have been removed").format(id=device_id))
    return dict(row)


def version_rows(store: Store, device_id: int, *, profiles: Mapping[str, Profile] | None = None) -> list[VersionRow]:
    """A device's versions, newest first, each with the lines added/removed since the one before (filtered)."""
    device = _device(store, device_id)
    versions = list_versions(store, device_id)
    if not versions:
        return []
    ignore = ignore_patterns(device, profiles if profiles is not None else load_profiles())
    # The oldest kept version is the first one unless older ones were pruned (then its "first" run row
    # points at a deleted version, or at none).
    first_ids = {r[0] for r in store.conn.execute("SELECT version_id FROM backup_runs WHERE device_id = ? AND "
                                                  "result = 'first'", (device_id,))}
    texts = [filter_config(version_text(store.conn, v.id), ignore) for v in versions]
    out = []
    for i, version in enumerate(versions):
        first = i == len(versions) - 1 and (version.id in first_ids or not first_ids)
        if i + 1 < len(versions):
            stats = diff_stats(texts[i + 1], texts[i])
            added, removed = stats.added, stats.removed
        elif first:
            added, removed = texts[i].count("\n"), 0
        else:
            added = removed = None
        out.append(VersionRow(version.id, version.ts, version.text_hash[:HASH_SHORT], version.size, version.summary,
                              added, removed, first))
    return out


def version_diff(store: Store, device_id: int, old_id: int, new_id: int, *, raw: bool = False,
                 profiles: Mapping[str, Profile] | None = None) -> str:
    """Unified diff between two versions (older first), secrets redacted; '' when they are equal."""
    device = _device(store, device_id)
    old, new = sorted((old_id, new_id), key=lambda vid: (get_version(store, device_id, vid).ts, vid))
    return diff_device(store, device["name"], old, new, raw=raw, redact=True, profiles=profiles)


def version_view(store: Store, device_id: int, version_id: int, *, raw: bool = False,
                 profiles: Mapping[str, Profile] | None = None) -> str:
    """One version's text as shown on screen: filtered unless raw, secrets always redacted."""
    device = _device(store, device_id)
    profiles = profiles if profiles is not None else load_profiles()
    text = version_text(store.conn, get_version(store, device_id, version_id).id)
    if not raw:
        text = filter_config(text, ignore_patterns(device, profiles))
    return redact_config(text, redact_patterns(device, profiles))


def export_version(store: Store, device_id: int, version_id: int, path: Path, *, redact: bool = True,
                   profiles: Mapping[str, Profile] | None = None) -> Path:
    """Write a version's raw text to `path` (owner-only file), secrets redacted unless redact=False."""
    device = _device(store, device_id)
    text = version_for_export(store, device["name"], version_id, redact=redact, profiles=profiles)
    return export_text(text, Path(path))


def host_key_info(store: Store, device_id: int) -> HostKeyInfo | None:
    """The device's stored host key (and a changed one waiting), or None when none was seen yet."""
    row = store.conn.execute("SELECT d.name, k.* FROM ssh_host_keys k JOIN devices d ON d.id = k.device_id "
                             "WHERE k.device_id = ?", (device_id,)).fetchone()
    if row is None:
        return None
    return HostKeyInfo(device_id, row["name"], row["key_type"], row["fingerprint"], row["first_seen"],
                       row["pending_fingerprint"] or "")
