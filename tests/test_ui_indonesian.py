"""The whole UI in Indonesian: the real main window over a seeded store, every page, dialog, menu, toolbar,
tray menu and message box, and no English left on any of them.

A text is English when it is (after dropping accelerators and HTML) the source of a catalogue entry whose
translation differs, when it fits the pattern of such a source with placeholders ("{n} devices"), or when
every word in it is an English word of the UI vocabulary (the source texts' words minus those the
Indonesian translations use too) and not an allowed proper noun or unit. Dialogs and pages are found by
scanning ui/*.py, so a new dialog is checked without touching this test.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from uihelpers import open_app, populate, ui_data_dir, when_modal  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
TS_FILES = sorted((ROOT / "resources" / "translations").glob("*_id.ts"))
PO_FILE = ROOT / "resources" / "locale" / "id" / "LC_MESSAGES" / "nocdesk.po"
ALLOWED = {  # proper nouns, protocols, units and loanwords Indonesian IT uses as they are
    "nocdesk", "snmp", "snmpv", "icmp", "rtt", "dbm", "cpu", "ip", "csv", "pdf", "png", "svg", "xlsx", "telegram",
    "smtp", "tls", "starttls", "ssh", "lldp", "cdp", "url", "id", "ms", "wib", "wita", "wit", "ok", "info", "debug",
    "jitter", "rx", "tx", "router", "switch", "firewall", "server", "ups", "printer", "logo", "port", "sysname",
    "sysdescr", "sysobjectid", "ping", "webhook", "unit", "kecamatan", "opd", "git", "db", "mb", "gb", "kb",
    "bit", "bps", "kbit", "mbit", "gbit", "qt", "python", "pyside", "sqlite", "mit", "bsd", "apache", "lgpl", "gpl",
    "cctv", "dns", "tcp", "udp", "http", "https", "json", "yaml", "mib", "oid", "ssid", "vlan", "lan", "wan", "noc",
    "status", "admin", "online", "offline", "backup", "email", "hostname", "host", "diff", "uplink", "token",
    "community", "v2c", "v3", "md5", "sha", "aes", "des", "pid", "cidr", "max", "min", "ac", "dc", "led",
}


def strip_text(text: str) -> str:
    """Text as a reader sees it: no accelerator '&', no HTML tags or entities, single spaces."""
    if "<" in text and ">" in text:
        text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split()).strip(" .:…")


@dataclass
class Catalogue:
    """What the English sources are and what they became in Indonesian."""

    english: dict[str, str] = field(default_factory=dict)  # stripped source -> translation, where they differ
    patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)  # words that only the English side uses
    untranslated: list[str] = field(default_factory=list)
    same: set[str] = field(default_factory=set)

    def add(self, source: str, translation: str) -> None:
        src, dst = strip_text(source), strip_text(translation)
        if not translation:
            self.untranslated.append(source)
        if not src or src == dst:
            self.same.add(src)  # kept as it is on purpose (a unit, a proper noun) in at least one context
            self.english.pop(src, None)
            return
        if src not in self.same:
            self.english[src] = translation  # '' = not translated at all
        if re.search(r"\{[^}]*\}|%\(?\w*\)?[sdrf]", src):
            literal = re.sub(r"\{[^}]*\}|%\(\w+\)[sdrf]|%[sdrf]", "", src)
            if len(re.findall(r"[A-Za-z]", literal)) >= 4:
                parts = re.split(r"\{[^}]*\}|%\(\w+\)[sdrf]|%[sdrf]", src)
                regex = "(.+?)".join(re.escape(p) for p in parts)
                self.patterns.append((re.compile(f"^{regex}$", re.S), source))

    def finish(self, translations: list[str]) -> None:
        english_words = {w.lower() for s in self.english for w in re.findall(r"[A-Za-z]{2,}", s)}
        indonesian_words = {w.lower() for t in translations for w in re.findall(r"[A-Za-z]{2,}", strip_text(t))}
        self.vocabulary = english_words - indonesian_words - ALLOWED

    def why_english(self, text: str) -> str | None:
        """Why `text` is still English (the source it matches), or None when it is not."""
        shown = strip_text(text)
        if not re.search(r"[A-Za-z]{2,}", shown):
            return None
        if shown in self.english:
            return f"untranslated source {shown!r}"
        for pattern, source in self.patterns:
            match = pattern.match(shown)
            # a placeholder holds a name or a number, not sentences: "{device} service {name}" is no pattern
            # for a paragraph that happens to contain " service "
            if match and all(len(g) <= 60 and ". " not in g for g in match.groups()):
                return f"formatted from untranslated source {source!r}"
        words = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", shown)]
        if words and all(w in self.vocabulary or w in ALLOWED for w in words) \
                and any(w in self.vocabulary and len(w) >= 3 for w in words):
            return "only English words"
        return None


def load_catalogue() -> Catalogue:
    """The Qt .ts files (ours and the qtbase stand-in) and the gettext .po, as one catalogue."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import compile_translations

    cat = Catalogue()
    translations = []
    for ts in TS_FILES:
        for message in ET.parse(ts).getroot().iter("message"):
            node = message.find("translation")
            finished = node is not None and node.get("type") not in ("unfinished", "vanished", "obsolete")
            text = (node.text or "") if finished and node is not None else ""
            cat.add(message.findtext("source") or "", text)
            translations.append(text)
    for key, value in compile_translations.parse_po(PO_FILE.read_text(encoding="utf-8")).items():
        if key:
            source, translation = key.decode().split("\0")[0], value.decode().split("\0")[0]
            cat.add(source.split("\x04")[-1], translation)
            translations.append(translation)
    cat.finish(translations)
    return cat


