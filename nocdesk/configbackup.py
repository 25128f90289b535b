"""Config backup runs: pick devices, fetch in parallel, keep versions, flag changes, trust host keys on first use.

`run_backups` reads configs with collectors.ssh_backup in a thread pool (network only) and records every
result from the calling thread, so the store's connection stays in one thread. Per device the outcome is
one of RESULTS: first / changed / unchanged (after the profile's ignore_lines are filtered out), failed (the
reason says why in words) or blocked (the SSH host key changed: nothing was sent, the new key waits in
ssh_host_keys.pending_* until `accept_host_key`). A change writes a `config_changed` event (warning) with
the diff summary and the first changed lines, redacted. Settings: config_keep_versions (0 = all),
config_backup_interval_h (default 24; 0 = no schedule), config_git_path / config_git_redact (gitexport).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .collectors.profiles import Profile, load_profiles, match_profile
from .collectors.ssh_backup import ConfigSnapshot, fetch_config, key_type_of
from .configversions import (
    diff_stats,
    filter_config,
    get_version,
    insert_version,
    latest_version,
    list_versions,
    prune_versions,
    redact_config,
    unified_diff,
    version_text,
)
from .credentials import SshCredential, load_ssh_credential
from .errors import ConfigError, NocdeskError
from .i18n import _
from .inventory import find_device
from .store import Store

log = logging.getLogger(__name__)

DEFAULT_PARALLEL = 10
KEEP_SETTING = "config_keep_versions"
INTERVAL_SETTING = "config_backup_interval_h"
LAST_RUN_SETTING = "config_backup_last_run"
DEFAULT_INTERVAL_H = 24
RESULTS = ("unchanged", "changed", "first", "failed", "blocked")
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DeviceBackup:
    """The outcome for one device in one run."""

    device_id: int
    name: str
    result: str
    reason: str = ""
    version_id: int | None = None
    summary: str = ""


@dataclass(frozen=True)
class BackupRun:
    """One run over many devices; `cancelled` lists the devices never started because the user cancelled."""

    ts: int
    results: tuple[DeviceBackup, ...] = ()
    cancelled: tuple[str, ...] = ()
    duration_s: float = 0.0
    git_commit: str = ""
    git_error: str = ""

    def names(self, result: str) -> list[str]:
        """Device names with the given result, in the order they finished."""
        return [r.name for r in self.results if r.result == result]

    def counts(self) -> dict[str, int]:
        """How many devices ended with each result."""
        return {result: len(self.names(result)) for result in RESULTS}


@dataclass(frozen=True)
class _Job:
    device: dict[str, Any]
    profile: Profile
    credential: SshCredential
    known_key: tuple[str, str] | None


def device_profile(device: Mapping[str, Any], profiles: Mapping[str, Profile]) -> Profile | None:
    """The device's vendor profile: the forced one, else the engine's match, else matched from SNMP facts now."""
    for name in (device.get("profile"), device.get("matched_profile")):
        if name and name in profiles:
            return profiles[name]
    if device.get("profile"):
        return None  # a forced profile that does not exist is an error, not a reason to guess
    return match_profile(dict(profiles), device.get("sys_object_id") or "", device.get("sys_descr") or "")


def redact_patterns(device: Mapping[str, Any], profiles: Mapping[str, Profile]) -> tuple[str, ...]:
    """The device profile's redact regexes; every profile's when its profile is unknown (fail safe)."""
    profile = device_profile(device, profiles)
    if profile is not None and profile.ssh is not None:
        return profile.ssh.redact
    return tuple(dict.fromkeys(p for prof in profiles.values() if prof.ssh for p in prof.ssh.redact))


def ignore_patterns(device: Mapping[str, Any], profiles: Mapping[str, Profile]) -> tuple[str, ...]:
    """The device profile's ignore_lines regexes (none when its profile is unknown)."""
    profile = device_profile(device, profiles)
    return profile.ssh.ignore_lines if profile is not None and profile.ssh is not None else ()


