"""The Notifications tab of the settings dialog: channels with their secrets and "Send test", timing, contacts.

Secrets are typed here but never shown again: a field stays empty, says whether a secret is saved, and an empty
field leaves the saved one alone. "Send test" sends with what the form holds now (unsaved edits and a typed
secret included) through the core's send_test, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings
from nocdesk.errors import ConfigError
from nocdesk.notify import secrets as notify_secrets
from nocdesk.notify.channel import SendResult, describe
from nocdesk.notify.dispatcher import send_test
from nocdesk.notify.settings import parse_contacts

from .ops import QueryOp
from .unlock import ensure_unlocked

Bind = Callable[[str, QWidget], QWidget]
CONTACT_KEYS = ("name", "email", "telegram_chat_id", "role", "quiet_hours", "timezone")
NAME, EMAIL, CHAT, ROLE, QUIET, ZONE = range(6)


def _spin(low: int, high: int, suffix: str = "", special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    if special:
        box.setSpecialValueText(special)
    return box


def _dim(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("dimText")
    return label


class SecretField(QWidget):
    """A password field that is never pre-filled, with the saved/not set state beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.state = QLabel()
        self.state.setObjectName("dimText")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.state)
        self.show_state("not set")

    def show_state(self, state: str) -> None:
        texts = {"saved": self.tr("saved"), "not set": self.tr("not set"), "locked": self.tr("locked")}
        self.state.setText(texts.get(state, state))
        self.edit.setPlaceholderText(self.tr("saved — leave empty to keep it") if state == "saved" else
                                     self.tr("saved passwords are locked") if state == "locked" else "")

    def typed(self) -> str:
        return self.edit.text()


class TestRow(QWidget):
    """A "Send test" button and the outcome in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton(self.tr("Send test"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.result, 1)

    def busy(self) -> None:
        self.button.setEnabled(False)
        self.result.setObjectName("dimText")
        self.result.setText(self.tr("Sending…"))
        self.result.setStyleSheet("")

    def show_results(self, channel: str, results: list[tuple[str, SendResult]]) -> None:
        lines = []
        for recipient, result in results:
            where = recipient or self.tr("this workstation")
            if result.ok and channel == "desktop":
                lines.append(self.tr("✓ queued for the desktop notification"))
            elif result.ok:
                lines.append(self.tr("✓ {to}: delivered").format(to=where))
            else:
                lines.append(self.tr("✗ {to}: {what} — {error}").format(to=where, what=describe(result),
                                                                         error=result.error))
        self._show("\n".join(lines), ok=all(r.ok for _to, r in results))

    def show_error(self, err: Exception) -> None:
        self._show(self.tr("✗ {error}").format(error=err), ok=False)

    def _show(self, text: str, *, ok: bool) -> None:
        self.button.setEnabled(True)
        self.result.setObjectName("okText" if ok else "errorText")
        self.result.setStyleSheet("" if ok else "color: #c0392b;")
        self.result.setText(text)


class ContactsEditor(QWidget):
    """notify.contacts as a table: who, where (e-mail, Telegram chat), role, quiet hours, time zone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("E-mail"), self.tr("Telegram chat ID"),
                                              self.tr("Role"), self.tr("Quiet hours"), self.tr("Time zone")])
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeaderItem(QUIET).setToolTip(self.tr("Nothing is sent in these hours, e.g. 22:00-06:00; "
                                                                  "what happened is sent when they end"))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(130)
        add = QPushButton(self.tr("Add contact"))
        add.clicked.connect(lambda: self.add_row({}))
        self.remove_btn = QPushButton(self.tr("Remove"))
        self.remove_btn.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

    def add_row(self, contact: dict[str, Any]) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, key in ((NAME, "name"), (EMAIL, "email"), (CHAT, "telegram_chat_id"), (QUIET, "quiet_hours")):
            self.table.setItem(row, col, QTableWidgetItem(str(contact.get(key) or "")))
        self.table.item(row, NAME).setData(Qt.ItemDataRole.UserRole, dict(contact))  # keys the table does not show
        role = QComboBox()
        role.addItem(self.tr("Normal"), "primary")
        role.addItem(self.tr("Escalation"), "escalation")
        role.setCurrentIndex(max(0, role.findData(contact.get("role") or "primary")))
        self.table.setCellWidget(row, ROLE, role)
        zone = QComboBox()
        zone.setEditable(True)
        zone.addItem(self.tr("(as the app)"), "")
        for tz, abbr in appsettings.TIMEZONES.items():
            zone.addItem(f"{abbr} ({tz})", tz)
        wanted = str(contact.get("timezone") or "")
        index = zone.findData(wanted)
        if index >= 0:
            zone.setCurrentIndex(index)
        else:
            zone.setEditText(wanted)
        self.table.setCellWidget(row, ZONE, zone)
        return row

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def set_contacts(self, contacts: Any) -> None:
        self.table.setRowCount(0)
        for contact in contacts if isinstance(contacts, list) else []:
            if isinstance(contact, dict):
                self.add_row(contact)

    def _zone(self, row: int) -> str:
        box: QComboBox = self.table.cellWidget(row, ZONE)  # type: ignore[assignment]
        data = box.currentData()
        return str(data) if data is not None and box.currentText() == box.itemText(box.currentIndex()) \
            else box.currentText().strip()

    def contacts(self) -> list[dict[str, Any]]:
        out = []
        for row in range(self.table.rowCount()):
            contact = dict(self.table.item(row, NAME).data(Qt.ItemDataRole.UserRole) or {})
            for col, key in ((NAME, "name"), (EMAIL, "email"), (CHAT, "telegram_chat_id"), (QUIET, "quiet_hours")):
                contact[key] = self.table.item(row, col).text().strip()
            contact["role"] = self.table.cellWidget(row, ROLE).currentData()  # type: ignore[union-attr]
            contact["timezone"] = self._zone(row)
            if not any(contact.get(k) for k in ("name", "email", "telegram_chat_id", "quiet_hours")):
                continue  # a row added and left empty
            out.append({k: v for k, v in contact.items() if v not in ("", None)})
        return out

    def problems(self, timezone: str) -> list[str]:
        contacts = self.contacts()
        missing = [c.get("name") or "?" for c in contacts if not (c.get("email") or c.get("telegram_chat_id"))]
        if missing:
            return [self.tr("Contact {name}: give an e-mail address or a Telegram chat ID").format(name=missing[0])]
        try:
            parse_contacts(contacts, timezone=timezone or "Asia/Jakarta")
        except ConfigError as err:
            return [str(err)]
        return []


