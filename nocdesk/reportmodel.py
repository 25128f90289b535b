"""The monthly report as plain data: every table with its exact figures, shared by the PDF, XLSX and CSV writers.

Cells hold the reported value, already truncated or rounded as printed (percent with 2 decimals, durations in
whole seconds, bandwidth in Mbps with 2 decimals), so all formats show identical figures. Writers only format.
Column kinds: text, int, pct, duration (seconds), mbps, number, datetime (aware, shown in its zone), date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .availability import DOWN, UP, Availability, Rules

COLUMN_KINDS = ("text", "int", "pct", "duration", "mbps", "number", "datetime", "date")


@dataclass(frozen=True)
class Column:
    """One column: a stable key (CSV header, tests), a translated title, a kind and a PDF width weight."""

    key: str
    title: str
    kind: str = "text"
    width: float = 1.0
    in_pdf: bool = True
    none_text: str = ""      # what an empty cell says ('ongoing' for an open incident); default '—' in PDF


@dataclass
class Table:
    """One table of the report; `total` is an optional last row (bold in PDF, included in XLSX and CSV)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None
    note: str = ""
    empty_text: str = ""
    short_title: str = ""    # XLSX sheet name (at most 31 characters)

    def all_rows(self) -> list[list[Any]]:
        """Rows plus the total row, as written to XLSX and CSV."""
        return self.rows + ([self.total] if self.total is not None else [])

    def column(self, key: str) -> int:
        """Index of column `key`."""
        return [c.key for c in self.columns].index(key)


@dataclass(frozen=True)
class Signer:
    """One signature of the closing block, e.g. the head of the agency who acknowledges the report."""

    label: str = ""          # "Mengetahui," / "Dibuat oleh,"
    position: str = ""       # jabatan, may span lines with "\n"
    name: str = ""
    rank: str = ""           # pangkat/golongan, e.g. "Pembina Utama Muda (IV/c)"
    nip: str = ""


@dataclass(frozen=True)
class Headline:
    """A key figure on the first page."""

    label: str
    value: Any
    kind: str


@dataclass
class ReportModel:
    """Everything a writer needs; no store access after this is built."""

    lang: str
    year: int
    month: int
    title: str
    subtitle: str
    period_text: str
    scope_text: str
    agency_name: str
    agency_parent: str
    agency_unit: str
    agency_address: str
    logo_path: str | None
    generated_at: datetime
    place_date_text: str
    signers: list[Signer]
    rules: Rules
    rules_text: list[str]
    headline: list[Headline]
    tables: list[Table]
    sla_target_pct: float | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        """The table with stable key `key`."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def rules_text(rules: Rules, _: Callable[[str], str], *, zones: str) -> list[str]:
    """The counting rules, one sentence each, written into every report."""
    how = {
        "excluded": _("is left out of the calculation (neither up nor down) and shown separately"),
        UP: _("is counted as available"),
        DOWN: _("is counted as downtime"),
    }
    return [
        _("Period: from 00:00 on the first day to 00:00 on the first day of the next month, local time of each "
          "device's site ({zones}). A device added during the month is counted from the moment it was added.")
        .format(zones=zones),
        _("Availability = available time / (available time + downtime) x 100%, truncated (not rounded) to two "
          "decimals, so 100% means no downtime at all."),
        _("States up and degraded are available; down is downtime."),
        _("Unreachable time (the device could not be checked because a device or link on the path to it had "
          "failed) {how}.").format(how=how[rules.unreachable]),
        _("Unknown time (the monitor was not running or no check result arrived) {how}.").format(how=how[rules.unknown]),
        _("Planned maintenance time is left out of the calculation and listed in the maintenance table."),
        _("An outage is a period in the down state (and unreachable, when that counts as downtime) with downtime "
          "left after maintenance and unknown time are taken out. An outage that crosses the start or end of the "
          "month is counted only within the month; its real start and end are shown."),
        _("MTTR = outage time / number of outages; MTBF = available time / number of outages."),
        _("Site, group and agency figures are time-weighted over their devices: the sum of available time / the "
          "sum of (available time + downtime)."),
        _("Bandwidth: average and 95th percentile (nearest rank) of 5-minute averages; peak = highest sample. "
          "Utilisation is relative to the configured interface speed or link capacity."),
    ]


def target_cells(result: Availability) -> list[Any]:
    """The standard availability figures of one target or aggregate, in TARGET_FIGURES order."""
    return [result.reported_pct, result.downtime_s, result.outages, result.longest_outage_s,
            None if result.mttr_s is None else round(result.mttr_s),
            None if result.mtbf_s is None else round(result.mtbf_s),
            result.unreachable_s, result.unknown_s, result.maintenance_s, result.monitored_s]


def target_columns(_: Callable[[str], str]) -> list[Column]:
    """Columns matching target_cells()."""
    return [
        Column("availability_pct", _("Availability (%)"), "pct", 1.15),
        Column("downtime_s", _("Downtime"), "duration", 1.1),
        Column("outages", _("Outages"), "int", 0.8),
        Column("longest_outage_s", _("Longest"), "duration", 1.1),
        Column("mttr_s", _("MTTR"), "duration", 1.1),
        Column("mtbf_s", _("MTBF"), "duration", 1.2),
        Column("unreachable_s", _("Unreachable"), "duration", 1.1),
        Column("unknown_s", _("Unknown"), "duration", 1.1),
        Column("maintenance_s", _("Maintenance"), "duration", 1.1),
        Column("monitored_s", _("Monitored time"), "duration", 1.2, in_pdf=False),
    ]


def as_date(value: date | datetime) -> date:
    """A date from a date or datetime."""
    return value.date() if isinstance(value, datetime) else value
