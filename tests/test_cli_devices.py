"""The real `nocdesk` command (python -m nocdesk.cli) for devices, import and export, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MIXED_BAD_LINES = {4: "is not an IP address", 6: "kind 'toaster' is unknown", 7: "already on line 2",
                   8: "already on line 5", 9: "parent 'nowhere'", 10: "interval 5 s is outside",
                   12: "has 10 fields", 13: "not a whole number"}


def nocdesk(tmp_path: Path, *args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"NOCDESK_DATA_DIR": str(tmp_path / "data"), "NOCDESK_LANG": "en"}
    argv = [sys.executable, "-m", "nocdesk.cli", *(["--db", str(db)] if db else []), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)


def listed(tmp_path: Path) -> list[dict]:
    result = nocdesk(tmp_path, "device", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_user_error(result: subprocess.CompletedProcess, text: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nocdesk: ") and text in lines[0], result.stderr


def test_version(tmp_path):
    result = nocdesk(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.startswith("nocdesk ")


def test_add_list_show_edit_remove(tmp_path):
    add = nocdesk(tmp_path, "device", "add", "--name", "core-dc", "--address", "198.18.0.1", "--kind", "router",
                  "--site", "Data Center", "--group", "Core", "--tags", "core,dc", "--notes", "rack A", "--interval", "30")
    assert add.returncode == 0 and "Added core-dc (198.18.0.1, router)" in add.stdout, add.stderr
    add = nocdesk(tmp_path, "device", "add", "--name", "sw-kec", "--address", "198.18.1.2", "--kind", "switch",
                  "--parent", "core-dc", "--snmp-credential", "office-v2c")
    assert add.returncode == 0 and "credential 'office-v2c' does not exist yet" in add.stderr
    table = nocdesk(tmp_path, "device", "list").stdout.splitlines()
    assert table[0].split() == ["NAME", "ADDRESS", "KIND", "SITE", "GROUP", "PARENT", "STATE", "EVERY"]
    assert table[1].startswith("core-dc") and "Data Center" in table[1] and "30 s" in table[1]
    assert table[2].split()[:6] == ["sw-kec", "198.18.1.2", "switch", "-", "-", "core-dc"]
    rows = list(csv.DictReader(io.StringIO(nocdesk(tmp_path, "device", "list", "--format", "csv").stdout)))
    assert [(r["name"], r["tags"], r["interval_s"]) for r in rows] == [("core-dc", "core|dc", "30"), ("sw-kec", "", "60")]
    show = nocdesk(tmp_path, "device", "show", "198.18.1.2").stdout
    for field in ("name             sw-kec", "parent           core-dc (set by hand)", "SNMP credential  office-v2c",
                  "state            unknown", "last check       -"):
        assert field in show, show
    edit = nocdesk(tmp_path, "device", "edit", "sw-kec", "--address", "198.18.1.3", "--disabled", "--parent", "")
    assert edit.returncode == 0, edit.stderr
    (sw,) = [d for d in listed(tmp_path) if d["name"] == "sw-kec"]
    assert (sw["address"], sw["enabled"], sw["parent"]) == ("198.18.1.3", False, "")
    removed = nocdesk(tmp_path, "device", "remove", "core-dc")
    assert removed.returncode == 0 and "Removed core-dc (198.18.0.1, router)" in removed.stdout
    assert [d["name"] for d in listed(tmp_path)] == ["sw-kec"]


@pytest.mark.parametrize(("args", "message"), [
    (["device", "add", "--name", "x", "--address", "198.18.0.300"], "'198.18.0.300' is not an IP address"),
    (["device", "add", "--name", "x", "--address", "198.18.0.3", "--kind", "toaster"], "kind 'toaster' is unknown"),
    (["device", "show", "ghost"], "no device named 'ghost'"),
    (["device", "remove", "ghost"], "no device named 'ghost'"),
    (["device", "edit", "ghost", "--notes", "x"], "no device named 'ghost'"),
    (["import", "missing.csv"], "no such file"),
])
def test_user_mistakes_print_one_line_and_exit_non_zero(tmp_path, args, message):
    assert_user_error(nocdesk(tmp_path, *args), message)


def test_import_all_or_nothing_lists_each_bad_row_and_imports_nothing(tmp_path):
    result = nocdesk(tmp_path, "import", str(DATA / "mixed.csv"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for line, reason in MIXED_BAD_LINES.items():
        assert any(f"mixed.csv:{line}:" in row and reason in row for row in result.stderr.splitlines()), (line, result.stderr)
    assert "Nothing imported: 8 of 12 rows" in result.stderr
    assert listed(tmp_path) == []


def test_import_valid_only_imports_exactly_the_good_rows(tmp_path):
    dry = nocdesk(tmp_path, "import", str(DATA / "mixed.csv"), "--mode", "valid-only", "--dry-run")
    assert dry.returncode == 0 and "4 of 12 rows can be imported" in dry.stdout
    assert listed(tmp_path) == []
    result = nocdesk(tmp_path, "import", str(DATA / "mixed.csv"), "--mode", "valid-only")
    assert result.returncode == 0 and "Imported 4 device(s)" in result.stdout
    assert len([r for r in result.stderr.splitlines() if "mixed.csv:" in r]) == len(MIXED_BAD_LINES)
    assert {d["name"]: d["parent"] for d in listed(tmp_path)} == {
        "core-dc": "", "dist-1": "core-dc", "nvr-pasar": "dist-1", "sw-kec-kutaraja": "dist-1"}


def test_export_to_stdout_and_file_round_trips(tmp_path):
    assert nocdesk(tmp_path, "import", str(DATA / "excel_semicolon.csv")).returncode == 0
    stdout = nocdesk(tmp_path, "export", "-")
    assert stdout.returncode == 0 and stdout.stdout.startswith("name,address,kind,")
    exported = nocdesk(tmp_path, "export", "devices.csv", "--delimiter", ";")
    assert exported.returncode == 0 and "Exported 3 device(s)" in exported.stdout
    other = tmp_path / "other.db"
    assert nocdesk(tmp_path, "import", str(tmp_path / "devices.csv"), db=other).returncode == 0
    again = nocdesk(tmp_path, "export", "-", db=other)
    assert again.stdout == stdout.stdout


@pytest.mark.parametrize(("content", "message"), [
    (random.Random(7).randbytes(4096), "not a CSV text file"),
    (b"", "is empty"),
    (b"name,address,kind\r\n", "has a header row but no devices"),
])
def test_malformed_csv_gives_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert_user_error(nocdesk(tmp_path, "import", str(path)), message)
    assert listed(tmp_path) == []


def test_a_corrupt_database_is_one_line_and_left_alone(tmp_path):
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"SQLite format 3\x00" + random.Random(3).randbytes(8192))
    before = db.read_bytes()
    assert_user_error(nocdesk(tmp_path, "device", "list", db=db), "corrupt.db")
    assert db.read_bytes() == before
