"""Dialogs of the map's context menu: add or edit a link by hand, and pin a device's parent."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from nocdesk.link_view import LinkFormData

MEDIA = ("fiber", "copper", "wireless", "provider")


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class PinParentDialog(QDialog):
    """Choose the device a device hangs off, or 'automatic' (derived from the topology)."""

    def __init__(self, device_id: int, form: LinkFormData, current_parent: int | None, pinned: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        names = dict(form.devices)
        self.setWindowTitle(self.tr("Parent of {name}").format(name=names.get(device_id, device_id)))
        self.choice = QComboBox()
        self.choice.addItem(self.tr("Automatic (from the topology)"), None)
        for dev_id, name in form.devices:
            if dev_id != device_id:
                self.choice.addItem(name, dev_id)
        if pinned and current_parent is not None:
            self.choice.setCurrentIndex(max(0, self.choice.findData(current_parent)))
        hint = QLabel(self.tr("Alerts for {name} are held back while its parent is down. "
                              "A pinned parent is kept when the topology is discovered again.").format(
            name=names.get(device_id, device_id)))
        hint.setWordWrap(True)
        hint.setObjectName("dimText")
        form_layout = QFormLayout(self)
        form_layout.addRow(hint)
        form_layout.addRow(self.tr("Parent"), self.choice)
        form_layout.addRow(_buttons(self))
        self.setMinimumWidth(420)

    def parent_id(self) -> int | None:
        """The chosen parent; None means automatic."""
        return self.choice.currentData()


class LinkDialog(QDialog):
    """A manual link (new, from `a_device`) or any link's medium, capacity and name (edit)."""

    def __init__(self, form: LinkFormData, *, a_device: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        link = form.link
        self.setWindowTitle(self.tr("Edit link") if link else self.tr("Add manual link"))
        self.a_device, self.b_device = QComboBox(), QComboBox()
        for combo in (self.a_device, self.b_device):
            combo.addItem(self.tr("— choose a device —"), None)
            for dev_id, name in form.devices:
                combo.addItem(name, dev_id)
        self.a_port, self.b_port = QComboBox(), QComboBox()
        self.a_device.currentIndexChanged.connect(lambda _i: self._fill_ports(self.a_device, self.a_port))
        self.b_device.currentIndexChanged.connect(lambda _i: self._fill_ports(self.b_device, self.b_port))
        self.medium = QComboBox()
        for key, text in zip(MEDIA, (self.tr("Fiber"), self.tr("Copper"), self.tr("Wireless"),
                                     self.tr("Provider (leased line)")), strict=True):
            self.medium.addItem(text, key)
        self.capacity = QDoubleSpinBox()
        self.capacity.setRange(0, 400_000)
        self.capacity.setDecimals(0)
        self.capacity.setSuffix(" Mbit/s")
        self.capacity.setSpecialValueText(self.tr("from the ports"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. FO Kec. Kutaraja (Telkom)"))
        if link:
            self._select(self.a_device, link["a_device_id"])
            self._select(self.b_device, link["b_device_id"])
            self._select(self.a_port, link["a_interface_id"])
            self._select(self.b_port, link["b_interface_id"])
            self.a_device.setEnabled(False)
            self.b_device.setEnabled(False)
            manual = link["source"] == "manual"
            self.a_port.setEnabled(manual)
            self.b_port.setEnabled(manual)
            self._select(self.medium, link["medium"])
            self.capacity.setValue((link["capacity_bps"] or 0) / 1e6)
            self.name.setText(link["name"])
        else:
            self._select(self.a_device, a_device)
            self.a_device.setEnabled(a_device is None)
        layout = QFormLayout(self)
        layout.addRow(self.tr("End A"), self.a_device)
        layout.addRow(self.tr("Port A"), self.a_port)
        layout.addRow(self.tr("End B"), self.b_device)
        layout.addRow(self.tr("Port B"), self.b_port)
        layout.addRow(self.tr("Medium"), self.medium)
        layout.addRow(self.tr("Capacity"), self.capacity)
        layout.addRow(self.tr("Name"), self.name)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.hide()
        layout.addRow(self.error)
        layout.addRow(_buttons(self))
        self.setMinimumWidth(460)

    def _fill_ports(self, device: QComboBox, port: QComboBox) -> None:
        port.clear()
        port.addItem(self.tr("— not known —"), None)
        for if_id, label in self.form.interfaces.get(device.currentData(), []):
            port.addItem(label, if_id)

    @staticmethod
    def _select(combo: QComboBox, data: Any) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def accept(self) -> None:
        a, b = self.a_device.currentData(), self.b_device.currentData()
        if a is None or b is None or a == b:
            self.error.setText(self.tr("Choose two different devices for the two ends."))
            self.error.show()
            return
        super().accept()

    def values(self) -> dict[str, Any]:
        """Keyword arguments for nocdesk.topology.add_manual_link / update_link."""
        capacity = int(self.capacity.value() * 1e6) or None
        return {"a_device": self.a_device.currentData(), "b_device": self.b_device.currentData(),
                "a_interface": self.a_port.currentData(), "b_interface": self.b_port.currentData(),
                "medium": self.medium.currentData(), "capacity_bps": capacity, "name": self.name.text().strip()}
