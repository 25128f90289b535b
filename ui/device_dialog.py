"""Add or edit a device; "Test" pings it and reads its SNMP identity in the background."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nocdesk import inventory, views
from nocdesk.errors import NocdeskError
from nocdesk.inventory import KINDS, DeviceSpec, check_spec

from . import fmt, services
from .icons import icon, kind_icon
from .ops import CollectionOp, LongOp, QueryOp


class DeviceDialog(QDialog):
    """The form; `saved(device_id)` is emitted after the store accepted it."""

    saved = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, device_id: int | None = None) -> None:
        super().__init__(parent)
        self.device_id = device_id
        self.original_name: str | None = None
        self.setWindowTitle(self.tr("Edit device") if device_id else self.tr("Add device"))
        self.setMinimumWidth(560)
        self._probe: LongOp | None = None
        self._build()
        QueryOp(parent=self, op=self._load, success=self._loaded).run_in_background()

    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. sw-kec-kutaraja"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("IP address or host name"))
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind_icon(kind), fmt.kind_name(kind), kind)
        self.site = QComboBox()
        self.site.setEditable(True)
        self.group = QComboBox()
        self.group.setEditable(True)
        self.parent_box = QComboBox()
        self.parent_box.setEditable(True)
        self.snmp = QComboBox()
        self.ssh = QComboBox()
        self.profile = QLineEdit()
        self.profile.setPlaceholderText(self.tr("automatic (matched on sysObjectID)"))
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("comma separated, e.g. core, fiber"))
        self.interval = QSpinBox()
        self.interval.setRange(inventory.MIN_INTERVAL_S, inventory.MAX_INTERVAL_S)
        self.interval.setSuffix(" s")
        self.interval.setValue(60)
        self.enabled = QCheckBox(self.tr("Monitor this device"))
        self.enabled.setChecked(True)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&Address"), self.address)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("&Site"), self.site)
        form.addRow(self.tr("&Group"), self.group)
        form.addRow(self.tr("&Parent"), self.parent_box)
        form.addRow(self.tr("SNMP credential"), self.snmp)
        form.addRow(self.tr("SSH credential"), self.ssh)
        form.addRow(self.tr("Profile"), self.profile)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Check every"), self.interval)
        form.addRow("", self.enabled)
        form.addRow(self.tr("Notes"), self.notes)

        self.test_btn = QPushButton(icon("action-test"), self.tr("&Test"))
        self.test_btn.setToolTip(self.tr("Ping the address and read its SNMP name, description and profile"))
        self.test_btn.clicked.connect(self.run_test)
        self.test_result = QLabel(self.tr("Test checks the address answers before you save."))
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_box = QFrame()
        test_box.setObjectName("testBox")
        tl = QHBoxLayout(test_box)
        tl.addWidget(self.test_btn, 0, Qt.AlignmentFlag.AlignTop)
        tl.addWidget(self.test_result, 1)

        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        lay.addLayout(form)
        lay.addWidget(test_box)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    # --- loading choices and the existing device ---------------------------------------------------------

    def _load(self, store: object) -> tuple[views.Choices, DeviceSpec | None]:
        spec = None
        if self.device_id is not None:
            row = store.conn.execute("SELECT * FROM devices WHERE id = ?", (self.device_id,)).fetchone()  # type: ignore[attr-defined]
            spec = inventory.spec_of(store, dict(row)) if row else None  # type: ignore[arg-type]
        return views.choices(store), spec  # type: ignore[arg-type]

    def _loaded(self, result: tuple[views.Choices, DeviceSpec | None]) -> None:
        choices, spec = result
        for box, items in ((self.site, choices.sites), (self.group, choices.groups),
                           (self.parent_box, [d for d in choices.devices if not spec or d != spec.name])):
            current = box.currentText()
            box.clear()
            box.addItem("")
            box.addItems(items)
            box.setCurrentText(current)
        for box, items in ((self.snmp, choices.snmp_credentials), (self.ssh, choices.ssh_credentials)):
            box.clear()
            box.addItem(self.tr("(none)"), "")
            for name in items:
                box.addItem(name, name)
        if spec is not None:
            self.original_name = spec.name
            self.fill(spec)

    def fill(self, spec: DeviceSpec) -> None:
        self.name.setText(spec.name)
        self.address.setText(spec.address)
        self.kind.setCurrentIndex(max(0, self.kind.findData(spec.kind)))
        self.site.setCurrentText(spec.site)
        self.group.setCurrentText(spec.group)
        self.parent_box.setCurrentText(spec.parent)
        self.snmp.setCurrentIndex(max(0, self.snmp.findData(spec.snmp_credential)))
        self.ssh.setCurrentIndex(max(0, self.ssh.findData(spec.ssh_credential)))
        self.profile.setText(spec.profile)
        self.tags.setText(", ".join(spec.tags))
        self.interval.setValue(spec.interval_s)
        self.enabled.setChecked(spec.enabled)
        self.notes.setPlainText(spec.notes)

    def spec(self) -> DeviceSpec:
        return DeviceSpec(
            name=self.name.text().strip(), address=self.address.text().strip(), kind=self.kind.currentData(),
            site=self.site.currentText().strip(), group=self.group.currentText().strip(),
            parent=self.parent_box.currentText().strip(), snmp_credential=self.snmp.currentData() or "",
            ssh_credential=self.ssh.currentData() or "", profile=self.profile.text().strip(),
            tags=[t.strip() for t in self.tags.text().split(",") if t.strip()], notes=self.notes.toPlainText(),
            enabled=self.enabled.isChecked(), interval_s=self.interval.value())

    # --- test ----------------------------------------------------------------------------------------------

    def run_test(self) -> None:
        address = self.address.text().strip()
        if not address or not inventory.is_valid_address(address):
            self.test_result.setText(self.tr("Enter a valid IP address or host name first."))
            return
        self.test_btn.setEnabled(False)
        self.test_result.setText(self.tr("Testing {address}…").format(address=address))
        cred = self.snmp.currentData() or ""
        self._probe = LongOp(parent=self, op=lambda store, _p: services.probe_device(store, address, cred),
                             success=self._tested, failure=self._test_failed).run_in_background()

    def _test_failed(self, err: Exception) -> None:
        self.test_btn.setEnabled(True)
        self.test_result.setText(str(err))

    def _tested(self, r: services.ProbeResult) -> None:
        self.test_btn.setEnabled(True)
        ok, bad = "<span style='color:#2e9d58'>✔</span>", "<span style='color:#d64545'>✘</span>"
        lines = []
        if r.ping_ok:
            lines.append(self.tr("{mark} Ping: answered in {rtt}").format(mark=ok, rtt=fmt.ms(r.rtt_ms)))
        else:
            lines.append(self.tr("{mark} Ping: no answer ({reason})").format(mark=bad, reason=r.ping_reason or "?"))
        if r.snmp_ok:
            lines.append(self.tr("{mark} SNMP: sysName <b>{name}</b>").format(mark=ok, name=r.sys_name or fmt.DASH))
            lines.append(self.tr("sysDescr: {descr}").format(descr=(r.sys_descr or fmt.DASH)[:160]))
            lines.append(self.tr("sysObjectID: {oid}").format(oid=r.sys_object_id or fmt.DASH))
            lines.append(self.tr("Profile: {profile}").format(profile=r.profile or self.tr("generic (no vendor match)")))
            if not self.name.text().strip() and r.sys_name:
                self.name.setText(r.sys_name)
        else:
            lines.append(self.tr("{mark} SNMP: {reason}").format(mark=bad if self.snmp.currentData() else "–",
                                                                  reason=r.snmp_reason))
        self.test_result.setText("<br>".join(lines))

    # --- save ------------------------------------------------------------------------------------------------

    def save(self) -> None:
        spec = self.spec()
        problems = check_spec(spec)
        if problems:
            self._show_error("; ".join(problems))
            return
        self.buttons.setEnabled(False)
        device_id, original = self.device_id, self.original_name

        def op(store: object) -> int:
            if device_id is None:
                return inventory.add_device(store, spec)  # type: ignore[arg-type]
            changes = {k: v for k, v in asdict(spec).items()}
            inventory.update_device(store, original or spec.name, **changes)  # type: ignore[arg-type]
            return device_id

        CollectionOp(parent=self, op=op, success=self._saved).failure(self._save_failed).run_in_background()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _save_failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        if isinstance(err, NocdeskError):
            self._show_error(str(err))
        else:
            from .ops import show_error

            show_error(self, err)

    def _saved(self, device_id: int) -> None:
        self.saved.emit(device_id)
        self.accept()
