"""Open, check and migrate the SQLite store: one file, WAL, schema versioned by PRAGMA user_version.

A file that is not a nocdesk database, is corrupt, comes from a newer nocdesk or is locked raises StoreError
with a plain message, and is never overwritten. Before migrating an older schema, a copy of the file is made
next to it with the online backup API.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from .errors import StoreError
from .i18n import _
from .schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x6E6F6364  # 'nocd': tells our files apart from other SQLite databases
BUSY_TIMEOUT_MS = 5000
# Small tables read at every start: checked page by page when the file is opened (about a millisecond),
# so a damaged inventory is reported at once instead of midway through a write. The big history tables
# are left to 'nocdesk db check'.
CHECKED_AT_OPEN = ("settings", "sites", "device_groups", "credentials", "devices", "interfaces", "links",
                   "services", "sensors")


class Store:
    """An open nocdesk database: `db` is the sqlite-utils Database, `conn` its sqlite3 connection."""

    def __init__(self, path: Path | str, conn: sqlite3.Connection) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self.conn = conn

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection (imported on first use: it pulls in numpy, ~0.2 s)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        with contextlib.suppress(sqlite3.ProgrammingError):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE so a busy database waits instead of failing midway)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            # Still locked after the busy timeout: another program holds a write lock on the file.
            if "locked" in str(err) or "busy" in str(err):
                raise _describe(err, self.path) from err
            raise
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def data_version(self) -> int:
        """Changes whenever another connection commits; the UI polls this to know when to refresh."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (JSON-decoded), or `default` when unset."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting (any JSON-serialisable value)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def settings(self) -> dict[str, Any]:
        """All settings as a dict."""
        return {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM settings")}


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}?mode=rwc"
    if path == ":memory:":
        uri = ":memory:"
    conn = sqlite3.connect(uri, uri=path != ":memory:", timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _not_nocdesk(path: Path) -> StoreError:
    return StoreError(_("{path} is not a nocdesk database (not an SQLite file, or damaged); "
                        "it was left untouched. Choose another file with --db.").format(path=path))


def _describe(err: sqlite3.Error, path: Path) -> StoreError:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return StoreError(_("{path} is locked by another program; close it or wait, then try again.").format(path=path))
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StoreError(_("{path} is damaged ({err}); it was left untouched. Restore a backup with "
                            "'nocdesk db restore' or choose another file with --db.").format(path=path, err=err))
    if "readonly" in text or "unable to open" in text or "permission" in text:
        return StoreError(_("{path} cannot be opened for writing ({err}); check the file's permissions.")
                          .format(path=path, err=err))
    return StoreError(f"{path}: {err}")


def backup_copy_path(path: Path, version: int) -> Path:
    """Where the automatic pre-migration copy of `path` goes."""
    return path.with_name(f"{path.name}.v{version}-{time.strftime('%Y%m%d-%H%M%S')}.bak")


def _copy_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = backup_copy_path(path, version)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    if 0 < version < SCHEMA_VERSION and str(path) != ":memory:":
        _copy_before_migration(conn, path, version)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number in range(version, SCHEMA_VERSION):
            for statement in _split_sql(MIGRATIONS[number]):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about quotes and comments)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _check_core_tables(conn: sqlite3.Connection, path: Path) -> None:
    for table in CHECKED_AT_OPEN:
        problems = [r[0] for r in conn.execute(f"PRAGMA quick_check({table})")]
        if problems != ["ok"]:
            raise StoreError(_("{path} is damaged (table {table}: {problem}); it was left untouched. Restore a "
                               "backup with 'nocdesk db restore' or choose another file with --db.")
                             .format(path=path, table=table, problem=problems[0]))


def open_store(path: Path | str, *, readonly: bool = False, create: bool = True) -> Store:
    """Open (creating or migrating as needed) the nocdesk database at `path`; raise StoreError if unusable."""
    is_memory = str(path) == ":memory:"
    p = Path(path)
    if not is_memory:
        if not p.exists() and (readonly or not create):
            raise StoreError(_("{path} does not exist.").format(path=p))
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
    # The header is checked by SQLite itself ("file is not a database"), never by opening the file here:
    # closing any other handle on it would drop this process's POSIX locks on the database (SQLite's
    # "how to corrupt" list, 2.2), and a reader elsewhere could then delete the live WAL.
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(str(p) if not is_memory else ":memory:", readonly=readonly)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
    except sqlite3.Error as err:
        if conn is not None:
            conn.close()
        if "not a database" in str(err).lower():
            raise _not_nocdesk(p) from err
        raise _describe(err, p) from err
    try:
        if has_tables and app_id != APPLICATION_ID:
            raise StoreError(_("{path} is an SQLite database of another program, not nocdesk; it was left "
                               "untouched. Choose another file with --db.").format(path=p))
        if version > SCHEMA_VERSION:
            raise StoreError(_("{path} was written by a newer nocdesk (schema {found}, this version knows "
                               "{known}); upgrade nocdesk to open it. The file was left untouched.")
                             .format(path=p, found=version, known=SCHEMA_VERSION))
        if not readonly:
            if not is_memory:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    raise StoreError(_("{path}: could not switch to WAL mode ({mode}); is the file on a "
                                       "network share?").format(path=p, mode=mode))
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                _migrate(conn, p, version)
        elif version < SCHEMA_VERSION:
            raise StoreError(_("{path} needs an upgrade of its schema; open it once without read-only mode.")
                             .format(path=p))
        conn.execute("PRAGMA foreign_keys = ON")
        if has_tables:
            _check_core_tables(conn, p)
        if not readonly and not is_memory:
            # In WAL mode another connection's BEGIN EXCLUSIVE does not stop readers, so only a write
            # probe tells us now (not at the first save) that the file is locked.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.Error as err:
        conn.close()
        raise _describe(err, p) from err
    except StoreError:
        conn.close()
        raise
    return Store(p if not is_memory else ":memory:", conn)


def check_integrity(store: Store) -> list[str]:
    """Run SQLite's integrity check; an empty list means the file is sound."""
    rows = [r[0] for r in store.conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows
