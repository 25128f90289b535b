"""Monthly reports from a real store: the PDF's figures match a recomputation from the raw state rows, the
PDF, XLSX and CSV carry identical figures, acknowledgements and root causes reach the incident list, and the
CLI, scope, cancel and the automatic monthly run behave."""

from __future__ import annotations

import bisect
import csv
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from nocdesk.availability import month_bounds
from nocdesk.cli import main as cli_main
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.reportbuild import ReportCancelled
from nocdesk.reports import generate_report, last_monthly_reports, run_monthly_reports_if_due
from nocdesk.store import Store, open_store

YEAR, MONTH = 2026, 10
WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
NOW = int(datetime(2026, 11, 5, tzinfo=WIB).timestamp())
DEVICES = {  # name: (address, kind, site, group, parent)
    "core-router": ("198.18.0.1", "router", "Kantor Bupati", "Inti", ""),
    "sw-kutaraja": ("198.18.2.1", "switch", "Kuta Raja", "Distribusi", "core-router"),
    "cam-pasar": ("198.18.2.10", "cctv", "Kuta Raja", "CCTV", "sw-kutaraja"),
    "srv-makassar": ("198.18.3.1", "server", "Makassar", "Inti", ""),
}
# Hand-computed October figures (rules: unreachable and unknown excluded); see populate() for the events.
EXPECTED = {  # name: (availability %, downtime s, outages)
    "core-router": (99.86, 3600, 1),    # (2678400-7200-3600-3600) / (2678400-7200-3600) = 99.8650…
    "sw-kutaraja": (99.66, 9000, 1),    # (2674800-9000) / 2674800 = 99.6635…
    "cam-pasar": (99.93, 1800, 1),      # (2665860-1800) / 2665860 = 99.9324… (8940 s unreachable left out)
    "srv-makassar": (99.89, 2700, 1),   # (2674800-2700) / 2674800 = 99.8990… (outage began 30 Sep WITA)
}


def at(tz: ZoneInfo, *args: int) -> int:
    return int(datetime(*args, tzinfo=tz).timestamp())


