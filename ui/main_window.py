"""The main window: site tree, dashboard / device page / events, menus, shortcuts, status bar, live refresh.

Live refresh: a 1 s QTimer asks SQLite for `PRAGMA data_version` on a GUI-thread connection (microseconds,
no table read); when it moved, one overview read runs off the GUI thread and the views redraw from it.
Reads requested while one is running are merged into a single follow-up read.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, inventory, views
from nocdesk.paths import data_dir
from nocdesk.store import Store

from . import fmt, services
from .banner import EngineBanner
from .dashboard import DashboardPage
from .device_page import DevicePage
from .events_view import EventsView
from .icons import app_icon, icon
from .link_page import LinkPage
from .ops import CollectionOp, OpRunner, QueryOp
from .screen_fit import resize_within_screen
from .sidebar import SiteTree
from .tray import Tray
from .unlock import ask_unlock, offer_unlock

log = logging.getLogger(__name__)
WATCH_INTERVAL_MS = 1000
FORCED_REFRESH_S = 10  # ages ("3 min ago") and the heartbeat check move even without new data


def _topology_page() -> QWidget | None:
    """The topology map page, when that part of the app is installed."""
    try:
        from .topology_page import TopologyPage
    except ImportError:
        return None
    return TopologyPage()


class MainWindow(QMainWindow):
    """`refreshed` is emitted after every overview redraw (tests and the benchmark wait on it)."""

    refreshed = Signal()
    engine_ready = Signal()  # the in-process engine has loaded its targets and polls

    def __init__(self, db_path: Path, watch_store: Store, engine: services.EngineHandle) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.watch_store = watch_store
        self.engine = engine
        self.overview: views.Overview | None = None
        self.settings: dict[str, Any] = dict(appsettings.DEFAULTS)
        self._taking = False
        self._overview_cache: dict[str, Any] = {}
        self._loading = False
        self._again = False
        self._last_version = -1
        self._last_refresh = 0.0
        self._quitting = False
        self.heartbeat_s = services.heartbeat_s()
        self.started_engines: list[services.EngineHandle] = [engine]
        self.setWindowTitle(self.tr("nocdesk — {db}").format(db=self.db_path.name))
        self.setWindowIcon(app_icon())
        self._build()
        self._actions()
        self.tray = Tray(self)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.quit)
        self._restore_layout()
        self._update_engine_label()
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_INTERVAL_MS)
        self.watch.timeout.connect(self._tick)
        self.watch.start()
        OpRunner.instance().busy_changed.connect(self._busy)
        self.load_settings()
        self.refresh()
        QTimer.singleShot(0, lambda: offer_unlock(self))

    # --- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.tree = SiteTree()
        self.tree.scope_changed.connect(self._scope_changed)
        self.dashboard = DashboardPage()
        self.dashboard.device_activated.connect(self.open_device)
        self.dashboard.alert_activated.connect(self.open_alert)
        self.device_page = DevicePage()
        self.device_page.back_requested.connect(self.show_dashboard)
        self.device_page.edit_requested.connect(self.edit_device)
        self.device_page.delete_requested.connect(lambda i: self.delete_devices([i]))
        self.device_page.backups_requested.connect(self.open_backups)
        self.events = EventsView()
        self.events.device_requested.connect(self.open_device)
        self.topology = _topology_page()
        self.link_page = LinkPage()
        self.link_page.back_requested.connect(self.show_topology)
        self.link_page.device_activated.connect(self.open_device)
        if self.topology is not None:
            self.topology.device_activated.connect(self.open_device)
            self.topology.link_activated.connect(self.open_link)
            self.link_page.edit_requested.connect(self.topology.request_edit_link)
            self.topology.edited.connect(lambda _what: self.link_page.reload())
        self.pages = QStackedWidget()
        for page in (self.dashboard, self.device_page, self.events, self.topology, self.link_page):
            if page is not None:
                self.pages.addWidget(page)
        self.pages.currentChanged.connect(lambda _i: self._page_changed())
        self.banner = EngineBanner()
        self.banner.start_requested.connect(self.start_polling)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        banner_box = QWidget()
        bl = QVBoxLayout(banner_box)
        bl.setContentsMargins(10, 8, 10, 0)
        bl.addWidget(self.banner)
        rl.addWidget(banner_box)
        rl.addWidget(self.pages, 1)
        self.banner_box = banner_box
        self.banner_box.setVisible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 1100])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.engine_label = QLabel()
        self.refresh_label = QLabel()
        self.busy_label = QLabel()
        sb = self.statusBar()
        sb.addWidget(self.engine_label, 1)
        sb.addPermanentWidget(self.busy_label)
        sb.addPermanentWidget(self.refresh_label)

    def _action(self, text: str, slot: Any, shortcut: Any = None, icon_name: str | None = None,
                tip: str = "") -> QAction:
        act = QAction(icon(icon_name) if icon_name else icon("none"), text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda _c=False: slot())
        self.addAction(act)
        return act

    def _actions(self) -> None:
        a = self._action
        self.act_add = a(self.tr("&Add device…"), self.add_device, QKeySequence.StandardKey.New, "action-add",
                         self.tr("Add a device to monitor"))
        self.act_import = a(self.tr("&Import CSV…"), self.import_csv, "Ctrl+I", "action-import",
                            self.tr("Import devices from a CSV file"))
        self.act_discover = a(self.tr("&Discover…"), self.discover, "Ctrl+D", "action-discover",
                              self.tr("Find devices in an address range"))
        self.act_crawl = a(self.tr("&Follow neighbours…"), self.follow_neighbours, None, "action-discover",
                           self.tr("Find new devices through the LLDP/CDP neighbours of known ones"))
        self.act_credentials = a(self.tr("&Credentials…"), self.open_credentials, None, "action-settings",
                                 self.tr("SNMP communities, SNMPv3 users and SSH logins for polling and backups"))
        self.act_unlock = a(self.tr("&Unlock saved passwords…"), lambda: ask_unlock(self), None, None,
                            self.tr("Enter the master password of the encrypted secrets file"))
        self.act_settings = a(self.tr("&Settings…"), self.open_settings, QKeySequence.StandardKey.Preferences,
                              "action-settings")
        self.act_quit = a(self.tr("&Quit"), self.quit, "Ctrl+Q", "action-quit", self.tr("Stop polling and exit"))
        self.act_dashboard = a(self.tr("&Dashboard"), self.show_dashboard, "Ctrl+1", "action-dashboard")
        self.act_events = a(self.tr("&Events and alerts"), self.show_events, "Ctrl+2", "action-events")
        self.act_topology = a(self.tr("&Topology map"), self.show_topology, "Ctrl+3", "action-topology")
        self.act_topology.setVisible(self.topology is not None)
        self.act_refresh = a(self.tr("&Refresh"), self.refresh_all, QKeySequence.StandardKey.Refresh, "action-refresh",
                             self.tr("Read everything again (F5)"))
        self.act_filter = a(self.tr("&Filter devices"), self.focus_filter, QKeySequence.StandardKey.Find,
                            "action-filter")
        self.act_edit = a(self.tr("&Edit device…"), self.edit_selected, "Ctrl+E", "action-edit")
        self.act_delete = a(self.tr("&Remove device"), self.delete_selected, QKeySequence.StandardKey.Delete,
                            "action-delete")
        self.act_maint = a(self.tr("&Maintenance windows…"), self.open_maintenance, "Ctrl+M", "action-maintenance")
        self.act_rules = a(self.tr("Alert &rules…"), self.open_alert_rules, None, "action-rules",
                           self.tr("Thresholds for optics, utilisation, latency, CPU and more, per device, group or site"))
        self.act_reports = a(self.tr("&Reports…"), self.open_reports, "Ctrl+R", "action-report",
                             self.tr("Monthly uptime report as PDF, XLSX or CSV"))
        self.act_backups = a(self.tr("&Config backups…"), self.open_backups, "Ctrl+B", "action-backup",
                             self.tr("Switch configurations: versions, differences, back up now"))
        self.act_db_backup = a(self.tr("&Back up database…"), self.backup_db, None, "action-database",
                               self.tr("Copy all of nocdesk's data to a file"))
        self.act_db_restore = a(self.tr("Res&tore database…"), self.restore_db, None, None,
                                self.tr("Replace all of nocdesk's data with a backup copy"))
        self.act_deliveries = a(self.tr("De&livery log…"), self.open_delivery_log, None, "action-events",
                                self.tr("Every alert message sent or tried: channel, recipient, status, error"))
        self.act_about = a(self.tr("&About nocdesk"), self.about)
        mb = self.menuBar()
        m = mb.addMenu(self.tr("&File"))
        for act in (self.act_add, self.act_import, self.act_discover, self.act_crawl, None, self.act_reports, None,
                    self.act_db_backup, self.act_db_restore, None, self.act_settings, self.act_unlock, None,
                    self.act_quit):
            m.addSeparator() if act is None else m.addAction(act)
        m = mb.addMenu(self.tr("&View"))
        for act in (self.act_dashboard, self.act_events, self.act_topology, None, self.act_deliveries, None,
                    self.act_filter, self.act_refresh):
            m.addSeparator() if act is None else m.addAction(act)
        m = mb.addMenu(self.tr("&Devices"))
        for act in (self.act_add, self.act_edit, self.act_delete, None, self.act_credentials, self.act_maint,
                    self.act_rules, None, self.act_backups):
            m.addSeparator() if act is None else m.addAction(act)
        mb.addMenu(self.tr("&Help")).addAction(self.act_about)
        tb = QToolBar(self.tr("Main"))
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # What a NOC uses every day; the rest is one menu away (the bar must fit a 1280 px wide window).
        for act in (self.act_dashboard, self.act_events, self.act_topology, None, self.act_add, self.act_discover,
                    None, self.act_reports, self.act_refresh, self.act_settings):
            tb.addSeparator() if act is None else tb.addAction(act)
        self.addToolBar(tb)

    # --- live refresh -------------------------------------------------------------------------------------

    def _tick(self) -> None:
        try:
            version = self.watch_store.data_version()
        except Exception as err:  # noqa: BLE001 - a locked/moved file must not kill the timer
            log.warning("data_version failed: %s", err)
            return
        if version != self._last_version or time.monotonic() - self._last_refresh > FORCED_REFRESH_S:
            self._last_version = version
            self.refresh()

    def refresh(self) -> None:
        """Re-read the overview off the GUI thread (merged with any read already running)."""
        self._last_refresh = time.monotonic()
        if self._loading:
            self._again = True
            return
        self._loading = True
        beat = self.heartbeat_s
        cache = self._overview_cache  # only one overview read runs at a time, so no lock is needed
        QueryOp(parent=self, op=lambda store: views.overview(store, heartbeat_s=beat, cache=cache),
                success=self._show_overview) \
            .failure(self._refresh_failed).run_in_background()
        page = self.pages.currentWidget()
        if page is self.device_page:
            self.device_page.reload(force=False)
        elif page is self.events:
            self.events.reload()
        elif page is not None and page is self.topology:
            self.topology.refresh()
        elif page is self.link_page:
            self.link_page.reload(force=False)

    def refresh_all(self) -> None:
        self.refresh()
        self.statusBar().showMessage(self.tr("Refreshed"), 1500)

    def _refresh_failed(self, err: Exception) -> None:
        self._loading = False
        self.statusBar().showMessage(self.tr("Could not read the database: {err}").format(err=err), 10000)

    def _show_overview(self, ov: views.Overview) -> None:
        self._loading = False
        self.overview = ov
        self.tree.set_tree(ov.tree)
        self.dashboard.show_overview(ov)
        dash = ov.dashboard
        self.tray.set_state(ov.tree.worst if ov.devices else "unknown", dash.totals)
        can_start = self.engine.mode in ("stopped", "failed") or (self.engine.mode == "viewer" and not dash.engine.alive)
        note = self.engine.message if self.engine.mode in ("failed", "unavailable") else ""
        self.banner.update_status(dash.engine, can_start=can_start, note=note)
        self.banner_box.setVisible(not self.banner.isHidden())
        self.refresh_label.setText(self.tr("Updated {time}").format(time=fmt.clock(ov.dashboard.generated_at)))
        self._update_engine_label()
        self._take_notices()
        if self._again:
            self._again = False
            self.refresh()
        self.refreshed.emit()

    def _take_notices(self) -> None:
        """Show the alerting layer's queued desktop notices (one reader at a time)."""
        if self._taking:
            return
        self._taking = True

        def done(notices: list[Any]) -> None:
            self._taking = False
            self.tray.announce(notices)

        def failed(err: Exception) -> None:
            self._taking = False
            log.warning("desktop notices: %s", err)

        QueryOp(parent=self, op=services.take_desktop_notices, success=done).failure(failed).run_in_background()

    def _busy(self, n: int) -> None:
        self.busy_label.setText(self.tr("Working…") if n > 0 else "")

    def _update_engine_label(self) -> None:
        alive = self.overview.dashboard.engine.alive if self.overview else None
        if self.engine.mode == "starting":
            text = self.tr("Starting the polling engine…")
        elif self.engine.mode == "running":
            text = self.tr("Polling in this window") if alive is not False else self.tr("Polling starting…")
        elif self.engine.mode == "viewer":
            text = self.tr("Viewer: another engine polls this database ({who})").format(who=self.engine.message)
        elif self.engine.mode == "unavailable":
            text = self.tr("Viewer only: {why}").format(why=self.engine.message)
        elif alive and self.overview:
            eng = self.overview.dashboard.engine
            text = self.tr("Viewer: polled by nocdesk on {host} (process {pid})").format(host=eng.host or "?",
                                                                                    pid=eng.pid or "?")
        elif self.engine.mode == "failed":
            text = self.tr("Polling failed to start: {why}").format(why=self.engine.message)
        else:
            text = self.tr("Polling stopped")
        if self.overview:
            d = self.overview.dashboard
            text += self.tr("  ·  {n} devices, {i} interfaces").format(n=fmt.number(d.device_count),
                                                                        i=fmt.number(d.interface_count))
        self.engine_label.setText(text)

    # --- settings -----------------------------------------------------------------------------------------

    def load_settings(self) -> None:
        QueryOp(parent=self, op=appsettings.load, success=self.apply_settings).run_in_background()

    def apply_settings(self, values: dict[str, Any]) -> None:
        self.settings = dict(values)
        fmt.configure(timezone=values.get("ui.timezone"), language=values.get("ui.language") or None)
        self.tray.notify_desktop = bool(values.get("notify.desktop", True))
        self.tray.play_sound = bool(values.get("notify.sound", False))
        if self.topology is not None:
            self.topology.view.set_thresholds(float(values.get("map.util_warn_pct") or 50),
                                              float(values.get("map.util_crit_pct") or 80))

    # --- navigation -----------------------------------------------------------------------------------------

    def _scope_changed(self, key: str) -> None:
        self.dashboard.set_scope(key, self.overview.tree if self.overview else None)
        if self.pages.currentWidget() is not self.dashboard:
            self.show_dashboard()

    def _page_changed(self) -> None:
        page = self.pages.currentWidget()
        if page is self.events:
            self.events.reload()
        elif page is not None and page is self.topology:
            self.topology.refresh()

    def show_dashboard(self) -> None:
        self.pages.setCurrentWidget(self.dashboard)

    def show_events(self) -> None:
        self.pages.setCurrentWidget(self.events)

    def show_topology(self) -> None:
        if self.topology is not None:
            self.pages.setCurrentWidget(self.topology)

    def open_link(self, link_id: int) -> None:
        self.pages.setCurrentWidget(self.link_page)
        self.link_page.show_link(link_id)

    def open_device(self, device_id: int) -> None:
        self.pages.setCurrentWidget(self.device_page)
        self.device_page.show_device(device_id)

    def open_alert(self, alert_id: int) -> None:
        self.show_events()
        self.events.select_alert(alert_id)
        QTimer.singleShot(300, lambda: self.events.select_alert(alert_id))

    def focus_filter(self) -> None:
        self.show_dashboard()
        self.dashboard.focus_filter()

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- actions --------------------------------------------------------------------------------------------

    def add_device(self) -> None:
        from .device_dialog import DeviceDialog

        dlg = DeviceDialog(self)
        dlg.saved.connect(self._device_added)
        dlg.open()
        self._last_dialog = dlg

    def _device_added(self, device_id: int) -> None:
        self.refresh()
        # The engine re-reads its configuration every couple of seconds; ask for a first check right after,
        # so a new device shows its state now rather than at its first slot on the polling grid.
        QTimer.singleShot(2500, lambda: CollectionOp(
            parent=self, op=lambda s: services.request_poll_now(s, device_id), success=lambda _r: None)
            .failure(lambda err: log.info("poll now: %s", err)).run_in_background())

    def edit_device(self, device_id: int) -> None:
        from .device_dialog import DeviceDialog

        dlg = DeviceDialog(self, device_id=device_id)
        dlg.saved.connect(lambda _i: self.refresh())
        dlg.open()
        self._last_dialog = dlg

    def _selected_ids(self) -> list[int]:
        if self.pages.currentWidget() is self.device_page and self.device_page.device_id is not None:
            return [self.device_page.device_id]
        if self.pages.currentWidget() is self.dashboard:
            return [d.id for d in self.dashboard.selected_devices()]
        return []

    def edit_selected(self) -> None:
        ids = self._selected_ids()
        if ids:
            self.edit_device(ids[0])

    def delete_selected(self) -> None:
        if QApplication.focusWidget() is self.dashboard.filter_edit:
            return  # Delete in the filter box edits the text
        ids = self._selected_ids()
        if ids:
            self.delete_devices(ids)

    def delete_devices(self, ids: list[int]) -> None:
        names = {d.id: d.name for d in (self.overview.devices if self.overview else [])}
        listed = ", ".join(names.get(i, str(i)) for i in ids[:5]) + ("…" if len(ids) > 5 else "")
        answer = QMessageBox.question(
            self, self.tr("Remove devices"),
            self.tr("Remove {n} device(s) and all their history?\n{names}").format(n=len(ids), names=listed))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def op(store: Store) -> None:
            for device_id in ids:
                row = store.conn.execute("SELECT name FROM devices WHERE id = ?", (device_id,)).fetchone()
                if row:
                    inventory.remove_device(store, row[0])

        if self.pages.currentWidget() is self.device_page:
            self.show_dashboard()
        CollectionOp(parent=self, op=op, success=lambda _r: self.refresh()).run_in_background()

    def import_csv(self) -> None:
        from .import_wizard import ImportWizard

        wiz = ImportWizard(self)
        wiz.imported.connect(lambda _n: self.refresh())
        wiz.open()
        self._last_dialog = wiz

    def discover(self, *, follow_neighbours: bool = False) -> None:
        from .discovery_dialog import open_discovery

        dlg = open_discovery(self, follow_neighbours=follow_neighbours)
        dlg.added.connect(lambda _n: self.refresh())
        self._last_dialog = dlg

    def follow_neighbours(self) -> None:
        self.discover(follow_neighbours=True)

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dlg = SettingsDialog(self)
        dlg.saved.connect(self._settings_saved)
        dlg.open()
        self._last_dialog = dlg

    def _settings_saved(self, values: dict[str, Any]) -> None:
        self.apply_settings(self.settings | values)
        self.refresh()

    def open_delivery_log(self) -> None:
        from .delivery_log import open_delivery_log

        self._last_dialog = open_delivery_log(self, self.db_path)

    def open_credentials(self) -> None:
        from .credentials_dialog import open_credentials

        dlg = open_credentials(self, self.db_path)
        dlg.changed.connect(self.refresh)
        self._last_dialog = dlg

    def open_alert_rules(self) -> None:
        from .alert_rules_dialog import open_alert_rules

        self._last_dialog = open_alert_rules(self, self.db_path)

    def open_maintenance(self) -> None:
        from .maintenance_dialog import MaintenanceDialog

        dlg = MaintenanceDialog(self)
        dlg.finished.connect(lambda _r: self.refresh())
        dlg.open()
        self._last_dialog = dlg

    def start_polling(self, **engine_options: Any) -> None:
        """Start the engine off the GUI thread (it loads profiles and takes the lock before it is ready)."""
        self.engine = services.EngineHandle("starting", "")
        self._update_engine_label()

        def op(_store: Store) -> services.EngineHandle:
            handle = services.start_engine(self.db_path, **engine_options)
            self.started_engines.append(handle)  # so shutdown stops it even if the window is gone by now
            return handle

        QueryOp(parent=self, op=op, success=self._engine_started).run_in_background()

    def _engine_started(self, handle: services.EngineHandle) -> None:
        self.engine = handle
        self._update_engine_label()
        if handle.mode not in ("running",):
            self.statusBar().showMessage(handle.message, 10000)
        else:
            self.engine_ready.emit()
        self.refresh()

    def about(self) -> None:
        from .about_dialog import open_about

        self._last_dialog = open_about(self, self.db_path)

    def open_reports(self) -> None:
        from .report_dialog import open_report_dialog

        self._last_dialog = open_report_dialog(self, self.db_path)

    def open_backups(self, device_id: int | None = None) -> None:
        from .backup_page import open_config_backups

        self._last_dialog = open_config_backups(self, self.db_path, device_id)

    def backup_db(self) -> None:
        from .db_dialogs import backup_database

        self._last_dialog = backup_database(self, self.db_path)

    def restore_db(self) -> None:
        from .db_dialogs import restore_database

        self._last_dialog = restore_database(self, self.db_path, release=self._release_db)

    def _release_db(self) -> None:
        """Stop polling and close every connection this window holds on the database (before a restore)."""
        self.watch.stop()
        for handle in self.started_engines:
            handle.stop()
        OpRunner.instance().shutdown()
        self.watch_store.close()

    # --- geometry and closing -------------------------------------------------------------------------------

    def _qsettings(self) -> QSettings:
        return QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        s = self._qsettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1360, 820)
        for name, splitter in self._splitters().items():
            state = s.value(f"splitters/{name}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        header = s.value("tables/devices")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.dashboard.table.horizontalHeader().restoreState(header)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, "dashboard": self.dashboard.splitter, "device": self.device_page.splitter}

    def save_layout(self) -> None:
        s = self._qsettings()
        s.setValue("window/geometry", self.saveGeometry())
        for name, splitter in self._splitters().items():
            s.setValue(f"splitters/{name}", splitter.saveState())
        s.setValue("tables/devices", self.dashboard.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_layout()
        if not self._quitting and self.settings.get("ui.close_to_tray") and self.tray.available:
            event.ignore()
            self.hide()
            if self.tray.icon is not None and not getattr(self, "_told_tray", False):
                self._told_tray = True
                self.tray.icon.showMessage("nocdesk", self.tr("nocdesk keeps monitoring here. Quit from this menu "
                                                              "or with Ctrl+Q to stop polling."))
            return
        self._quitting = True
        self.watch.stop()
        self.tray.hide()
        event.accept()

    def quit(self) -> None:
        """Ctrl+Q and the tray's Quit: close the window (even when hidden in the tray) and end the app."""
        self._quitting = True
        self.close()
        QApplication.quit()