class NotificationsPanel(QWidget):
    """The tab's widgets; standard fields are bound through the dialog's `bind`, the rest read by values()."""

    def __init__(self, bind: Bind, form_values: Callable[[], dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form_values = form_values
        self.names: dict[str, str] = {"email": "", "telegram": ""}  # the configured *_credential names
        self.secret = {"email": SecretField(), "telegram": SecretField()}
        self.tests = {name: TestRow() for name in ("desktop", "email", "telegram", "webhook")}
        for name, row in self.tests.items():
            row.button.clicked.connect(lambda _c=False, name=name: self.send_test(name))
        self.contacts = ContactsEditor()
        grid = QGridLayout(self)
        grid.addWidget(self._desktop(bind), 0, 0)
        grid.addWidget(self._email(bind), 1, 0, 2, 1)
        grid.addWidget(self._telegram(bind), 0, 1)
        grid.addWidget(self._webhook(bind), 1, 1)
        grid.addWidget(self._timing(bind), 2, 1)
        people = QGroupBox(self.tr("Contacts"))
        lay = QVBoxLayout(people)
        lay.addWidget(_dim(self.tr("Besides the addresses above, alerts go to these people. Escalation contacts "
                                   "hear about a critical alert nobody acknowledged in time.")))
        lay.addWidget(self.contacts)
        grid.addWidget(people, 3, 0, 1, 2)
        self.log_btn = QPushButton(self.tr("Delivery log…"))
        self.log_btn.clicked.connect(self.open_log)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.log_btn)
        grid.addLayout(row, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def _desktop(self, bind: Bind) -> QGroupBox:
        box = QGroupBox(self.tr("On this workstation"))
        f = QFormLayout(box)
        f.addRow(bind("notify.desktop", QCheckBox(self.tr("Show a desktop notification"))))
        f.addRow(bind("notify.sound", QCheckBox(self.tr("Play a sound on critical alerts"))))
        sev = QComboBox()
        sev.addItem(self.tr("Critical only"), "critical")
        sev.addItem(self.tr("Warning and critical"), "warning")
        f.addRow(self.tr("Notify for"), bind("notify.min_severity", sev))
        f.addRow(self.tests["desktop"])
        return box

    def _email(self, bind: Bind) -> QGroupBox:
        box = QGroupBox(self.tr("E-mail"))
        f = QFormLayout(box)
        f.addRow(bind("notify.email.enabled", QCheckBox(self.tr("Send alerts by e-mail"))))
        f.addRow(self.tr("SMTP server"), bind("notify.email.smtp_host", QLineEdit()))
        f.addRow(self.tr("Port"), bind("notify.email.smtp_port", _spin(1, 65535)))
        security = QComboBox()
        for key, text in (("starttls", "STARTTLS"), ("tls", "TLS"), ("none", self.tr("none"))):
            security.addItem(text, key)
        f.addRow(self.tr("Security"), bind("notify.email.security", security))
        f.addRow(self.tr("User"), bind("notify.email.user", QLineEdit()))
        f.addRow(self.tr("Password"), self.secret["email"])
        f.addRow(self.tr("From"), bind("notify.email.from", QLineEdit()))
        f.addRow(self.tr("To (comma separated)"), bind("notify.email.to", QLineEdit()))
        f.addRow(_dim(self.tr("The password is kept in the credential store of this computer, never in the "
                              "database.")))
        f.addRow(self.tests["email"])
        return box

    def _telegram(self, bind: Bind) -> QGroupBox:
        box = QGroupBox(self.tr("Telegram"))
        f = QFormLayout(box)
        f.addRow(bind("notify.telegram.enabled", QCheckBox(self.tr("Send alerts to a Telegram chat"))))
        f.addRow(self.tr("Bot token"), self.secret["telegram"])
        f.addRow(self.tr("Chat ID"), bind("notify.telegram.chat_id", QLineEdit()))
        api = QLineEdit()
        api.setPlaceholderText("https://api.telegram.org")
        f.addRow(self.tr("Bot API server"), bind("notify.telegram.api_base", api))
        f.addRow(self.tests["telegram"])
        return box

    def _webhook(self, bind: Bind) -> QGroupBox:
        box = QGroupBox(self.tr("Webhook"))
        f = QFormLayout(box)
        f.addRow(bind("notify.webhook.enabled", QCheckBox(self.tr("POST alerts to a webhook"))))
        f.addRow(self.tr("URL"), bind("notify.webhook.url", QLineEdit()))
        f.addRow(self.tests["webhook"])
        return box

    def _timing(self, bind: Bind) -> QGroupBox:
        box = QGroupBox(self.tr("Reminders and escalation"))
        f = QFormLayout(box)
        never = self.tr("Never")
        f.addRow(self.tr("Remind about an unacknowledged critical alert every"),
                 bind("notify.renotify_minutes", _spin(0, 10080, self.tr(" min"), never)))
        f.addRow(self.tr("Tell the escalation contacts after"),
                 bind("notify.escalate_after_minutes", _spin(0, 10080, self.tr(" min"), never)))
        return box

    # --- values --------------------------------------------------------------------------------------------

    def set_values(self, values: dict[str, Any]) -> None:
        for channel, key in notify_secrets.SECRET_KEYS.items():
            self.names[channel] = str(values.get(key) or "")
            self.secret[channel].edit.clear()
        self.contacts.set_contacts(values.get("notify.contacts") or [])
        self.refresh_secret_state()

    def refresh_secret_state(self) -> None:
        names = dict(self.names)

        def read(store: Any) -> dict[str, str]:
            return {ch: notify_secrets.secret_state(store, name) for ch, name in names.items()}

        QueryOp(parent=self, op=read, success=lambda states: [self.secret[ch].show_state(st)
                                                              for ch, st in states.items()]).run_in_background()

    def typed_secrets(self) -> dict[str, str]:
        return {ch: field.typed() for ch, field in self.secret.items() if field.typed()}

    def values(self) -> dict[str, Any]:
        """The settings this panel owns: the contacts and the secret names (set when a secret is typed)."""
        out: dict[str, Any] = {"notify.contacts": self.contacts.contacts()}
        for channel, key in notify_secrets.SECRET_KEYS.items():
            typed = self.secret[channel].typed()
            out[key] = notify_secrets.secret_name(channel, self.names[channel]) if typed else self.names[channel]
        return out

    def problems(self, values: dict[str, Any]) -> list[str]:
        return self.contacts.problems(str(values.get("ui.timezone") or "Asia/Jakarta"))

    def secrets_saved(self, values: dict[str, Any]) -> None:
        """After a save: remember the names, clear the typed secrets, show the new state."""
        for channel, key in notify_secrets.SECRET_KEYS.items():
            self.names[channel] = str(values.get(key) or "")
            self.secret[channel].edit.clear()
        self.refresh_secret_state()

    # --- actions -------------------------------------------------------------------------------------------

    def send_test(self, channel: str) -> None:
        """Send the channel's test message with the form as it is now (in the background)."""
        overrides = self._form_values()
        typed = {}
        if channel in self.secret and self.secret[channel].typed():
            typed = {overrides[notify_secrets.SECRET_KEYS[channel]]: self.secret[channel].typed()}
        row = self.tests[channel]

        def run() -> None:
            row.busy()
            QueryOp(parent=self, op=lambda store: send_test(store, channel, overrides=overrides, secrets=typed),
                    success=lambda results: row.show_results(channel, results)) \
                .failure(row.show_error).run_in_background()

        needs_store = channel in self.secret and not typed and overrides.get(notify_secrets.SECRET_KEYS[channel])
        if needs_store:
            ensure_unlocked(self, None, run)
        else:
            run()

    def open_log(self) -> None:
        from .delivery_log import open_delivery_log

        self.log_dialog = open_delivery_log(self.window())
