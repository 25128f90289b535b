"""The two credential forms of the Credentials dialog: SNMP (v1/v2c community, v3 user/level/protocols/passwords)
and SSH (username, password, private key file, enable secret, port). Secret fields echo as dots and are never
filled from the store; `values()` gives an empty one as None, which the core reads as "keep the stored secret".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

# The values save_snmp_credential accepts (collectors/snmp.py AUTH_PROTOCOLS / PRIV_PROTOCOLS), with friendly labels.
AUTH = (("MD5", "MD5"), ("SHA", "SHA-1"), ("SHA-224", "SHA-224"), ("SHA-256", "SHA-256"), ("SHA-384", "SHA-384"),
        ("SHA-512", "SHA-512"))
PRIV = (("DES", "DES"), ("AES", "AES-128"), ("AES192", "AES-192"), ("AES256", "AES-256"),
        ("AES192C", "AES-192 (Cisco)"), ("AES256C", "AES-256 (Cisco)"))
LEVELS = ("noAuthNoPriv", "authNoPriv", "authPriv")


def _secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    box = QComboBox()
    for data, text in items:
        box.addItem(text, data)
    return box


def _pick(box: QComboBox, data: Any) -> None:
    box.setCurrentIndex(max(0, box.findData(data)))


class SnmpForm(QWidget):
    """Version, then either the community or the SNMPv3 user, security level, protocols and passwords."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version = _combo((("1", "SNMPv1"), ("2c", "SNMPv2c"), ("3", "SNMPv3")))
        self.version.currentIndexChanged.connect(lambda _i: self._visible_fields())
        self.community = _secret()
        self.user = QLineEdit()
        self.level = _combo(tuple((lv, lv) for lv in LEVELS))
        self.level.currentIndexChanged.connect(lambda _i: self._visible_fields())
        self.auth_protocol = _combo(AUTH)
        self.auth_key = _secret()
        self.priv_protocol = _combo(PRIV)
        self.priv_key = _secret()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.2, 30.0)
        self.timeout.setSingleStep(0.5)
        self.timeout.setSuffix(self.tr(" s"))
        self.retries = QSpinBox()
        self.retries.setRange(0, 5)
        self.form = f = QFormLayout(self)
        f.setContentsMargins(0, 0, 0, 0)
        f.addRow(self.tr("Version"), self.version)
        f.addRow(self.tr("Community"), self.community)
        f.addRow(self.tr("User"), self.user)
        f.addRow(self.tr("Security level"), self.level)
        self.auth_row = self._pair(self.auth_protocol, self.auth_key)
        self.priv_row = self._pair(self.priv_protocol, self.priv_key)
        f.addRow(self.tr("Authentication"), self.auth_row)
        f.addRow(self.tr("Privacy"), self.priv_row)
        timing = QHBoxLayout()
        for label, w in ((self.tr("UDP port"), self.port), (self.tr("timeout"), self.timeout),
                         (self.tr("retries"), self.retries)):
            timing.addWidget(QLabel(label))
            timing.addWidget(w)
        timing.addStretch(1)
        f.addRow(self.tr("Connection"), timing)
        self.reset()

    def _pair(self, combo: QComboBox, secret: QLineEdit) -> QWidget:
        w = QWidget()
        h = QHBoxLayout(w)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(combo)
        h.addWidget(QLabel(self.tr("password")))
        h.addWidget(secret, 1)
        return w

    def secrets(self) -> tuple[QLineEdit, ...]:
        return (self.community, self.auth_key, self.priv_key)

    def reset(self) -> None:
        _pick(self.version, "2c")
        self.user.clear()
        _pick(self.level, "authPriv")
        _pick(self.auth_protocol, "SHA")
        _pick(self.priv_protocol, "AES")
        self.port.setValue(161)
        self.timeout.setValue(2.0)
        self.retries.setValue(1)
        self._visible_fields()

    def show_params(self, p: dict[str, Any]) -> None:
        """Fill the non-secret fields from a credential's stored parameters."""
        _pick(self.version, p.get("version", "2c"))
        self.user.setText(p.get("user", ""))
        _pick(self.level, p.get("security_level", "authPriv"))
        if p.get("auth_protocol", "none") != "none":
            _pick(self.auth_protocol, p["auth_protocol"])
        if p.get("priv_protocol", "none") != "none":
            _pick(self.priv_protocol, p["priv_protocol"])
        self.port.setValue(int(p.get("port", 161)))
        self.timeout.setValue(float(p.get("timeout_s", 2.0)))
        self.retries.setValue(int(p.get("retries", 1)))
        self._visible_fields()

    def _visible_fields(self) -> None:
        v3 = self.version.currentData() == "3"
        level = self.level.currentData()
        for w, visible in ((self.community, not v3), (self.user, v3), (self.level, v3), (self.auth_row, v3),
                           (self.priv_row, v3)):
            self.form.setRowVisible(w, visible)
        for w in (self.auth_protocol, self.auth_key):
            w.setEnabled(level != "noAuthNoPriv")
        for w in (self.priv_protocol, self.priv_key):
            w.setEnabled(level == "authPriv")

    def values(self, *, editing: bool) -> dict[str, Any]:
        """Keyword arguments of save_snmp_credential (an empty secret field gives None)."""
        ver, level = self.version.currentData(), self.level.currentData()
        v: dict[str, Any] = {"version": ver, "port": self.port.value(), "timeout_s": self.timeout.value(),
                             "retries": self.retries.value()}
        if ver != "3":
            return v | {"community": self.community.text() or None}
        auth, priv = level != "noAuthNoPriv", level == "authPriv"
        return v | {"user": self.user.text().strip(),
                    "auth_protocol": self.auth_protocol.currentData() if auth else "none",
                    "auth_key": (self.auth_key.text() or None) if auth else None,
                    "priv_protocol": self.priv_protocol.currentData() if priv else "none",
                    "priv_key": (self.priv_key.text() or None) if priv else None}


