"""Start the desktop app: open the store, start the engine in a background thread (or attach as a viewer),
show the main window, and shut everything down cleanly on quit.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from nocdesk import heap, i18n
from nocdesk.errors import NocdeskError
from nocdesk.store import Store, open_store

from . import fmt, services, style
from .icons import app_icon
from .main_window import MainWindow
from .ops import OpRunner

log = logging.getLogger(__name__)


@dataclass
class AppParts:
    """What run_app builds; tests and the benchmark build the same thing without entering the event loop."""

    app: QApplication
    window: MainWindow
    runner: OpRunner
    watch_store: Store
    demo: Any = None

    def shutdown(self) -> None:
        """Stop polling and the demo, wait for background reads, close connections."""
        self.window.watch.stop()
        self.window.tray.hide()
        self.runner.pool.waitForDone(20_000)  # an engine may still be starting in a worker
        for handle in self.window.started_engines:
            handle.stop()
        if self.demo is not None and hasattr(self.demo, "stop"):
            self.demo.stop()
        self.runner.shutdown()
        self.watch_store.close()


_default_locale: QLocale | None = None  # the process's locale before we switched it


def ui_language(setting: str | None) -> str:
    """The UI language for the `ui.language` setting: 'id' or 'en'; '' follows NOCDESK_LANG, else the system."""
    if setting in ("id", "en"):
        return setting
    if os.environ.get("NOCDESK_LANG"):
        return i18n.system_language()
    return "id" if QLocale.system().name().lower().startswith(("id", "in_")) else "en"


def _translations_dir() -> Path:
    return Path(str(resources.files("nocdesk.resources") / "translations"))


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Switch the UI to `language`: our .qm plus Qt's own (buttons of standard dialogs, wizards, menus).

    PySide6 ships no qtbase_id.qm, so ours (resources/translations/qtbase_id.qm) stands in; a Qt build that
    has one is preferred. pyqtgraph_id.qm covers the chart library's few menu words. Also switches core
    messages (nocdesk.i18n) and the date/number format (ui/fmt). Returns the translators installed (none for
    English). The language of an open window does not change: a new language applies after a restart.
    """
    for old in app.findChildren(QTranslator, "nocdesk-translator"):
        app.removeTranslator(old)
        old.deleteLater()
    i18n.set_language(language)
    fmt.configure(language=language)
    global _default_locale
    if _default_locale is None:
        _default_locale = QLocale()
    if language == "id":
        QLocale.setDefault(QLocale("id_ID"))  # date pickers and spin boxes: "23 Nov 2026", "2,5"
    elif QLocale().language() == QLocale.Language.Indonesian:
        indonesian = _default_locale.language() == QLocale.Language.Indonesian
        QLocale.setDefault(QLocale("en_US") if indonesian else _default_locale)
    if language == "en":
        return []
    installed = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = str(_translations_dir())
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"qtbase_{language}", ours),
                         (f"pyqtgraph_{language}", ours), (f"nocdesk_{language}", ours)):
        if name.startswith("qtbase") and installed:
            continue  # Qt's own qtbase file was found; ours is only the stand-in
        translator = QTranslator(app)
        translator.setObjectName("nocdesk-translator")
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            translator.deleteLater()
    return installed


def application() -> QApplication:
    """The QApplication (created once), styled."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("nocdesk")
    QCoreApplication.setApplicationName("nocdesk")
    app.setWindowIcon(app_icon())
    style.apply(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


GUI_SWITCH_INTERVAL_S = 0.001


def build(db_path: Path, *, start_engine: bool = True, engine_options: dict[str, Any] | None = None) -> AppParts:
    """Open the store, start (or attach to) the engine and create the main window, without showing it."""
    app = application()
    # The engine and the read workers share the GIL with the GUI thread. Each time the GUI thread gives the
    # GIL up (every call into Qt may) it waits up to the switch interval to get it back from a busy worker:
    # at Python's 5 ms, a redraw of a few dozen calls can stall 100+ ms. 1 ms keeps the window smooth.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    watch_store = open_store(db_path)  # creates/migrates once, here, before any worker opens it
    try:
        language = watch_store.get_setting("ui.language", "") or ""
    except Exception:  # noqa: BLE001 - settings are a nicety at this point
        language = ""
    install_translators(app, ui_language(language))
    runner = OpRunner(lambda: open_store(db_path))
    window = MainWindow(db_path, watch_store, services.EngineHandle("stopped", ""))
    if start_engine:
        window.start_polling(**(engine_options or {}))
    return AppParts(app, window, runner, watch_store)


# Freezes after the engine is ready: its trackers exist then; a minute later the per-interface counter state of
# the first polls; after five the report libraries the monthly scheduler imports (nocdesk.heap).
HEAP_SETTLE_AFTER_ENGINE_S = (0.0, 60.0, 300.0)


def keep_heap_settled(parts: AppParts) -> None:
    """Freeze what the app holds now (a full collection first: call before the window shows), then again
    as the engine fills its state, so garbage-collector passes stay short (nocdesk.heap)."""
    heap.freeze_long_lived(full=True)
    window = parts.window

    def engine_ready() -> None:
        for delay in HEAP_SETTLE_AFTER_ENGINE_S:
            QTimer.singleShot(int(delay * 1000), window, heap.freeze_long_lived)

    window.engine_ready.connect(engine_ready)
    if window.engine.mode == "running":
        engine_ready()


def _start_demo(db_path: Path) -> tuple[Any, str]:
    """Seed the demo database and start its simulated agents (nocdesk.demo), or say why not."""
    for name in ("nocdesk.demo.runner", "nocdesk.demo"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "start_demo"):
            return module.start_demo(db_path), ""
    return None, QCoreApplication.translate("app", "The demo network is not part of this installation.")


def run_app(db_path: Path, *, demo: bool) -> int:
    """Run the desktop app on `db_path` until the user quits; returns the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = application()
    demo_handle, demo_problem = None, ""
    if demo:
        try:
            demo_handle, demo_problem = _start_demo(db_path)
        except (NocdeskError, OSError) as err:
            demo_problem = str(err)
    try:
        parts = build(db_path)
    except NocdeskError as err:
        QMessageBox.critical(None, "nocdesk", str(err))
        return 2
    parts.demo = demo_handle
    keep_heap_settled(parts)
    parts.window.show()
    if demo_problem:
        QMessageBox.information(parts.window, "nocdesk", demo_problem)
    if os.environ.get("NOCDESK_EXIT_AFTER_SHOWN") == "1":  # smoke tests and start-time measurement
        def _shown_then_quit() -> None:
            print("nocdesk: main window shown", file=sys.stderr, flush=True)
            app.quit()

        QTimer.singleShot(0, _shown_then_quit)
    try:
        return app.exec()
    finally:
        parts.window.save_layout()
        parts.shutdown()