def select_devices(store: Store, *, names: list[str] | None = None, group: str | None = None) -> list[dict[str, Any]]:
    """The devices a run covers: the named ones, an enabled group, or every enabled device with an SSH credential."""
    if names:
        found = [find_device(store, name) for name in names]
        return list({device["id"]: device for device in found}.values())  # a name and its address: once
    if group:
        row = store.conn.execute("SELECT id FROM device_groups WHERE name = ? COLLATE NOCASE", (group,)).fetchone()
        if row is None:
            raise ConfigError(_("no device group named '{group}'").format(group=group))
        rows = store.conn.execute("SELECT * FROM devices WHERE group_id = ? AND enabled = 1 ORDER BY name COLLATE "
                                  "NOCASE", (row[0],))
    else:
        rows = store.conn.execute("SELECT * FROM devices WHERE enabled = 1 AND ssh_credential IS NOT NULL AND "
                                  "ssh_credential != '' ORDER BY name COLLATE NOCASE")
    return [dict(r) for r in rows]


def _event(conn, ts: int, severity: str, kind: str, device_id: int, message: str, details: dict[str, Any]) -> None:
    conn.execute("INSERT INTO events(ts, severity, kind, device_id, message, details) VALUES (?, ?, ?, ?, ?, ?)",
                 (ts, severity, kind, device_id, message, json.dumps(details)))


def _run_row(conn, device_id: int, ts: int, result: str, reason: str = "", version_id: int | None = None) -> None:
    conn.execute("INSERT INTO backup_runs(device_id, ts, result, reason, version_id) VALUES (?, ?, ?, ?, ?)",
                 (device_id, ts, result, reason, version_id))


def _fail(store: Store, device: Mapping[str, Any], ts: int, reason: str) -> DeviceBackup:
    with store.transaction() as conn:
        _run_row(conn, device["id"], ts, "failed", reason)
    log.warning("%s", reason)
    return DeviceBackup(device["id"], device["name"], "failed", reason)


def _prepare(store: Store, device: dict[str, Any], profiles: Mapping[str, Profile],
             credentials: dict[str, SshCredential | str], master_password: str | None) -> _Job | str:
    """A job for the worker threads, or the reason (in words) why the device cannot be backed up."""
    name = device["name"]
    if not device.get("ssh_credential"):
        return _("{name}: no SSH credential; set one with 'nocdesk device edit {name} --ssh-credential NAME'") \
            .format(name=name)
    profile = device_profile(device, profiles)
    if profile is None or profile.ssh is None or not profile.ssh.backup_commands:
        which = device.get("profile") or (profile.name if profile else "")
        return _("{name}: no vendor profile with SSH backup commands{which}; choose one with 'nocdesk device edit "
                 "{name} --profile PROFILE'").format(name=name, which=f" ('{which}')" if which else "")
    cred_name = device["ssh_credential"]
    if cred_name not in credentials:
        try:
            credentials[cred_name] = load_ssh_credential(store, cred_name, master_password=master_password)
        except NocdeskError as err:
            credentials[cred_name] = str(err)
    cred = credentials[cred_name]
    if isinstance(cred, str):
        return f"{name}: {cred}"
    row = store.conn.execute("SELECT key_type, key_base64 FROM ssh_host_keys WHERE device_id = ?",
                             (device["id"],)).fetchone()
    return _Job(device, profile, cred, (row[0], row[1]) if row else None)


def _fetch(job: _Job, cancel: threading.Event | None, conn_timeout_s: float, read_timeout_s: float) -> ConfigSnapshot | None:
    if cancel is not None and cancel.is_set():
        return None
    cred = job.credential
    return fetch_config(name=job.device["name"], host=job.device["address"], port=cred.port, username=cred.username,
                        password=cred.password, enable_secret=cred.enable_secret, profile=job.profile.ssh,
                        known_key=job.known_key, conn_timeout_s=conn_timeout_s, read_timeout_s=read_timeout_s,
                        key_file=getattr(cred, "key_file", None) or None)


