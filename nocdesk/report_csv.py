"""Write a ReportModel as CSV files, one per table plus an info file.

Comma-separated, UTF-8 with a byte-order mark (so Excel detects UTF-8), header row = the stable column keys
(units in the name: availability_pct, downtime_s), numbers with a '.' decimal point, durations in whole seconds,
date-times in ISO 8601 with their UTC offset. These files are for scripts and English-locale spreadsheets; an
Indonesian-locale Excel expects ';' and decimal commas, so people should open the XLSX instead.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from . import reportmodel as rm
from .report_pdf import headline_text

ENCODING = "utf-8-sig"


def cell_text(value: Any, column: rm.Column) -> str:
    """A model cell as CSV text."""
    if value is None:
        return ""
    kind = column.kind
    if kind in ("pct", "mbps", "number"):
        return f"{value:.2f}"
    if kind in ("duration", "int"):
        return str(int(round(value)))
    if kind in ("datetime", "date"):
        return value.isoformat()
    return str(value)


def write_table_csv(table: rm.Table, path: Path) -> Path:
    """One table as one CSV file."""
    with open(path, "w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.key for c in table.columns])
        for row in table.all_rows():
            writer.writerow([cell_text(v, c) for v, c in zip(row, table.columns, strict=True)])
    return path


def write_info_csv(model: rm.ReportModel, path: Path) -> Path:
    """Title, period, scope, key figures and counting rules as key,value rows."""
    with open(path, "w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["key", "value"])
        writer.writerows([("title", model.title), ("agency", model.agency_name), ("period", model.period_text),
                          ("scope", model.scope_text), ("generated_at", model.generated_at.isoformat()),
                          ("language", model.lang), ("rule_unreachable", model.rules.unreachable),
                          ("rule_unknown", model.rules.unknown)])
        writer.writerows((h.label, headline_text(h, model.lang)) for h in model.headline)
        writer.writerows((f"rule_{i}", text) for i, text in enumerate(model.rules_text, start=1))
    return path


def write_csv(model: rm.ReportModel, base: Path) -> list[Path]:
    """Write `<base>-info.csv` and `<base>-<table>.csv` for every table; return the paths."""
    paths = [write_info_csv(model, base.with_name(f"{base.name}-info.csv"))]
    for table in model.tables:
        paths.append(write_table_csv(table, base.with_name(f"{base.name}-{table.key}.csv")))
    return paths
