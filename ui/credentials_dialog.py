"""Credentials: the named SNMP (v1/v2c/v3) and SSH logins devices use. A list (where each secret is kept, how many
devices use it) over an add/edit form. Secrets are typed, never shown: editing leaves an empty secret field as it was
stored. Delete is refused while devices use the credential; Test reads a chosen device with a saved SNMP credential.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import credentials, inventory, views
from nocdesk.credentials import CredentialInfo
from nocdesk.errors import ConfigError

from . import services
from .credential_forms import SnmpForm, SshForm
from .icons import icon
from .ops import CollectionOp, OpRunner, QueryOp, open_with_runner
from .unlock import ensure_unlocked


class CredentialsDialog(QDialog):
    """The credential list on top, the selected (or new) credential's form below."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Credentials"))
        self.setMinimumSize(900, 640)
        self.items: list[CredentialInfo] = []
        self.devices: list[str] = []
        self.editing: str | None = None  # name of the credential in the form; None: a new one
        self.own_runner: OpRunner | None = None
        self._build()
        self.new("snmp")
        self.reload()

    # --- layout -----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Version"), self.tr("User"),
                                              self.tr("Secrets kept in"), self.tr("Devices")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 6):
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(lambda row, *_: self._selected(row))
        new_snmp = QPushButton(icon("action-add"), self.tr("New &SNMP"))
        new_snmp.clicked.connect(lambda: self.new("snmp"))
        new_ssh = QPushButton(icon("action-add"), self.tr("New SS&H"))
        new_ssh.clicked.connect(lambda: self.new("ssh"))
        self.delete_btn = QPushButton(icon("action-delete"), self.tr("&Delete"))
        self.delete_btn.clicked.connect(self.delete)
        row = QHBoxLayout()
        for w in (new_snmp, new_ssh, self.delete_btn):
            row.addWidget(w)
        row.addStretch(1)

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("for example snmp-kantor or backup-ssh"))
        self.kind_label = QLabel()
        self.pages = QStackedWidget()
        self.snmp = SnmpForm()
        self.ssh = SshForm()
        self.pages.addWidget(self.snmp)
        self.pages.addWidget(self.ssh)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind_label)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_btn = QPushButton(self.tr("&Save credential"))
        self.save_btn.setDefault(True)
        self.save_btn.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        self.test_device = QComboBox()
        self.test_device.setMinimumWidth(200)
        self.test_btn = QPushButton(icon("action-test"), self.tr("&Test on device"))
        self.test_btn.clicked.connect(self.test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Test the saved credential on")))
        buttons.addWidget(self.test_device)
        buttons.addWidget(self.test_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.save_btn)
        buttons.addWidget(close)
        box = QGroupBox(self.tr("Credential"))
        bl = QVBoxLayout(box)
        bl.addLayout(form)
        bl.addWidget(self.pages)
        bl.addWidget(self.error)
        bl.addWidget(self.status)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(box)
        lay.addLayout(buttons)
        lay.addWidget(self.test_result)

    # --- data -------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        def op(store: Any) -> tuple[list[CredentialInfo], list[str]]:
            return credentials.list_credentials(store), views.choices(store).devices

        QueryOp(parent=self, op=op, success=self._loaded).run_in_background()

    def _loaded(self, result: tuple[list[CredentialInfo], list[str]]) -> None:
        self.items, self.devices = result
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for r, c in enumerate(self.items):
            p = c.params
            if c.kind == "snmp":
                version = f"v{p['version']}" + (f" {p.get('security_level', '')}" if p["version"] == "3" else "")
                user = p.get("user", "") if p["version"] == "3" else ""
            else:
                version, user = "", p.get("username", "")
            where = self.tr("OS keyring") if p.get("secret_store") == "keyring" else self.tr("Encrypted file")
            cells = (c.name, c.kind.upper(), version, user, where, str(len(c.used_by)))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 5 and c.used_by:
                    item.setToolTip(", ".join(c.used_by))
                self.table.setItem(r, col, item)
        self.table.blockSignals(False)
        current = self.test_device.currentText()
        self.test_device.clear()
        self.test_device.addItems(self.devices)
        self.test_device.setCurrentIndex(max(0, self.test_device.findText(current)))
        wanted, said = self.editing, self.status.text()  # None: the user moved on to a new one meanwhile
        for r, c in enumerate(self.items):
            if c.name == wanted:
                self.table.blockSignals(True)
                self.table.selectRow(r)
                self.table.blockSignals(False)
                self._selected(r)
                self.status.setText(said)  # "Saved …" stays after the list was read again
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.current()
        self.delete_btn.setEnabled(item is not None)
        self.test_btn.setEnabled(item is not None and item.kind == "snmp" and bool(self.devices))
        if item is not None and item.kind == "ssh":
            self.test_btn.setToolTip(self.tr("SSH logins are tried by 'Back up now' in Config backups."))
        else:
            self.test_btn.setToolTip("")

    def current(self) -> CredentialInfo | None:
        return next((c for c in self.items if c.name == self.editing), None)

    def _secret_fields(self) -> tuple[QLineEdit, ...]:
        return self.snmp.secrets() + self.ssh.secrets()

    def new(self, kind: str, *, deselect: bool = True) -> None:
        """An empty form for a new credential of `kind` ('snmp' or 'ssh')."""
        self.editing = None
        if deselect:
            self.table.clearSelection()
        self.kind = kind
        self.name.setEnabled(True)
        self.name.clear()
        self.kind_label.setText("SNMP" if kind == "snmp" else "SSH")
        self.pages.setCurrentWidget(self.form())
        for w in self._secret_fields():
            w.clear()
            w.setPlaceholderText("")
        self.snmp.reset()
        self.ssh.reset()
        self.error.clear()
        self.status.clear()
        self._update_buttons()
        self.name.setFocus()

    def form(self) -> SnmpForm | SshForm:
        """The form of the credential being added or edited."""
        return self.snmp if self.kind == "snmp" else self.ssh

    def _selected(self, row: int) -> None:
        if row < 0 or row >= len(self.items):
            return
        c = self.items[row]
        self.new(c.kind, deselect=False)
        self.editing = c.name
        self.name.setText(c.name)
        self.name.setEnabled(False)  # devices refer to it by name
        for w in self._secret_fields():
            w.setPlaceholderText(self.tr("unchanged (type to replace)"))
        self.form().show_params(c.params)
        self._update_buttons()

    # --- actions ----------------------------------------------------------------------------------------------
    def save(self) -> None:
        name, kind, editing = self.name.text().strip(), self.kind, self.editing is not None
        values = self.form().values(editing=editing)
        exists = self.tr("A credential named '{name}' already exists; select it in the list to edit it.") \
            .format(name=name)
        self.error.clear()
        self.status.clear()

        def op(store: Any) -> str:
            if not editing and any(c.name == name for c in credentials.list_credentials(store)):
                raise ConfigError(exists)
            save = credentials.save_snmp_credential if kind == "snmp" else credentials.save_ssh_credential
            save(store, name, keep_secrets=editing, **values)
            return next(c.params.get("secret_store", "") for c in credentials.list_credentials(store) if c.name == name)

        def saved(where: str) -> None:
            for w in self._secret_fields():
                w.clear()
            self.editing = name
            self.status.setText(self.tr("Saved {kind} credential '{name}' (secrets in the {where}).").format(
                kind=kind.upper(), name=name,
                where=self.tr("OS keyring") if where == "keyring" else self.tr("encrypted file")))
            self.changed.emit()
            self.reload()

        def run() -> None:
            CollectionOp(parent=self, op=op, success=saved).failure(lambda err: self.error.setText(str(err))) \
                .run_in_background()

        ensure_unlocked(self, name if editing else None, run)

    def delete(self) -> None:
        item = self.current()
        if item is None:
            return
        name = item.name

        def run() -> None:
            CollectionOp(parent=self, op=lambda store: credentials.delete_credential(store, name),
                         success=lambda _r: self._deleted(name)) \
                .failure(lambda err: self.error.setText(str(err))).run_in_background()

        self.error.clear()
        if item.used_by:  # the core refuses and names the devices; no password is needed for that
            run()
            return
        answer = QMessageBox.question(self, self.tr("Delete credential"),
                                      self.tr("Delete credential '{name}' and its saved secrets?").format(name=name))
        if answer == QMessageBox.StandardButton.Yes:
            ensure_unlocked(self, name, run)

    def _deleted(self, name: str) -> None:
        self.new(self.kind)
        self.status.setText(self.tr("Deleted credential '{name}'.").format(name=name))
        self.changed.emit()
        self.reload()

    def test(self) -> None:
        item, device = self.current(), self.test_device.currentText()
        if item is None or item.kind != "snmp" or not device:
            return

        def op(store: Any) -> services.ProbeResult:
            address = inventory.find_device(store, device)["address"]
            return services.probe_device(store, address, item.name)

        def shown(result: services.ProbeResult) -> None:
            self.test_btn.setEnabled(True)
            if result.snmp_ok:
                self.test_result.setText(self.tr("{device} ({address}): SNMP answers with '{cred}' — {sys_name}, "
                                                 "{descr}").format(device=device, address=result.address,
                                                                   cred=item.name, sys_name=result.sys_name,
                                                                   descr=result.sys_descr[:80]))
            else:
                self.test_result.setText(self.tr("{device} ({address}): SNMP with '{cred}' failed: {reason}").format(
                    device=device, address=result.address, cred=item.name, reason=result.snmp_reason))

        def failed(err: Exception) -> None:
            self.test_btn.setEnabled(True)
            self.test_result.setText(str(err))

        def run() -> None:
            self.test_btn.setEnabled(False)
            self.test_result.setText(self.tr("Testing '{cred}' on {device}…").format(cred=item.name, device=device))
            QueryOp(parent=self, op=op, success=shown).failure(failed).run_in_background()

        ensure_unlocked(self, item.name, run)


def open_credentials(parent: QWidget | None, db_path: Path | str) -> CredentialsDialog:
    """Show the credentials dialog (non-modal); usable without the main window too (it then runs its own ops)."""
    return open_with_runner(lambda: CredentialsDialog(parent), db_path)
