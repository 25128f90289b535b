"""About nocdesk: version, where its data lives, Python and Qt versions, and the licences of the libraries it
ships with (read from the installed packages' metadata, so the list matches what is really bundled)."""

from __future__ import annotations

import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import __version__
from nocdesk.paths import data_dir

from .db_dialogs import ensure_runner
from .icons import app_icon
from .ops import QueryOp

ROOT = "nocdesk"
ALWAYS = ("PySide6-Essentials", "shiboken6")  # the Qt runtime, whichever PySide6 wheel was installed
LICENCE_TEXTS = (  # recognisable sentences of licence files, for packages whose metadata names none
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Redistribution and use in source and binary forms", "BSD"),
    ("Apache License", "Apache-2.0"),
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    ("GNU GENERAL PUBLIC LICENSE", "GPL"),
)


@dataclass(frozen=True)
class Library:
    """One bundled library: its name, version and licence as its metadata states it."""

    name: str
    version: str
    licence: str


def _requirement_name(spec: str) -> str | None:
    """'PyYAML>=6.0' -> 'PyYAML'; None for extras-only requirements ('pytest; extra == "test"')."""
    name, _sep, marker = spec.partition(";")
    if "extra" in marker:
        return None
    if marker.strip():
        try:
            from packaging.markers import Marker

            if not Marker(marker.strip()).evaluate():
                return None
        except Exception:  # noqa: BLE001 - without packaging, keep the dependency: better listed than hidden
            pass
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", name)
    return match.group(1) if match else None


def licence_of(dist: metadata.Distribution) -> str:
    """License-Expression, else a short License field, else the classifiers, else the licence file's first line."""
    md = dist.metadata
    if md.get("License-Expression"):
        return str(md["License-Expression"])
    text = (md.get("License") or "").strip()
    if text and len(text) <= 80 and "\n" not in text:
        return text
    classifiers = [c.split("::")[-1].strip() for c in md.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    if text:
        return text.splitlines()[0][:80]
    for f in dist.files or []:
        if re.search(r"(LICEN[CS]E|COPYING)", f.name, re.IGNORECASE):
            try:
                body = f.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                body = ""
            known = next((name for phrase, name in LICENCE_TEXTS if phrase in body), "")
            return f"{known} ({f.name})" if known else f.name
    return "?"


def bundled_libraries(root: str = ROOT) -> list[Library]:
    """nocdesk's runtime dependencies and theirs (not test tools), sorted by name."""
    seen: dict[str, Library] = {}
    todo = [root, *ALWAYS]
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = Library(dist.metadata["Name"], dist.version, licence_of(dist))
        todo += [n for n in (_requirement_name(r) for r in dist.requires or []) if n]
    seen.pop(ROOT, None)
    return sorted(seen.values(), key=lambda lib: lib.name.lower())


class AboutDialog(QDialog):
    """Version, paths, runtime and licences; 'Copy' puts it all on the clipboard for a support request."""

    def __init__(self, parent: QWidget | None = None, db_path: Path | str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About nocdesk"))
        self.setMinimumSize(720, 560)
        self.db_path = Path(db_path) if db_path else None
        self.libraries: list[Library] = []
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(self.tr("<b style='font-size:18px'>nocdesk {version}</b><br>"
                               "Network monitoring for a small NOC: ICMP/SNMP polling, topology, alerts, uptime "
                               "reports and config backup.").format(version=__version__))
        title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(title, 1)
        self.info = QFormLayout()
        self.values = {
            "data": str(data_dir()),
            "db": str(self.db_path) if self.db_path else "—",
            "python": f"{platform.python_version()} ({platform.python_implementation()}, {sys.platform})",
            "qt": f"Qt {qVersion()}, PySide6 {pyside_version}",
        }
        labels = {"data": self.tr("Data folder"), "db": self.tr("Database"), "python": self.tr("Python"),
                  "qt": self.tr("Qt")}
        for key, text in labels.items():
            value = QLabel(self.values[key])
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.info.addRow(text, value)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("licenceTable")
        self.table.setHorizontalHeaderLabels([self.tr("Library"), self.tr("Version"), self.tr("Licence")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 90)
        own = QLabel(self.tr("nocdesk is free software under the GNU GPL version 3 or later. The libraries below "
                             "keep their own licences:"))
        own.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(self.copy_text)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addLayout(self.info)
        lay.addWidget(own)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        QueryOp(parent=self, op=lambda _store: bundled_libraries(), success=self._show).run_in_background()

    def _show(self, libraries: list[Library]) -> None:
        self.libraries = libraries
        self.table.setRowCount(len(libraries))
        for r, lib in enumerate(libraries):
            for c, text in enumerate((lib.name, lib.version, lib.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)

    def text(self) -> str:
        """Everything shown, as plain text."""
        lines = [f"nocdesk {__version__}"] + [f"{k}: {v}" for k, v in self.values.items()]
        lines += [f"{lib.name} {lib.version}: {lib.licence}" for lib in self.libraries]
        return "\n".join(lines)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def open_about(parent: QWidget | None, db_path: Path | str) -> AboutDialog:
    """Show the About dialog."""
    ensure_runner(db_path)
    dlg = AboutDialog(parent, db_path)
    dlg.open()
    return dlg
