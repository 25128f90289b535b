"""The alert rules dialog driven the way a user clicks it, against a real store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alert_helpers import build_lab

from nocdesk import alertrules
from nocdesk.store import open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")


@pytest.fixture
def db(tmp_path, monkeypatch):
    from nocdesk.ui.ops import OpRunner

    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    lab = build_lab(tmp_path)
    lab.store.close()
    path = tmp_path / "nocdesk.db"
    runner = OpRunner(lambda: open_store(path))
    yield path
    runner.shutdown()


def row_of(dlg, rule: str) -> int:
    return next(r for r, row in enumerate(dlg.rows) if row.rule == rule)


def test_edit_a_site_value_and_switch_a_rule_off_for_a_device(qtbot, db):
    from PySide6.QtCore import Qt

    from nocdesk.ui.alert_rules_dialog import open_alert_rules

    dlg = open_alert_rules(None, db)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: bool(dlg.targets) and len(dlg.rows) == len(alertrules.RULES), timeout=10_000)
    dlg.select_scope("site", "Kec. Sukamaju")
    qtbot.waitUntil(lambda: dlg.shown is not None and dlg.shown.name == "Kec. Sukamaju", timeout=10_000)
    r = row_of(dlg, "util_high")
    assert dlg.table.item(r, 2).text() == "80 %" and dlg.table.item(r, 5).text() == "default"
    dlg.table.item(r, 2).setText("70 %")
    dlg.save()
    qtbot.waitUntil(lambda: dlg.table.item(row_of(dlg, "util_high"), 5).text() == "site Kec. Sukamaju",
                    timeout=10_000)
    assert dlg.table.item(row_of(dlg, "util_high"), 2).font().bold()

    dlg.select_scope("device", "cam1")
    qtbot.waitUntil(lambda: dlg.shown is not None and dlg.shown.name == "cam1", timeout=10_000)
    assert dlg.table.item(row_of(dlg, "util_high"), 2).text() == "70 %"
    assert not dlg.table.item(row_of(dlg, "util_high"), 2).font().bold()  # inherited, not set here
    dlg.table.item(row_of(dlg, "temp_high"), 1).setCheckState(Qt.CheckState.Unchecked)
    dlg.table.item(row_of(dlg, "cpu_high"), 3).setText("many")
    dlg.save()
    qtbot.waitUntil(lambda: "not a number" in dlg.error.text() or "whole number" in dlg.error.text(),
                    timeout=10_000)
    dlg.table.item(row_of(dlg, "cpu_high"), 3).setText("20")
    # Severity is picked from a list in the user's words (the delegate's combo box), stored as the core's word.
    sev = dlg.table.model().index(row_of(dlg, "cpu_high"), 4)
    assert sev.data() == "Warning"
    editor = dlg.table.itemDelegateForColumn(4).createEditor(dlg.table, None, sev)
    dlg.table.itemDelegateForColumn(4).setEditorData(editor, sev)
    assert editor.currentData() == "warning" and editor.count() == 3
    editor.setCurrentIndex(editor.findData("critical"))
    dlg.table.itemDelegateForColumn(4).setModelData(editor, dlg.table.model(), sev)
    assert dlg.table.item(row_of(dlg, "cpu_high"), 4).text() == "Critical"
    dlg.save()
    qtbot.waitUntil(lambda: dlg.table.item(row_of(dlg, "cpu_high"), 5).text() == "device cam1" and
                    dlg.table.item(row_of(dlg, "cpu_high"), 3).font().bold(), timeout=10_000)
    shots = Path("/tmp/shots")
    shots.mkdir(exist_ok=True)
    dlg.grab().save(str(shots / "alert_rules_dialog.png"))
    with open_store(db) as store:
        cam1 = alertrules.find_scope(store, device="cam1")
        eff = {(e.rule, e.param): e for e in alertrules.effective(store, cam1)}
    assert eff["temp_high", "enabled"].value is False and eff["temp_high", "enabled"].origin == "device cam1"
    assert eff["cpu_high", "for_minutes"].value == 20
    assert eff["cpu_high", "severity"].value == "critical"
    assert eff["util_high", "threshold"].value == 70 and eff["util_high", "threshold"].origin == "site Kec. Sukamaju"
