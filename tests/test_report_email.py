"""The automatic monthly run e-mails its files through the alert SMTP settings to a real aiosmtpd server: the PDF
arrives byte for byte, every try is logged in deliveries, and a refusing server is an event and a later retry,
never a crash."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from notify_peers import free_port, smtp_server
from test_reports import WIB, at, populate

from nocdesk.reports import run_monthly_reports_if_due
from nocdesk.store import Store, open_store

RUN_AT = at(WIB, 2026, 11, 1, 1, 0)  # October has ended; its report is due


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    s = open_store(tmp_path / "nocdesk.db")
    populate(s)
    s.set_setting("report.auto", {"out_dir": str(tmp_path / "auto"), "formats": ["pdf", "xlsx", "csv"], "lang": "id"})
    s.set_setting("agency.name", "Dinas Kominfo")
    yield s
    s.close()


def _smtp(store: Store, port: int, to: str) -> None:
    for key, value in {"notify.email.smtp_host": "127.0.0.1", "notify.email.smtp_port": port,
                       "notify.email.security": "none", "notify.email.from": "nocdesk@kominfo.example",
                       "report.email_to": to}.items():
        store.set_setting(key, value)


def _deliveries(store: Store) -> list[dict]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM deliveries ORDER BY id")]


def _events(store: Store) -> list[dict]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM events WHERE kind = 'report' ORDER BY id")]


def test_monthly_report_is_mailed_with_its_files_attached(store: Store):
    with smtp_server() as (handler, port):
        _smtp(store, port, "kadis@kominfo.example; admin@kominfo.example")
        files = run_monthly_reports_if_due(store, RUN_AT)
    pdf = next(f for f in files if f.suffix == ".pdf")
    assert [m.rcpt_tos for m in handler.mails] == [["kadis@kominfo.example"], ["admin@kominfo.example"]]
    mail = handler.mails[0].message
    assert "Oktober 2026" in mail["Subject"] and "Dinas Kominfo" in mail["Subject"]
    assert mail["From"] == "nocdesk@kominfo.example"
    parts = {p.get_filename(): p.get_content() for p in mail.iter_attachments()}
    assert parts["uptime-2026-10-id.pdf"] == pdf.read_bytes() and pdf.read_bytes().startswith(b"%PDF")
    assert parts["uptime-2026-10-id.xlsx"][:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(parts["uptime-2026-10-id-csv.zip"])) as zf:
        assert sorted(zf.namelist()) == sorted(f.name for f in files if f.suffix == ".csv")
        assert zf.read("uptime-2026-10-id-devices.csv") == (pdf.parent / "uptime-2026-10-id-devices.csv").read_bytes()
    rows = _deliveries(store)
    assert [(r["channel"], r["recipient"], r["status"], r["alert_id"]) for r in rows] == [
        ("email", "kadis@kominfo.example", "sent", None), ("email", "admin@kominfo.example", "sent", None)]
    assert json.loads(rows[0]["payload"])["attachments"] == sorted(parts, key=list(parts).index)
    assert [e["severity"] for e in _events(store)] == ["info"]
    assert store.get_setting("report.auto_last")["email"]["sent"] == ["kadis@kominfo.example", "admin@kominfo.example"]


def test_refused_mail_is_an_event_and_is_retried_an_hour_later(store: Store):
    with smtp_server(refuse="451 4.3.0 mailbox busy, try later") as (handler, port):
        _smtp(store, port, "kadis@kominfo.example")
        files = run_monthly_reports_if_due(store, RUN_AT)
        assert files and all(f.exists() for f in files)  # the report is saved whatever the mail does
        failed = _deliveries(store)
        assert [(r["status"], r["attempts"]) for r in failed] == [("failed", 1)]
        assert "451" in failed[0]["last_error"] and "127.0.0.1:" in failed[0]["last_error"]
        event = _events(store)[-1]
        assert event["severity"] == "warning" and "kadis@kominfo.example" in event["message"]
        assert "451" in event["message"]
        handler.refuse = None
        assert run_monthly_reports_if_due(store, RUN_AT + 1800) == []  # not yet: an hour between tries
        assert len(handler.mails) == 0 and handler.attempts == 1
        run_monthly_reports_if_due(store, RUN_AT + 3700)
    assert [m.rcpt_tos for m in handler.mails] == [["kadis@kominfo.example"]]
    assert [(r["status"], r["attempts"]) for r in _deliveries(store)] == [("failed", 1), ("sent", 2)]
    state = store.get_setting("report.auto_last")
    assert state["month"] == "2026-10" and state["email"]["pending"] == [] and state["files"]
    assert store.conn.execute("SELECT count(*) FROM deliveries WHERE status = 'queued'").fetchone()[0] == 0


def test_no_server_listening_gives_up_after_three_tries_without_raising(store: Store):
    _smtp(store, free_port(), "kadis@kominfo.example")
    for k in range(5):
        run_monthly_reports_if_due(store, RUN_AT + k * 3700)
    rows = _deliveries(store)
    assert [(r["status"], r["attempts"]) for r in rows] == [("failed", 1), ("failed", 2), ("failed", 3)]
    warnings = [e["message"] for e in _events(store) if e["severity"] == "warning"]
    assert len(warnings) == 3 and "check the e-mail settings" in warnings[-1]
    assert "tries again in an hour" in warnings[0]


def test_flat_settings_keys_drive_the_automatic_run(store: Store, tmp_path: Path):
    """The keys the settings dialog writes (report.auto_enabled, out_dir, lang, signer_*) win over report.auto."""
    from test_reports import pdf_text

    store.set_setting("report.auto_enabled", False)
    assert run_monthly_reports_if_due(store, RUN_AT) == []
    folder = tmp_path / "laporan"
    for key, value in {"report.auto_enabled": True, "report.out_dir": str(folder), "report.lang": "en",
                       "report.signer_head_name": "Drs. Teuku Ahmad, M.Si",
                       "report.signer_head_position": "Kepala Dinas Kominfo",
                       "report.signer_head_nip": "19700101 199503 1 001"}.items():
        store.set_setting(key, value)
    files = run_monthly_reports_if_due(store, RUN_AT)
    assert files and all(f.parent == folder for f in files) and (folder / "uptime-2026-10-en.pdf") in files
    text = " ".join(pdf_text(folder / "uptime-2026-10-en.pdf").split())
    assert "Drs. Teuku Ahmad, M.Si" in text and "Kepala Dinas Kominfo" in text and "19700101 199503 1 001" in text
    assert _deliveries(store) == []  # no report.email_to: nothing mailed
