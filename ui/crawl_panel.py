"""The discovery dialog's "Follow neighbours" page: crawl LLDP/CDP from seed devices, tick candidates, add them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, crawl, inventory, views

from . import fmt
from .icons import icon
from .ops import CollectionOp, LongOp, Progress, QueryOp

NAME, ADDRESS, VIA, PROFILE, KIND, WHY = range(6)


def _checkable(text: str, data: Any, checked: bool = False) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _ticked(widget: QListWidget) -> list[Any]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _grey(item: QTableWidgetItem) -> None:
    """Shown but not selectable: the house style sheet does not grey disabled cells by itself."""
    item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable))
    item.setForeground(QColor("#8a8a8a"))


class CrawlPanel(QWidget):
    """`added(n)` after ticked candidates were added as devices."""

    added = Signal(int)

    def __init__(self, allowed_ranges: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allowed_ranges = allowed_ranges
        self.result: crawl.CrawlResult | None = None
        self.job: LongOp | None = None
        self._preselected: set[str] = set()
        self._build()
        self.reload()

    def _build(self) -> None:
        self.seed_filter = QLineEdit()
        self.seed_filter.setPlaceholderText(self.tr("Filter devices…"))
        self.seed_filter.setClearButtonEnabled(True)
        self.seed_filter.textChanged.connect(self._filter_seeds)
        self.seeds = QListWidget()
        self.seeds.setObjectName("crawlSeeds")
        self.seeds.setFixedHeight(110)
        seeds = QVBoxLayout()
        seeds.addWidget(self.seed_filter)
        seeds.addWidget(self.seeds)
        self.depth = QSpinBox()
        self.depth.setRange(1, crawl.MAX_DEPTH)
        self.depth.setValue(2)
        self.depth.setSuffix(self.tr(" hop(s)"))
        self.depth.setMaximumWidth(120)
        self.depth.setToolTip(self.tr("How far to follow neighbours: 1 = only the seeds' direct neighbours."))
        self.creds = QListWidget()
        self.creds.setFixedHeight(110)
        self.creds.setToolTip(self.tr("SNMP credentials tried, in order, on each new device. With none ticked, the "
                                      "seeds' own credentials and the default polling credential are tried."))
        form = QFormLayout()
        form.addRow(self.tr("Depth"), self.depth)
        form.addRow(self.tr("Credentials to try"), self.creds)
        top = QHBoxLayout()
        seed_form = QFormLayout()
        seed_form.addRow(self.tr("Start from"), seeds)
        top.addLayout(seed_form, 3)
        top.addLayout(form, 2)

        self.start_btn = QPushButton(icon("action-discover"), self.tr("&Start crawl"))
        self.start_btn.clicked.connect(self.start)
        self.cancel_btn = QPushButton(self.tr("Cancel crawl"))
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        run = QHBoxLayout()
        run.addWidget(self.start_btn)
        run.addWidget(self.cancel_btn)
        run.addWidget(self.progress, 1)
        self.status = QLabel(self.tr("Follows LLDP/CDP neighbours from the ticked devices; nothing is added until "
                                     "you tick candidates and press Add."))
        self.status.setObjectName("dimText")
        self.status.setWordWrap(True)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("crawlTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Address"), self.tr("Seen from / port"),
                                              self.tr("Profile"), self.tr("Kind"), self.tr("Note")])
        self.table.horizontalHeaderItem(KIND).setToolTip(self.tr("Guessed from sysServices; change it later in "
                                                                 "the device's settings"))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        for col, width in ((NAME, 150), (ADDRESS, 120), (VIA, 170), (PROFILE, 110), (KIND, 110)):
            self.table.setColumnWidth(col, width)
        self.site = QComboBox()
        self.site.setEditable(True)
        self.add_btn = QPushButton(icon("action-add"), self.tr("&Add selected"))
        self.add_btn.setEnabled(False)
        self.add_btn.clicked.connect(self.add_selected)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("at site")))
        bottom.addWidget(self.site, 1)
        bottom.addWidget(self.add_btn)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 8, 6, 6)
        lay.addLayout(top)
        lay.addLayout(run)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)

    # --- choices ------------------------------------------------------------------------------------------
    def reload(self) -> None:
        def load(store: Any) -> tuple[list[tuple[str, str]], views.Choices, str]:
            devices = [(d["name"], d["address"]) for d in inventory.list_devices(store)]
            return devices, views.choices(store), appsettings.get(store, "polling.snmp_credential") or ""

        QueryOp(parent=self, op=load, success=self._loaded).run_in_background()

    def _loaded(self, result: tuple[list[tuple[str, str]], views.Choices, str]) -> None:
        devices, choices, default_cred = result
        ticked = set(_ticked(self.seeds)) | self._preselected
        self.seeds.clear()
        for name, address in devices:
            self.seeds.addItem(_checkable(f"{name}  ({address})", name, name in ticked))
        self._filter_seeds(self.seed_filter.text())
        self.creds.clear()
        for name in choices.snmp_credentials:
            self.creds.addItem(_checkable(name, name, name == default_cred))
        current = self.site.currentText()
        self.site.clear()
        self.site.addItems(["", *choices.sites])
        self.site.setCurrentText(current)

    def _filter_seeds(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.seeds.count()):
            item = self.seeds.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def tick_seed(self, name: str) -> None:
        """Tick a device to start from (also once the device list has loaded)."""
        self._preselected.add(name)
        for i in range(self.seeds.count()):
            if self.seeds.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.seeds.item(i).setCheckState(Qt.CheckState.Checked)

    # --- the crawl ----------------------------------------------------------------------------------------
    def start(self) -> None:
        seeds = _ticked(self.seeds)
        if not seeds:
            self.status.setText(self.tr("Tick at least one device to start from."))
            return
        depth, ranges, creds = self.depth.value(), self.allowed_ranges(), _ticked(self.creds)
        self.table.setRowCount(0)
        self.result = None
        self.start_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.add_btn.setEnabled(False)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Reading the neighbour tables of {seeds}…").format(seeds=", ".join(seeds)))

        def op(store: Any, progress: Progress) -> crawl.CrawlResult:
            return crawl.crawl(store, seeds, max_depth=depth, allowed_ranges=ranges,
                               credentials_to_try=creds or None, progress=progress.report, cancel=progress.event)

        self.job = LongOp(parent=self, op=op, success=self._done, progress=self._progress,
                          failure=self._failed).run_in_background()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m  {text}")

    def cancel(self) -> None:
        if self.job is not None and self.cancel_btn.isEnabled():
            self.job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _finish(self) -> None:
        self.start_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)
        self.progress.setRange(0, max(1, self.progress.maximum()))

    def _failed(self, err: Exception) -> None:
        self._finish()
        self.status.setText(str(err))

    def _done(self, result: crawl.CrawlResult) -> None:
        self._finish()
        self.progress.setValue(self.progress.maximum())
        self.result = result
        self.table.setRowCount(len(result.candidates))
        for r, c in enumerate(result.candidates):
            cells = (c.name, c.address or "—", f"{c.seen_from} · {c.via_port}" if c.via_port else c.seen_from,
                     c.profile, fmt.kind_name(c.kind_guess), c.reason or c.note)
            tip = c.reason or c.note or c.sys_descr
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if col == KIND:
                    item.setIcon(icon(f"kind-{c.kind_guess}"))
                if col == NAME:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked if c.addable else Qt.CheckState.Unchecked)
                if not c.addable:
                    _grey(item)
                elif col != NAME:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, col, item)
        addable = len(result.addable)
        text = self.tr("{n} new neighbour(s), {a} can be added; {k} already monitored.").format(
            n=len(result.candidates), a=addable, k=len(result.known))
        if result.cancelled:
            text = self.tr("Crawl cancelled; the list is partial. ") + text
        if result.problems:
            text += "\n" + "\n".join(result.problems)
        self.status.setText(text)
        self.add_btn.setEnabled(addable > 0)

    def ticked(self) -> list[crawl.CrawlCandidate]:
        """Ticked, addable candidates with the names as edited in the table."""
        if self.result is None:
            return []
        out = []
        for r, c in enumerate(self.result.candidates):
            item = self.table.item(r, NAME)
            if c.addable and item.checkState() == Qt.CheckState.Checked:
                out.append(replace(c, name=item.text().strip() or c.name))
        return out

    def add_selected(self) -> None:
        chosen, site = self.ticked(), self.site.currentText().strip()
        if not chosen:
            self.status.setText(self.tr("Tick the devices to add."))
            return
        self.add_btn.setEnabled(False)

        def done(outcome: crawl.AddOutcome) -> None:
            self._mark_added(set(outcome.addresses))
            text = self.tr("{n} device(s) added.").format(n=len(outcome.added))
            self.status.setText(text + ("\n" + "\n".join(outcome.problems) if outcome.problems else ""))
            self.added.emit(len(outcome.added))

        CollectionOp(parent=self, op=lambda store: crawl.add_candidates(store, chosen, site=site),
                     success=done).run_in_background()

    def _mark_added(self, addresses: set[str]) -> None:
        for r in range(self.table.rowCount()):
            name_item = self.table.item(r, NAME)
            if self.table.item(r, ADDRESS).text() in addresses:
                name_item.setCheckState(Qt.CheckState.Unchecked)
                for col in range(self.table.columnCount()):
                    _grey(self.table.item(r, col))
                self.table.item(r, WHY).setText(self.tr("added"))
        self.add_btn.setEnabled(any(c.addable for c in self.ticked()))
