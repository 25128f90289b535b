"""Unlock the saved passwords: where no OS keyring exists, community strings and SSH passwords live in an encrypted
file whose master password the app asks for once per run (UnlockPrompt), or lets the user choose when the first
secret is saved (ChooseMasterPassword). The core remembers it for this process, so the in-process engine, the
Test buttons and "Back up now" can read the secrets too.

Hook-up in the main window: `offer_unlock(window)` once at start, `ask_unlock(window)` from File ▸ Unlock saved
passwords…, and `ensure_unlocked(parent, name, then)` before a core call that reads or writes secrets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import credentials
from nocdesk.store import Store

from .ops import QueryOp

log = logging.getLogger(__name__)

LOCKED, CHOOSE, READY = "unlock", "choose", ""


def secrets_state(store: Store | None = None, name: str | None = None) -> str:
    """LOCKED: the secrets file exists and needs its master password; CHOOSE: the first secret will create it;
    READY: nothing to ask (OS keyring, NOCDESK_MASTER_PASSWORD set, or unlocked already). Runs off the GUI thread."""
    if not credentials.needs_master_password(store, name):
        return READY
    return LOCKED if credentials.secret_file_exists() else CHOOSE


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    return label


class UnlockPrompt(QDialog):
    """Asks for the master password of the secrets file; a wrong one is said so and the field is cleared."""

    unlocked = Signal()
    postponed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock saved passwords"))
        self._busy = False
        self.explain = QLabel(self.tr(
            "This computer has no system keyring, so nocdesk keeps the SNMP community strings and SSH passwords in "
            "an encrypted file. Enter its master password so that polling, Test and config backups can use them."))
        self.explain.setWordWrap(True)
        self.password = _password_field()
        self.password.returnPressed.connect(self.unlock)
        self.error = _error_label()
        self.unlock_btn = QPushButton(self.tr("&Unlock"))
        self.unlock_btn.setDefault(True)
        self.unlock_btn.clicked.connect(self.unlock)
        self.later_btn = QPushButton(self.tr("&Later"))
        self.later_btn.clicked.connect(self.later)
        form = QFormLayout()
        form.addRow(self.tr("Master password"), self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_btn)
        buttons.addWidget(self.later_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.explain)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.setMinimumWidth(460)

    def unlock(self) -> None:
        if self._busy:
            return
        password = self.password.text()
        if not password:
            self.error.setText(self.tr("Type the master password first."))
            return
        self._set_busy(True)
        self.error.setText(self.tr("Checking…"))
        QueryOp(parent=self, op=lambda _store: credentials.unlock_secret_file(password),
                success=lambda _r: self._done()).failure(self._failed).run_in_background()

    def _done(self) -> None:
        self._set_busy(False)
        self.password.clear()
        self.error.clear()
        self.unlocked.emit()
        self.accept()

    def _failed(self, err: Exception) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        self.error.setText(str(err) + " " + self.tr("Try again, or choose Later."))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.unlock_btn, self.later_btn, self.password):
            w.setEnabled(not busy)

    def later(self) -> None:
        self.password.clear()
        self.postponed.emit()
        self.reject()

    def reject(self) -> None:  # Escape and the window's close button mean Later too
        if not self._busy:
            super().reject()


class ChooseMasterPassword(QDialog):
    """The first secret goes to a new encrypted file: choose its master password (twice)."""

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose a master password"))
        explain = QLabel(self.tr(
            "This computer has no system keyring, so nocdesk keeps SNMP community strings and SSH passwords in an "
            "encrypted file protected by a master password. Choose it now (at least {n} characters). nocdesk asks "
            "for it after each restart; for the background service ('nocdesk poll') set it in the environment "
            "variable {env}. If it is lost, the saved passwords must be entered again.")
            .format(n=credentials.MIN_MASTER_PASSWORD, env=credentials.MASTER_PASSWORD_ENV))
        explain.setWordWrap(True)
        self.password = _password_field()
        self.again = _password_field()
        self.again.returnPressed.connect(self.choose)
        self.error = _error_label()
        self.ok_btn = QPushButton(self.tr("&Set master password"))
        self.ok_btn.setDefault(True)
        self.ok_btn.clicked.connect(self.choose)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Master password"), self.password)
        form.addRow(self.tr("Same again"), self.again)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_btn)
        buttons.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(explain)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.setMinimumWidth(480)

    def choose(self) -> None:
        first, second = self.password.text(), self.again.text()
        if len(first) < credentials.MIN_MASTER_PASSWORD:
            self.error.setText(self.tr("The master password needs at least {n} characters.")
                               .format(n=credentials.MIN_MASTER_PASSWORD))
            return
        if first != second:
            self.again.clear()
            self.again.setFocus()
            self.error.setText(self.tr("The two passwords differ; type the same password twice."))
            return
        self.ok_btn.setEnabled(False)
        QueryOp(parent=self, op=lambda _store: credentials.unlock_secret_file(first),
                success=lambda _r: self._done()).failure(self._failed).run_in_background()

    def _done(self) -> None:
        self.password.clear()
        self.again.clear()
        self.chosen.emit()
        self.accept()

    def _failed(self, err: Exception) -> None:
        self.ok_btn.setEnabled(True)
        self.error.setText(str(err))


def _status(parent: QWidget | None, text: str) -> None:
    if isinstance(parent, QMainWindow):
        parent.statusBar().showMessage(text)


def _show_prompt(parent: QWidget | None) -> UnlockPrompt:
    prompt = UnlockPrompt(parent)

    def later() -> None:
        # QCoreApplication.translate spelled out at each call: lupdate does not see strings passed to a helper.
        _status(parent, QCoreApplication.translate(
            "UnlockPrompt", "Saved passwords are locked: SNMP polling and backups that need them wait. "
            "Unlock them with File ▸ Unlock saved passwords…"))

    prompt.postponed.connect(later)
    prompt.unlocked.connect(lambda: _status(
        parent, QCoreApplication.translate("UnlockPrompt", "Saved passwords unlocked.")))
    prompt.show()  # not modal: the app stays usable while it waits
    prompt.password.setFocus()
    return prompt


def offer_unlock(parent: QWidget | None) -> None:
    """At start: when the secrets file exists and is locked, show the unlock prompt (nothing happens otherwise)."""

    def checked(state: str) -> None:
        if state == LOCKED and not (parent is not None and parent.findChild(UnlockPrompt)):
            _show_prompt(parent)

    QueryOp(parent=parent, op=lambda _store: secrets_state(), success=checked) \
        .failure(lambda err: _status(parent, str(err))).run_in_background()


def ask_unlock(parent: QWidget | None) -> None:
    """File ▸ Unlock saved passwords…: the prompt, or a word that there is nothing to unlock."""

    def checked(state: str) -> None:
        if state == LOCKED:
            for old in parent.findChildren(UnlockPrompt) if parent is not None else []:
                old.close()
            _show_prompt(parent)
        elif state == CHOOSE:
            _status(parent, QCoreApplication.translate(
                "UnlockPrompt", "No saved passwords yet: you choose a master password when you save the first "
                "credential (Devices ▸ Credentials…)."))
        else:
            _status(parent, QCoreApplication.translate("UnlockPrompt", "Saved passwords are already available."))

    QueryOp(parent=parent, op=lambda _store: secrets_state(), success=checked) \
        .failure(lambda err: _status(parent, str(err))).run_in_background()


def ensure_unlocked(parent: QWidget | None, name: str | None, then: Callable[[], Any]) -> None:
    """Run `then()` once the secrets of credential `name` (None: new secrets) can be read and written: asks for
    the master password, or to choose one for a new secrets file, first when needed. Cancel skips `then`."""

    def checked(state: str) -> None:
        if state == READY:
            then()
            return
        dialog: QDialog
        if state == LOCKED:
            dialog = UnlockPrompt(parent)
            dialog.later_btn.setText(dialog.tr("Cancel"))
            dialog.unlocked.connect(then)
        else:
            dialog = ChooseMasterPassword(parent)
            dialog.chosen.connect(then)
        dialog.setModal(True)
        dialog.open()
        dialog.password.setFocus()

    QueryOp(parent=parent, op=lambda store: secrets_state(store, name), success=checked).run_in_background()
