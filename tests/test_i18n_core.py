"""Core messages in Indonesian: settings problems, alert lines, the monthly report, `nocdesk --help` and CLI
errors; and the catalogues are complete and compiled, so a clean clone runs in Indonesian as committed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from uihelpers import populate

from nocdesk import appsettings, i18n
from nocdesk.store import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import compile_translations  # noqa: E402
import update_translations  # noqa: E402


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def _cli(args: list[str], tmp_path: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"NOCDESK_LANG": lang, "NOCDESK_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "100"}
    code = "import sys; from nocdesk.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


def test_settings_problems_are_indonesian(indonesian):
    assert appsettings.check({"polling.interval_s": 5}) == ["polling.interval_s: minimal 10 detik"]
    i18n.set_language("en")
    assert appsettings.check({"polling.interval_s": 5}) == ["polling.interval_s: at least 10 seconds"]


def test_alert_messages_are_indonesian():
    from nocdesk.notify.messages import problem_line, render

    facts = {"rule": "device_down", "title": "sw-kec-kutaraja", "device": "sw-kec-kutaraja",
             "site": "Kecamatan Kutaraja"}
    assert problem_line(facts, "id") == "sw-kec-kutaraja mati"
    message = render("problem", facts, "id")
    assert message.subject.startswith("[nocdesk] GANGGUAN: sw-kec-kutaraja mati")
    assert "Lokasi: Kecamatan Kutaraja" in message.text
    assert render("problem", facts, "en").subject.startswith("[nocdesk] DOWN: sw-kec-kutaraja down")


def test_monthly_report_is_indonesian(tmp_path):
    from nocdesk.reportbuild import build_report

    with open_store(tmp_path / "r.db") as store:
        populate(store, devices=5, rich_devices=0, history_days=40)
        last_month = datetime.now().replace(day=1) - timedelta(days=1)
        report = build_report(store, year=last_month.year, month=last_month.month, lang="id")
    from nocdesk.locale_format import MONTHS

    assert MONTHS["id"][last_month.month - 1] in report.period_text
    titles = [t.title for t in report.tables]
    assert "Ketersediaan per perangkat (terendah lebih dulu)" in titles, titles
    assert not any("Availability" in t for t in titles)


def test_cli_help_and_errors_follow_nocdesk_lang(tmp_path):
    help_id = _cli(["--help"], tmp_path, "id")
    assert help_id.returncode == 0, help_id.stderr
    assert help_id.stdout.startswith("penggunaan: nocdesk")
    assert "Pemantauan jaringan untuk NOC kecil." in help_id.stdout
    assert "tampilkan pesan bantuan ini lalu keluar" in help_id.stdout
    assert "usage:" not in help_id.stdout and "show this help" not in help_id.stdout

    db = tmp_path / "n.db"
    missing = _cli(["--db", str(db), "device", "show", "sw-tidak-ada"], tmp_path, "id")
    assert missing.returncode != 0
    assert "tidak ada perangkat bernama 'sw-tidak-ada'" in missing.stderr, missing.stderr
    wrong = _cli(["--db", str(db), "device", "frobnicate"], tmp_path, "id")
    assert wrong.returncode == 2 and "pilihan tidak sah" in wrong.stderr and "kesalahan:" in wrong.stderr

    help_en = _cli(["--help"], tmp_path, "en")
    assert help_en.stdout.startswith("usage: nocdesk") and "Network monitoring for a small NOC." in help_en.stdout


def test_po_has_every_core_message_translated():
    """Every _()/ngettext() message of nocdesk/, collectors/ and ui/ is in the .po with a translation
    (run scripts/update_translations.py and translate the new entries when this fails)."""
    known = update_translations.read_po_translations(update_translations.PO_FILE)
    missing = [m.msgid for key, m in update_translations.extract_core().items() if not known.get(key)]
    assert not missing, f"{len(missing)} core messages without Indonesian: {missing[:25]}"


def test_placeholders_survive_translation():
    known = update_translations.read_po_translations(update_translations.PO_FILE)
    import re

    field = re.compile(r"\{[^}]*\}|%\(\w+\)[sdr]|%[sdr]")
    wrong = [(k, v) for k, v in known.items() if sorted(field.findall(k.split("\0")[0])) != sorted(field.findall(v))]
    assert not wrong, wrong[:10]


def test_ts_is_up_to_date_with_the_ui_sources(tmp_path):
    """lupdate over ui/*.py finds nothing new in nocdesk_id.ts (every tr() string is there and translated)."""
    try:
        lupdate = update_translations.qt_tool("lupdate")
    except update_translations.ToolMissing as err:
        pytest.fail(str(err)) if os.environ.get("CI") == "true" else pytest.skip(str(err))
    ts = tmp_path / "nocdesk_id.ts"
    shutil.copy(update_translations.TS_DIR / "nocdesk_id.ts", ts)
    sources = sorted(str(p) for p in update_translations.UI_DIR.glob("*.py"))
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", *sources, "-ts", str(ts)], check=True, timeout=120)
    todo = update_translations.untranslated_ts(ts)
    assert not todo, f"{len(todo)} UI strings without Indonesian: {todo[:25]}"


def test_compiled_catalogues_are_committed_and_current(tmp_path):
    assert compile_translations.main(["--check"]) == 0
    try:
        lrelease = update_translations.qt_tool("lrelease")
    except update_translations.ToolMissing as err:
        pytest.fail(str(err)) if os.environ.get("CI") == "true" else pytest.skip(str(err))
    for ts in sorted(update_translations.TS_DIR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        assert qm.exists(), f"{qm.name} missing: run python scripts/update_translations.py --compile"
        fresh = tmp_path / qm.name
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(fresh)], check=True, timeout=60)
        assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is older than {ts.name}: recompile it"
