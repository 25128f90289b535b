"""Write a ReportModel as an A4 PDF with reportlab: letterhead cover, tables, a vector daily chart, signatures.

Fonts are the DejaVu TTFs in resources/fonts, embedded (subset) so Indonesian text renders on any viewer.
Every page but the cover carries the report title and period in the header and "Page x of y" in the footer.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from . import reportmodel as rm
from .locale_format import (
    DASH,
    format_date,
    format_datetime,
    format_duration,
    format_number,
    format_percent,
)

FONT, FONT_BOLD, FONT_COND, FONT_COND_BOLD = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansCondensed", "DejaVuSansCondensed-Bold"
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#1d4e89")
HEADER_BG = colors.HexColor("#1d4e89")
ZEBRA = colors.HexColor("#f1f4f8")
RULE = colors.HexColor("#9aa5b1")
GOOD, BAD = colors.HexColor("#2f855a"), colors.HexColor("#c53030")
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 16 * mm, 20 * mm, 16 * mm
WIDTH = A4[0] - 2 * MARGIN_X
WIDE = landscape(A4)[0] - 2 * MARGIN_X
CELL_PT = 7.3
HEAD_PT = 6.8
NUMERIC_KINDS = ("pct", "duration", "int", "mbps", "number")
LANDSCAPE_TABLES = ("incidents",)


def register_fonts() -> None:
    """Register the bundled DejaVu fonts with reportlab (idempotent)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources.files("nocdesk.resources") / "fonts"
    for name in (FONT, FONT_BOLD, FONT_COND, FONT_COND_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    pdfmetrics.registerFontFamily(FONT_COND, normal=FONT_COND, bold=FONT_COND_BOLD, italic=FONT_COND,
                                  boldItalic=FONT_COND_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "rule": ParagraphStyle("rule", parent=base, fontSize=8, leading=10.5, leftIndent=12, firstLineIndent=-12),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=8,
                             spaceAfter=5, textColor=ACCENT),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=21, alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "kop1": ParagraphStyle("kop1", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER),
        "kop2": ParagraphStyle("kop2", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, alignment=TA_CENTER),
        "kop1u": ParagraphStyle("kop1u", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13, alignment=TA_CENTER),
        "kop3": ParagraphStyle("kop3", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontName=FONT_COND, fontSize=7.3, leading=8.8),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_COND_BOLD, fontSize=HEAD_PT, leading=HEAD_PT * 1.2,
                               textColor=colors.white),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9.5, leading=13, alignment=TA_LEFT),
        "figure": ParagraphStyle("figure", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14, alignment=TA_CENTER,
                                 textColor=ACCENT),
        "figlabel": ParagraphStyle("figlabel", parent=base, fontSize=7.5, leading=9.5, alignment=TA_CENTER),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_cell(value: Any, column: rm.Column, lang: str) -> str:
    """How a cell reads in the PDF (durations as h:mm:ss, percentages without the % sign: it is in the header)."""
    if value is None or value == "":
        return column.none_text or (DASH if column.kind != "text" else "")
    kind = column.kind
    if kind == "pct":
        return format_number(value, lang, 2)
    if kind == "duration":
        return format_duration(value, lang, clock=True)
    if kind in ("mbps", "number"):
        return format_number(value, lang, 2)
    if kind == "int":
        return format_number(value, lang, 0)
    if kind == "datetime":
        return format_datetime(value, lang)
    if kind == "date":
        return format_date(value, lang, short=True)
    return str(value)


def headline_text(item: rm.Headline, lang: str) -> str:
    """A key figure as shown on the cover."""
    if item.kind == "pct":
        return format_percent(item.value, lang)
    if item.kind == "duration_long":
        return format_duration(item.value, lang, max_units=2) if item.value is not None else DASH
    if item.kind == "int":
        return format_number(item.value, lang, 0)
    return str(item.value)


