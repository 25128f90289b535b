"""Monthly uptime reports: generate_report() for the CLI and the app's dialog, and the automatic monthly run.

Settings read (all optional; JSON values in the settings table; agency.* and ui.timezone are the app's
settings from nocdesk.appsettings, report.* are added here):
  agency.parent          letterhead first line, e.g. "Pemerintah Kabupaten Contoh"
  agency.name            letterhead main line, e.g. "Dinas Komunikasi dan Informatika"
  agency.unit            smaller line under it, e.g. "Bidang Infrastruktur TIK"
  agency.address         small line under the letterhead: street, phone, web site
  agency.logo_path       PNG or JPEG left of the letterhead (left out when missing or unreadable)
  ui.timezone            zone of devices without a site and of the report's dates (default Asia/Jakarta)
  report.city            place before the signature date: "Kota Contoh, 1 November 2026"
  report.signers         list of {"label", "position", "name", "rank", "nip"}: the first signs on the left
                         ("Mengetahui," / "Kepala Dinas Komunikasi dan Informatika\nKabupaten Contoh,"), the
                         second on the right under the place and date (the preparer)
  report.rules           {"unreachable": "excluded"|"up"|"down", "unknown": "excluded"|"up"|"down"}
  report.sla_target_pct  agency-wide SLA line in the daily chart (group targets: device_groups.sla_target_pct)
  report.auto            {"enabled": true, "out_dir": null (= <data dir>/reports), "formats": ["pdf", "xlsx",
                         "csv"], "lang": "id", "scopes": [null]}  (scopes like "site:Kantor Bupati")
  report.auto_enabled, report.out_dir, report.lang   flat versions of the above (the settings dialog's fields);
                         when stored they win over report.auto
  report.email_to        addresses (comma separated) the automatic run mails its files to, through the
                         notify.email.* SMTP settings (notify.email.enabled need not be on)
  report.signer_head_*, report.signer_preparer_*   (name, position, rank, nip) flat signature fields, used when
                         report.signers is not set
Written by the automatic run: report.auto_last = {"month": "2026-10", "files": [...], "generated_at": epoch,
"email": {"sent": [...], "pending": [...], "attempts": n, "next_at": epoch}}.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .availability import Rules, month_bounds
from .errors import ConfigError
from .i18n import _
from .reportbuild import ReportCancelled, build_report
from .reportdata import Scope, agency_timezone, parse_scope
from .reportmodel import ReportModel
from .store import Store

FORMATS = ("pdf", "xlsx", "csv")
AUTO_DELAY_S = 15 * 60  # after local midnight, so the last minute of the month has been written
DEFAULT_AUTO = {"enabled": True, "out_dir": None, "formats": list(FORMATS), "lang": "id", "scopes": [None]}

__all__ = ["FORMATS", "ReportCancelled", "ReportRun", "auto_config", "generate_report", "last_monthly_reports",
           "parse_formats", "produce_report", "report_basename", "run_monthly_reports_if_due", "write_report"]


def parse_formats(formats: str | Iterable[str]) -> list[str]:
    """'pdf,xlsx' or ['pdf', 'csv'] -> a checked list in canonical order."""
    items = [f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats) if f.strip()]
    unknown = sorted(set(items) - set(FORMATS))
    if unknown or not items:
        raise ConfigError(_("report format '{formats}' is not supported; use pdf, xlsx and/or csv")
                          .format(formats=",".join(unknown) or ""))
    return [f for f in FORMATS if f in items]


def report_basename(year: int, month: int, lang: str, scope: Scope) -> str:
    """'uptime-2026-10-id' or 'uptime-2026-10-site-kantor-bupati-id'."""
    slug = "" if scope.kind == "all" else "-" + scope.kind + "-" + re.sub(r"[^a-z0-9]+", "-", scope.name.lower()).strip("-")
    return f"uptime-{year}-{month:02d}{slug}-{lang}"


@dataclass(frozen=True)
class ReportRun:
    """What one report run produced: the files (final names in out_dir) and the model they were written from."""

    files: list[Path]
    model: ReportModel


def write_report(model: ReportModel, *, formats: str | Iterable[str] = FORMATS, out_dir: Path | str, base: str,
                 progress: Callable[[float, str], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> list[Path]:
    """Write an already built model in the given formats; files appear in out_dir only once all are complete."""
    wanted = parse_formats(formats)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def check() -> None:
        if cancel is not None and cancel():
            raise ReportCancelled(_("report cancelled"))

    staging = Path(tempfile.mkdtemp(prefix=".nocdesk-report-", dir=out))
    try:
        written: list[Path] = []
        share = 0.55 / len(wanted)
        for i, fmt in enumerate(wanted):
            check()
            message = _("Writing {format}").format(format=fmt.upper())
            if progress:
                progress(0.45 + i * share, message)
            if fmt == "pdf":
                from .report_pdf import write_pdf

                def pdf_step(done: float, i: int = i, message: str = message) -> None:
                    check()
                    if progress:
                        progress(0.45 + (i + done) * share, message)

                written.append(write_pdf(model, staging / f"{base}.pdf", check=check, step=pdf_step))
            elif fmt == "xlsx":
                from .report_xlsx import write_xlsx
                written.append(write_xlsx(model, staging / f"{base}.xlsx"))
            else:
                from .report_csv import write_csv
                written += write_csv(model, staging / base)
        check()
        final = []
        for path in written:
            target = out / path.name
            os.replace(path, target)
            final.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        progress(1.0, _("Report ready"))
    return final


def produce_report(store: Store, *, year: int, month: int, formats: str | Iterable[str] = FORMATS, lang: str = "id",
                   out_dir: Path | str, scope: str | Scope | None = None,
                   progress: Callable[[float, str], None] | None = None, cancel: Callable[[], bool] | None = None,
                   rules: Rules | None = None, now: int | None = None) -> ReportRun:
    """Compute and write the month's report; return the files and the model (the app previews the model)."""
    parse_formats(formats)  # a bad format or an unwritable folder fails before the long computation
    scope = parse_scope(scope)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    model = build_report(store, year=year, month=month, lang=lang, scope=scope, rules=rules, now=now,
                         progress=progress, cancel=cancel)
    files = write_report(model, formats=formats, out_dir=out_dir, base=report_basename(year, month, lang, scope),
                         progress=progress, cancel=cancel)
    return ReportRun(files, model)


