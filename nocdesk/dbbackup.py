"""Copies of the database: online backup, restore with an integrity check, and the automatic daily copy."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from .errors import StoreError
from .i18n import _
from .store import APPLICATION_ID, SCHEMA_VERSION, Store, check_integrity, open_store


def backup_database(store: Store, target: Path | str) -> Path:
    """Write a consistent copy of the open store to `target` (SQLite online backup, safe while polling)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        store.conn.backup(dest, pages=1024, sleep=0.005)
        problems = [r[0] for r in dest.execute("PRAGMA integrity_check")]
    finally:
        dest.close()
    if problems != ["ok"]:
        tmp.unlink(missing_ok=True)
        raise StoreError(_("the backup copy failed its integrity check: {problems}").format(problems="; ".join(problems[:3])))
    os.replace(tmp, target)
    return target


def verify_backup_file(path: Path | str) -> None:
    """Raise StoreError unless `path` is a sound nocdesk database this version can open."""
    path = Path(path)
    if not path.exists():
        raise StoreError(_("{path} does not exist.").format(path=path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(_("{path} is not a usable nocdesk backup ({err}).").format(path=path, err=err)) from err
    if app_id != APPLICATION_ID:
        raise StoreError(_("{path} is not a nocdesk database.").format(path=path))
    if version > SCHEMA_VERSION:
        raise StoreError(_("{path} was written by a newer nocdesk; upgrade nocdesk to restore it.").format(path=path))
    if problems != ["ok"]:
        raise StoreError(_("{path} failed its integrity check: {problems}").format(path=path, problems="; ".join(problems[:3])))


def restore_database(source: Path | str, db_path: Path | str) -> Path | None:
    """Replace the database at `db_path` with the backup `source`; the current file is kept as a .before-restore copy.

    Stop the engine first: restoring under a running engine is refused by the caller (the engine lock).
    Returns the path of the kept copy, if there was a database to keep.
    """
    source, db_path = Path(source), Path(db_path)
    verify_backup_file(source)
    kept = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
        with open_store(db_path) as current:
            backup_database(current, kept)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    tmp = db_path.with_name(db_path.name + ".restore")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    with open_store(db_path) as restored:  # migrates an older backup, and proves it opens
        problems = check_integrity(restored)
    if problems:
        raise StoreError(_("the restored database failed its integrity check: {problems}").format(problems="; ".join(problems[:3])))
    return kept


def daily_backup_if_due(store: Store, backup_dir: Path, *, keep: int = 7, now: float | None = None) -> Path | None:
    """Make today's automatic copy if there is none yet, and keep only the newest `keep` copies."""
    now = time.time() if now is None else now
    backup_dir.mkdir(parents=True, exist_ok=True)
    day = time.strftime("%Y-%m-%d", time.localtime(now))
    target = backup_dir / f"nocdesk-{day}.db"
    made = None
    if not target.exists():
        made = backup_database(store, target)
    copies = sorted(backup_dir.glob("nocdesk-????-??-??.db"))
    for old in copies[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return made
