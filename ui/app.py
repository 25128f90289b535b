"""Start the desktop app: open the store, start the engine in a background thread (or attach as a viewer),
show the main window, and shut everything down cleanly on quit.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from nocdesk.errors import NocdeskError
from nocdesk.store import Store, open_store

from . import services, style
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


def _install_translators(app: QApplication, language: str) -> None:
    from importlib import resources

    lang = language or QLocale.system().name()[:2]
    if lang != "id":
        return
    qt = QTranslator(app)
    if qt.load(QLocale("id"), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    ours = QTranslator(app)
    folder = resources.files("nocdesk.resources") / "translations"
    if ours.load(str(folder / "nocdesk_id.qm")):
        app.installTranslator(ours)


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


def build(db_path: Path, *, start_engine: bool = True, engine_options: dict[str, Any] | None = None) -> AppParts:
    """Open the store, start (or attach to) the engine and create the main window, without showing it."""
    app = application()
    watch_store = open_store(db_path)  # creates/migrates once, here, before any worker opens it
    try:
        language = watch_store.get_setting("ui.language", "") or ""
    except Exception:  # noqa: BLE001 - settings are a nicety at this point
        language = ""
    _install_translators(app, language)
    runner = OpRunner(lambda: open_store(db_path))
    window = MainWindow(db_path, watch_store, services.EngineHandle("stopped", ""))
    if start_engine:
        window.start_polling(**(engine_options or {}))
    return AppParts(app, window, runner, watch_store)


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