def generate_report(store: Store, *, year: int, month: int, formats: str | Iterable[str] = FORMATS, lang: str = "id",
                    out_dir: Path | str, scope: str | Scope | None = None,
                    progress: Callable[[float, str], None] | None = None, cancel: Callable[[], bool] | None = None,
                    rules: Rules | None = None, now: int | None = None) -> list[Path]:
    """Compute and write the month's report in the given formats; return the files written.

    progress(fraction 0..1, message) is called along the way; when cancel() returns True the run stops with
    ReportCancelled and leaves no partial files. Files appear in out_dir only once all are complete.
    """
    return produce_report(store, year=year, month=month, formats=formats, lang=lang, out_dir=out_dir, scope=scope,
                          progress=progress, cancel=cancel, rules=rules, now=now).files


def previous_month(now: int, tz: str) -> tuple[int, int]:
    """(year, month) of the calendar month before the one containing `now` in zone `tz`."""
    local = datetime.fromtimestamp(now, ZoneInfo(tz))
    return (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)


_UNSET = object()
FLAT_AUTO_KEYS = {"report.auto_enabled": "enabled", "report.out_dir": "out_dir", "report.lang": "lang"}


def auto_config(store: Store) -> dict:
    """The automatic run's settings: DEFAULT_AUTO, then the 'report.auto' object, then the flat keys the settings
    dialog writes (report.auto_enabled, report.out_dir, report.lang) when they are stored."""
    config = DEFAULT_AUTO | (store.get_setting("report.auto", {}) or {})
    for key, name in FLAT_AUTO_KEYS.items():
        value = store.get_setting(key, _UNSET)
        if value is not _UNSET and (value or name == "enabled"):
            config[name] = value
    return config


def run_monthly_reports_if_due(store: Store, now: int | float | datetime) -> list[Path]:
    """Write last month's reports once, on or after the first day of a month; return the new files (else []).

    The engine may call this every cycle; it does nothing until a month has ended and its report is missing.
    The files are recorded in the 'report.auto_last' setting; when 'report.email_to' is set they are e-mailed
    (nocdesk.report_email: logged in deliveries, a failure is an event and is retried later, never raised).
    """
    from . import report_email

    now_ts = int(now.timestamp()) if isinstance(now, datetime) else int(now)
    config = auto_config(store)
    lang = config.get("lang") or "id"
    last = store.get_setting("report.auto_last", {}) or {}
    retried = report_email.retry_pending(store, last, lang=lang, now=now_ts) if last.get("month") else None
    if retried is not None:
        store.set_setting("report.auto_last", last | {"email": retried})
    if not config.get("enabled", True):
        return []
    tz = agency_timezone(store)
    year, month = previous_month(now_ts, tz)
    key = f"{year}-{month:02d}"
    if last.get("month", "") >= key:
        return []
    month_end = month_bounds(year, month, tz)[1]
    if now_ts < month_end + AUTO_DELAY_S:
        return []
    first_device = store.conn.execute("SELECT min(created_at) FROM devices").fetchone()[0]
    files: list[Path] = []
    if first_device is not None and first_device < month_end:
        from .paths import data_dir

        out_dir = Path(config.get("out_dir") or data_dir() / "reports")
        for scope in config.get("scopes") or [None]:
            files += generate_report(store, year=year, month=month, formats=config.get("formats") or FORMATS,
                                     lang=lang, out_dir=out_dir, scope=scope, now=now_ts)
    record = {"month": key, "files": [str(p) for p in files], "generated_at": now_ts}
    store.set_setting("report.auto_last", record)  # first, so a mail problem can never make the run repeat
    if files and report_email.recipients(store):
        record["email"] = report_email.email_state(store, month=key, files=files, lang=lang, now=now_ts)
        store.set_setting("report.auto_last", record)
    return files


def last_monthly_reports(store: Store) -> tuple[str, list[Path]]:
    """The month ('2026-10') and files of the last automatic run, for sending by e-mail."""
    last = store.get_setting("report.auto_last", {}) or {}
    return last.get("month", ""), [Path(p) for p in last.get("files", [])]

