"""Settings kept in the database: polling defaults, retention, notification channels, config backup, display, agency."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, views
from nocdesk.notify.secrets import save_channel_secrets
from nocdesk.notify.settings import EXTRA_DEFAULTS

from .notify_settings import NotificationsPanel
from .ops import CollectionOp, QueryOp
from .screen_fit import resize_within_screen
from .unlock import ensure_unlocked


def _spin(low: int, high: int, suffix: str = "", special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    if special:
        box.setSpecialValueText(special)  # shown for the lowest value
    return box


def _default(key: str) -> Any:
    return appsettings.DEFAULTS.get(key, EXTRA_DEFAULTS.get(key))


class SettingsDialog(QDialog):
    """Tabs of fields bound to settings keys; `saved(values)` after the store accepted them."""

    saved = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(620)
        resize_within_screen(self, 940, 720)
        self.fields: dict[str, QWidget] = {}
        self._build()
        QueryOp(parent=self, op=lambda s: (appsettings.load(s), views.choices(s)), success=self._loaded) \
            .run_in_background()

    def _bind(self, key: str, widget: QWidget) -> QWidget:
        self.fields[key] = widget
        return widget

    def _build(self) -> None:
        tabs = QTabWidget()
        tabs.setUsesScrollButtons(False)  # Indonesian tab names are long: show them all, the dialog widens
        tabs.addTab(self._polling(), self.tr("Polling"))
        tabs.addTab(self._retention(), self.tr("Retention"))
        tabs.addTab(self._notifications(), self.tr("Notifications"))
        tabs.addTab(self._config_backup(), self.tr("Config backup"))
        tabs.addTab(self._display(), self.tr("Display"))
        tabs.addTab(self._agency(), self.tr("Agency"))
        tabs.addTab(self._reports(), self.tr("Reports"))
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def _polling(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Check every (new devices)"), self._bind("polling.interval_s", _spin(10, 86400, " s")))
        form.addRow(self.tr("Ping timeout"), self._bind("polling.timeout_ms", _spin(100, 10000, " ms")))
        form.addRow(self.tr("Pings per check"), self._bind("polling.ping_count", _spin(1, 10)))
        form.addRow(self.tr("Down after failed checks"), self._bind("polling.down_after_failures", _spin(1, 10)))
        self.default_snmp = QComboBox()
        form.addRow(self.tr("Default SNMP credential"), self._bind("polling.snmp_credential", self.default_snmp))
        return page

    def _retention(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        days = self.tr(" days")
        form.addRow(self.tr("Raw samples"), self._bind("retention.raw_days", _spin(1, 365, days)))
        form.addRow(self.tr("5-minute averages"), self._bind("retention.rollup_5m_days", _spin(1, 3650, days)))
        form.addRow(self.tr("Hourly averages"), self._bind("retention.rollup_1h_days", _spin(1, 36500, days)))
        daily = QLabel(self.tr("Daily averages are kept for good."))
        daily.setObjectName("dimText")
        form.addRow("", daily)
        form.addRow(self.tr("Events"), self._bind("retention.events_days", _spin(1, 36500, days)))
        return page

    def _notifications(self) -> QWidget:
        self.notify = NotificationsPanel(self._bind, self.values)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.notify)
        return scroll

    def _config_backup(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        interval = _spin(0, 24 * 14, self.tr(" h"), self.tr("Never (on demand only)"))
        form.addRow(self.tr("Back up every"), self._bind("config_backup_interval_h", interval))
        every = QLabel(self.tr("24 h backs up every switch once a day; the polling engine starts the run."))
        every.setObjectName("dimText")
        every.setWordWrap(True)
        form.addRow("", every)
        at = QLineEdit()
        at.setPlaceholderText(self.tr("e.g. 02:30; empty = by the interval above"))
        at.setMaximumWidth(260)
        form.addRow(self.tr("Daily at (local time)"), self._bind("config_backup_at", at))
        keep = _spin(0, 100000, self.tr(" versions"), self.tr("All versions"))
        form.addRow(self.tr("Keep per device"), self._bind("config_keep_versions", keep))
        form.addRow(self.tr("Devices at the same time"), self._bind("config_backup_parallel", _spin(1, 50)))
        folder = QLineEdit()
        folder.setPlaceholderText(self.tr("(no git export)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_git)
        row = QHBoxLayout()
        row.addWidget(self._bind("config_git_path", folder), 1)
        row.addWidget(browse)
        form.addRow(self.tr("Git export folder"), row)
        form.addRow(self._bind("config_git_redact",
                               QCheckBox(self.tr("Hide passwords and secrets in the git export"))))
        note = QLabel(self.tr("One file per device and one commit per backup run that changed something. "
                              "Without hiding, anyone who can read the folder can read the devices' passwords."))
        note.setObjectName("dimText")
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _browse_git(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Git export folder"))
        if name:
            self.fields["config_git_path"].setText(name)  # type: ignore[attr-defined]

    def _display(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        lang = QComboBox()
        lang.addItem(self.tr("System default"), "")
        lang.addItem("English", "en")
        lang.addItem("Bahasa Indonesia", "id")
        form.addRow(self.tr("Language"), self._bind("ui.language", lang))
        note = QLabel(self.tr("A new language applies after restarting nocdesk."))
        note.setObjectName("dimText")
        form.addRow("", note)
        zone = QComboBox()
        names = {"WIB": self.tr("WIB — Western Indonesia"), "WITA": self.tr("WITA — Central Indonesia"),
                 "WIT": self.tr("WIT — Eastern Indonesia")}
        for tz, abbr in appsettings.TIMEZONES.items():
            zone.addItem(f"{names[abbr]} ({tz})", tz)
        form.addRow(self.tr("Time zone"), self._bind("ui.timezone", zone))
        form.addRow(self._bind("ui.close_to_tray",
                               QCheckBox(self.tr("Closing the window keeps monitoring in the tray"))))
        form.addRow(self.tr("Map: link amber from"), self._bind("map.util_warn_pct", _spin(1, 100, " %")))
        form.addRow(self.tr("Map: link red from"), self._bind("map.util_crit_pct", _spin(1, 100, " %")))
        return page

    def _agency(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Parent body"), self._bind("agency.parent", QLineEdit()))
        form.addRow(self.tr("Agency name"), self._bind("agency.name", QLineEdit()))
        form.addRow(self.tr("Unit"), self._bind("agency.unit", QLineEdit()))
        form.addRow(self.tr("Address"), self._bind("agency.address", QLineEdit()))
        form.addRow(self.tr("City (for report signatures)"), self._bind("report.city", QLineEdit()))
        logo = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_logo)
        row = QHBoxLayout()
        row.addWidget(self._bind("agency.logo_path", logo), 1)
        row.addWidget(browse)
        form.addRow(self.tr("Logo for reports"), row)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedHeight(72)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        logo.textChanged.connect(self._show_logo)
        form.addRow("", self.logo_preview)
        return page

    def _browse_logo(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, self.tr("Logo"), "", self.tr("Images (*.png *.jpg *.svg)"))
        if name:
            self.fields["agency.logo_path"].setText(name)  # type: ignore[attr-defined]

    def _show_logo(self, path: str) -> None:
        pix = QPixmap(path) if path else QPixmap()
        self.logo_preview.setPixmap(pix.scaledToHeight(64, Qt.TransformationMode.SmoothTransformation)
                                    if not pix.isNull() else QPixmap())

    # --- values ------------------------------------------------------------------------------------------

    def _loaded(self, result: tuple[dict[str, Any], views.Choices]) -> None:
        values, choices = result
        self.default_snmp.clear()
        self.default_snmp.addItem(self.tr("(none)"), "")
        for name in choices.snmp_credentials:
            self.default_snmp.addItem(name, name)
        self.set_values(values)
        self.notify.set_values(values)

    def _reports(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        general = QGroupBox(self.tr("Monthly report"))
        f = QFormLayout(general)
        lang = QComboBox()
        lang.addItem("Bahasa Indonesia", "id")
        lang.addItem("English", "en")
        f.addRow(self.tr("Language"), self._bind("report.lang", lang))
        f.addRow(self._bind("report.auto_enabled",
                            QCheckBox(self.tr("Write last month's report on the first day of each month"))))
        out = QLineEdit()
        out.setPlaceholderText(self.tr("(the reports folder in nocdesk's data folder)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_report_folder)
        row = QHBoxLayout()
        row.addWidget(self._bind("report.out_dir", out), 1)
        row.addWidget(browse)
        f.addRow(self.tr("Save to"), row)
        f.addRow(self.tr("E-mail to (comma separated)"), self._bind("report.email_to", QLineEdit()))
        hint = QLabel(self.tr("The files are sent through the SMTP server set on the Notifications tab."))
        hint.setWordWrap(True)
        hint.setObjectName("dimText")
        f.addRow("", hint)
        signers = QGroupBox(self.tr("Signatures"))
        f = QFormLayout(signers)
        for role, title in (("head", self.tr("Acknowledged by (head of the agency)")),
                            ("preparer", self.tr("Prepared by"))):
            heading = QLabel(title)
            heading.setObjectName("sectionTitle")
            f.addRow(heading)
            f.addRow(self.tr("Name"), self._bind(f"report.signer_{role}_name", QLineEdit()))
            f.addRow(self.tr("Position"), self._bind(f"report.signer_{role}_position", QLineEdit()))
            f.addRow(self.tr("Rank"), self._bind(f"report.signer_{role}_rank", QLineEdit()))
            f.addRow(self.tr("NIP"), self._bind(f"report.signer_{role}_nip", QLineEdit()))
        lay.addWidget(general)
        lay.addWidget(signers)
        lay.addStretch(1)
        return page

    def _browse_report_folder(self) -> None:
        field = self.fields["report.out_dir"]
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save reports to"), field.text())  # type: ignore[attr-defined]
        if folder:
            field.setText(folder)  # type: ignore[attr-defined]

    def set_values(self, values: dict[str, Any]) -> None:
        for key, w in self.fields.items():
            value = values.get(key, _default(key))
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.fields.items():
            if isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QSpinBox):
                out[key] = w.value()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QLineEdit):
                out[key] = w.text().strip()
        return out | self.notify.values()

    def save(self) -> None:
        values = self.values()
        problems = appsettings.check(values) + self.notify.problems(values)
        if problems:
            self.error.setText("; ".join(problems))
            return
        typed = self.notify.typed_secrets()
        names = {ch: str(values.get(key) or "") for ch, key in (("email", "notify.email.password_credential"),
                                                                 ("telegram", "notify.telegram.token_credential"))}

        def write(store: Any) -> None:
            values.update(save_channel_secrets(store, typed, names))  # secrets first: the settings then name them
            appsettings.save(store, values)

        def done(_r: Any) -> None:
            self.notify.secrets_saved(values)
            self.saved.emit(values)
            self.accept()

        def run() -> None:
            CollectionOp(parent=self, op=write, success=done) \
                .failure(lambda err: self.error.setText(str(err))).run_in_background()

        if typed:
            ensure_unlocked(self, None, run)
        else:
            run()
