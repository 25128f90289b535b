"""Run one core call off the GUI thread and hand its result back on the GUI thread (after Anki's QueryOp).

    QueryOp(parent=self, op=lambda store: views.overview(store), success=self._show).run_in_background()

`op` runs in a worker of a small thread pool with that thread's own store connection; `success` (or
`failure`) runs later in the GUI thread, and is skipped if `parent` was deleted meanwhile. CollectionOp
is the same for writes and reports errors to the user. LongOp adds progress and a cancel flag for probes,
sweeps and reports.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from nocdesk.errors import NocdeskError
from nocdesk.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Dispatcher(QObject):
    """Lives in the GUI thread; workers post callables to it through a queued signal."""

    post = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.post.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()


class OpRunner(QObject):
    """The app's worker pool and the per-thread store connections it hands to ops."""

    busy_changed = Signal(int)

    _instance: OpRunner | None = None

    def __init__(self, store_factory: Callable[[], Store], *, max_threads: int = 3) -> None:
        super().__init__()
        self._store_factory = store_factory
        self._local = threading.local()
        self._stores: list[Store] = []
        self._lock = threading.Lock()
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.pool.setExpiryTimeout(-1)  # keep workers (and their connections) alive
        self.dispatcher = _Dispatcher()
        self.in_flight = 0
        self.closed = False
        OpRunner._instance = self

    @classmethod
    def instance(cls) -> OpRunner:
        if cls._instance is None:
            raise RuntimeError("OpRunner not created; the app creates one at start-up")
        return cls._instance

    def store(self) -> Store:
        """This worker thread's own connection (opened on first use)."""
        store = getattr(self._local, "store", None)
        if store is None:
            from .services import lower_thread_priority

            lower_thread_priority()  # first use of this worker thread: it serves the GUI, it must not starve it
            store = self._store_factory()
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def submit(self, work: Callable[[], None]) -> None:
        self._change_busy(+1)
        self.pool.start(_Runnable(work))

    def post(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the GUI thread soon (dropped once the runner was shut down)."""
        if self.closed:
            return
        try:
            self.dispatcher.post.emit(lambda: None if self.closed else fn())
        except RuntimeError:  # the app is being torn down (dispatcher deleted): nobody wants the result
            log.debug("result dropped: the app is closing")

    def done(self) -> None:
        self.post(lambda: self._change_busy(-1))

    def _change_busy(self, delta: int) -> None:
        self.in_flight += delta
        self.busy_changed.emit(self.in_flight)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Wait for running ops and close every worker connection; later results are dropped."""
        self.closed = True
        self.pool.clear()
        self.pool.waitForDone(timeout_ms)
        with self._lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
        if OpRunner._instance is self:
            OpRunner._instance = None


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work
        self.setAutoDelete(True)

    def run(self) -> None:
        self.work()


def _alive(obj: QObject | None) -> bool:
    return obj is None or shiboken6.isValid(obj)


class QueryOp(Generic[T]):
    """Read something off the GUI thread; `success(result)` runs on the GUI thread."""

    def __init__(self, *, parent: QObject | None, op: Callable[[Store], T], success: Callable[[T], None]) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[Exception], None] | None = None

    def failure(self, fn: Callable[[Exception], None]) -> QueryOp[T]:
        self._failure = fn
        return self

    def run_in_background(self) -> None:
        runner = OpRunner._instance
        if runner is None or runner.closed:
            log.debug("op after shutdown ignored")
            return

        def work() -> None:
            try:
                result = self._op(runner.store())
            except Exception as err:  # noqa: BLE001 - every failure goes back to the GUI thread
                log.debug("op failed: %s", "".join(traceback.format_exception(err)))
                runner.post(lambda err=err: self._deliver_failure(err))
            else:
                runner.post(lambda result=result: self._deliver(result))
            finally:
                runner.done()

        runner.submit(work)

    def _deliver(self, result: T) -> None:
        if _alive(self._parent):
            self._success(result)

    def _deliver_failure(self, err: Exception) -> None:
        if not _alive(self._parent):
            return
        if self._failure is not None:
            self._failure(err)
        else:
            show_error(self._parent if isinstance(self._parent, QWidget) else None, err)


class CollectionOp(QueryOp[T]):
    """Change something through a core service off the GUI thread; errors are shown to the user."""


def show_error(parent: QWidget | None, err: Exception) -> None:
    """Tell the user what went wrong: a NocdeskError is their message; anything else is a bug report."""
    from PySide6.QtCore import QCoreApplication

    if isinstance(err, NocdeskError):
        text = str(err)
    else:
        log.error("unexpected error: %s", "".join(traceback.format_exception(err)))
        text = QCoreApplication.translate("ops", "Something went wrong: {error}").format(error=f"{type(err).__name__}: {err}")
    QMessageBox.warning(parent, QCoreApplication.translate("ops", "nocdesk"), text)


class Cancelled(Exception):
    """Raised inside a LongOp's work when the user pressed Cancel."""


class Progress:
    """Handed to a LongOp's work: report(done, total, text) and `cancelled` for the cancel button."""

    def __init__(self, runner: OpRunner, sink: Callable[[int, int, str], None], parent: QObject | None) -> None:
        self._runner = runner
        self._sink = sink
        self._parent = parent
        self._cancel = threading.Event()
        self._pending: tuple[int, int, str] | None = None
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def event(self) -> threading.Event:
        return self._cancel

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, done: int, total: int, text: str = "") -> None:
        # Coalesce: a sweep may report thousands of times a second; the GUI only needs the latest.
        with self._lock:
            first = self._pending is None
            self._pending = (done, total, text)
        if first:
            self._runner.post(self._flush)

    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None and _alive(self._parent):
            self._sink(*pending)


class LongOp(Generic[T]):
    """A cancellable background job with progress: `op(store, progress)`; `progress.cancel()` asks it to stop."""

    def __init__(self, *, parent: QObject | None, op: Callable[[Store, Progress], T], success: Callable[[T], None],
                 progress: Callable[[int, int, str], None] | None = None,
                 failure: Callable[[Exception], None] | None = None) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure = failure
        self.progress = Progress(OpRunner.instance(), progress or (lambda *_: None), parent)

    def run_in_background(self) -> LongOp[T]:
        query: QueryOp[Any] = QueryOp(parent=self._parent, op=lambda store: self._op(store, self.progress),
                                      success=self._success)
        if self._failure is not None:
            query.failure(self._failure)
        query.run_in_background()
        return self

    def cancel(self) -> None:
        self.progress.cancel()


def call_later(ms: int, fn: Callable[[], None]) -> None:
    """Run `fn` on the GUI thread after `ms` milliseconds."""
    QTimer.singleShot(ms, fn)


DialogT = TypeVar("DialogT")


def open_with_runner(make: Callable[[], DialogT], db_path: Any = None) -> DialogT:
    """Build a non-modal dialog with `make()` and show it; deleted when closed.

    Inside the app the dialog's ops run on the app's OpRunner. Used on its own (tests, a tool window) with a
    `db_path`, it gets a runner of its own on that database, shut down when the dialog closes.
    """
    own = None
    if (OpRunner._instance is None or OpRunner._instance.closed) and db_path is not None:
        from pathlib import Path

        from nocdesk.store import open_store

        own = OpRunner(lambda: open_store(Path(db_path)))
    dialog = make()
    dialog.own_runner = own  # type: ignore[attr-defined]
    if own is not None:
        dialog.finished.connect(lambda _r: own.shutdown())  # type: ignore[attr-defined]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # type: ignore[attr-defined]
    dialog.show()  # type: ignore[attr-defined]
    return dialog
