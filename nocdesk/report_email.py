"""E-mail the automatic monthly report: the files as attachments, through the alert e-mail's SMTP settings.

Each recipient of `report.email_to` gets one mail (PDF and XLSX attached as they are, the CSV files in one zip).
Every try is a row in `deliveries` (channel 'email', no alert) written with its final status, so the alert
dispatcher never picks it up; a failure is a warning event, retried at most MAX_ATTEMPTS times an hour apart
by the next calls of run_monthly_reports_if_due(), and never raised.
"""

from __future__ import annotations

import io
import json
import logging
import mimetypes
import zipfile
from pathlib import Path
from typing import Any

from .i18n import _
from .locale_format import format_month, translator
from .notify.channel import SendResult
from .notify.email import EmailChannel
from .store import Store

log = logging.getLogger("nocdesk.reports")
MAX_ATTEMPTS = 3
RETRY_AFTER_S = 3600
MAX_ATTACHMENTS_BYTES = 20 * 1024 * 1024  # most mail servers refuse more than 20-25 MB


def recipients(store: Store) -> list[str]:
    """Addresses in 'report.email_to' (comma or semicolon separated; also report.auto.email_to)."""
    value = store.get_setting("report.email_to", None)
    if value is None:
        value = (store.get_setting("report.auto", {}) or {}).get("email_to", "")
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value or [])
    return [str(v).strip() for v in items if str(v).strip()]


def attachments(files: list[Path]) -> list[tuple[str, bytes, str]]:
    """(name, bytes, mime type): PDF and XLSX as they are; each report's CSV files together in '<report>-csv.zip'."""
    out = [(f.name, f.read_bytes(), _mime(f.name)) for f in files if f.suffix.lower() != ".csv"]
    csvs = [f for f in files if f.suffix.lower() == ".csv"]
    bases = sorted((f.name[:-len("-info.csv")] for f in csvs if f.name.endswith("-info.csv")), key=len, reverse=True)
    groups: dict[str, list[Path]] = {}
    for f in csvs:
        base = next((b for b in bases if f.name.startswith(b + "-")), f.stem)
        groups.setdefault(base, []).append(f)
    for base, members in groups.items():
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in members:
                zf.write(f, f.name)
        out.append((f"{base}-csv.zip", buf.getvalue(), "application/zip"))
    return out


def _mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _channel(store: Store) -> EmailChannel | SendResult:
    """The configured SMTP channel (it sends payload['attachments']), or the reason there is none."""
    from .errors import NocdeskError
    from .notify.dispatcher import build_channel
    from .notify.secrets import read_secret
    from .notify.settings import load_notify_settings

    try:
        channel = build_channel("email", load_notify_settings(store), lambda name: read_secret(store, name))
    except NocdeskError as err:
        return SendResult.failed(str(err), permanent=True)
    if not isinstance(channel, EmailChannel):  # a broken configuration: every send fails with its reason
        return channel.send("", {})
    return channel


def _message(month: str, lang: str, files: list[Path], agency: str) -> dict[str, Any]:
    _ = translator(lang)  # the report's language, not the process's (named _ so the catalogue tools find it)
    year, mon = (int(x) for x in month.split("-"))
    period = format_month(year, mon, lang)
    subject = _("Network availability report {period}").format(period=period)
    if agency:
        subject += f" — {agency}"
    text = "\n".join([
        _("Attached is the network availability report for {period}, generated automatically by nocdesk.")
        .format(period=period), "",
        *(f"- {f.name}" for f in files if f.suffix.lower() != ".csv"),
        *([_("- the tables as CSV files (zip)")] if any(f.suffix.lower() == ".csv" for f in files) else []),
    ])
    return {"subject": subject, "text": text}


def _log_delivery(store: Store, recipient: str, payload: dict[str, Any], result: SendResult, attempt: int,
                  now: int) -> None:
    record = {k: v for k, v in payload.items() if k != "attachments"}
    record["attachments"] = [item[0] for item in payload.get("attachments", ())]
    store.conn.execute(
        "INSERT INTO deliveries(alert_id, channel, recipient, payload, status, attempts, next_attempt_at, last_error,"
        " created_at, sent_at) VALUES (NULL, 'email', ?, ?, ?, ?, ?, ?, ?, ?)",
        (recipient, json.dumps(record, ensure_ascii=False), "sent" if result.ok else "failed", attempt, now,
         None if result.ok else result.error, now, now if result.ok else None))


