"""Update the Indonesian translation sources from the code, then compile them.

    python scripts/update_translations.py            # update .ts and .po from the sources, compile .qm and .mo
    python scripts/update_translations.py --compile  # only compile (.ts -> .qm, .po -> .mo); installers use this
    python scripts/update_translations.py --stats    # also list what is still untranslated

1. pyside6-lupdate reads every tr()/QCoreApplication.translate() in ui/*.py into
   resources/translations/nocdesk_id.ts; translations already there are kept (by context and source text).
2. `_()` / `ngettext()` calls in nocdesk/ and collectors/ (found with `ast`, so only literal strings count)
   and argparse's own messages (so `nocdesk --help` is Indonesian too) are merged into
   resources/locale/id/LC_MESSAGES/nocdesk.po; existing translations are kept, messages no longer in the
   code are kept as obsolete (#~) entries at the end so a renamed string can be recovered.
3. pyside6-lrelease compiles the .ts files to .qm; scripts/compile_translations.py compiles .po to .mo.
The Qt tools are looked up next to the running Python first (the venv's bin/ or Scripts\\), then in the
PySide6 package, then on PATH.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import compile_translations  # noqa: E402 - scripts/compile_translations.py, next to this file

TS_DIR = ROOT / "resources" / "translations"
PO_FILE = ROOT / "resources" / "locale" / "id" / "LC_MESSAGES" / "nocdesk.po"
UI_DIR = ROOT / "ui"
CORE_DIRS = (ROOT / "nocdesk", ROOT / "collectors", ROOT / "ui")  # ui/ too: core-style messages raised there
LANGUAGES = ("id",)
PO_HEADER = """# Indonesian translation of nocdesk's core messages (CLI, alerts, reports).
# Updated from the code by scripts/update_translations.py; translate the empty msgstr entries.
msgid ""
msgstr ""
"Project-Id-Version: nocdesk\\n"
"Language: id\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


class ToolMissing(RuntimeError):
    """A Qt translation tool is not installed; the message says how to get it."""


def qt_tool(name: str) -> Path:
    """pyside6-lupdate / pyside6-lrelease: next to the running Python, in the PySide6 package, or on PATH."""
    suffix = ".exe" if os.name == "nt" else ""
    candidates = [Path(sys.executable).parent / f"pyside6-{name}{suffix}"]
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).parent / f"{name}{suffix}")
    except ImportError:
        pass
    found = shutil.which(f"pyside6-{name}")
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.exists():
            return path
    raise ToolMissing(f"pyside6-{name} not found next to {sys.executable} or on PATH: install PySide6-Essentials")


# --- Qt: .ts ------------------------------------------------------------------------------------------------

def ts_files() -> list[Path]:
    return [TS_DIR / f"nocdesk_{lang}.ts" for lang in LANGUAGES]


def update_ts() -> None:
    """Run lupdate over ui/*.py into each .ts file (merging: existing translations are kept)."""
    TS_DIR.mkdir(parents=True, exist_ok=True)
    sources = sorted(str(p.relative_to(ROOT)) for p in UI_DIR.glob("*.py"))
    for ts, lang in zip(ts_files(), LANGUAGES, strict=True):
        subprocess.run([str(qt_tool("lupdate")), "-silent", "-no-obsolete", "-locations", "relative",
                        "-target-language", lang, *sources, "-ts", str(ts.relative_to(ROOT))],
                       cwd=ROOT, check=True)


def compile_ts() -> None:
    """lrelease every .ts into the .qm next to it (unfinished entries fall back to the English source)."""
    for ts in sorted(TS_DIR.glob("*.ts")):
        subprocess.run([str(qt_tool("lrelease")), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)


# --- gettext: .po -------------------------------------------------------------------------------------------

@dataclass
class Message:
    msgid: str
    plural: str | None = None
    refs: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.msgid if self.plural is None else self.msgid + "\0" + self.plural


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_file(path: Path, label: str, found: dict[str, Message]) -> None:
    """Add the `_("...")` and `ngettext("...", "...", n)` messages of one Python file to `found`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("_", "_msg", "gettext") and node.args:
            msgid, plural = _literal(node.args[0]), None
        elif name == "ngettext" and len(node.args) >= 2:
            msgid, plural = _literal(node.args[0]), _literal(node.args[1])
            if plural is None:
                continue
        else:
            continue
        if not msgid:
            continue
        message = Message(msgid, plural)
        message = found.setdefault(message.key, message)
        message.refs.append(f"{label}:{node.lineno}")


def extract_core() -> dict[str, Message]:
    """Every core message in source order (nocdesk/, collectors/, then argparse's)."""
    found: dict[str, Message] = {}
    for folder in CORE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            extract_file(path, path.relative_to(ROOT).as_posix(), found)
    extract_file(Path(argparse.__file__), "argparse", found)
    return found


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def _entry(message: Message, translation: str, *, obsolete: bool = False) -> list[str]:
    mark = "#~ " if obsolete else ""
    lines = [] if obsolete else [f"#: {ref}" for ref in message.refs[:4]]
    lines.append(f"{mark}msgid {_po_string(message.msgid)}")
    if message.plural is None:
        lines.append(f"{mark}msgstr {_po_string(translation)}")
    else:
        lines.append(f"{mark}msgid_plural {_po_string(message.plural)}")
        lines.append(f"{mark}msgstr[0] {_po_string(translation.split(chr(0))[0])}")
    return lines


def read_po_translations(po: Path) -> dict[str, str]:
    """{msgid (or msgid\\0plural): msgstr} of the live and obsolete entries already translated in `po`."""
    if not po.exists():
        return {}
    text = po.read_text(encoding="utf-8")
    live = "\n".join(line for line in text.splitlines() if not line.startswith("#~"))
    obsolete = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#~ "))
    result = {}
    for chunk in (obsolete, live):  # live wins
        for key, value in compile_translations.parse_po(chunk, str(po)).items():
            if key:
                result[key.decode()] = value.decode()
    return result


def update_po(po: Path = PO_FILE) -> tuple[int, int]:
    """Merge the extracted messages into `po`; returns (messages, untranslated)."""
    known = read_po_translations(po)
    found = extract_core()
    lines = [PO_HEADER]
    missing = 0
    for key, message in found.items():
        translation = known.get(key, "")
        missing += not translation
        lines.append("\n".join(_entry(message, translation)) + "\n")
    for key in sorted(set(known) - set(found)):
        msgid, _sep, plural = key.partition("\0")
        lines.append("\n".join(_entry(Message(msgid, plural or None), known[key], obsolete=True)) + "\n")
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text("\n".join(lines), encoding="utf-8")
    return len(found), missing


def untranslated_ts(ts: Path) -> list[str]:
    """Source texts of a .ts file with no finished translation."""
    import xml.etree.ElementTree as ET

    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not (translation.text or translation.findall("numerusform")):
            missing.append(message.findtext("source") or "")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="only compile .ts -> .qm and .po -> .mo")
    parser.add_argument("--stats", action="store_true", help="list the messages still untranslated")
    args = parser.parse_args(argv)
    try:
        if not args.compile:
            update_ts()
            total, missing = update_po()
            print(f"{PO_FILE.relative_to(ROOT)}: {total} messages, {missing} untranslated")
            for ts in ts_files():
                todo = untranslated_ts(ts)
                print(f"{ts.relative_to(ROOT)}: {len(todo)} untranslated")
                if args.stats:
                    for text in todo:
                        print(f"  {text!r}")
        compile_ts()
    except ToolMissing as err:
        print(f"update_translations: {err}", file=sys.stderr)
        return 1
    compile_translations.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