def populate(store: Store, year: int = YEAR, month: int = MONTH) -> dict[str, int]:
    """Four devices with outages, maintenance, an engine gap, an acknowledged alert, traffic and configs."""
    start, _end = month_bounds(year, month, "Asia/Jakarta")
    before = start - 20 * 86400
    ids = {}
    for name, (address, kind, site, group, parent) in DEVICES.items():
        ids[name] = add_device(store, DeviceSpec(name=name, address=address, kind=kind, site=site, group=group,
                                                 parent=parent))
    day = lambda d, h, m=0, tz=WIB: at(tz, year, month, d, h, m)  # noqa: E731
    with store.transaction() as conn:
        conn.execute("UPDATE devices SET created_at = ?", (before,))
        conn.execute("UPDATE sites SET timezone = 'Asia/Makassar' WHERE name = 'Makassar'")
        conn.execute("UPDATE device_groups SET sla_target_pct = 99.9 WHERE name = 'Inti'")
        conn.execute("UPDATE device_groups SET sla_target_pct = 99.5 WHERE name = 'Distribusi'")
        rows = [(i, before, "up", None, None, "") for i in ids.values()] + [
            (ids["core-router"], day(7, 10), "down", None, None, "no reply to ping"),
            (ids["core-router"], day(7, 12), "up", None, None, ""),
            (ids["sw-kutaraja"], day(14, 9), "down", None, None, "no reply to ping"),
            (ids["sw-kutaraja"], day(14, 11, 30), "up", None, None, ""),
            (ids["cam-pasar"], day(14, 9, 1), "unreachable", "device", ids["sw-kutaraja"], "parent down"),
            (ids["cam-pasar"], day(14, 11, 30), "up", None, None, ""),
            (ids["cam-pasar"], day(31, 23, 30), "down", None, None, "no reply to ping"),
            (ids["srv-makassar"], month_bounds(year, month, "Asia/Makassar")[0] - 1800, "down", None, None,
             "no reply to ping"),
            (ids["srv-makassar"], at(WITA, year, month, 1, 0, 45), "up", None, None, ""),
        ]
        conn.executemany("INSERT INTO state_changes(target_type, target_id, ts, state, cause_type, cause_id, reason) "
                         "VALUES ('device', ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("INSERT INTO alerts(rule, target_type, target_id, device_id, status, message, opened_at, "
                     "resolved_at, acked_by, acked_at, ack_comment) VALUES ('device_down', 'device', ?, ?, 'resolved', "
                     "'sw-kutaraja down', ?, ?, 'andi', ?, 'kabel FO putus di Jl. Pocut Baren')",
                     (ids["sw-kutaraja"], ids["sw-kutaraja"], day(14, 9, 2), day(14, 11, 30), day(14, 9, 10)))
        conn.execute("INSERT INTO maintenance_windows(name, target_type, target_id, start_ts, end_ts, comment) "
                     "VALUES ('Ganti UPS', 'site', (SELECT id FROM sites WHERE name = 'Kantor Bupati'), ?, ?, 'vendor')",
                     (day(7, 11), day(7, 13)))
        conn.executemany("INSERT INTO engine_runs(started_at, last_beat_at, stopped_at) VALUES (?, ?, ?)",
                         [(before, day(20, 2), day(20, 2)), (day(20, 3), NOW + 40 * 86400, None)])
        if_id = conn.execute("INSERT INTO interfaces(device_id, if_index, name, speed_bps) VALUES (?, 1, 'ether1', ?)",
                             (ids["sw-kutaraja"], 100_000_000)).lastrowid
        sensor = conn.execute("INSERT INTO sensors(device_id, interface_id, kind) VALUES (?, ?, 'in_bps')",
                              (ids["sw-kutaraja"], if_id)).lastrowid
        # 576 five-minute buckets; every tenth at 50 Mbit/s, the rest at 10 Mbit/s
        conn.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)",
                         [(sensor, start + k * 60, 50e6 if (k // 5) % 10 == 0 else 10e6) for k in range(2880)])
        conn.executemany("INSERT INTO config_versions(device_id, ts, text_hash, content, size, summary) VALUES "
                         "(?, ?, ?, x'00', 120, ?)", [(ids["core-router"], before, "a", ""),
                                                       (ids["core-router"], day(20, 10), "b", "+2 -1 lines")])
    return ids | {"gap_start": day(20, 2), "gap_end": day(20, 3), "maint_start": day(7, 11), "maint_end": day(7, 13)}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    s = open_store(tmp_path / "nocdesk.db")
    yield s
    s.close()


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        message = "pdftotext (poppler-utils) is not installed"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_device_rows(text: str, heading: str) -> dict[str, tuple[float, str, int]]:
    """Availability, downtime (h:mm:ss) and outages of each device line after `heading`."""
    section = text[text.index(heading):]
    rows = {}
    for name in DEVICES:
        line = next(ln for ln in section.splitlines() if ln.strip().startswith(name + " "))
        m = re.search(r"\s(\d{1,3}[,.]\d{2})\s+(\d+:\d{2}:\d{2})\s+(\d+)\s", line)
        rows[name] = (float(m.group(1).replace(",", ".")), m.group(2), int(m.group(3)))
    return rows


def clock(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def recompute_minutewise(store: Store, device_id: int, start: int, end: int, excluded: list[tuple[int, int]]) -> float:
    """Availability from the raw rows by looking at every minute (all test events fall on whole minutes)."""
    rows = store.conn.execute("SELECT ts, state FROM state_changes WHERE target_type = 'device' AND target_id = ? "
                              "ORDER BY ts", (device_id,)).fetchall()
    times = [r[0] for r in rows]
    up = down = 0
    for t in range(start, end, 60):
        if any(a <= t < b for a, b in excluded):
            continue
        state = rows[bisect.bisect_right(times, t) - 1][1]
        up += state in ("up", "degraded")
        down += state == "down"
    return int(up * 10000 // (up + down)) / 100


def test_pdf_matches_raw_rows_and_all_formats_agree(store: Store, tmp_path: Path):
    ids = populate(store)
    files = generate_report(store, year=YEAR, month=MONTH, formats="pdf,xlsx,csv", lang="id", out_dir=tmp_path / "out",
                            now=NOW)
    by_suffix = {p.name.removeprefix("uptime-2026-10-id"): p for p in files}
    assert {".pdf", ".xlsx", "-devices.csv", "-incidents.csv", "-sites.csv", "-info.csv"} <= set(by_suffix)

    text = pdf_text(by_suffix[".pdf"])
    assert "LAPORAN KETERSEDIAAN JARINGAN" in text and "Oktober 2026" in text and "Halaman 1 dari" in text
    pdf_rows = pdf_device_rows(text, "Ketersediaan per perangkat")
    start, end = month_bounds(YEAR, MONTH, "Asia/Jakarta")
    raw = recompute_minutewise(store, ids["core-router"], start, end,
                               [(ids["maint_start"], ids["maint_end"]), (ids["gap_start"], ids["gap_end"])])
    assert pdf_rows["core-router"][0] == raw == EXPECTED["core-router"][0]

    with open(by_suffix["-devices.csv"], encoding="utf-8") as fh:
        assert fh.read(1) == "\ufeff"
        fh.seek(0)
        csv_rows = {r["name"]: r for r in csv.DictReader(fh.read().lstrip("\ufeff").splitlines())}
    sheet = openpyxl.load_workbook(by_suffix[".xlsx"])["Perangkat"]
    header = [c.value for c in sheet[1]]
    xlsx_rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    for name, (pct, downtime_s, outages) in EXPECTED.items():
        assert pdf_rows[name] == (pct, clock(downtime_s), outages), name
        assert (float(csv_rows[name]["availability_pct"]), int(csv_rows[name]["downtime_s"]),
                int(csv_rows[name]["outages"])) == (pct, downtime_s, outages), name
        x = xlsx_rows[name]
        assert (x["Ketersediaan (%)"], round(x["Waktu henti"].total_seconds()), x["Gangguan"]) == (pct, downtime_s, outages)
    formats = {title: sheet.cell(2, j).number_format for j, title in enumerate(header, start=1)}
    assert (formats["Ketersediaan (%)"], formats["Waktu henti"]) == ("0.00", "[h]:mm:ss")
    # worst first
    assert [r["name"] for r in csv_rows.values()] == ["sw-kutaraja", "core-router", "srv-makassar", "cam-pasar"]


def test_incident_list_has_real_times_root_cause_and_acknowledgement(store: Store, tmp_path: Path):
    populate(store)
    files = generate_report(store, year=YEAR, month=MONTH, formats="csv,pdf", lang="id", out_dir=tmp_path, now=NOW)
    incidents = list(csv.DictReader(next(p for p in files if p.name.endswith("incidents.csv"))
                                    .read_text(encoding="utf-8-sig").splitlines()))
    by_target = {(r["target"], r["state"]): r for r in incidents}
    sw = by_target[("sw-kutaraja", "mati")]
    assert (sw["acked_by"], sw["comment"], sw["duration_s"]) == ("andi", "kabel FO putus di Jl. Pocut Baren", "9000")
    cam = by_target[("cam-pasar", "tak terjangkau")]
    assert cam["root_cause"] == "perangkat sw-kutaraja mati" and cam["counted_s"] == "0"
    assert cam["acked_by"] == "andi"  # the child's incident carries its root cause's acknowledgement
    assert by_target[("cam-pasar", "mati")]["end"] == ""  # still open
    srv = by_target[("srv-makassar", "mati")]
    assert srv["start"] == "2026-09-30T23:30:00+08:00" and srv["zone"] == "WITA" and srv["duration_s"] == "2700"
    core = by_target[("core-router", "mati")]
    assert (core["duration_s"], core["counted_s"]) == ("7200", "3600")  # half of it in maintenance
    text = pdf_text(next(p for p in files if p.suffix == ".pdf"))
    assert "kabel FO putus di Jl. Pocut Baren" in text and "masih berlangsung" in text
    assert "30 Sep 2026 23.30 WITA" in text
    assert "Mengetahui," in text and "Aturan penghitungan" in text


def test_bandwidth_config_changes_and_english(store: Store, tmp_path: Path):
    populate(store)
    files = generate_report(store, year=YEAR, month=MONTH, formats="csv,pdf", lang="en", out_dir=tmp_path, now=NOW)
    read = lambda suffix: list(csv.DictReader(  # noqa: E731
        next(p for p in files if p.name.endswith(suffix)).read_text(encoding="utf-8-sig").splitlines()))
    (bw,) = read("bandwidth.csv")
    # 58 of 576 buckets at 50 Mbit/s: mean 14.03, 95th percentile (rank 548) 50, peak 50, 50% of 100 Mbit/s
    assert (bw["in_avg_mbps"], bw["in_p95_mbps"], bw["in_peak_mbps"], bw["util_p95_pct"]) == (
        "14.03", "50.00", "50.00", "50.00")
    (change,) = read("config_changes.csv")
    assert (change["device"], change["change"], change["summary"]) == ("core-router", "changed", "+2 -1 lines")
    groups = {r["group"]: r for r in read("groups.csv")}
    assert groups["Distribusi"]["sla_status"] == "met" and groups["Inti"]["sla_status"] == "missed"
    text = pdf_text(next(p for p in files if p.suffix == ".pdf"))
    assert "NETWORK AVAILABILITY REPORT" in text and "Page 1 of" in text and "99.86" in text


def test_scope_limits_the_devices(store: Store, tmp_path: Path):
    populate(store)
    files = generate_report(store, year=YEAR, month=MONTH, formats=["csv"], lang="en", out_dir=tmp_path,
                            scope="site:Makassar", now=NOW)
    devices = next(p for p in files if p.name.endswith("devices.csv")).read_text(encoding="utf-8-sig")
    assert "srv-makassar" in devices and "core-router" not in devices
    assert files[0].name.startswith("uptime-2026-10-site-makassar-en")


def test_progress_and_cancel_leave_no_partial_files(store: Store, tmp_path: Path):
    populate(store)
    seen: list[float] = []
    generate_report(store, year=YEAR, month=MONTH, formats="pdf", lang="id", out_dir=tmp_path / "ok", now=NOW,
                    progress=lambda f, _m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 5
    out = tmp_path / "cancelled"
    with pytest.raises(ReportCancelled):
        generate_report(store, year=YEAR, month=MONTH, formats="pdf,xlsx,csv", lang="id", out_dir=out, now=NOW,
                        progress=lambda f, _m: seen.append(f), cancel=lambda: seen[-1] >= 0.45)
    assert list(out.iterdir()) == []


def test_cli_writes_the_files_and_rejects_a_bad_month(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture):
    today = datetime.now(WIB)
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    populate(store, year, month)
    out = tmp_path / "cli"
    code = cli_main(["--db", str(store.path), "report", "--month", f"{year}-{month:02d}", "--format", "xlsx,csv",
                     "--lang", "en", "--out", str(out), "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert any(p.endswith(".xlsx") for p in printed) and all(Path(p).exists() for p in printed)
    assert cli_main(["--db", str(store.path), "report", "--month", "2026-13", "--out", str(out)]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert cli_main(["--db", str(store.path), "report", "--scope", "site:Nowhere", "--out", str(out)]) == 2


def test_monthly_run_happens_once_after_the_month_ends(store: Store, tmp_path: Path):
    populate(store)
    store.set_setting("report.auto", {"out_dir": str(tmp_path / "auto"), "formats": ["csv"], "lang": "id"})
    # switched on late in October: September (the last finished month) is written at once, then nothing more
    september = run_monthly_reports_if_due(store, at(WIB, 2026, 10, 31, 22, 0))
    assert september and all("2026-09" in p.name for p in september)
    assert run_monthly_reports_if_due(store, at(WIB, 2026, 10, 31, 23, 0)) == []
    assert run_monthly_reports_if_due(store, at(WIB, 2026, 11, 1, 0, 5)) == []   # waits a few minutes past midnight
    files = run_monthly_reports_if_due(store, at(WIB, 2026, 11, 1, 1, 0))
    assert files and all(p.exists() and "2026-10" in p.name for p in files)
    assert last_monthly_reports(store) == ("2026-10", files)
    assert run_monthly_reports_if_due(store, at(WIB, 2026, 11, 2, 8, 0)) == []


def test_benchmark_data_renders(store: Store, tmp_path: Path):
    """bench/bench_report.py's generator at a tenth of its size: keeps the benchmark runnable (timing is there)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_report import populate as bench_populate

    bench_populate(store, year=YEAR, month=MONTH, devices=50, interfaces=3)
    files = generate_report(store, year=YEAR, month=MONTH, formats="pdf,xlsx,csv", lang="id", out_dir=tmp_path, now=NOW)
    devices = next(p for p in files if p.name.endswith("-devices.csv")).read_text(encoding="utf-8-sig")
    assert len(devices.splitlines()) == 51 and len(read_links(files)) == 2
    assert "Pemerintah Kabupaten Contoh".upper() in pdf_text(next(p for p in files if p.suffix == ".pdf"))


def read_links(files: list[Path]) -> list[dict[str, str]]:
    path = next(p for p in files if p.name.endswith("-links.csv"))
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
