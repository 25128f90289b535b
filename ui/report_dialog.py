"""The monthly uptime report: choose month, scope, language, formats, folder and counting rules; generate in the
background with progress and Cancel; preview the result and open the files.

Reports cover whole calendar months (the core's availability periods are months in each site's zone). The
preview shows the PDF's first page when Qt's PDF module is installed (PySide6-Addons); with
PySide6-Essentials alone it shows the report's key figures and tables from the same model the files were
written from, so the numbers are the ones in the PDF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, reports, views
from nocdesk.availability import Rules
from nocdesk.paths import data_dir
from nocdesk.reportbuild import ReportCancelled, rules_from_settings
from nocdesk.reportmodel import ReportModel, Table

from .db_dialogs import ensure_runner
from .ops import LongOp, Progress, QueryOp

try:  # PySide6-Addons only; the Essentials wheel the app ships has no QtPdf
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - depends on the installed wheel
    QPdfDocument = None

PREVIEW_TABLES = ("sites", "groups", "devices", "incidents")
STEPS = 1000


def last_month(today: date | None = None) -> QDate:
    """The first day of the month before `today`."""
    today = today or date.today()
    return QDate(today.year - 1, 12, 1) if today.month == 1 else QDate(today.year, today.month - 1, 1)


class ReportPreview(QWidget):
    """The first PDF page (QtPdf) or the report's key figures and main tables."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QStackedWidget()
        self.placeholder = QLabel(self.tr("Generate a report to see a preview here."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setObjectName("dimText")
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        page_scroll = QScrollArea()
        page_scroll.setWidgetResizable(True)
        page_scroll.setWidget(self.page_label)
        self.summary = QWidget()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.figures = QGridLayout()
        self.figures.setHorizontalSpacing(14)
        self.tabs = QTabWidget()
        lay = QVBoxLayout(self.summary)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.heading)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setLayout(self.figures)
        lay.addWidget(box)
        lay.addWidget(self.tabs, 1)
        for w in (self.placeholder, page_scroll, self.summary):
            self.stack.addWidget(w)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    def clear(self) -> None:
        self.stack.setCurrentIndex(0)

    def show_pdf(self, path: Path, width_px: int = 560) -> bool:
        """Render page 1 of the PDF; False when QtPdf is not available or the file cannot be read."""
        if QPdfDocument is None:
            return False
        doc = QPdfDocument(self)
        if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() == 0:
            return False
        size = doc.pagePointSize(0)
        image: QImage = doc.render(0, size.toSize().scaled(width_px, 10_000, Qt.AspectRatioMode.KeepAspectRatio))
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.stack.setCurrentIndex(1)
        return not image.isNull()

    def show_model(self, model: ReportModel) -> None:
        """Key figures and the summary, device and incident tables, formatted as in the PDF."""
        from nocdesk.report_pdf import headline_text

        self.heading.setText(f"<b>{model.title}</b><br>{model.period_text} · {model.scope_text}")
        while self.figures.count():
            item = self.figures.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for i, h in enumerate(model.headline):
            value = QLabel(headline_text(h, model.lang))
            value.setObjectName("figureValue")
            value.setStyleSheet("font-size: 15px; font-weight: 600;")
            label = QLabel(h.label)
            label.setObjectName("dimText")
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            cell = QVBoxLayout()
            cell.addWidget(value, 0, Qt.AlignmentFlag.AlignHCenter)
            cell.addWidget(label)
            self.figures.addLayout(cell, i // 4, i % 4)
        self.tabs.clear()
        for key in PREVIEW_TABLES:
            try:
                table = model.table(key)
            except KeyError:
                continue
            self.tabs.addTab(self._table(table, model.lang), table.short_title or table.title)
        self.stack.setCurrentIndex(2)

    def _table(self, table: Table, lang: str) -> QWidget:
        from nocdesk.report_pdf import NUMERIC_KINDS, format_cell

        cols = [c for c in table.columns if c.in_pdf]
        idx = [table.columns.index(c) for c in cols]
        rows = table.all_rows()
        if not rows:
            empty = QLabel(table.empty_text or "—")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return empty
        grid = QTableWidget(len(rows), len(cols))
        grid.setObjectName(f"preview_{table.key}")
        grid.setHorizontalHeaderLabels([c.title for c in cols])
        grid.verticalHeader().hide()
        grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        grid.setAlternatingRowColors(True)
        for r, row in enumerate(rows):
            for j, (i, col) in enumerate(zip(idx, cols, strict=True)):
                item = QTableWidgetItem(format_cell(row[i], col, lang))
                if col.kind in NUMERIC_KINDS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if table.total is not None and r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                grid.setItem(r, j, item)
        grid.resizeColumnsToContents()
        grid.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return grid


class ReportDialog(QDialog):
    """Choose what to report, generate it off the GUI thread, preview and open the files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Uptime report"))
        self.setMinimumSize(1060, 660)
        self.job: LongOp | None = None
        self.files: list[Path] = []
        self.model: ReportModel | None = None
        self._build()
        QueryOp(parent=self, op=self._load_defaults, success=self._loaded).run_in_background()

    # --- layout ----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.month = QDateEdit(last_month())
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCalendarPopup(True)
        today = date.today()
        self.month.setMaximumDate(QDate(today.year, today.month, 1))
        note = QLabel(self.tr("A report covers one whole calendar month, in each site's time zone."))
        note.setObjectName("dimText")
        note.setWordWrap(True)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Whole agency"), None)
        self.lang = QComboBox()
        self.lang.addItem("Bahasa Indonesia", "id")
        self.lang.addItem("English", "en")
        self.formats = {fmt: QCheckBox(fmt.upper()) for fmt in reports.FORMATS}
        fmt_row = QHBoxLayout()
        for box in self.formats.values():
            box.setChecked(True)
            fmt_row.addWidget(box)
        fmt_row.addStretch(1)
        self.out_dir = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_dir, 1)
        out_row.addWidget(browse)
        what = QGroupBox(self.tr("Report"))
        form = QFormLayout(what)
        form.addRow(self.tr("Month"), self.month)
        form.addRow("", note)
        form.addRow(self.tr("Scope"), self.scope)
        form.addRow(self.tr("Language"), self.lang)
        form.addRow(self.tr("Formats"), fmt_row)
        form.addRow(self.tr("Save to"), out_row)

        self.unreachable = self._rule_box()
        self.unknown = self._rule_box()
        rules = QGroupBox(self.tr("Counting rules"))
        rform = QFormLayout(rules)
        rform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # the labels are long: put them above
        for text, box in ((self.tr("Unreachable time (behind a failed device or link)"), self.unreachable),
                          (self.tr("Unknown time (monitor not running, gaps in checks)"), self.unknown)):
            label = QLabel(text)
            label.setWordWrap(True)  # the Indonesian labels are wider than the left column
            label.setBuddy(box)
            rform.addRow(label, box)
        rnote = QLabel(self.tr("Maintenance windows are always left out. The rules are printed in the report."))
        rnote.setObjectName("dimText")
        rnote.setWordWrap(True)
        rform.addRow(rnote)

        self.generate_btn = QPushButton(self.tr("&Generate"))
        self.generate_btn.setDefault(True)
        self.generate_btn.clicked.connect(self.generate)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        run_row = QHBoxLayout()
        run_row.addWidget(self.generate_btn)
        run_row.addWidget(self.cancel_btn)
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.open_file_btn = QPushButton(self.tr("Open file"))
        self.open_file_btn.clicked.connect(self.open_file)
        self.open_folder_btn = QPushButton(self.tr("Open folder"))
        self.open_folder_btn.clicked.connect(self.open_folder)
        for b in (self.open_file_btn, self.open_folder_btn):
            b.setEnabled(False)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_file_btn)
        open_row.addWidget(self.open_folder_btn)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        open_row.addStretch(1)
        open_row.addWidget(close)

        left = QVBoxLayout()
        left.addWidget(what)
        left.addWidget(rules)
        left.addLayout(run_row)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        left_w = QWidget()
        left_w.setLayout(left)
        left_w.setFixedWidth(400)
        self.preview = ReportPreview()
        preview_box = QGroupBox(self.tr("Preview"))
        QVBoxLayout(preview_box).addWidget(self.preview)
        top = QHBoxLayout()
        top.addWidget(left_w)
        top.addWidget(preview_box, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top, 1)
        lay.addLayout(open_row)

    def _rule_box(self) -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("Left out (shown separately)"), "excluded")
        box.addItem(self.tr("Counted as downtime"), "down")
        box.addItem(self.tr("Counted as available"), "up")
        return box

    # --- defaults -----------------------------------------------------------------------------------------

    @staticmethod
    def _load_defaults(store: Any) -> dict[str, Any]:
        config = reports.auto_config(store)
        return {"choices": views.choices(store), "rules": rules_from_settings(store),
                "out_dir": config.get("out_dir") or str(data_dir() / "reports"),
                "lang": config.get("lang") or appsettings.get(store, "ui.language") or "id"}

    def _loaded(self, defaults: dict[str, Any]) -> None:
        choices: views.Choices = defaults["choices"]
        for name in choices.sites:
            self.scope.addItem(self.tr("Site: {name}").format(name=name), f"site:{name}")
        for name in choices.groups:
            self.scope.addItem(self.tr("Group: {name}").format(name=name), f"group:{name}")
        if not self.out_dir.text():
            self.out_dir.setText(str(defaults["out_dir"]))
        self.lang.setCurrentIndex(max(0, self.lang.findData(defaults["lang"])))
        rules: Rules = defaults["rules"]
        self.unreachable.setCurrentIndex(max(0, self.unreachable.findData(rules.unreachable)))
        self.unknown.setCurrentIndex(max(0, self.unknown.findData(rules.unknown)))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save reports to"), self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    # --- the run ------------------------------------------------------------------------------------------

    def chosen_formats(self) -> list[str]:
        return [fmt for fmt, box in self.formats.items() if box.isChecked()]

    def generate(self) -> None:
        formats = self.chosen_formats()
        out_dir = self.out_dir.text().strip()
        if not formats:
            self.status.setText(self.tr("Tick at least one format."))
            return
        if not out_dir:
            self.status.setText(self.tr("Choose the folder to save the report in."))
            return
        month = self.month.date()
        year, mon = month.year(), month.month()
        lang, scope = self.lang.currentData(), self.scope.currentData()
        rules = Rules(unreachable=self.unreachable.currentData(), unknown=self.unknown.currentData())
        self.files, self.model = [], None
        self.preview.clear()
        self._running(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Preparing the report…"))

        def op(store: Any, progress: Progress) -> reports.ReportRun:
            return reports.produce_report(
                store, year=year, month=mon, formats=formats, lang=lang, out_dir=out_dir, scope=scope, rules=rules,
                progress=lambda fraction, text: progress.report(int(fraction * STEPS), STEPS, text),
                cancel=progress.event.is_set)

        self.job = LongOp(parent=self, op=op, success=self._done, progress=self._progress,
                          failure=self._failed).run_in_background()

    def _running(self, running: bool) -> None:
        self.generate_btn.setEnabled(not running)
        self.cancel_btn.setEnabled(running)
        for b in (self.open_file_btn, self.open_folder_btn):
            b.setEnabled(not running and bool(self.files))

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setValue(done)
        if self.job is not None and not self.job.progress.cancelled:
            self.status.setText(text)

    def cancel(self) -> None:
        if self.job is not None and self.cancel_btn.isEnabled():
            self.job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _failed(self, err: Exception) -> None:
        self.job = None
        self._running(False)
        self.progress.setValue(0)
        if isinstance(err, ReportCancelled):
            self.status.setText(self.tr("Cancelled. No files were written."))
        else:
            self.status.setText(self.tr("The report could not be made: {error}").format(error=err))

    def _done(self, run: reports.ReportRun) -> None:
        self.job = None
        self.files, self.model = run.files, run.model
        self._running(False)
        self.progress.setValue(STEPS)
        folder = run.files[0].parent if run.files else Path(self.out_dir.text())
        self.status.setText(self.tr("{n} file(s) saved in {folder}:\n{names}").format(
            n=len(run.files), folder=folder, names="\n".join(p.name for p in run.files[:4])
            + ("\n…" if len(run.files) > 4 else "")))
        pdf = self.main_file()
        if not (pdf is not None and pdf.suffix == ".pdf" and self.preview.show_pdf(pdf)):
            self.preview.show_model(run.model)

    # --- opening ------------------------------------------------------------------------------------------

    def main_file(self) -> Path | None:
        """The PDF if one was made, else the workbook, else the first file."""
        for suffix in (".pdf", ".xlsx"):
            for path in self.files:
                if path.suffix == suffix:
                    return path
        return self.files[0] if self.files else None

    def open_file(self) -> None:
        path = self.main_file()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def open_folder(self) -> None:
        if self.files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.files[0].parent)))

    def reject(self) -> None:
        self.cancel()
        super().reject()


def open_report_dialog(parent: QWidget | None, db_path: Path | str) -> ReportDialog:
    """Show the report dialog (non-modal) for the database at `db_path`."""
    ensure_runner(db_path)
    dlg = ReportDialog(parent)
    dlg.open()
    return dlg
