"""Export config backups to a git repository with dulwich (pure Python, no git program needed).

The repository lives at setting `config_git_path` (created on first use); one file per device
(`<device name>.cfg`), one commit per backup run that changed something, with a message such as
"nocdesk backup 2026-11-23 14:00: 2 changed (sw1, sw2), 1 first (sw3)". Secrets are redacted with the
device profile's patterns unless setting `config_git_redact` is false.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .collectors.profiles import Profile, load_profiles
from .configversions import list_versions, redact_config, version_text
from .errors import ConfigError
from .i18n import _
from .store import Store

if TYPE_CHECKING:
    from .configbackup import BackupRun

log = logging.getLogger(__name__)

PATH_SETTING = "config_git_path"
REDACT_SETTING = "config_git_redact"
AUTHOR = b"nocdesk <nocdesk@localhost>"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def device_file_name(name: str) -> str:
    """The repository file of a device: its name with anything unusual replaced by '_'."""
    return (_UNSAFE.sub("_", name).strip("._") or "device") + ".cfg"


def open_repo(path: Path) -> Any:
    """The repository at `path`, created when missing (non-bare; commits never signed)."""
    from dulwich.repo import NotGitRepository, Repo

    path = Path(path)
    try:
        return Repo(str(path))
    except NotGitRepository:
        pass
    if path.exists() and not path.is_dir():
        raise ConfigError(_("{setting}: {path} is a file, not a folder for the git repository")
                          .format(setting=PATH_SETTING, path=path))
    path.mkdir(parents=True, exist_ok=True)
    repo = Repo.init(str(path))
    config = repo.get_config()
    # A user's global commit.gpgsign would make every backup commit ask for a key.
    config.set((b"commit",), b"gpgsign", False)
    config.write_to_path()
    return repo


def _local_time(store: Store, ts: int) -> str:
    zone_name = store.get_setting("ui.timezone", "Asia/Jakarta") or "Asia/Jakarta"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return datetime.fromtimestamp(ts, zone).strftime("%Y-%m-%d %H:%M")


def commit_message(store: Store, run: BackupRun) -> str:
    """'nocdesk backup 2026-11-23 14:00: 2 changed (sw1, sw2), 1 first (sw3)' and one line per device."""
    parts = []
    for result in ("changed", "first"):
        names = sorted(run.names(result), key=str.lower)
        if names:
            parts.append(f"{len(names)} {result} ({', '.join(names)})")
    body = [f"{r.name}: {r.summary}" for r in run.results if r.result in ("changed", "first")]
    return f"nocdesk backup {_local_time(store, run.ts)}: {', '.join(parts)}\n\n" + "\n".join(body) + "\n"


def export_run(store: Store, run: BackupRun, *, repo_path: Path | None = None, redact: bool | None = None,
               profiles: Mapping[str, Profile] | None = None) -> str | None:
    """Write the run's new versions to the repository and commit once; returns the commit id, None if no change."""
    from dulwich import porcelain

    new = [r for r in run.results if r.result in ("changed", "first") and r.version_id is not None]
    if not new:
        return None
    path = Path(repo_path or store.get_setting(PATH_SETTING) or "")
    if not str(path):
        raise ConfigError(_("{setting} is not set: choose a folder for the git export").format(setting=PATH_SETTING))
    redact = store.get_setting(REDACT_SETTING, True) is not False if redact is None else redact
    profiles = profiles if profiles is not None else load_profiles()
    repo = open_repo(path)
    try:
        written = []
        for outcome in new:
            device = store.conn.execute("SELECT * FROM devices WHERE id = ?", (outcome.device_id,)).fetchone()
            if device is None:
                continue
            written.append(_write(store, path, dict(device), outcome.version_id, redact, profiles))
        # Devices backed up before the export was switched on get their file with this commit too.
        for device in store.conn.execute("SELECT DISTINCT d.* FROM devices d JOIN config_versions v ON "
                                         "v.device_id = d.id").fetchall():
            if not (path / device_file_name(device["name"])).exists():
                latest = list_versions(store, device["id"])[0]
                written.append(_write(store, path, dict(device), latest.id, redact, profiles))
        porcelain.add(repo, paths=[str(p) for p in written])
        staged = porcelain.status(repo).staged
        if not any(staged.values()):
            return None
        commit_id = porcelain.commit(repo, message=commit_message(store, run).encode("utf-8"), author=AUTHOR,
                                     committer=AUTHOR)
    finally:
        repo.close()
    commit_hex = commit_id.decode("ascii") if isinstance(commit_id, bytes) else str(commit_id)
    log.info("config backup: git commit %s in %s (%d files)", commit_hex[:10], path, len(written))
    return commit_hex


def _write(store: Store, root: Path, device: dict[str, Any], version_id: int, redact: bool,
           profiles: Mapping[str, Profile]) -> Path:
    from .configbackup import redact_patterns

    text = version_text(store.conn, version_id)
    if redact:
        text = redact_config(text, redact_patterns(device, profiles))
    target = root / device_file_name(device["name"])
    target.write_text(text, encoding="utf-8", newline="\n")
    return target
