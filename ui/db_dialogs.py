"""Database menu actions: back up the database to a file, and restore it from one (nocdesk.dbbackup).

Backup uses SQLite's online backup, so it is safe while polling; the copy is integrity-checked before it gets
its final name. Restore replaces the whole database: it needs every connection to the file closed first
(the engine in this app, the window's own reads; on Windows an open file cannot even be replaced), so the
window passes `release` (stop polling, close the store) and `relaunch` (start nocdesk again on the restored
data). A `nocdesk poll` service in another process holds the engine lock; restore refuses until it is stopped.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import dbbackup
from nocdesk.store import open_store

from .ops import LongOp, OpRunner, Progress

translate = QApplication.translate  # context 'db_dialogs' for the free functions below


def ensure_runner(db_path: Path | str) -> OpRunner:
    """The app's OpRunner, or one on `db_path` when a dialog is used on its own (tests, a tool window)."""
    runner = OpRunner._instance
    if runner is None or runner.closed:
        runner = OpRunner(lambda: open_store(db_path))
    return runner


class _BusyDialog(QDialog):
    """A small window with a message, a busy bar and Close; shared by backup and restore."""

    def __init__(self, parent: QWidget | None, title: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # SQLite's backup reports no useful fraction for a local copy: show activity
        self.close_btn = QPushButton(self.tr("Close"))
        self.close_btn.setEnabled(False)
        self.close_btn.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.bar)
        lay.addLayout(row)
        self.ok: bool | None = None
        self.job: Any = None

    def finish(self, ok: bool, text: str) -> None:
        self.ok = ok
        self.bar.setRange(0, 1)
        self.bar.setValue(1 if ok else 0)
        self.message.setText(text)
        self.message.setObjectName("" if ok else "errorText")
        self.close_btn.setEnabled(True)
        self.close_btn.setFocus()


def backup_database(parent: QWidget | None, db_path: Path | str, *,
                    target: Path | str | None = None) -> _BusyDialog | None:
    """Ask where to save (unless `target` is given) and write an integrity-checked copy in the background."""
    db_path = Path(db_path)
    if target is None:
        suggested = db_path.with_name(f"nocdesk-backup-{time.strftime('%Y-%m-%d')}.db")
        name, _f = QFileDialog.getSaveFileName(parent, translate("db_dialogs", "Back up the database"),
                                               str(suggested),
                                               translate("db_dialogs", "nocdesk database (*.db)"))
        if not name:
            return None
        target = name
    target = Path(target)
    dlg = _BusyDialog(parent, translate("db_dialogs", "Back up the database"),
                      translate("db_dialogs", "Copying {db} to {target}…").format(db=db_path, target=target))
    ensure_runner(db_path)

    def op(store: Any, _progress: Progress) -> tuple[Path, int]:
        path = dbbackup.backup_database(store, target)
        return path, path.stat().st_size

    def done(result: tuple[Path, int]) -> None:
        path, size = result
        dlg.finish(True, translate("db_dialogs",
                                   "Backup written to {path} ({mb} MB). Its integrity check passed; keep it on "
                                   "another disk or computer.").format(path=path, mb=f"{size / 1e6:.1f}"))

    def failed(err: Exception) -> None:
        dlg.finish(False, translate("db_dialogs", "The backup failed: {error}").format(error=err))

    dlg.job = LongOp(parent=dlg, op=op, success=done, failure=failed).run_in_background()
    dlg.open()
    return dlg


def relaunch_app() -> None:
    """Start nocdesk again with the same arguments and quit this instance (after a restore)."""
    frozen = getattr(sys, "frozen", False)
    QProcess.startDetached(sys.executable, sys.argv[1:] if frozen else sys.argv)
    QApplication.quit()


class _Relay(QObject):
    """Carries the restore thread's outcome to the GUI thread."""

    finished = Signal(object)


