"""Compile gettext catalogues: resources/locale/<lang>/LC_MESSAGES/*.po -> .mo, in pure Python (no msgfmt needed).

    python scripts/compile_translations.py          # (re)write every .mo next to its .po
    python scripts/compile_translations.py --check  # exit 1 when a .mo is missing or out of date (CI, tests)

Follows CPython's Tools/i18n/msgfmt.py: msgctxt, plurals (msgid_plural / msgstr[n]), multi-line strings and
escapes; fuzzy and untranslated entries are left out so they fall back to English.
"""

from __future__ import annotations

import argparse
import ast
import struct
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "resources" / "locale"


class PoError(ValueError):
    """A .po file that cannot be parsed; the message names the file and line."""


def parse_po(text: str, name: str = "<po>") -> dict[bytes, bytes]:
    """Translations of a .po file as {msgid bytes: msgstr bytes}, in the layout .mo files use."""
    messages: dict[bytes, bytes] = {}
    entry: dict[str, Any] = {}
    section = ""
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy, section
        if "msgid" in entry and not fuzzy:
            msgid = entry["msgid"]
            if "msgid_plural" in entry:
                msgid += "\0" + entry["msgid_plural"]
                msgstr = "\0".join(entry["plural"][k] for k in sorted(entry.get("plural", {})))
            else:
                msgstr = entry.get("msgstr", "")
            if "msgctxt" in entry:
                msgid = entry["msgctxt"] + "\x04" + msgid
            if msgstr.replace("\0", "") or msgid == "":
                messages[msgid.encode()] = msgstr.encode()
        entry, fuzzy, section = {}, False, ""

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                if section.startswith("msgstr"):
                    flush()
                fuzzy = True
            continue
        if not line:
            continue
        keyword, rest = ("", line) if line.startswith('"') else line.partition(" ")[::2]
        try:
            value = ast.literal_eval(rest)
        except (SyntaxError, ValueError) as err:
            raise PoError(f"{name}:{number}: cannot read {rest!r}") from err
        if keyword in ("msgctxt", "msgid") and section.startswith("msgstr"):
            flush()
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            section, entry[keyword] = keyword, value
        elif keyword.startswith("msgstr["):
            section = keyword
            entry.setdefault("plural", {})[int(keyword[7:-1])] = value
        elif keyword == "" and section.startswith("msgstr["):
            entry["plural"][int(section[7:-1])] += value
        elif keyword == "" and section:
            entry[section] += value
        else:
            raise PoError(f"{name}:{number}: unexpected {line[:30]!r}")
    flush()
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    """The GNU .mo file for `messages` (keys sorted, no hash table)."""
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    start = 7 * 4 + 16 * len(keys)
    key_table, value_table = [], []
    for id_off, id_len, str_off, str_len in offsets:
        key_table += [id_len, start + id_off]
        value_table += [str_len, start + len(ids) + str_off]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return header + struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(f"{len(value_table)}i", *value_table) \
        + ids + strs


def compile_po(po: Path) -> bytes:
    """The .mo content for one .po file."""
    return mo_bytes(parse_po(po.read_text(encoding="utf-8"), str(po)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every .mo is up to date")
    args = parser.parse_args(argv)
    stale = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        data = compile_po(po)
        if mo.exists() and mo.read_bytes() == data:
            continue
        if args.check:
            stale.append(mo)
        else:
            mo.write_bytes(data)
            print(f"wrote {mo.relative_to(ROOT)}")
    for mo in stale:
        print(f"{mo.relative_to(ROOT)} is out of date: run python scripts/compile_translations.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
