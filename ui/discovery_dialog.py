"""Discovery: sweep a CIDR range with ICMP and probe SNMP, or follow LLDP/CDP neighbours from known devices
(both only inside the allowed ranges); then tick and add."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, inventory, views
from nocdesk.errors import NocdeskError

from . import fmt, services
from .crawl_panel import CrawlPanel
from .icons import icon
from .ops import CollectionOp, LongOp, Progress, QueryOp


class DiscoveryDialog(QDialog):
    """`added(n)` after ticked hosts were added as devices."""

    added = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Discover devices"))
        self.setMinimumSize(860, 620)
        self.found: list[services.Found] = []
        self.job: LongOp | None = None
        self._build()
        QueryOp(parent=self, op=lambda s: (appsettings.get(s, "discovery.allowed_ranges"), views.choices(s)),
                success=self._loaded).run_in_background()

    def _build(self) -> None:
        self.cidr = QLineEdit()
        self.cidr.setPlaceholderText(self.tr("e.g. 10.20.1.0/24"))
        self.allowed = QListWidget()
        self.allowed.setFixedHeight(78)
        add_range = QPushButton(icon("action-add"), self.tr("Allow a range…"))
        add_range.clicked.connect(self._add_range)
        remove_range = QPushButton(icon("action-delete"), self.tr("Remove"))
        remove_range.clicked.connect(self._remove_range)
        ranges_buttons = QVBoxLayout()
        ranges_buttons.addWidget(add_range)
        ranges_buttons.addWidget(remove_range)
        ranges_buttons.addStretch(1)
        ranges = QHBoxLayout()
        ranges.addWidget(self.allowed, 1)
        ranges.addLayout(ranges_buttons)
        self.snmp = QComboBox()
        self.kind = QComboBox()
        for kind in inventory.KINDS:
            self.kind.addItem(fmt.kind_name(kind), kind)
        self.kind.setCurrentIndex(self.kind.findData("other"))
        self.site = QComboBox()
        self.site.setEditable(True)
        shared = QFormLayout()
        shared.addRow(self.tr("Allowed ranges"), ranges)
        form = QFormLayout()
        form.addRow(self.tr("Range to sweep"), self.cidr)
        form.addRow(self.tr("SNMP credential"), self.snmp)

        self.start_btn = QPushButton(icon("action-discover"), self.tr("&Start sweep"))
        self.start_btn.setDefault(True)
        self.start_btn.clicked.connect(self.start)
        self.cancel_btn = QPushButton(self.tr("Cancel sweep"))
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setObjectName("dimText")
        self.status.setWordWrap(True)
        run = QHBoxLayout()
        run.addWidget(self.start_btn)
        run.addWidget(self.cancel_btn)
        run.addWidget(self.progress, 1)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("foundTable")
        self.table.setHorizontalHeaderLabels([self.tr("Address"), self.tr("Name"), self.tr("RTT"), self.tr("sysDescr"),
                                              self.tr("Profile"), self.tr("Known as")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 170)
        self.add_btn = QPushButton(icon("action-add"), self.tr("&Add ticked devices"))
        self.add_btn.setEnabled(False)
        self.add_btn.clicked.connect(self.add_ticked)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("as kind")))
        bottom.addWidget(self.kind)
        bottom.addWidget(QLabel(self.tr("at site")))
        bottom.addWidget(self.site, 1)
        bottom.addWidget(self.add_btn)

        sweep = QWidget()
        sweep_lay = QVBoxLayout(sweep)
        sweep_lay.setContentsMargins(6, 8, 6, 6)
        sweep_lay.setSpacing(8)
        sweep_lay.addLayout(form)
        sweep_lay.addLayout(run)
        sweep_lay.addWidget(self.status)
        sweep_lay.addWidget(self.table, 1)
        sweep_lay.addLayout(bottom)
        self.crawl = CrawlPanel(self.allowed_ranges, self)
        self.crawl.added.connect(self.added)
        self.tabs = QTabWidget()
        self.tabs.addTab(sweep, icon("action-discover"), self.tr("Sweep a range"))
        self.tabs.addTab(self.crawl, icon("action-topology"), self.tr("Follow neighbours"))
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(close)

        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        lay.addLayout(shared)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(closing)

    def _loaded(self, result: tuple[list[str], views.Choices]) -> None:
        allowed, choices = result
        self.allowed.clear()
        self.allowed.addItems(allowed)
        self.snmp.clear()
        self.snmp.addItem(self.tr("(ping only)"), "")
        for name in choices.snmp_credentials:
            self.snmp.addItem(name, name)
        self.site.clear()
        self.site.addItem("")
        self.site.addItems(choices.sites)

    def allowed_ranges(self) -> list[str]:
        return [self.allowed.item(i).text() for i in range(self.allowed.count())]

    def _add_range(self) -> None:
        text, ok = QInputDialog.getText(self, self.tr("Allow a range"),
                                        self.tr("A network you manage, in CIDR form (e.g. 10.20.0.0/16):"))
        if ok and text.strip():
            self.set_allowed([*self.allowed_ranges(), text.strip()])

    def _remove_range(self) -> None:
        row = self.allowed.currentRow()
        if row >= 0:
            ranges = self.allowed_ranges()
            del ranges[row]
            self.set_allowed(ranges)

    def set_allowed(self, ranges: list[str]) -> None:
        """Store the allowed ranges (validated by the core) and show them."""
        def saved(_r: Any) -> None:
            self.allowed.clear()
            self.allowed.addItems(ranges)

        CollectionOp(parent=self, op=lambda s: appsettings.save(s, {"discovery.allowed_ranges": ranges}),
                     success=saved).run_in_background()

    # --- the sweep ---------------------------------------------------------------------------------------

    def start(self) -> None:
        req = services.DiscoveryRequest(self.cidr.text().strip(), self.allowed_ranges(), self.snmp.currentData() or "")
        try:
            services.check_range(req.cidr, req.allowed)
        except NocdeskError as err:
            self.status.setText(str(err))
            return
        self.table.setRowCount(0)
        self.found = []
        self.start_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.add_btn.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Sweeping {cidr}…").format(cidr=req.cidr))

        def op(store: Any, progress: Progress) -> list[services.Found]:
            return services.discover(store, req, progress.report, progress.event)

        self.job = LongOp(parent=self, op=op, success=self._done, progress=self._progress,
                          failure=self._failed).run_in_background()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {text}")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _failed(self, err: Exception) -> None:
        self._finish()
        self.status.setText(str(err))

    def _finish(self) -> None:
        self.start_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)

    def _done(self, found: list[services.Found]) -> None:
        cancelled = self.job is not None and self.job.progress.cancelled
        self._finish()
        self.found = found
        self.table.setRowCount(len(found))
        for r, f in enumerate(found):
            cells = (f.address, f.name_guess, fmt.ms(f.rtt_ms), f.sys_descr.splitlines()[0] if f.sys_descr else "",
                     f.profile, f.known_as)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked if f.known_as else Qt.CheckState.Checked)
                if c == 1 and not f.known_as:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        new = sum(1 for f in found if not f.known_as)
        text = self.tr("{n} host(s) answered, {new} not monitored yet.").format(n=len(found), new=new)
        if cancelled:
            text = self.tr("Sweep cancelled. ") + text
        self.status.setText(text)
        self.add_btn.setEnabled(new > 0)

    def ticked(self) -> list[tuple[str, str]]:
        """(address, name) of ticked rows that are not devices yet."""
        out = []
        for r, f in enumerate(self.found):
            if self.table.item(r, 0).checkState() == Qt.CheckState.Checked and not f.known_as:
                out.append((f.address, self.table.item(r, 1).text().strip() or f.name_guess))
        return out

    def add_ticked(self) -> None:
        rows = self.ticked()
        kind, site = self.kind.currentData(), self.site.currentText().strip()
        cred = self.snmp.currentData() or ""
        self.add_btn.setEnabled(False)

        def op(store: Any) -> tuple[int, list[str]]:
            added, problems = 0, []
            for address, name in rows:
                try:
                    inventory.add_device(store, inventory.DeviceSpec(name=name, address=address, kind=kind, site=site,
                                                                     snmp_credential=cred))
                    added += 1
                except NocdeskError as err:
                    problems.append(str(err))
            return added, problems

        def done(result: tuple[int, list[str]]) -> None:
            added, problems = result
            self.status.setText(self.tr("{n} device(s) added.").format(n=added) + ("\n" + "\n".join(problems)
                                                                                    if problems else ""))
            self.added.emit(added)

        CollectionOp(parent=self, op=op, success=done).run_in_background()

    def show_crawl(self) -> None:
        """Switch to the "Follow neighbours" page."""
        self.tabs.setCurrentWidget(self.crawl)

    def reject(self) -> None:
        self.cancel()
        self.crawl.cancel()
        super().reject()


def open_discovery(parent: QWidget | None, *, follow_neighbours: bool = False,
                   seed: str = "") -> DiscoveryDialog:
    """Open the discovery dialog (non-modal), on the crawl page when `follow_neighbours`, with `seed` ticked."""
    dlg = DiscoveryDialog(parent)
    if follow_neighbours or seed:
        dlg.show_crawl()
    if seed:
        dlg.crawl.tick_seed(seed)
    dlg.open()
    return dlg