def restore_database(parent: QWidget | None, db_path: Path | str, *, source: Path | str | None = None,
                     release: Callable[[], None] | None = None,
                     relaunch: Callable[[], None] | None = None) -> _BusyDialog | None:
    """Ask for a backup file (unless `source` is given), explain and confirm, then replace the database with it.

    `release()` runs on the GUI thread after the user confirmed and before the file is touched: it must stop
    this app's engine and close every connection it holds on `db_path`. After a successful restore the dialog
    offers to restart; `relaunch()` (default: relaunch_app) then starts nocdesk on the restored data.
    """
    db_path = Path(db_path)
    if source is None:
        name, _f = QFileDialog.getOpenFileName(parent, translate("db_dialogs", "Restore the database from a backup"),
                                               str(db_path.parent),
                                               translate("db_dialogs", "nocdesk database (*.db);;All files (*)"))
        if not name:
            return None
        source = name
    source = Path(source)
    try:
        dbbackup.verify_backup_file(source)
    except Exception as err:  # noqa: BLE001 - a bad file is the user's to fix, said in their words
        QMessageBox.warning(parent, translate("db_dialogs", "Restore the database"), str(err))
        return None
    holder = _other_engine(db_path)
    if holder:
        QMessageBox.warning(parent, translate("db_dialogs", "Restore the database"), translate("db_dialogs",
            "Another nocdesk process is polling this database ({holder}), e.g. the 'nocdesk poll' service. Stop it "
            "first, then restore again.").format(holder=holder))
        return None
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(source.stat().st_mtime))
    question = translate("db_dialogs",
        "Replace the database\n{db}\nwith the backup\n{source} (saved {when})?\n\n"
        "Every device, measurement, alert and setting recorded since that backup is replaced. The current "
        "database is kept next to it as a .before-restore copy.\n\n"
        "Monitoring in this window stops during the restore, and nocdesk then restarts on the restored data."
    ).format(db=db_path, source=source, when=when)
    answer = QMessageBox.question(parent, translate("db_dialogs", "Restore the database"), question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    if answer != QMessageBox.StandardButton.Yes:
        return None
    if release is not None:
        release()
    dlg = _BusyDialog(parent, translate("db_dialogs", "Restore the database"),
                      translate("db_dialogs", "Restoring {source} into {db}…").format(source=source, db=db_path))
    relay = _Relay(dlg)

    def work() -> None:
        try:
            result: Any = dbbackup.restore_database(source, db_path)
        except Exception as err:  # noqa: BLE001 - shown to the user in the dialog
            result = err
        relay.finished.emit(result)

    def finished(result: Any) -> None:
        if isinstance(result, Exception):
            dlg.finish(False, translate("db_dialogs",
                                        "The restore failed: {error}\nThe database was not replaced unless the "
                                        "message says so; nocdesk restarts when you close this window.")
                       .format(error=result))
            if release is not None:  # this window let go of its database: it has to start afresh either way
                dlg.accepted.connect(relaunch or relaunch_app)
            return
        kept = translate("db_dialogs", "\nThe previous database was kept as {kept}.").format(kept=result) \
            if result else ""
        dlg.finish(True, translate("db_dialogs",
                                   "Restored {source}.{kept}\nnocdesk restarts when you close this window.")
                   .format(source=source, kept=kept))
        dlg.accepted.connect(relaunch or relaunch_app)

    relay.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    # A plain thread, not an OpRunner worker: `release` may have closed the runner with the app's connections.
    threading.Thread(target=work, name="nocdesk-restore", daemon=True).start()
    dlg.open()
    return dlg


def _other_engine(db_path: Path) -> str:
    """'pid 123 on host' when an engine in another process holds the database, else ''."""
    try:
        from nocdesk.enginelock import is_locked
    except ImportError:
        return ""
    holder = is_locked(db_path)
    if not holder or holder[0] == os.getpid():
        return ""
    return translate("db_dialogs", "process {pid} on {host}").format(pid=holder[0], host=holder[1] or "?")
