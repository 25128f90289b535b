"""The app's look: Fusion with a light palette and a small style sheet (spacing, headers, tiles, banner)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#1f6f8b"

STYLE_SHEET = """
QMainWindow, QDialog, QWizard { background: #f5f7f9; }
QToolBar { background: #ffffff; border: none; border-bottom: 1px solid #dfe4ea; spacing: 4px; padding: 4px 6px; }
QToolBar QToolButton { padding: 4px 8px; border-radius: 5px; color: #2b3a4a; }
QToolBar QToolButton:hover { background: #e8eef3; }
QStatusBar { background: #ffffff; border-top: 1px solid #dfe4ea; color: #44505c; }
QStatusBar QLabel { padding: 0 8px; }
QTreeView#siteTree { background: #ffffff; border: none; border-right: 1px solid #dfe4ea; padding-top: 6px; }
QTreeView#siteTree::item { padding: 2px 4px; }
QTreeView#siteTree::item:selected { background: #dcebf2; color: #12323f; }
QTableView { background: #ffffff; border: 1px solid #dfe4ea; border-radius: 6px; alternate-background-color: #f8fafb;
             selection-background-color: #dcebf2; selection-color: #12323f; gridline-color: #eef1f4; }
QHeaderView::section { background: #f1f4f7; color: #44505c; border: none; border-bottom: 1px solid #dfe4ea;
                       border-right: 1px solid #e6eaee; padding: 5px 6px; font-weight: 600; }
QListWidget { background: #ffffff; border: 1px solid #dfe4ea; border-radius: 6px; }
QListWidget::item { padding: 6px 4px; border-bottom: 1px solid #f0f2f5; }
QListWidget::item:selected { background: #dcebf2; color: #12323f; }
QLineEdit, QPlainTextEdit { background: #ffffff; border: 1px solid #cfd6de; border-radius: 5px; padding: 4px 6px; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid #1f6f8b; }
QComboBox, QSpinBox, QDateTimeEdit, QTimeEdit { min-height: 22px; }
QPushButton { background: #ffffff; border: 1px solid #cfd6de; border-radius: 5px; padding: 5px 12px; color: #2b3a4a; }
QPushButton:hover { background: #eef3f7; }
QPushButton:default { background: #1f6f8b; color: white; border-color: #1a5f77; }
QPushButton:disabled { color: #9aa3ad; background: #f3f5f7; }
QPushButton#segment { border-radius: 0; margin-right: -1px; padding: 4px 12px; }
QPushButton#segment:checked { background: #1f6f8b; color: white; border-color: #1a5f77; }
QTabWidget::pane { border: 1px solid #dfe4ea; border-radius: 6px; background: #ffffff; top: -1px; }
QTabBar::tab { background: #eef1f4; border: 1px solid #dfe4ea; padding: 6px 14px; margin-right: 2px;
               border-top-left-radius: 5px; border-top-right-radius: 5px; color: #44505c; }
QTabBar::tab:selected { background: #ffffff; color: #12323f; border-bottom-color: #ffffff; }
QGroupBox { border: 1px solid #dfe4ea; border-radius: 6px; margin-top: 14px; padding: 10px 8px 6px 8px;
            background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #44505c; font-weight: 600; }
QFrame#pageHeader { background: #ffffff; border: 1px solid #dfe4ea; border-radius: 6px; }
QLabel#pageTitle { font-size: 17pt; font-weight: 600; color: #12323f; }
QLabel#factCaption { color: #7a8794; font-size: 8pt; text-transform: uppercase; }
QLabel#factValue { color: #22303c; }
QLabel#sectionTitle { font-weight: 600; color: #2b3a4a; padding: 2px 0; }
QLabel#dimText, QLabel#legendKey { color: #6b7785; }
QLabel#errorText { color: #b42323; }
QLabel#tileNumber { font-size: 20pt; font-weight: 600; color: #12323f; }
QLabel#tileCaption { color: #6b7785; }
QLabel#availability { font-weight: 600; color: #12323f; }
QLabel#chartReadout { color: #2b3a4a; padding: 2px 4px; }
QLabel#emptyHint { color: #7a8794; font-size: 11pt; }
QFrame#testBox { background: #ffffff; border: 1px solid #dfe4ea; border-radius: 6px; }
QFrame#engineBanner { background: #fdecea; border: 1px solid #f1b0a8; border-radius: 6px; }
QLabel#bannerText { color: #8c1d12; font-weight: 600; }
QFrame#emptyState { background: #ffffff; border: 1px dashed #cfd6de; border-radius: 8px; }
QProgressBar { border: 1px solid #cfd6de; border-radius: 5px; text-align: center; background: #ffffff; height: 18px; }
QProgressBar::chunk { background: #3b9cc0; border-radius: 4px; }
QSplitter::handle { background: transparent; }
"""


def apply(app: QApplication) -> None:
    """Fusion, a light palette and the style sheet, whatever the desktop's theme."""
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f5f7f9"))
    pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f8fafb"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#22303c"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#22303c"))
    pal.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor("#2b3a4a"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#dcebf2"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#12323f"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor("#22303c"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9aa3ad"))
    app.setPalette(pal)
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
