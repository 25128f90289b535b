"""The report dialog driven as a user would: pick October 2026, English, a counting rule, Generate; the three
formats land in the folder with the figures the preview shows; Cancel on a long run leaves nothing behind."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from test_reports import MONTH, YEAR, pdf_text
from test_reports import populate as populate_october
from uihelpers import populate, ui_data_dir  # noqa: F401

from nocdesk.store import open_store
from nocdesk.ui.ops import OpRunner
from nocdesk.ui.report_dialog import last_month, open_report_dialog


@pytest.fixture
def runner_cleanup():
    yield
    if OpRunner._instance is not None:
        OpRunner._instance.shutdown()


def _open(qtbot, db: Path):  # noqa: ANN001, ANN202
    dlg = open_report_dialog(None, db)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.scope.count() > 1 and dlg.out_dir.text() != "", timeout=10_000)
    return dlg


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())}


def test_dialog_writes_pdf_xlsx_csv_with_the_chosen_rules_and_previews_them(qtbot, ui_data_dir, tmp_path,  # noqa: F811
                                                                               runner_cleanup):
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate_october(store)
    dlg = _open(qtbot, db)
    assert dlg.month.date() == last_month()  # defaults to the last finished month
    assert dlg.lang.currentData() == "id" and all(b.isChecked() for b in dlg.formats.values())
    assert not dlg.open_file_btn.isEnabled()
    dlg.month.setDate(QDate(YEAR, MONTH, 1))
    dlg.lang.setCurrentIndex(dlg.lang.findData("en"))
    dlg.unreachable.setCurrentIndex(dlg.unreachable.findData("down"))  # cam-pasar's 2 h 29 min behind its switch
    out = tmp_path / "out"
    dlg.out_dir.setText(str(out))
    dlg.generate_btn.click()
    assert dlg.cancel_btn.isEnabled() and not dlg.generate_btn.isEnabled()
    qtbot.waitUntil(lambda: bool(dlg.files) or "could not" in dlg.status.text(), timeout=60_000)

    names = sorted(p.name for p in out.iterdir())
    assert "uptime-2026-10-en.pdf" in names and "uptime-2026-10-en.xlsx" in names
    assert "uptime-2026-10-en-devices.csv" in names and not any(n.startswith(".") for n in names)
    devices = _csv_rows(out / "uptime-2026-10-en-devices.csv")
    # (2674800 - 1800 - 8940) / 2674800 = 99.598…: unreachable now counts as downtime; the others as by hand
    assert devices["cam-pasar"]["availability_pct"] == "99.59"
    assert devices["cam-pasar"]["downtime_s"] == str(1800 + 8940)
    assert devices["sw-kutaraja"]["availability_pct"] == "99.66"
    text = pdf_text(out / "uptime-2026-10-en.pdf")
    assert "Network Availability Report".upper() in text and "October 2026" in text
    assert "path to it had failed) is counted as downtime" in " ".join(text.split())  # the rule, in the report

    preview = dlg.preview
    assert preview.stack.currentWidget() in (preview.summary, preview.page_label.parentWidget().parentWidget())
    if preview.stack.currentWidget() is preview.summary:  # PySide6-Essentials: the model's figures and tables
        grid = preview.findChild(type(preview.tabs.widget(0)), "preview_devices")
        headers = [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())]
        col = headers.index("Availability (%)")
        shown = {grid.item(r, 0).text(): grid.item(r, col).text() for r in range(grid.rowCount())}
        assert shown["cam-pasar"] == "99.59" and shown["sw-kutaraja"] == "99.66"
        assert grid.item(0, 0).text() == "cam-pasar"  # worst first
        assert "October 2026" in preview.heading.text() and preview.figures.count() == 8
    assert dlg.open_file_btn.isEnabled() and dlg.main_file() == out / "uptime-2026-10-en.pdf"
    assert str(out) in dlg.status.text()


def test_cancel_stops_a_long_run_and_leaves_no_file(qtbot, ui_data_dir, tmp_path, runner_cleanup):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=2000, rich_devices=0, interfaces_per_device=1)  # about 3 s of work
    dlg = _open(qtbot, db)
    out = tmp_path / "out"
    dlg.out_dir.setText(str(out))
    dlg.generate_btn.click()
    qtbot.waitUntil(lambda: dlg.progress.value() >= 450, timeout=60_000)  # the PDF is being laid out
    asked = time.monotonic()
    dlg.cancel_btn.click()
    assert dlg.status.text() == "Cancelling…"
    qtbot.waitUntil(lambda: dlg.generate_btn.isEnabled(), timeout=60_000)
    latency_s = time.monotonic() - asked
    assert dlg.status.text() == "Cancelled. No files were written."
    assert list(out.iterdir()) == []  # no report file and no staging folder
    assert not dlg.files and not dlg.open_folder_btn.isEnabled()
    assert latency_s < 5, f"cancel took {latency_s:.2f} s"
    print(f"cancel honoured after {latency_s * 1000:.0f} ms")
