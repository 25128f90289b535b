"""`nocdesk db backup FILE`, `nocdesk db restore FILE`, `nocdesk db check`: keeping the database safe."""

from __future__ import annotations

import argparse

from ..cli import db_path
from ..dbbackup import backup_database, restore_database
from ..errors import StoreError
from ..i18n import _
from ..store import check_integrity, open_store


def _backup(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        target = backup_database(store, args.file)
    print(_("Backup written to {path} (integrity checked).").format(path=target))
    return 0


def _engine_running(path) -> bool:
    try:
        from ..enginelock import is_locked  # the engine's lock file, when that module exists
    except ImportError:
        return False
    return bool(is_locked(path))


def _restore(args: argparse.Namespace) -> int:
    path = db_path(args)
    if _engine_running(path):
        raise StoreError(_("the engine is running on {path}; stop it (and the app) before restoring.").format(path=path))
    kept = restore_database(args.file, path)
    print(_("Restored {source} into {path}.").format(source=args.file, path=path))
    if kept:
        print(_("The previous database was kept as {kept}.").format(kept=kept))
    return 0


def _check(args: argparse.Namespace) -> int:
    with open_store(db_path(args), readonly=True) as store:
        problems = check_integrity(store)
    if problems:
        raise StoreError(_("integrity check failed: {problems}").format(problems="; ".join(problems[:5])))
    print(_("Database {path} is sound.").format(path=db_path(args)))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `db` command group."""
    db = subparsers.add_parser("db", help=_("back up, restore or check the database"))
    sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    p = sub.add_parser("backup", help=_("write a consistent copy of the database (safe while polling)"))
    p.add_argument("file")
    p.set_defaults(func=_backup)
    p = sub.add_parser("restore", help=_("replace the database with a backup (stop the engine first)"))
    p.add_argument("file")
    p.set_defaults(func=_restore)
    p = sub.add_parser("check", help=_("run SQLite's integrity check"))
    p.set_defaults(func=_check)