def column_widths(cols: list[rm.Column], texts: list[list[str]], avail: float, *, bold_last: bool = False) -> list[float]:
    """Widths that fit numbers and header words without breaking them; text columns share what is left."""
    pad = 6.5
    mins, wants = [], []
    fonts = [FONT_COND] * len(texts)
    if bold_last and texts:
        fonts[-1] = FONT_COND_BOLD
    for j, col in enumerate(cols):
        head = max(stringWidth(w, FONT_COND_BOLD, HEAD_PT) for w in col.title.split() or [""]) + pad
        widths = [stringWidth(t[j], f, CELL_PT) for t, f in zip(texts, fonts, strict=True)]
        content = max(widths, default=0.0) + pad
        if col.kind == "text":
            word = max((stringWidth(w, FONT_COND, CELL_PT) for t in texts for w in t[j].split()), default=0.0) + pad
            mins.append(max(head, min(word, 110.0), 14.0))
            wants.append(max(mins[-1], min(content, 190.0)))
        else:
            mins.append(max(head, content))
            wants.append(mins[-1])
    text_cols = [j for j, c in enumerate(cols) if c.kind == "text"] or list(range(len(cols)))
    total = sum(wants)
    if total <= avail:
        share = sum(wants[j] for j in text_cols)
        for j in text_cols:
            wants[j] += (avail - total) * wants[j] / share
        return wants
    slack = sum(wants[j] - mins[j] for j in text_cols)
    if slack >= total - avail:
        for j in text_cols:
            wants[j] -= (wants[j] - mins[j]) * (total - avail) / slack
        return wants
    return [m * avail / sum(mins) for m in mins]


def _table_flowables(table: rm.Table, model: rm.ReportModel, st: dict[str, ParagraphStyle], avail: float) -> list:
    cols = [c for c in table.columns if c.in_pdf]
    idx = [table.columns.index(c) for c in cols]
    texts = [[format_cell(row[i], col, model.lang) for i, col in zip(idx, cols, strict=True)] for row in table.all_rows()]
    title = Paragraph(_esc(table.title), st["h1"])
    if not texts:
        return [CondPageBreak(30 * mm), title, Paragraph(_esc(table.empty_text or DASH), st["body"])]
    widths = column_widths(cols, texts, avail, bold_last=table.total is not None)
    header = [Paragraph(_esc(c.title), st["head"]) for c in cols]
    body = []
    for row in texts:
        body.append([Paragraph(_esc(t), st["cell"]) if c.kind == "text" and stringWidth(t, FONT_COND, CELL_PT) > w - 6
                     else t for t, c, w in zip(row, cols, widths, strict=True)])
    style = [
        ("FONT", (0, 0), (-1, -1), FONT_COND, CELL_PT),
        ("LEADING", (0, 0), (-1, -1), CELL_PT * 1.2),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for j, c in enumerate(cols):
        if c.kind in NUMERIC_KINDS:
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
    if table.total is not None:
        style += [("FONT", (0, -1), (-1, -1), FONT_COND_BOLD, CELL_PT), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
                  ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#e2e8f0"))]
    keys = [c.key for c in cols]
    if "sla_status" in keys:
        j = keys.index("sla_status")
        for r, row in enumerate(table.all_rows(), start=1):
            value = row[table.column("sla_status")]
            if value:
                style.append(("TEXTCOLOR", (j, r), (j, r), GOOD if value == model.labels.get("met") else BAD))
    klass = LongTable if len(body) > 60 else Table
    grid = klass([header] + body, colWidths=widths, repeatRows=1, style=TableStyle(style))
    out: list = [CondPageBreak(30 * mm), title, grid]
    if table.note:
        out.append(Paragraph(_esc(table.note), st["small"]))
    return out


def daily_chart(model: rm.ReportModel) -> Drawing:
    """Vector bar chart of the scope's availability per day, with the SLA target as a dashed line."""
    table = model.table("daily")
    values = [row[table.column("availability_pct")] for row in table.rows]
    known = [v for v in values if v is not None]
    target = model.sla_target_pct
    low_value = min(known + ([target] if target is not None else []), default=100.0)
    floor = next((f for f in (99.5, 99.0, 98.0, 95.0, 90.0, 80.0, 50.0) if f <= low_value - 0.05), 0.0)
    height, width = 62 * mm, WIDTH
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 9 * mm, width - 18 * mm, height - 14 * mm
    chart.data = [[v if v is not None else floor for v in values]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = floor, 100.0
    chart.valueAxis.valueStep = max((100.0 - floor) / 5, 0.1)
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 7
    chart.valueAxis.labelTextFormat = lambda v: format_number(v, model.lang, 1 if floor >= 90 else 0)
    chart.valueAxis.gridStrokeColor, chart.valueAxis.visibleGrid = colors.HexColor("#d9e2ec"), 1
    chart.categoryAxis.categoryNames = [str(i + 1) for i in range(len(values))]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 6.5
    chart.barSpacing, chart.groupSpacing = 0, 2.2
    chart.bars.strokeWidth = 0
    chart.bars[0].fillColor = GOOD
    for i, v in enumerate(values):
        if v is None:
            chart.bars[(0, i)].fillColor = colors.HexColor("#cbd2d9")
        elif target is not None and v < target:
            chart.bars[(0, i)].fillColor = BAD
    drawing.add(chart)
    if target is not None and floor <= target <= 100:
        y = chart.y + (target - floor) / (100.0 - floor) * chart.height
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=BAD, strokeWidth=1.3,
                         strokeDashArray=[3, 2]))
    return drawing


def _letterhead(model: rm.ReportModel, st: dict[str, ParagraphStyle]) -> list:
    lines = []
    if model.agency_parent:
        lines.append(Paragraph(_esc(model.agency_parent.upper()), st["kop1"]))
    lines.append(Paragraph(_esc((model.agency_name or "nocdesk").upper()), st["kop2"]))
    if model.agency_unit:
        lines.append(Paragraph(_esc(model.agency_unit), st["kop1u"]))
    if model.agency_address:
        lines.append(Paragraph(_esc(model.agency_address), st["kop3"]))
    logo = None
    if model.logo_path and Path(model.logo_path).is_file():
        try:
            img = Image(str(model.logo_path))
            scale = 22 * mm / img.imageHeight
            logo = Image(str(model.logo_path), width=img.imageWidth * scale, height=22 * mm)
        except Exception:  # an unreadable logo must not stop the monthly report
            logo = None
    block = Table([[logo or "", lines, ""]], colWidths=[28 * mm, WIDTH - 56 * mm, 28 * mm],
                  style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (0, 0), "CENTER")]))
    return [block, Spacer(1, 2 * mm), HRFlowable(width="100%", thickness=2.2, color=INK, spaceAfter=1.2),
            HRFlowable(width="100%", thickness=0.6, color=INK, spaceAfter=8 * mm)]


