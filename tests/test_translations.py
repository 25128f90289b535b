"""The gettext catalogues: every .mo is compiled from the current .po, and the report strings are Indonesian."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from compile_translations import LOCALE_DIR, compile_po, mo_bytes, parse_po  # noqa: E402

from nocdesk.locale_format import translator  # noqa: E402


def test_every_mo_is_up_to_date():
    catalogues = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    assert catalogues, "no .po files found"
    for po in catalogues:
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.read_bytes() == compile_po(po), \
            f"{mo.relative_to(ROOT)} is stale: run python scripts/compile_translations.py"


def test_compiler_handles_plurals_context_fuzzy_and_escapes(tmp_path: Path):
    po = '''msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "one file"
msgid_plural "{n} files"
msgstr[0] "{n} berkas"

msgctxt "state"
msgid "down"
msgstr "mati"

#, fuzzy
msgid "Comment"
msgstr "Komentar"

msgid "line\\n"
"two \\"quoted\\""
msgstr "baris\\n"
"dua \\"dikutip\\""

msgid "untranslated"
msgstr ""
'''
    mo = tmp_path / "t.mo"
    mo.write_bytes(mo_bytes(parse_po(po)))
    t = gettext.GNUTranslations(open(mo, "rb"))
    assert t.ngettext("one file", "{n} files", 3) == "{n} berkas"
    assert t.pgettext("state", "down") == "mati"
    assert t.gettext("Comment") == "Comment"  # fuzzy entries are left out
    assert t.gettext('line\ntwo "quoted"') == 'baris\ndua "dikutip"'
    assert t.gettext("untranslated") == "untranslated"
    if shutil.which("msgfmt"):  # GNU msgfmt agrees on what the catalogue means
        (tmp_path / "t.po").write_text(po, encoding="utf-8")
        subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(tmp_path / "t.po")], check=True)
        gnu = gettext.GNUTranslations(open(tmp_path / "gnu.mo", "rb"))
        assert gnu._catalog == t._catalog  # type: ignore[attr-defined]


@pytest.mark.parametrize(("english", "indonesian"), [
    ("Network Availability Report", "Laporan Ketersediaan Jaringan"),
    ("Page {page} of {pages}", "Halaman {page} dari {pages}"),
    ("Acknowledged by,", "Mengetahui,"),
])
def test_report_strings_are_translated(english: str, indonesian: str):
    assert translator("id")(english) == indonesian
    assert translator("en")(english) == english
