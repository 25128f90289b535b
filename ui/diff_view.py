"""A read-only unified-diff viewer: added lines green, removed lines red, hunk headers blue, monospace."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

ADDED_BG, ADDED_FG = "#dff3e2", "#12561f"
REMOVED_BG, REMOVED_FG = "#fbe2e0", "#8c1d12"
HUNK_FG, HEADER_FG = "#2a5db0", "#6b7785"


def _format(fg: str, bg: str | None = None, *, bold: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(fg))
    if bg:
        f.setBackground(QColor(bg))
    if bold:
        f.setFontWeight(QFont.Weight.DemiBold)
    return f


def line_kind(line: str) -> str:
    """'header', 'hunk', 'added', 'removed' or 'context' for one line of a unified diff."""
    if line.startswith(("+++", "---")):
        return "header"
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "added"
    if line.startswith("-"):
        return "removed"
    return "context"


class DiffHighlighter(QSyntaxHighlighter):
    """Colours each line of a unified diff by its first characters (plain text stays untouched)."""

    FORMATS = {"added": _format(ADDED_FG, ADDED_BG), "removed": _format(REMOVED_FG, REMOVED_BG),
               "hunk": _format(HUNK_FG), "header": _format(HEADER_FG, bold=True)}

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.enabled = True

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        fmt = self.FORMATS.get(line_kind(text)) if self.enabled else None
        if fmt is not None:
            # Pad to the full block so short added/removed lines still read as a coloured band.
            self.setFormat(0, max(1, len(text)), fmt)


class DiffView(QPlainTextEdit):
    """Shows a unified diff (set_diff) or a plain config (set_plain) read-only, without wrapping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(9, font.pointSize()))
        self.setFont(font)
        self.highlighter = DiffHighlighter(self.document())

    def set_diff(self, text: str) -> None:
        self.highlighter.enabled = True
        self.setPlainText(text)

    def set_plain(self, text: str) -> None:
        self.highlighter.enabled = False
        self.setPlainText(text)

    def line_background(self, line: str) -> str | None:
        """The background colour ('#rrggbb') the view paints behind the first line equal to `line`, if any."""
        block = self.document().begin()
        while block.isValid():
            if block.text() == line:
                for r in block.layout().formats():
                    if r.format.background().style() != 0:
                        return r.format.background().color().name()
                return None
            block = block.next()
        return None
