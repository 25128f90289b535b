"""Config backups: every device's last result and host key, its version history, diffs, export and "Back up now".

    open_config_backups(parent, db_path, device_id=None)  # a non-modal dialog, optionally on one device

Reads go through nocdesk.backupviews and writes through nocdesk.configbackup, off the GUI thread (ui/ops.py).
A run is a LongOp: progress per device and Cancel, which stops every device not yet started.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nocdesk import backupviews, configbackup
from nocdesk.backupviews import BackupRow
from nocdesk.store import Store, open_store

from . import fmt
from .backup_history import BackupHistory, make_item, make_table
from .icons import icon
from .ops import CollectionOp, LongOp, OpRunner, Progress, QueryOp
from .screen_fit import resize_within_screen

PARALLEL_SETTING = "config_backup_parallel"
RESULT_COLORS = {"failed": "#b42323", "blocked": "#b42323", "changed": "#b86e00", "first": "#2a5db0",
                 "unchanged": "#2e7d4f", "": "#6b7785"}


class BackupPage(QWidget):
    """The devices table on top; below it the selected device's versions and the diff of the chosen ones."""

    run_finished = Signal(object)  # the configbackup.BackupRun

    def __init__(self, parent: QWidget | None = None, *, device_id: int | None = None,
                 profiles: Mapping[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.profiles = profiles  # None: the installed vendor profiles
        self.conn_timeout_s = 10.0
        self.rows: list[BackupRow] = []
        self.job: LongOp | None = None
        self.last_run: Any = None
        self._want_device = device_id
        self._build()
        self.reload()

    # --- layout -----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Config backups"))
        title.setObjectName("pageTitle")
        self.backup_sel_btn = QPushButton(icon("action-refresh"), self.tr("Back up selected"))
        self.backup_sel_btn.setToolTip(self.tr("Read the configuration of the selected devices now (nothing is "
                                               "ever changed on a device)"))
        self.backup_sel_btn.clicked.connect(self.backup_selected)
        self.backup_all_btn = QPushButton(self.tr("Back up all"))
        self.backup_all_btn.setToolTip(self.tr("Every enabled device with an SSH credential"))
        self.backup_all_btn.clicked.connect(self.backup_all)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for b in (self.backup_sel_btn, self.backup_all_btn, self.cancel_btn):
            top.addWidget(b)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("dimText")
        self.status.setWordWrap(True)

        self.table = make_table([self.tr("Device"), self.tr("Last backup"), self.tr("Result"),
                                 self.tr("Details"), self.tr("Versions"), self.tr("Host key")], multi=True)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._device_selected)
        self.key_warning = QLabel()
        self.key_warning.setObjectName("errorText")
        self.key_warning.setWordWrap(True)
        self.key_warning.setVisible(False)
        self.accept_key_btn = QPushButton(self.tr("Accept new host key…"))
        self.accept_key_btn.setVisible(False)
        self.accept_key_btn.clicked.connect(self.accept_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_warning, 1)
        key_row.addWidget(self.accept_key_btn)
        hint = QLabel(self.tr("Devices without an SSH credential are not backed up: give them one with Edit "
                              "device."))
        hint.setObjectName("dimText")

        self.history = BackupHistory(profiles=self.profiles)
        self.history.message.connect(self.status.setText)

        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addWidget(self.table, 1)
        ul.addLayout(key_row)
        ul.addWidget(hint)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.history)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)

    # --- words ------------------------------------------------------------------------------------------------

    def result_text(self, result: str) -> str:
        return {"first": self.tr("First backup"), "changed": self.tr("Changed"), "unchanged": self.tr("Unchanged"),
                "failed": self.tr("Failed"), "blocked": self.tr("Blocked"), "": self.tr("Never")}.get(result, result)

    def details_text(self, row: BackupRow) -> str:
        if row.result in ("failed", "blocked"):
            # The core's reason starts with "name (address:port): "; the row already names the device.
            return re.sub(rf"^{re.escape(row.name)}(?: \([^)]*\))?: ", "", row.reason)
        if row.result in ("changed", "first"):
            return row.summary
        if not row.has_credential:
            return self.tr("No SSH credential")
        if not row.result:
            return self.tr("Not backed up yet")
        return ""

    def key_text(self, row: BackupRow) -> str:
        return {backupviews.KEY_NONE: self.tr("Not seen yet"), backupviews.KEY_TRUSTED: self.tr("Trusted"),
                backupviews.KEY_CHANGED: self.tr("CHANGED — blocked")}[row.key_status]

    # --- devices ----------------------------------------------------------------------------------------------

    def reload(self) -> None:
        QueryOp(parent=self, op=lambda s: backupviews.backup_rows(s), success=self._show_rows).run_in_background()

    def _show_rows(self, rows: list[BackupRow]) -> None:
        keep_ids = {self._want_device} if self._want_device is not None else set(self.selected_ids())
        self._want_device = None
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            color = RESULT_COLORS.get(row.result)
            key_color = "#b42323" if row.key_status == backupviews.KEY_CHANGED else None
            cells = [make_item(row.name, data=row.device_id, tip=row.address),
                     make_item(fmt.when(row.last_ts) if row.last_ts else "—"),
                     make_item(self.result_text(row.result), color=color),
                     make_item(self.details_text(row), color=color if row.result in ("failed", "blocked") else None,
                               tip=row.reason),
                     make_item(str(row.versions)),
                     make_item(self.key_text(row), color=key_color,
                               tip=row.pending_fingerprint or row.fingerprint)]
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.table.clearSelection()
        model = self.table.selectionModel()
        for r, row in enumerate(rows):
            if row.device_id in keep_ids:
                model.select(self.table.model().index(r, 0), model.SelectionFlag.Select | model.SelectionFlag.Rows)
        self.table.blockSignals(False)
        if not rows:
            self.status.setText(self.tr("No device has an SSH credential yet: edit a switch and choose its SSH "
                                        "credential and vendor profile to back up its configuration."))
        self._device_selected()

    def selected_rows(self) -> list[BackupRow]:
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in picked if r < len(self.rows)]

    def selected_ids(self) -> list[int]:
        return [row.device_id for row in self.selected_rows()]

    def current_row(self) -> BackupRow | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def _device_selected(self) -> None:
        row = self.current_row()
        self.backup_sel_btn.setEnabled(self.job is None and bool(self.selected_rows()))
        changed = row is not None and row.key_status == backupviews.KEY_CHANGED
        self.key_warning.setVisible(changed)
        self.accept_key_btn.setVisible(changed)
        if changed:
            self.key_warning.setText(self.tr("{name} now shows another SSH host key. Its backups are blocked until you "
                                             "accept the new key.").format(name=row.name))
        self.history.show_device(row.device_id if row else None, row.name if row else "")

    # --- host key ---------------------------------------------------------------------------------------------

    def accept_key(self) -> None:
        row = self.current_row()
        if row is None or row.key_status != backupviews.KEY_CHANGED:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Accept new SSH host key"),
                          self.tr("The SSH host key of {name} ({address}) has changed.").format(
                              name=row.name, address=row.address), parent=self)
        box.setInformativeText(self.tr(
            "Trusted key:\n{old}\n\nKey the device shows now:\n{new}\n\nThis is expected after the device was "
            "replaced, reinstalled or its keys regenerated. Otherwise someone may be pretending to be this "
            "device: check the fingerprint on the device's console first.\n\nTrust the new key?").format(
                old=row.fingerprint, new=row.pending_fingerprint))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        name = row.name

        def done(fingerprint: str) -> None:
            self.status.setText(self.tr("New host key {fingerprint} of {name} accepted; the next backup uses it.")
                                .format(fingerprint=fingerprint, name=name))
            self.reload()

        CollectionOp(parent=self, op=lambda s: configbackup.accept_host_key(s, name), success=done) \
            .run_in_background()

    # --- running ----------------------------------------------------------------------------------------------

    def backup_selected(self) -> None:
        names = [row.name for row in self.selected_rows()]
        if names:
            self.start(names)

    def backup_all(self) -> None:
        self.start(None)

    def start(self, names: list[str] | None) -> None:
        """Back up the named devices (None: every enabled device with an SSH credential) in the background."""
        if self.job is not None:
            return
        profiles, timeout_s = self.profiles, self.conn_timeout_s

        def op(store: Store, progress: Progress) -> Any:
            parallel = int(store.get_setting(PARALLEL_SETTING, configbackup.DEFAULT_PARALLEL) or 1)
            return configbackup.run_backups(store, devices=names, parallel=max(1, parallel), progress=progress.report,
                                            cancel=progress.event, profiles=profiles, conn_timeout_s=timeout_s)

        self._set_running(True)
        if not names:
            what = self.tr("all devices")
        elif len(names) <= 3:
            what = ", ".join(names)
        else:
            what = self.tr("{n} devices").format(n=len(names))
        self.status.setText(self.tr("Backing up {what}…").format(what=what))
        self.job = LongOp(parent=self, op=op, success=self._finished, progress=self._progress,
                          failure=self._failed).run_in_background()

    def _set_running(self, running: bool) -> None:
        self.cancel_btn.setEnabled(running)
        self.backup_all_btn.setEnabled(not running)
        self.backup_sel_btn.setEnabled(not running and bool(self.selected_rows()))
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first device reports

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {text}")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_btn.setEnabled(False)
            self.status.setText(self.tr("Cancelling: devices already connected finish first…"))

    def _failed(self, err: Exception) -> None:
        self.job = None
        self._set_running(False)
        self.status.setText(str(err))

    def _finished(self, run: Any) -> None:
        self.job = None
        self.last_run = run
        self._set_running(False)
        counts = {k: v for k, v in run.counts().items() if v}
        words = {"first": self.tr("first"), "changed": self.tr("changed"), "unchanged": self.tr("unchanged"),
                 "failed": self.tr("failed"), "blocked": self.tr("blocked")}
        text = self.tr("Backed up {n} device(s) in {seconds} s: {counts}.").format(
            n=len(run.results), seconds=f"{run.duration_s:.1f}",
            counts=", ".join(f"{v} {words[k]}" for k, v in counts.items()) or self.tr("nothing to do"))
        if run.cancelled:
            text += " " + self.tr("Cancelled before they started: {names}.").format(names=", ".join(run.cancelled))
        if run.git_error:
            text += " " + self.tr("Git export failed: {error}").format(error=run.git_error)
        self.status.setText(text)
        self.reload()
        self.run_finished.emit(run)

    def shutdown(self) -> None:
        """Stop a running backup (devices already connected finish in the background)."""
        if self.job is not None:
            self.job.cancel()


class ConfigBackupsDialog(QDialog):
    """The backup page in its own window; closing it cancels a running backup."""

    def __init__(self, parent: QWidget | None = None, *, device_id: int | None = None,
                 profiles: Mapping[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Config backups"))
        resize_within_screen(self, 1180, 780)
        self.page = BackupPage(self, device_id=device_id, profiles=profiles)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.page, 1)
        lay.addLayout(bottom)
        self.own_runner: OpRunner | None = None
        self.finished.connect(lambda _r: self._closed())

    def _closed(self) -> None:
        self.page.shutdown()
        if self.own_runner is not None:
            self.own_runner.shutdown()
            self.own_runner = None


def open_config_backups(parent: QWidget | None, db_path: str | Path,
                        device_id: int | None = None) -> ConfigBackupsDialog:
    """Show the config backups window (on `device_id` when given); usable without the main window too."""
    own = None
    if OpRunner._instance is None or OpRunner._instance.closed:
        own = OpRunner(lambda: open_store(Path(db_path)))
    dlg = ConfigBackupsDialog(parent, device_id=device_id)
    dlg.own_runner = own
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg
