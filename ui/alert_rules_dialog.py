"""Alert rules per scope: pick all devices, a site, a group or a device; see each rule's values in effect and where
they come from; switch rules on/off and edit values. Saving writes overrides for the chosen scope only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import alertrules

from .ops import CollectionOp, OpRunner, QueryOp, open_with_runner

COLUMNS = ("rule", "enabled", "threshold", "for_minutes", "severity", "origin")
EDITABLE = {2: "threshold", 3: "for_minutes", 4: "severity"}
SEVERITY_COL = 4
SEVERITIES = ("info", "warning", "critical")


class SeverityDelegate(QStyledItemDelegate):
    """Severity is picked from a list in the user's language; the item keeps the core's word (UserRole)."""

    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def createEditor(self, parent: QWidget, _option: Any, _index: Any) -> QWidget:  # noqa: N802 - Qt API
        box = QComboBox(parent)
        for key in SEVERITIES:
            box.addItem(self.names[key], key)
        return box

    def setEditorData(self, editor: QWidget, index: Any) -> None:  # noqa: N802 - Qt API
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.UserRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:  # noqa: N802 - Qt API
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.UserRole)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class AlertRulesDialog(QDialog):
    """A scope picker over a table of rules; edited cells become overrides of that scope."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Alert rules"))
        self.setMinimumSize(860, 520)
        self.targets: dict[str, list[tuple[int, str]]] = {}
        self.rows: list[alertrules.RuleRow] = []
        self.shown: alertrules.Scope | None = None     # the scope whose rules the table shows
        self._wanted: alertrules.Scope | None = None
        self.own_runner: OpRunner | None = None
        self._filling = False
        self._build()
        QueryOp(parent=self, op=alertrules.scope_targets, success=self._targets_loaded).run_in_background()

    def _build(self) -> None:
        self.kind = QComboBox()
        for key, text in (("all", self.tr("All devices")), ("site", self.tr("A site")), ("group", self.tr("A group")),
                          ("device", self.tr("A device"))):
            self.kind.addItem(text, key)
        self.kind.currentIndexChanged.connect(self._fill_targets)
        self.target = QComboBox()
        self.target.setMinimumWidth(220)
        self.target.currentIndexChanged.connect(lambda _i: self.reload())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Rules for")))
        top.addWidget(self.kind)
        top.addWidget(self.target, 1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("Rule"), self.tr("On"), self.tr("Threshold"),
                                              self.tr("For (min)"), self.tr("Severity"), self.tr("Value comes from")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.severity_names = {"info": self.tr("Info"), "warning": self.tr("Warning"), "critical": self.tr("Critical")}
        self.table.setItemDelegateForColumn(SEVERITY_COL, SeverityDelegate(self.severity_names, self.table))
        self.table.itemChanged.connect(self._edited)
        hint = QLabel(self.tr("A device uses its own value, else its group's, else its site's, else the value for "
                              "all devices, else the built-in default. Bold values are set here."))
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.reset_btn = QPushButton(self.tr("&Reset selected rule here"))
        self.reset_btn.clicked.connect(self.reset_selected)
        self.save_btn = QPushButton(self.tr("&Save"))
        self.save_btn.setDefault(True)
        self.save_btn.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.save_btn)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        lay.addWidget(self.error)
        lay.addLayout(buttons)

    # --- scope ----------------------------------------------------------------------------------------------
    def _targets_loaded(self, targets: dict[str, list[tuple[int, str]]]) -> None:
        self.targets = targets
        self._fill_targets()

    def _fill_targets(self) -> None:
        kind = self.kind.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.setEnabled(kind != "all")
        for ident, name in self.targets.get(kind, []):
            self.target.addItem(name, ident)
        self.target.blockSignals(False)
        self.reload()

    def scope(self) -> alertrules.Scope | None:
        kind = self.kind.currentData()
        if kind == "all":
            return alertrules.Scope("all")
        if self.target.currentData() is None:
            return None
        return alertrules.Scope(kind, int(self.target.currentData()), self.target.currentText())

    def select_scope(self, kind: str, name: str = "") -> None:
        """Pick a scope as a user would (for the main window's 'rules of this device' and for tests)."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        if name:
            self.target.setCurrentIndex(max(0, self.target.findText(name)))

    # --- table --------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        scope = self.scope()
        if scope is None:
            self._wanted = self.shown = None
            self._show([])
            return
        self.error.clear()
        self._wanted = scope

        def loaded(rows: list[alertrules.RuleRow]) -> None:
            if scope == self._wanted:  # a slower answer for a scope picked before is not shown
                self.shown = scope
                self._show(rows)

        QueryOp(parent=self, op=lambda s: alertrules.rules_table(s, scope), success=loaded).run_in_background()

    def _origin_text(self, origin: str) -> str:
        if origin == "default":
            return self.tr("default")
        if origin == "all":
            return self.tr("all devices")
        return origin

    def _show(self, rows: list[alertrules.RuleRow]) -> None:
        self.rows = rows
        self._filling = True
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = QTableWidgetItem(row.title)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            name.setToolTip(row.rule)
            on = QTableWidgetItem()
            on.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            on.setCheckState(Qt.CheckState.Checked if row.values.get("enabled") else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, on)
            for col, param in EDITABLE.items():
                if param not in row.values:
                    item = QTableWidgetItem("—")
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                else:
                    text = alertrules.describe_value(row.values[param])
                    if param == "severity":
                        text = self.severity_names.get(str(row.values[param]), text)
                    if param == "threshold" and row.unit:
                        text = f"{text} {row.unit}"
                    item = QTableWidgetItem(text)
                    item.setData(Qt.ItemDataRole.UserRole, row.values[param])
                    if param in row.here:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                self.table.setItem(r, col, item)
            # The closest scope that sets any of the rule's values; the tooltip tells value by value.
            set_by = list(dict.fromkeys(o for o in row.origins.values() if o != "default"))
            order = {"device": 0, "group": 1, "site": 2, "all": 3}
            set_by.sort(key=lambda o: order.get(o.split(" ")[0], 4))
            origin = QTableWidgetItem(self._origin_text(set_by[0] if set_by else "default"))
            origin.setFlags(Qt.ItemFlag.ItemIsEnabled)
            origin.setToolTip("\n".join(f"{p}: {self._origin_text(o)}" for p, o in row.origins.items()))
            if not set_by:
                origin.setForeground(QBrush(QColor("#888888")))
            self.table.setItem(r, 5, origin)
        self._filling = False

    def _edited(self, item: QTableWidgetItem) -> None:
        if not self._filling:
            self.error.clear()

    def changes(self) -> dict[str, dict[str, Any]]:
        """What the user changed in the table: {rule: {param: text or bool}}."""
        out: dict[str, dict[str, Any]] = {}
        for r, row in enumerate(self.rows):
            enabled = self.table.item(r, 1).checkState() == Qt.CheckState.Checked
            if enabled != bool(row.values.get("enabled")):
                out.setdefault(row.rule, {})["enabled"] = enabled
            for col, param in EDITABLE.items():
                if param not in row.values:
                    continue
                if param == "severity":
                    picked = self.table.item(r, col).data(Qt.ItemDataRole.UserRole)
                    if picked != row.values[param]:
                        out.setdefault(row.rule, {})[param] = picked
                    continue
                shown = alertrules.describe_value(row.values[param])
                text = self.table.item(r, col).text().strip()
                if param == "threshold" and row.unit:
                    text = text.removesuffix(row.unit).strip()
                if text != shown:
                    out.setdefault(row.rule, {})[param] = text
        return out

    def save(self) -> None:
        scope, changes = self.shown, self.changes()
        if scope is None or not changes:
            return
        CollectionOp(parent=self, op=lambda s: alertrules.save_overrides(s, scope, changes),
                     success=lambda _r: self.reload()).failure(lambda err: self.error.setText(str(err))) \
            .run_in_background()

    def reset_selected(self) -> None:
        scope, r = self.shown, self.table.currentRow()
        if scope is None or not 0 <= r < len(self.rows):
            return
        rule = self.rows[r].rule
        CollectionOp(parent=self, op=lambda s: alertrules.reset(s, scope, rule),
                     success=lambda _r: self.reload()).run_in_background()


def open_alert_rules(parent: QWidget | None, db_path: Path | str) -> AlertRulesDialog:
    """Show the alert rules dialog (non-modal); usable without the main window too (it then runs its own ops)."""
    return open_with_runner(lambda: AlertRulesDialog(parent), db_path)