def _event(store: Store, now: int, severity: str, message: str, details: dict[str, Any]) -> None:
    store.conn.execute("INSERT INTO events(ts, severity, kind, message, details) VALUES (?, ?, 'report', ?, ?)",
                       (now, severity, message, json.dumps(details, ensure_ascii=False)))


def email_report(store: Store, *, month: str, files: list[Path], lang: str, now: int, to: list[str] | None = None,
                 attempt: int = 1) -> dict[str, Any]:
    """Send the files to every recipient; return {"sent": [...], "failed": {address: error}} (never raises)."""
    to = recipients(store) if to is None else to
    status: dict[str, Any] = {"sent": [], "failed": {}}
    if not to or not files:
        return status
    existing = [f for f in files if f.exists()]
    try:
        payload = _message(month, lang, existing, store.get_setting("agency.name", "") or "")
        if not existing:
            raise ValueError(_("the report files are no longer in {folder}").format(folder=files[0].parent))
        payload.update(kind="monthly_report", month=month, attachments=attachments(existing))
        size = sum(len(item[1]) for item in payload["attachments"])
        if size > MAX_ATTACHMENTS_BYTES:
            raise ValueError(_("the report files are {mb} MB, too big to e-mail; they are in {folder}").format(
                mb=round(size / 1e6, 1), folder=existing[0].parent))
        channel = _channel(store)
    except (OSError, ValueError) as err:
        payload, channel = {"subject": month, "text": ""}, SendResult.failed(str(err), permanent=True)
    for address in to:
        result = channel if isinstance(channel, SendResult) else channel.send(address, payload)
        _log_delivery(store, address, payload, result, attempt, now)
        if result.ok:
            status["sent"].append(address)
        else:
            status["failed"][address] = result.error
            if result.permanent:
                status.setdefault("permanent", []).append(address)
    if status["sent"]:
        _event(store, now, "info", _("Monthly report {month} e-mailed to {to}").format(
            month=month, to=", ".join(status["sent"])), {"month": month, "to": status["sent"]})
    for address, error in status["failed"].items():
        will_retry = attempt < MAX_ATTEMPTS and address not in status.get("permanent", [])
        message = _("Monthly report {month} could not be e-mailed to {to}: {error}").format(
            month=month, to=address, error=error)
        message += " " + (_("nocdesk tries again in an hour.") if will_retry else
                          _("The files are in {folder}; check the e-mail settings.").format(
                              folder=files[0].parent))
        log.warning("%s", message)
        _event(store, now, "warning", message, {"month": month, "to": address, "attempt": attempt})
    return status


def email_state(store: Store, *, month: str, files: list[Path], lang: str, now: int) -> dict[str, Any]:
    """E-mail a fresh automatic report and return what to remember in report.auto_last['email']."""
    return _remember(email_report(store, month=month, files=files, lang=lang, now=now), 1, now)


def _remember(status: dict[str, Any], attempt: int, now: int) -> dict[str, Any]:
    retry = [a for a in status["failed"] if a not in status.get("permanent", [])]
    return {"sent": status["sent"], "pending": retry if attempt < MAX_ATTEMPTS else [], "attempts": attempt,
            "next_at": now + RETRY_AFTER_S}


def retry_pending(store: Store, last: dict[str, Any], *, lang: str, now: int) -> dict[str, Any] | None:
    """Try again for recipients a previous run could not reach; the new 'email' state, or None if nothing due."""
    state = last.get("email") or {}
    if not state.get("pending") or now < int(state.get("next_at", 0)):
        return None
    attempt = int(state.get("attempts", 1)) + 1
    status = email_report(store, month=last["month"], files=[Path(p) for p in last.get("files", [])], lang=lang,
                          now=now, to=list(state["pending"]), attempt=attempt)
    new = _remember(status, attempt, now)
    new["sent"] = list(state.get("sent", [])) + new["sent"]
    return new
