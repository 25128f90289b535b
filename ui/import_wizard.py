"""CSV import wizard: pick a file, see which rows would be rejected (with line numbers), import as chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from . import services
from .icons import icon
from .ops import CollectionOp, QueryOp


class FilePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose a CSV file"))
        self.setSubTitle(self.tr("One device per row. Columns: name, address, kind, site, group, parent, "
                                 "snmp_credential, ssh_credential, tags, notes, interval_s (name and address are "
                                 "required)."))
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("/path/to/devices.csv"))
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton(icon("action-import"), self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addStretch(1)

    def _browse(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, self.tr("Device list"), "", self.tr("CSV files (*.csv);;All files (*)"))
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return Path(self.path.text().strip()).is_file()


class PreviewPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Check the rows"))
        # Every page has a subtitle: in the wizard's modern style only those pages get the header band.
        self.setSubTitle(self.tr("Rows that cannot be imported are listed with their line in the file."))
        self.preview: services.ImportPreview | None = None
        self.summary = QLabel(self.tr("Reading…"))
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.rejected = QTableWidget(0, 3)
        self.rejected.setObjectName("rejectedTable")
        self.rejected.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Device"), self.tr("Problem")])
        self.rejected.verticalHeader().hide()
        self.rejected.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rejected.setColumnWidth(0, 50)
        self.rejected.setColumnWidth(1, 170)
        self.rejected.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.valid_only = QRadioButton(self.tr("Import the valid rows and skip the rejected ones"))
        self.all_or_nothing = QRadioButton(self.tr("Import nothing unless every row is valid"))
        self.valid_only.setChecked(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.rejected, 1)
        lay.addWidget(self.valid_only)
        lay.addWidget(self.all_or_nothing)
        lay.addStretch(0)  # with no rejected rows (table hidden) the text stays on top instead of mid-page

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.preview = None
        self.summary.setText(self.tr("Reading…"))
        self.rejected.setRowCount(0)
        path = Path(self.wizard().file_page.path.text().strip())  # type: ignore[attr-defined]
        QueryOp(parent=self, op=lambda store: services.preview_import(store, path), success=self._show) \
            .failure(self._failed).run_in_background()

    def _failed(self, err: Exception) -> None:
        self.summary.setText(str(err))

    def _show(self, preview: services.ImportPreview) -> None:
        self.preview = preview
        text = self.tr("{valid} row(s) can be imported, {bad} row(s) rejected.").format(
            valid=len(preview.valid), bad=len(preview.rejected))
        if preview.notes:
            text += "\n" + "\n".join(preview.notes[:8])
        self.summary.setText(text)
        self.rejected.setRowCount(len(preview.rejected))
        for r, (line, raw, problem) in enumerate(preview.rejected):
            for c, text in enumerate((str(line), raw, problem)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.rejected.setItem(r, c, item)
        self.rejected.setVisible(bool(preview.rejected))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.preview is not None and bool(self.preview.valid)


class ResultPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Import"))
        self.setSubTitle(self.tr("The valid rows become devices."))
        self.result = QLabel(self.tr("Importing…"))
        self.result.setWordWrap(True)
        self.added: int | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(self.result)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        wiz = self.wizard()
        preview = wiz.preview_page.preview  # type: ignore[attr-defined]
        strict = wiz.preview_page.all_or_nothing.isChecked()  # type: ignore[attr-defined]
        self.added = None
        self.result.setText(self.tr("Importing…"))
        CollectionOp(parent=self, op=lambda store: services.apply_import(store, preview, only_if_all_valid=strict),
                     success=self._done).failure(self._failed).run_in_background()

    def _done(self, result: tuple[int, int]) -> None:
        added, rejected = result
        self.added = added
        if added == 0 and rejected:
            text = self.tr("Nothing was imported: {n} row(s) were rejected and you chose all or nothing.").format(
                n=rejected)
        else:
            text = self.tr("{n} device(s) added. They are polled from the next cycle on.").format(n=added)
            if rejected:
                text += " " + self.tr("{n} rejected row(s) were skipped.").format(n=rejected)
        self.result.setText(text)
        self.completeChanged.emit()
        self.wizard().imported.emit(added)  # type: ignore[attr-defined]

    def _failed(self, err: Exception) -> None:
        self.added = 0
        self.result.setText(str(err))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.added is not None


class ImportWizard(QWizard):
    """The three pages; `imported(n)` after rows were added."""

    imported = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, path: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import devices from CSV"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(720, 460)
        self.file_page = FilePage()
        self.preview_page = PreviewPage()
        self.result_page = ResultPage()
        self.addPage(self.file_page)
        self.addPage(self.preview_page)
        self.addPage(self.result_page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.file_page.path.setText(path)
