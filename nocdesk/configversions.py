"""Stored configuration versions: filtering, hashing, compression, pruning, diffs, redaction and export.

A version keeps the raw text as fetched (zlib-compressed); its dedup key is the sha256 of the *filtered*
text (the profile's ignore_lines removed), so a clock line that moves is not a change. Diffs compare
filtered texts by default. Redaction replaces each redact regex's first group (or its whole match) with
<redacted>; it is applied to every export and diff unless the user asks otherwise.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError
from .i18n import _
from .privatefile import write_private_text
from .store import Store

REDACTED = "<redacted>"
FIRST_LINES = 10  # changed lines carried in a config_changed event


@dataclass(frozen=True)
class ConfigVersion:
    """One stored version of a device's configuration (text not loaded)."""

    id: int
    device_id: int
    ts: int
    text_hash: str
    size: int
    summary: str


@dataclass(frozen=True)
class DiffStats:
    """How two filtered texts differ: counts and the first changed lines ('+line' / '-line')."""

    added: int
    removed: int
    first_lines: tuple[str, ...]

    @property
    def summary(self) -> str:
        return _("+{added} -{removed} lines").format(added=self.added, removed=self.removed)


def normalise(text: str) -> str:
    """Unix line ends, no trailing blanks, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def filter_config(text: str, ignore_lines: tuple[str, ...] | list[str]) -> str:
    """The text without the lines that change without a config change (timestamps, counters)."""
    patterns = [re.compile(p) for p in ignore_lines]
    kept = [line for line in normalise(text).splitlines() if not any(p.search(line) for p in patterns)]
    while kept and not kept[0]:
        kept.pop(0)  # the blank line that followed a dropped header
    return "\n".join(kept) + "\n" if kept else ""


def text_hash(filtered: str) -> str:
    """The dedup key of a filtered text."""
    return hashlib.sha256(filtered.encode("utf-8")).hexdigest()


def redact_config(text: str, redact: tuple[str, ...] | list[str]) -> str:
    """Each regex's first group (or whole match) replaced by <redacted>, line by line."""
    patterns = [re.compile(p) for p in redact]

    def scrub(line: str) -> str:
        for pattern in patterns:
            spans = [(m.start(1), m.end(1)) if m.re.groups else m.span() for m in pattern.finditer(line)]
            for start, end in reversed([s for s in spans if s[0] >= 0 and s[1] > s[0]]):
                line = line[:start] + REDACTED + line[end:]
        return line

    return "\n".join(scrub(line) for line in text.split("\n"))


def diff_stats(old: str, new: str) -> DiffStats:
    """Added/removed line counts between two filtered texts and the first changed lines."""
    added = removed = 0
    first: list[str] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith(("+++", "---", "@@")):
            continue
        if line.startswith("+"):
            added += 1
        elif line.startswith("-"):
            removed += 1
        else:
            continue
        if len(first) < FIRST_LINES:
            first.append(line)
    return DiffStats(added, removed, tuple(first))


def unified_diff(old: str, new: str, *, old_label: str, new_label: str, context: int = 3) -> str:
    """A unified diff of two texts ('' when equal)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_label, tofile=new_label,
                                 lineterm="", n=context)
    text = "\n".join(lines)
    return text + "\n" if text else ""


# --- rows ---------------------------------------------------------------------------------------------------

def _version(row: sqlite3.Row) -> ConfigVersion:
    return ConfigVersion(row["id"], row["device_id"], row["ts"], row["text_hash"], row["size"], row["summary"])


def insert_version(conn: sqlite3.Connection, device_id: int, ts: int, raw_text: str, filtered: str,
                   summary: str) -> int:
    """Store a new version (inside the caller's transaction); returns its id."""
    data = raw_text.encode("utf-8")
    return conn.execute("INSERT INTO config_versions(device_id, ts, text_hash, content, size, summary) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (device_id, ts, text_hash(filtered), zlib.compress(data, 9), len(data), summary)).lastrowid


def prune_versions(conn: sqlite3.Connection, device_id: int, keep: int) -> int:
    """Delete all but the newest `keep` versions of a device (keep <= 0: keep all); returns how many went."""
    if keep <= 0:
        return 0
    return conn.execute("DELETE FROM config_versions WHERE device_id = ? AND id NOT IN (SELECT id FROM "
                        "config_versions WHERE device_id = ? ORDER BY id DESC LIMIT ?)",
                        (device_id, device_id, keep)).rowcount


def list_versions(store: Store, device_id: int) -> list[ConfigVersion]:
    """A device's versions, newest first."""
    rows = store.conn.execute("SELECT id, device_id, ts, text_hash, size, summary FROM config_versions "
                              "WHERE device_id = ? ORDER BY id DESC", (device_id,))
    return [_version(r) for r in rows]


def latest_version(conn: sqlite3.Connection, device_id: int) -> ConfigVersion | None:
    """The newest version of a device, if any."""
    row = conn.execute("SELECT id, device_id, ts, text_hash, size, summary FROM config_versions WHERE device_id = ? "
                       "ORDER BY id DESC LIMIT 1", (device_id,)).fetchone()
    return _version(row) if row else None


def get_version(store: Store, device_id: int, version_id: int) -> ConfigVersion:
    """Version `version_id` of the device; ConfigError naming the device's versions when it is not one."""
    row = store.conn.execute("SELECT id, device_id, ts, text_hash, size, summary FROM config_versions "
                             "WHERE id = ? AND device_id = ?", (version_id, device_id)).fetchone()
    if row is None:
        ids = [str(v.id) for v in list_versions(store, device_id)[:10]]
        raise ConfigError(_("version {version} is not a stored version of this device (newest: {ids}); see "
                            "'nocdesk backup list'").format(version=version_id, ids=", ".join(ids) or _("none")))
    return _version(row)


def version_text(conn: sqlite3.Connection, version_id: int) -> str:
    """The raw text of a version, decompressed."""
    row = conn.execute("SELECT content FROM config_versions WHERE id = ?", (version_id,)).fetchone()
    if row is None:
        raise ConfigError(_("no configuration version {version}").format(version=version_id))
    return zlib.decompress(row[0]).decode("utf-8")


def export_text(text: str, path: Path) -> Path:
    """Write a config to `path` (parents created), UTF-8, readable by the owner only, never half-written."""
    return write_private_text(path, text, newline="\n")