def _count(method) -> int:  # noqa: ANN001 - rowCount/columnCount: public with or without a parent, or private
    from PySide6.QtCore import QModelIndex

    for args in ((), (QModelIndex(),)):
        try:
            return method(*args)
        except TypeError:
            continue
    return 1


def widget_texts(root) -> list[tuple[str, str]]:  # noqa: ANN001 - a QWidget
    """(where, text) of every text `root` and its children show: titles, labels, buttons, actions, menus,
    tabs, headers, group boxes, tooltips, placeholders, combo items, wizard pages, spin box suffixes."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QPlainTextEdit,
        QTabBar,
        QTabWidget,
        QTextEdit,
        QTreeView,
        QWidget,
        QWizard,
    )

    found: list[tuple[str, str]] = []

    def add(where: str, text: str | None) -> None:
        if text and text.strip():
            found.append((where, text))

    def name(w) -> str:  # noqa: ANN001
        return f"{type(w).__name__}{'#' + w.objectName() if w.objectName() else ''}"

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        where = name(w)
        if w.isWindow():
            add(f"{where}.windowTitle", w.windowTitle())
        add(f"{where}.toolTip", w.toolTip())
        add(f"{where}.statusTip", w.statusTip())
        add(f"{where}.whatsThis", w.whatsThis())
        if isinstance(w, QLabel):
            add(f"{where}.text", w.text())
        elif isinstance(w, QAbstractButton):
            add(f"{where}.text", w.text())
        elif isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
            add(f"{where}.placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            add(f"{where}.placeholder", w.placeholderText())
            for i in range(w.count()):
                add(f"{where}.item", w.itemText(i))
        elif isinstance(w, QGroupBox):
            add(f"{where}.title", w.title())
        elif isinstance(w, QAbstractSpinBox):
            for attr in ("prefix", "suffix", "specialValueText"):
                if hasattr(w, attr):
                    add(f"{where}.{attr}", getattr(w, attr)())
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(f"{where}.tab", w.tabText(i))
                add(f"{where}.tabToolTip", w.tabToolTip(i))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(f"{where}.tab", w.tabText(i))
        if isinstance(w, QMenu):
            add(f"{where}.title", w.title())
        if isinstance(w, QWizard):
            for page_id in w.pageIds():
                add(f"{where}.pageTitle", w.page(page_id).title())
                add(f"{where}.pageSubTitle", w.page(page_id).subTitle())
            for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                           QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton):
                add(f"{where}.button", w.buttonText(button))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for col in range(_count(model.columnCount)):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(col, Qt.Orientation.Horizontal, role)
                    if isinstance(value, str):
                        add(f"{where}.header", value)
            if isinstance(w, QTreeView) and not isinstance(w, QListWidget):
                for row in range(min(_count(model.rowCount), 50)):  # the top level of trees: UI words like 'All devices'
                    add(f"{where}.topItem", model.index(row, 0).data())
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(f"{where}.item", w.item(i).text())
        for act in w.actions():
            if act.isSeparator():
                continue
            add(f"{where}/QAction.text", act.text())
            add(f"{where}/QAction.toolTip", act.toolTip())
            add(f"{where}/QAction.statusTip", act.statusTip())
            if act.menu() is not None:
                add(f"{where}/QMenu.title", act.menu().title())
    for act in root.findChildren(QAction):
        if not act.isSeparator():
            add("QAction.text", act.text())
            add("QAction.toolTip", act.toolTip())
    return found


# --- the walk -------------------------------------------------------------------------------------------------

SKIP_CLASSES = {"MainWindow"}  # walked as the main window itself
FILL = {"message": "Link kec-kutaraja putus", "title": "Judul", "start_ts": 1_790_000_000,
        "end_ts": 1_790_086_400, "follow_neighbours": False}


def _settle(app, seconds: float = 0.4) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _data_values(db: Path) -> set[str]:
    """Every text stored in the seeded database (names, messages): data, not UI words."""
    import sqlite3

    values: set[str] = set()
    conn = sqlite3.connect(db)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in conn.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - table names from sqlite_master
            values.update(v for v in row if isinstance(v, str))
    conn.close()
    return values


def _ui_classes() -> list[type]:
    """Every dialog of ui/ and every widget of a ui/*_page.py, *_view.py or *_panel.py module."""
    from PySide6.QtWidgets import QDialog, QWidget

    import nocdesk.ui as ui_pkg

    classes = []
    for info in pkgutil.iter_modules(ui_pkg.__path__):
        module = importlib.import_module(f"nocdesk.ui.{info.name}")
        page_module = info.name.endswith(("_page", "_view", "_panel", "_history"))
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or cls.__name__ in SKIP_CLASSES:
                continue
            if issubclass(cls, QDialog) or (page_module and issubclass(cls, QWidget)):
                classes.append(cls)
    return classes


def _construct(cls: type, window, ids: dict[str, object]):  # noqa: ANN001, ANN202
    """`cls` built with the window as parent and plausible values for other required arguments, or None."""
    kwargs, args = {}, []
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        value = window if name == "parent" else ids.get(name, FILL.get(name, inspect.Parameter.empty))
        if value is inspect.Parameter.empty:
            if param.default is not inspect.Parameter.empty:
                continue
            return None
        if param.kind == param.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    return cls(*args, **kwargs)


@pytest.fixture
def indonesian_app(open_app, tmp_path):  # noqa: F811
    from nocdesk import i18n
    from nocdesk.store import open_store
    from nocdesk.ui import app as ui_app
    from nocdesk.ui import fmt

    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populated = populate(store, devices=14, rich_devices=1, history_days=2)
        store.set_setting("ui.language", "id")
        store.set_setting("discovery.allowed_ranges", ["198.19.0.0/16"])
        store.set_setting("agency.name", "Dinas Komunikasi dan Informatika Kota Contoh")
    parts = open_app(db)
    yield parts, db, populated
    ui_app.install_translators(parts.app, "en")
    i18n.set_language("en")
    fmt.configure(language="en")


def test_every_window_is_in_indonesian(qtbot, indonesian_app, monkeypatch):
    from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

    from nocdesk.store import open_store
    from nocdesk.ui.tray import Tray

    parts, db, populated = indonesian_app
    app, window = parts.app, parts.window
    cat = load_catalogue()
    data = _data_values(db)
    texts: list[tuple[str, str, str]] = []

    def walk(label: str, widget) -> None:  # noqa: ANN001
        texts.extend((label, where, text) for where, text in widget_texts(widget))

    _settle(app, 0.8)
    walk("dashboard", window)
    window.open_device(populated.rich_device_id)
    qtbot.waitUntil(lambda: window.device_page.isVisible(), timeout=10_000)
    _settle(app, 1.0)
    walk("device page", window)
    window.show_events()
    _settle(app, 0.6)
    walk("events: alerts", window)
    window.events.tabs.setCurrentIndex(1)
    _settle(app, 0.2)
    walk("events: log", window)
    if window.topology is not None:
        window.show_topology()
        _settle(app, 0.8)
        walk("topology", window)
    window.show_dashboard()

    for label, action in (("add device", window.act_add), ("import wizard", window.act_import),
                          ("discovery", window.act_discover), ("settings", window.act_settings),
                          ("maintenance", window.act_maint)):
        window._last_dialog = None
        action.trigger()
        dialog = window._last_dialog
        assert dialog is not None, label
        _settle(app, 0.6)
        walk(label, dialog)
        dialog.reject()

    with open_store(db) as store:
        link_id = store.conn.execute("SELECT min(id) FROM links").fetchone()[0]
        group_id = store.conn.execute("SELECT min(id) FROM device_groups").fetchone()[0]
    ids = {"device_id": populated.rich_device_id, "link_id": link_id, "group_id": group_id, "db_path": db,
           "interface_id": populated.rich_interface_id, "allowed_ranges": lambda: ["198.19.0.0/16"],
           "current_parent": None, "pinned": False}
    try:
        from nocdesk.link_view import link_form_data

        with open_store(db) as store:
            ids["form"] = link_form_data(store, link_id)
    except ImportError:  # no link editing in this build
        pass
    not_built = []
    for cls in _ui_classes():
        try:
            widget = _construct(cls, window, ids)
        except Exception as err:  # noqa: BLE001 - reported below, the walk goes on
            not_built.append(f"{cls.__name__}: {err!r}")
            continue
        if widget is None:
            not_built.append(f"{cls.__name__}: needs arguments this test cannot guess")
            continue
        widget.show()
        _settle(app, 0.25)
        walk(cls.__name__, widget)
        widget.close()
        widget.deleteLater()

    seen_boxes = []

    def read_box(box) -> None:  # noqa: ANN001
        seen_boxes.append(widget_texts(box))
        box.reject() if isinstance(box, QMessageBox) else box.close()

    when_modal(qtbot, read_box)
    window.about()
    window.dashboard.table.selectRow(0)
    when_modal(qtbot, read_box)
    window.act_delete.trigger()
    for box in seen_boxes:
        texts.extend(("message box", where, text) for where, text in box)

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    tray = Tray(window)
    if getattr(tray, "_menu", None) is not None:
        walk("tray menu", tray._menu)
    tray.hide()

    english = sorted({(label, where, text, why) for label, where, text in texts
                      if text not in data and (why := cat.why_english(text))})
    report = "\n".join(f"  {label}: {where}: {text!r} ({why})" for label, where, text, why in english)
    assert not english, f"{len(english)} English text(s) left in the Indonesian UI:\n{report}"
    assert len(texts) > 400, len(texts)  # the walk really saw the windows
    visible = {strip_text(t) for _l, _w, t in texts}
    for word in ("Perangkat", "Peringatan", "Dasbor", "Pengaturan", "Jadwal pemeliharaan…", "Temukan perangkat"):
        assert any(word.rstrip("…") in v for v in visible), word
    if not_built:
        print("not built by the walk:\n  " + "\n  ".join(not_built))
    assert QApplication.instance() is app


def test_every_catalogue_entry_is_translated():
    """Every tr() source in the .ts files and every core message in the .po has an Indonesian translation."""
    cat = load_catalogue()
    assert not cat.untranslated, f"{len(cat.untranslated)} untranslated: {cat.untranslated[:30]}"


def test_english_stays_english(qtbot, open_app, tmp_path):  # noqa: F811
    """The same window with the language set to English shows the English sources (nothing half-switched)."""
    from nocdesk.store import open_store

    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=4, rich_devices=0, history_days=1)
        store.set_setting("ui.language", "en")
    window = open_app(db).window
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:2] == ["&File", "&View"]
    assert window.act_add.text() == "&Add device…"


def test_language_choice_and_switch(qtbot, monkeypatch):
    """Setting beats NOCDESK_LANG beats the system; switching installs and removes every translator."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from nocdesk import i18n
    from nocdesk.ui import app as ui_app
    from nocdesk.ui import fmt

    monkeypatch.setenv("NOCDESK_LANG", "id")
    assert ui_app.ui_language("") == "id" and ui_app.ui_language("en") == "en"
    monkeypatch.setenv("NOCDESK_LANG", "en")
    assert ui_app.ui_language("") == "en" and ui_app.ui_language("id") == "id"
    app = QApplication.instance()
    try:
        assert len(ui_app.install_translators(app, "id")) == 3  # qtbase stand-in, pyqtgraph, nocdesk
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Batal"
        assert QCoreApplication.translate("MainWindow", "&Settings…") == "Pen&gaturan…"
        assert i18n.current_language() == "id" and fmt.language() == "id"
        assert fmt.percent(99.95, 2) == "99,95%"
    finally:
        assert ui_app.install_translators(app, "en") == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert i18n.current_language() == "en" and fmt.percent(99.95, 2) == "99.95%"