class SshForm(QWidget):
    """Username, password and/or private key file, enable secret, port; on edit, a box to forget the secrets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = QLineEdit()
        self.password = _secret()
        self.key_file = QLineEdit()
        self.key_file.setPlaceholderText(self.tr("optional: log in with a private key instead of (or besides) a "
                                                 "password"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_file, 1)
        key_row.addWidget(browse)
        self.enable_secret = _secret()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setMaximumWidth(110)
        self.forget = QCheckBox(self.tr("Forget the saved password and enable secret"))
        f = QFormLayout(self)
        f.setContentsMargins(0, 0, 0, 0)
        f.addRow(self.tr("Username"), self.username)
        f.addRow(self.tr("Password"), self.password)
        f.addRow(self.tr("Private key file"), key_row)
        f.addRow(self.tr("Enable secret"), self.enable_secret)
        f.addRow(self.tr("TCP port"), self.port)
        f.addRow("", self.forget)
        self.reset()

    def _browse_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Private key file"), str(Path.home() / ".ssh"))
        if path:
            self.key_file.setText(path)

    def secrets(self) -> tuple[QLineEdit, ...]:
        return (self.password, self.enable_secret)

    def reset(self) -> None:
        self.username.clear()
        self.key_file.clear()
        self.port.setValue(22)
        self.forget.setChecked(False)
        self.forget.setVisible(False)

    def show_params(self, p: dict[str, Any]) -> None:
        self.username.setText(p.get("username", ""))
        self.key_file.setText(p.get("key_file") or "")
        self.port.setValue(int(p.get("port", 22)))
        self.forget.setVisible(True)

    def values(self, *, editing: bool) -> dict[str, Any]:
        """Keyword arguments of save_ssh_credential: empty secret = None (keep); "" when 'forget' is ticked."""
        forget = editing and self.forget.isChecked()

        def secret(w: QLineEdit) -> str | None:
            return w.text() or ("" if forget else None)

        return {"username": self.username.text(), "port": self.port.value(),
                "key_file": self.key_file.text().strip() or None,
                "password": secret(self.password), "enable_secret": secret(self.enable_secret)}