def _record(store: Store, job: _Job, snap: ConfigSnapshot, ts: int, keep: int) -> DeviceBackup:
    """Write one device's outcome: host key, version, event and run row, in one transaction."""
    device_id, name, ssh = job.device["id"], job.device["name"], job.profile.ssh
    with store.transaction() as conn:
        stored = conn.execute("SELECT fingerprint, pending_fingerprint FROM ssh_host_keys WHERE device_id = ?",
                              (device_id,)).fetchone()
        if snap.key_changed:
            if stored is not None and stored["pending_fingerprint"] != snap.fingerprint:
                conn.execute("UPDATE ssh_host_keys SET pending_key_base64 = ?, pending_fingerprint = ? "
                             "WHERE device_id = ?", (snap.host_key_base64, snap.fingerprint, device_id))
                _event(conn, ts, "warning", "host_key_changed", device_id,
                       _("SSH host key of {name} changed: config backup blocked until the new key is accepted")
                       .format(name=name), {"old_fingerprint": stored["fingerprint"],
                                            "new_fingerprint": snap.fingerprint})
            _run_row(conn, device_id, ts, "blocked", snap.reason)
            return DeviceBackup(device_id, name, "blocked", snap.reason)
        if snap.host_key_base64 and stored is None:
            conn.execute("INSERT INTO ssh_host_keys(device_id, key_type, key_base64, fingerprint, first_seen) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (device_id, snap.host_key_type, snap.host_key_base64, snap.fingerprint, ts))
            log.info("%s: SSH host key %s %s trusted on first use", name, snap.host_key_type, snap.fingerprint)
        elif snap.ok and stored is not None and stored["pending_fingerprint"]:
            # The device shows its known key again: the waiting key is stale.
            conn.execute("UPDATE ssh_host_keys SET pending_key_base64 = NULL, pending_fingerprint = NULL "
                         "WHERE device_id = ?", (device_id,))
        if not snap.ok:
            _run_row(conn, device_id, ts, "failed", snap.reason)
            return DeviceBackup(device_id, name, "failed", snap.reason)
        filtered = filter_config(snap.text, ssh.ignore_lines)
        latest = latest_version(conn, device_id)
        if latest is None:
            summary = _("first version, {n} lines").format(n=filtered.count("\n"))
            version_id, result = insert_version(conn, device_id, ts, snap.text, filtered, summary), "first"
        else:
            # Re-filter the stored text with today's profile, so an added ignore rule is no false change.
            previous = filter_config(version_text(conn, latest.id), ssh.ignore_lines)
            if previous == filtered:
                version_id, result, summary = latest.id, "unchanged", ""
            else:
                stats = diff_stats(previous, filtered)
                summary = stats.summary
                version_id, result = insert_version(conn, device_id, ts, snap.text, filtered, summary), "changed"
                _event(conn, ts, "warning", "config_changed", device_id,
                       _("Configuration of {name} changed: {summary}").format(name=name, summary=summary),
                       {"version_id": version_id, "previous_version_id": latest.id, "summary": summary,
                        "added": stats.added, "removed": stats.removed,
                        "lines": [line[0] + redact_config(line[1:], ssh.redact) for line in stats.first_lines]})
        prune_versions(conn, device_id, keep)
        _run_row(conn, device_id, ts, result, "", version_id)
    return DeviceBackup(device_id, name, result, "", version_id, summary)


def _progress_text(outcome: DeviceBackup) -> str:
    if outcome.result in ("failed", "blocked"):
        return outcome.reason
    return f"{outcome.name}: {outcome.result}" + (f" ({outcome.summary})" if outcome.summary else "")


def run_backups(store: Store, *, devices: list[str] | None = None, group: str | None = None,
                parallel: int = DEFAULT_PARALLEL, progress: ProgressFn | None = None,
                cancel: threading.Event | None = None, profiles: Mapping[str, Profile] | None = None,
                now: float | None = None, master_password: str | None = None, conn_timeout_s: float = 10.0,
                read_timeout_s: float = 60.0, git: bool = True) -> BackupRun:
    """Back up the named devices, a group, or every enabled device with an SSH credential; never pushes config.

    progress(done, total, text) is called from this thread after each device; setting `cancel` stops
    devices not yet started (those running finish and are recorded).
    """
    started = time.monotonic()
    ts = int(now if now is not None else time.time())
    if parallel < 1:
        raise ConfigError(_("parallel must be at least 1, not {n}").format(n=parallel))
    rows = select_devices(store, names=devices, group=group)
    profiles = profiles if profiles is not None else load_profiles()
    keep = int(store.get_setting(KEEP_SETTING, 0) or 0)
    total, results, cancelled = len(rows), [], []
    credentials: dict[str, SshCredential | str] = {}

    def finished(outcome: DeviceBackup) -> None:
        results.append(outcome)
        if progress is not None:
            progress(len(results), total, _progress_text(outcome))

    jobs = []
    for device in rows:
        job = _prepare(store, device, profiles, credentials, master_password)
        if isinstance(job, str):
            finished(_fail(store, device, ts, job))
        else:
            jobs.append(job)
    credentials.clear()  # no passwords kept longer than needed
    if jobs:
        with ThreadPoolExecutor(max_workers=min(parallel, len(jobs)), thread_name_prefix="nocdesk-backup") as pool:
            futures: dict[Future, _Job] = {pool.submit(_fetch, job, cancel, conn_timeout_s, read_timeout_s): job
                                           for job in jobs}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    job = futures[future]
                    if future.cancelled():
                        cancelled.append(job.device["name"])
                        continue
                    try:
                        snap = future.result()
                    except Exception as err:  # a bug must not lose the other devices' backups
                        log.exception("config backup of %s crashed", job.device["name"])
                        finished(_fail(store, job.device, ts, _("{name}: internal error ({error}); see the log")
                                       .format(name=job.device["name"], error=type(err).__name__)))
                        continue
                    if snap is None:
                        cancelled.append(job.device["name"])
                    else:
                        finished(_record(store, job, snap, ts, keep))
                if cancel is not None and cancel.is_set():
                    for future in pending:
                        future.cancel()
    run = BackupRun(ts, tuple(results), tuple(cancelled), time.monotonic() - started)
    log.info("config backup: %s in %.1f s", ", ".join(f"{n} {r}" for r, n in run.counts().items() if n)
             or "no device with an SSH credential", run.duration_s)
    if git and store.get_setting("config_git_path"):
        from .gitexport import export_run

        try:
            run = replace(run, git_commit=export_run(store, run, profiles=profiles) or "")
        except (OSError, NocdeskError, ValueError) as err:
            log.warning("config backup: git export failed: %s", err)
            run = replace(run, git_error=str(err))
    return run


AT_SETTING = "config_backup_at"  # "HH:MM" local time of the daily run; "" = every interval_h hours


def _last_slot(now: float, at: str, tz_name: str) -> float | None:
    """The latest moment at or before `now` when the clock showed `at` (HH:MM) in `tz_name`; None if malformed."""
    hour, _sep, minute = at.strip().partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        return None
    try:
        zone = ZoneInfo(tz_name or "Asia/Jakarta")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Jakarta")
    local = datetime.fromtimestamp(now, zone)
    slot = local.replace(hour=int(hour), minute=int(minute), second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    return slot.timestamp()


def backup_if_due(store: Store, now: float | None = None, **options: Any) -> BackupRun | None:
    """The scheduled run: daily at config_backup_at (local time) when set, else every config_backup_interval_h.

    An interval of 0 turns scheduled backups off either way.
    """
    now = time.time() if now is None else now
    interval_h = float(store.get_setting(INTERVAL_SETTING, DEFAULT_INTERVAL_H) or 0)
    if interval_h <= 0:
        return None
    last = float(store.get_setting(LAST_RUN_SETTING, 0) or 0)
    at = str(store.get_setting(AT_SETTING, "") or "")
    slot = _last_slot(now, at, str(store.get_setting("ui.timezone", "Asia/Jakarta") or "")) if at else None
    if slot is not None:
        if last >= slot:
            return None
    elif now - last < interval_h * 3600:
        return None
    store.set_setting(LAST_RUN_SETTING, int(now))  # first, so a crash mid-run does not retry in a loop
    return run_backups(store, now=now, **options)


def host_key(store: Store, device_id: int) -> dict[str, Any] | None:
    """The stored SSH host key of a device (and a changed key waiting for acceptance), or None."""
    row = store.conn.execute("SELECT * FROM ssh_host_keys WHERE device_id = ?", (device_id,)).fetchone()
    return dict(row) if row else None


def accept_host_key(store: Store, name: str, *, now: float | None = None) -> str:
    """Trust the changed host key waiting for device `name`; returns its fingerprint."""
    device = find_device(store, name)
    row = host_key(store, device["id"])
    if row is None or not row["pending_key_base64"]:
        raise ConfigError(_("{name}: no changed SSH host key is waiting to be accepted").format(name=device["name"]))
    ts = int(now if now is not None else time.time())
    with store.transaction() as conn:
        conn.execute("UPDATE ssh_host_keys SET key_type = ?, key_base64 = pending_key_base64, fingerprint = "
                     "pending_fingerprint, first_seen = ?, pending_key_base64 = NULL, pending_fingerprint = NULL "
                     "WHERE device_id = ?", (key_type_of(row["pending_key_base64"]), ts, device["id"]))
        _event(conn, ts, "info", "host_key_accepted", device["id"],
               _("New SSH host key of {name} accepted").format(name=device["name"]),
               {"old_fingerprint": row["fingerprint"], "new_fingerprint": row["pending_fingerprint"]})
    log.info("%s: new SSH host key %s accepted", device["name"], row["pending_fingerprint"])
    return row["pending_fingerprint"]


def recent_runs(store: Store, device_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The device's latest backup results, newest first."""
    rows = store.conn.execute("SELECT ts, result, reason, version_id FROM backup_runs WHERE device_id = ? "
                              "ORDER BY id DESC LIMIT ?", (device_id, limit))
    return [dict(r) for r in rows]


def _label(name: str, version_id: int, ts: int) -> str:
    return f"{name} v{version_id} " + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(ts))


def diff_device(store: Store, name: str, old_id: int | None = None, new_id: int | None = None, *, raw: bool = False,
                redact: bool = True, profiles: Mapping[str, Profile] | None = None) -> str:
    """Unified diff between two versions of a device (default: the previous and the latest); '' when equal.

    Lines the profile ignores are left out unless `raw`; secrets are redacted unless `redact` is False.
    """
    device = find_device(store, name)
    versions = list_versions(store, device["id"])
    if old_id is None and new_id is None:
        if len(versions) < 2:
            raise ConfigError(_("{name} has {n} stored version(s); a diff needs two (run 'nocdesk backup run --device "
                                "{name}' after a change)").format(name=device["name"], n=len(versions)))
        old_id, new_id = versions[1].id, versions[0].id
    elif old_id is None or new_id is None:
        raise ConfigError(_("give two version numbers, or none for the previous and the latest"))
    profiles = profiles if profiles is not None else load_profiles()
    texts = []
    for version_id in (old_id, new_id):
        version = get_version(store, device["id"], version_id)
        text = version_text(store.conn, version.id)
        text = text if raw else filter_config(text, ignore_patterns(device, profiles))
        texts.append((redact_config(text, redact_patterns(device, profiles)) if redact else text, version))
    (old, old_v), (new, new_v) = texts
    return unified_diff(old, new, old_label=_label(device["name"], old_v.id, old_v.ts),
                        new_label=_label(device["name"], new_v.id, new_v.ts))


def version_for_export(store: Store, name: str, version_id: int | None = None, *, redact: bool = True,
                       profiles: Mapping[str, Profile] | None = None) -> str:
    """The text of a device's version (default: the latest) as exported: raw, secrets redacted unless asked not to."""
    device = find_device(store, name)
    if version_id is None:
        versions = list_versions(store, device["id"])
        if not versions:
            raise ConfigError(_("{name} has no stored configuration yet; run 'nocdesk backup run --device {name}'")
                              .format(name=device["name"]))
        version_id = versions[0].id
    version = get_version(store, device["id"], version_id)
    text = version_text(store.conn, version.id)
    if redact:
        text = redact_config(text, redact_patterns(device, profiles if profiles is not None else load_profiles()))
    return text