def _cover(model: rm.ReportModel, st: dict[str, ParagraphStyle]) -> list:
    out = _letterhead(model, st)
    out += [Paragraph(_esc(model.title.upper()), st["title"]), Paragraph(_esc(model.subtitle), st["center"]),
            Spacer(1, 3 * mm),
            Paragraph(f"{_esc(model.labels['period'])}: <b>{_esc(model.period_text)}</b> &nbsp;·&nbsp; "
                      f"{_esc(model.labels['scope'])}: <b>{_esc(model.scope_text)}</b>", st["center"]),
            Spacer(1, 7 * mm)]
    cells = [[Paragraph(_esc(headline_text(h, model.lang)), st["figure"]), Paragraph(_esc(h.label), st["figlabel"])]
             for h in model.headline]
    grid = []
    for i in range(0, len(cells), 4):
        chunk = cells[i:i + 4] + [["", ""]] * (4 - len(cells[i:i + 4]))
        grid.append([c[0] for c in chunk])
        grid.append([c[1] for c in chunk])
    box = Table(grid, colWidths=[WIDTH / 4] * 4, style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#d9e2ec")),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f8fafc")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    out += [box, Spacer(1, 4 * mm)]
    for key in ("sites", "groups"):
        out += _table_flowables(model.table(key), model, st, WIDTH)
    return out


def _signatures(model: rm.ReportModel, st: dict[str, ParagraphStyle]) -> list:
    """The Indonesian official signature block: place and date over the right column, names on one line."""
    signers = model.signers[:2]
    if len(signers) == 1:
        signers = [rm.Signer(), signers[0]]
    p = lambda text: Paragraph(text, st["sign"])  # noqa: E731
    rows: list[list] = [["", p(_esc(model.place_date_text))], [p(_esc(s.label)) for s in signers],
                        [p("<br/>".join(_esc(x) for x in s.position.split("\n") if x)) for s in signers],
                        ["", ""], [], [], []]
    for s in signers:
        blank = not (s.name or s.position or s.label)
        rows[4].append("" if blank else p(f"<u><b>{_esc(s.name) or '.' * 45}</b></u>"))
        rows[5].append(p(_esc(s.rank)) if s.rank else "")
        rows[6].append("" if blank else p(f"{_esc(model.labels['nip'])}. {_esc(s.nip) or '.' * 30}"))
    block = Table(rows, colWidths=["50%", "50%"], rowHeights=[None, None, None, 20 * mm, None, None, None],
                  style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 8 * mm),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [Spacer(1, 10 * mm), KeepTogether([block])]


def _make_canvas(model: rm.ReportModel) -> type[Canvas]:
    header_left = model.agency_name or "nocdesk"
    header_right = f"{model.title} — {model.period_text}"
    footer_left = model.labels["generated"].format(time=format_datetime(model.generated_at, model.lang))

    class NumberedCanvas(Canvas):
        """Draws header and 'Page x of y' once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("initialFontName", FONT)
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(RULE)
            self.setStrokeColor(RULE)
            self.setFont(FONT, 7)
            if number > 1:
                y = height - 12 * mm
                self.drawString(MARGIN_X, y, header_left)
                self.drawRightString(width - MARGIN_X, y, header_right)
                self.setLineWidth(0.4)
                self.line(MARGIN_X, y - 2, width - MARGIN_X, y - 2)
            self.drawString(MARGIN_X, 9 * mm, footer_left)
            self.drawRightString(width - MARGIN_X, 9 * mm, model.labels["page"].format(page=number, pages=total))
            self.restoreState()

    return NumberedCanvas


class _Document(BaseDocTemplate):
    """A document that calls `on_flowable(n)` after each flowable it lays out (progress and cancel mid-build)."""

    on_flowable: Callable[[int], None] | None = None
    laid_out = 0

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (reportlab API)
        self.laid_out += 1
        if self.on_flowable is not None:
            self.on_flowable(self.laid_out)


def _document(path: Path, model: rm.ReportModel) -> BaseDocTemplate:
    doc = _Document(str(path), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=f"{model.title} — {model.period_text}",
                          author=model.agency_name or "nocdesk", creator="nocdesk", subject=model.scope_text)
    templates = []
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, size[0] - 2 * MARGIN_X, size[1] - MARGIN_TOP - MARGIN_BOTTOM, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
    doc.addPageTemplates(templates)
    return doc


def write_pdf(model: rm.ReportModel, path: Path, *, check: Callable[[], None] | None = None,
              step: Callable[[float], None] | None = None) -> Path:
    """Render the report to `path`; `check` is called between sections (it raises to cancel), `step(0..1)` as
    the layout proceeds (it may raise to cancel too: a 500-device PDF takes seconds)."""
    register_fonts()
    st = _styles()
    story: list = _cover(model, st)
    story.append(PageBreak())
    story.append(Paragraph(_esc(model.labels["chart"]), st["h1"]))
    story.append(daily_chart(model))
    if model.sla_target_pct is not None:
        story.append(Paragraph(_esc(model.labels["chart_note"].format(
            target=format_percent(model.sla_target_pct, model.lang))), st["small"]))
    story.append(Paragraph(_esc(model.labels["rules"]), st["h1"]))
    story += [Paragraph(f"{i}. {_esc(text)}", st["rule"]) for i, text in enumerate(model.rules_text, start=1)]
    wide = False
    for table in model.tables:
        if table.key in ("sites", "groups", "daily"):
            continue
        if check:
            check()
        if (table.key in LANDSCAPE_TABLES and table.rows) != wide:
            wide = not wide
            story += [NextPageTemplate("landscape" if wide else "portrait"), PageBreak()]
        story += _table_flowables(table, model, st, WIDE if wide else WIDTH)
    story += _signatures(model, st)
    doc = _document(path, model)
    if step is not None:
        total = max(1, len(story) + sum(len(getattr(f, "_cellvalues", ())) // 40 for f in story))

        def on_flowable(n: int) -> None:
            if n % 4 == 0:  # every few flowables is plenty, and keeps the GUI queue quiet
                step(min(0.99, n / total))

        doc.on_flowable = on_flowable  # type: ignore[attr-defined]
    doc.build(story, canvasmaker=_make_canvas(model))
    return path
