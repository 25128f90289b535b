"""One device's stored config versions beside the diff of the chosen ones, with export (redacted by default).

Select one version to see what changed since the one before it (the oldest shows its whole text), or two
to compare them. Reads through nocdesk.backupviews off the GUI thread; stale answers (the user clicked on
meanwhile) are dropped by a sequence number.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import backupviews
from nocdesk.backupviews import VersionRow

from . import fmt
from .diff_view import DiffView
from .ops import CollectionOp, QueryOp


def make_item(text: str, *, data: Any = None, color: str | None = None, tip: str = "") -> QTableWidgetItem:
    """A read-only table cell."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if color:
        item.setForeground(QColor(color))
    if tip:
        item.setToolTip(tip)
    return item


def make_table(headers: list[str], *, multi: bool) -> QTableWidget:
    """A row-selecting table without a row header."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    for col in range(len(headers)):
        table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB"


class BackupHistory(QSplitter):
    """Versions on the left, the diff on the right; `message(text)` reports an export to the page."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, profiles: Mapping[str, Any] | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.profiles = profiles
        self.device: tuple[int, str] | None = None  # (id, name)
        self.versions: list[VersionRow] = []
        self._version_seq = self._diff_seq = 0
        self._build()

    def _build(self) -> None:
        self.version_table = make_table([self.tr("Version"), self.tr("Time"), self.tr("Hash"), self.tr("Size"),
                                         self.tr("Changes")], multi=True)
        self.version_table.horizontalHeader().setStretchLastSection(True)
        self.version_table.itemSelectionChanged.connect(self._versions_selected)
        title = QLabel(self.tr("Versions"))
        title.setObjectName("sectionTitle")
        hint = QLabel(self.tr("Select one version to compare it with the one before, or two (Ctrl+click) to "
                              "compare them."))
        hint.setObjectName("dimText")
        hint.setWordWrap(True)
        self.export_btn = QPushButton(self.tr("Export version…"))
        self.export_btn.setEnabled(False)
        self.export_btn.clicked.connect(lambda: self.export_selected())
        self.unredacted = QCheckBox(self.tr("Include passwords and secrets"))
        self.unredacted.setToolTip(self.tr("Off: passwords, communities and keys are written as <redacted>"))
        exp = QHBoxLayout()
        exp.addWidget(self.export_btn)
        exp.addWidget(self.unredacted)
        exp.addStretch(1)
        left = QWidget()
        left.setMinimumWidth(480)  # the five columns without a scroll bar
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(title)
        ll.addWidget(self.version_table, 1)
        ll.addWidget(hint)
        ll.addLayout(exp)

        self.diff_title = QLabel(self.tr("Differences"))
        self.diff_title.setObjectName("sectionTitle")
        self.show_ignored = QCheckBox(self.tr("Show ignored lines (timestamps, counters)"))
        self.show_ignored.toggled.connect(lambda _on: self._versions_selected())
        dh = QHBoxLayout()
        dh.addWidget(self.diff_title, 1)
        dh.addWidget(self.show_ignored)
        self.diff = DiffView()
        self.diff.setPlaceholderText(self.tr("Select a device and a version."))
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(dh)
        rl.addWidget(self.diff, 1)
        self.addWidget(left)
        self.addWidget(right)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.setSizes([560, 640])  # the version list wide enough for its five columns

    # --- versions ---------------------------------------------------------------------------------------------

    def show_device(self, device_id: int | None, name: str = "") -> None:
        """Load the versions of a device (None: clear)."""
        self.device = (device_id, name) if device_id is not None else None
        self._version_seq += 1
        if device_id is None:
            self.versions = []
            self.version_table.setRowCount(0)
            self._versions_selected()
            return
        seq, profiles = self._version_seq, self.profiles
        QueryOp(parent=self, op=lambda s: backupviews.version_rows(s, device_id, profiles=profiles),
                success=lambda v: self._show_versions(seq, v)).run_in_background()

    def _changes_text(self, v: VersionRow) -> str:
        if v.first:
            return self.tr("first version, {n} lines").format(n=v.added)
        if v.added is None:
            return v.summary
        return self.tr("+{added} -{removed} lines").format(added=v.added, removed=v.removed)

    def _show_versions(self, seq: int, versions: list[VersionRow]) -> None:
        if seq != self._version_seq:
            return  # the user picked another device meanwhile
        self.versions = versions
        self.version_table.blockSignals(True)
        self.version_table.setRowCount(len(versions))
        for r, v in enumerate(versions):
            cells = [make_item(f"v{v.id}", data=v.id), make_item(fmt.when(v.ts, seconds=True)),
                     make_item(v.hash_short, tip=v.summary), make_item(_size(v.size)),
                     make_item(self._changes_text(v))]
            for c, item in enumerate(cells):
                self.version_table.setItem(r, c, item)
        self.version_table.blockSignals(False)
        if versions:
            self.version_table.selectRow(0)
        else:
            self._versions_selected()

    def selected_versions(self) -> list[VersionRow]:
        picked = sorted({i.row() for i in self.version_table.selectionModel().selectedRows()})
        return [self.versions[r] for r in picked if r < len(self.versions)]

    def select_versions(self, ids: list[int]) -> None:
        """Select the versions with these ids (as Ctrl+click would)."""
        model = self.version_table.selectionModel()
        self.version_table.blockSignals(True)
        self.version_table.clearSelection()
        for r, v in enumerate(self.versions):
            if v.id in ids:
                model.select(self.version_table.model().index(r, 0),
                             model.SelectionFlag.Select | model.SelectionFlag.Rows)
        self.version_table.blockSignals(False)
        self._versions_selected()

    # --- diff -------------------------------------------------------------------------------------------------

    def _versions_selected(self) -> None:
        picked = self.selected_versions()
        self.export_btn.setEnabled(self.device is not None and len(picked) == 1)
        self._diff_seq += 1
        seq, raw, profiles = self._diff_seq, self.show_ignored.isChecked(), self.profiles
        if self.device is None or not picked or len(picked) > 2:
            self.diff.set_plain("" if not picked else self.tr("Select at most two versions to compare."))
            self.diff_title.setText(self.tr("Differences"))
            return
        device_id, name = self.device
        if len(picked) == 1:
            index = self.versions.index(picked[0])
            if index + 1 >= len(self.versions):
                vid = picked[0].id  # the oldest stored version: nothing to compare with, show its text
                title = self.tr("v{id}: the whole configuration (oldest stored version)").format(id=vid)
                QueryOp(parent=self, op=lambda s: backupviews.version_view(s, device_id, vid, raw=raw,
                                                                           profiles=profiles),
                        success=lambda text: self._show_diff(seq, title, text, plain=True)).run_in_background()
                return
            old, new = self.versions[index + 1], picked[0]
        else:
            new, old = picked  # newest first in the table
        title = self.tr("Changes from v{old} to v{new}").format(old=old.id, new=new.id)
        labels = [f"{prefix} {name} v{v.id} {fmt.when(v.ts, seconds=True, zone_name=True)}"
                  for prefix, v in (("---", old), ("+++", new))]

        def show(text: str) -> None:
            lines = text.split("\n")
            if len(lines) > 2 and lines[0].startswith("---") and lines[1].startswith("+++"):
                text = "\n".join(labels + lines[2:])  # the display zone, as in the tables, not the core's UTC
            self._show_diff(seq, title, text)

        QueryOp(parent=self, op=lambda s: backupviews.version_diff(s, device_id, old.id, new.id, raw=raw,
                                                                   profiles=profiles),
                success=show).run_in_background()

    def _show_diff(self, seq: int, title: str, text: str, *, plain: bool = False) -> None:
        if seq != self._diff_seq:
            return
        self.diff_title.setText(title)
        if plain:
            self.diff.set_plain(text)
        else:
            self.diff.set_diff(text or self.tr("No difference (after leaving out the ignored lines)."))

    # --- export -----------------------------------------------------------------------------------------------

    def export_selected(self, path: str | Path | None = None) -> None:
        """Write the selected version to a file: asks where unless `path`; secrets only after a confirmation."""
        picked = self.selected_versions()
        if self.device is None or len(picked) != 1:
            return
        (device_id, name), version = self.device, picked[0]
        redact = not self.unredacted.isChecked()
        if not redact:
            answer = QMessageBox.warning(
                self, self.tr("Export with secrets"),
                self.tr("The file will hold the passwords, SNMP communities and keys of {name} in readable form. "
                        "Anyone who gets the file can log in to the device.\n\nExport with secrets?")
                .format(name=name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, self.tr("Export configuration"), f"{name}-v{version.id}.cfg",
                                                   self.tr("Configuration (*.cfg *.txt);;All files (*)"))
            if not path:
                return
        profiles, target = self.profiles, Path(path)

        def done(written: Path) -> None:
            note = self.tr("secrets redacted") if redact else self.tr("WITH secrets")
            self.message.emit(self.tr("Wrote {path} ({note}).").format(path=written, note=note))

        CollectionOp(parent=self, op=lambda s: backupviews.export_version(s, device_id, version.id, target,
                                                                          redact=redact, profiles=profiles),
                     success=done).run_in_background()
