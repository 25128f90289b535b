"""CSV import and export: every bad row named by its physical line, one transaction, export -> import round-trips."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import nocdesk.csvio as csvio
from nocdesk.csvio import (
    ALL_OR_NOTHING,
    COLUMNS,
    VALID_ONLY,
    apply_import,
    export_devices,
    plan_import,
    write_devices,
)
from nocdesk.errors import ConfigError
from nocdesk.inventory import DeviceSpec, add_device, find_device, list_devices, spec_of
from nocdesk.store import open_store

DATA = Path(__file__).parent / "data"
HEADER = "name,address,kind,site,parent,interval_s\n"


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "nocdesk.db") as s:
        yield s


def write(tmp_path: Path, content: str | bytes, name: str = "devices.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def names(store) -> list[str]:
    return [d["name"] for d in list_devices(store)]


def test_mixed_file_lists_each_bad_row_by_physical_line(store):
    plan = plan_import(store, DATA / "mixed.csv")
    assert [(r.line, r.spec.name) for r in plan.accepted] == [
        (2, "core-dc"), (3, "sw-kec-kutaraja"), (5, "dist-1"), (14, "nvr-pasar")]
    reasons = {p.line: "; ".join(p.reasons) for p in plan.rejected}
    assert sorted(reasons) == [4, 6, 7, 8, 9, 10, 12, 13]
    assert "'198.18.1.300' is not an IP address" in reasons[4]
    assert "kind 'toaster' is unknown" in reasons[6]
    assert "name 'core-dc' is already on line 2" in reasons[7]
    assert "address 198.18.0.2 is already on line 5" in reasons[8]
    assert "parent 'nowhere'" in reasons[9]
    assert "interval 5 s is outside" in reasons[10]
    assert "has 10 fields but the header has 9" in reasons[12]
    assert "'abc' is not a whole number" in reasons[13]
    assert names(store) == [], "planning changes nothing"


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(store):
    result = apply_import(store, plan_import(store, DATA / "mixed.csv"), ALL_OR_NOTHING)
    assert result.imported == [] and len(result.rejected) == 8
    assert names(store) == []
    assert store.conn.execute("SELECT count(*) FROM sites").fetchone()[0] == 0


def test_valid_only_imports_exactly_the_good_rows_with_their_parents(store):
    result = apply_import(store, plan_import(store, DATA / "mixed.csv"), VALID_ONLY)
    assert sorted(result.imported) == ["core-dc", "dist-1", "nvr-pasar", "sw-kec-kutaraja"]
    assert {d["name"]: d["parent"] for d in list_devices(store)} == {
        "core-dc": None, "dist-1": "core-dc", "nvr-pasar": "dist-1", "sw-kec-kutaraja": "dist-1"}
    nvr = spec_of(store, find_device(store, "nvr-pasar"))
    assert (nvr.kind, nvr.tags, nvr.interval_s, nvr.site) == ("cctv", ["cctv", "pasar"], 120, "Pasar")
    assert find_device(store, "core-dc")["notes"] == "Core router, rack A"


def test_excel_export_with_bom_semicolons_and_indonesian_headers(store):
    plan = plan_import(store, DATA / "excel_semicolon.csv")
    assert (plan.delimiter, plan.rejected) == (";", [])
    apply_import(store, plan)
    aula = spec_of(store, find_device(store, "ap-aula"))
    assert (aula.kind, aula.parent, aula.enabled, aula.interval_s) == ("access_point", "sw-kec-kutaraja", False, 300)
    assert find_device(store, "sw-kec-kutaraja")["notes"] == "uplink; fiber 12 km"


def test_windows_1252_file_is_read_with_a_note(store):
    plan = plan_import(store, DATA / "windows1252.csv")
    assert plan.encoding == "cp1252" and any("Windows-1252" in n and "line 2" in n for n in plan.notes)
    apply_import(store, plan)
    assert names(store) == ["Kantor Camat Pérak"]


def test_utf16_unicode_text_from_excel_is_read(store, tmp_path):
    path = write(tmp_path, "Name\tIP\tType\r\nsw-1\t198.18.0.1\tswitch\r\n".encode("utf-16"))
    plan = plan_import(store, path)
    assert plan.delimiter == "\t" and [r.spec.address for r in plan.accepted] == ["198.18.0.1"]


@pytest.mark.parametrize("header", [
    "name,address", "Name,Address", " NAME , IP ", "name,ip_address", "Device Name,Host", "nama,alamat ip",
    "\ufeffname,address", "sep=,\nname,address",
])
def test_header_variants_are_recognised(store, tmp_path, header):
    plan = plan_import(store, write(tmp_path, f"{header}\nsw-1,198.18.0.1\n"))
    assert [(r.spec.name, r.spec.address) for r in plan.accepted] == [("sw-1", "198.18.0.1")]


@pytest.mark.parametrize(("row", "reason"), [
    ("sw,198.18.0.1,switch,,,abc", "'abc' is not a whole number of seconds"),
    ("sw,198.18.0.1,switch,,,5", "interval 5 s is outside"),
    ("sw,not an address,switch,,,60", "is not an IP address or host name"),
    ("sw,198.18.0.1,fridge,,,60", "kind 'fridge' is unknown"),
    ("sw,198.18.0.1,switch,,ghost,60", "parent 'ghost' is neither a known device nor in this file"),
    ("sw,198.18.0.1,switch,,sw,60", "cannot be its own parent"),
    ("sw,198.18.0.1,switch,,,60,", ""),  # a trailing empty field (spreadsheets write them) is fine
    ("sw,198.18.0.1,switch,,,60,x", "has 7 fields but the header has 6"),
    ("sw,198.18.0.1,switch", "has 3 fields but the header has 6"),
    (",198.18.0.1,switch,,,60", "name is empty"),
    ("existing,198.18.0.50,switch,,,60", "a device named 'existing' already exists"),
    ("sw,198.18.0.99,switch,,,60", "address 198.18.0.99 is already used by 'existing'"),
])
def test_each_row_problem_is_reported_with_its_line(store, tmp_path, row, reason):
    add_device(store, DeviceSpec("existing", "198.18.0.99", "server"))
    plan = plan_import(store, write(tmp_path, HEADER + "\n" + row + "\n"))
    if not reason:
        assert plan.ok
        return
    assert [(p.line, p.name) for p in plan.rejected] == [(3, row.split(",")[0])]
    assert any(reason in r for r in plan.rejected[0].reasons), plan.rejected[0].reasons


def test_line_numbers_count_physical_lines_after_multiline_values_and_blank_lines(store, tmp_path):
    text = HEADER + 'a,198.18.0.1,switch,"Gedung\nA\nlantai 2",,60\n\n\nb,198.18.0.1,switch,,,60\n'
    plan = plan_import(store, write(tmp_path, text))
    assert [p.line for p in plan.rejected] == [7]
    assert find_line(plan, "a") == 2


def find_line(plan, name: str) -> int:
    return next(r.line for r in plan.rows if r.spec.name == name)


def test_parents_later_in_the_file_are_fine_but_a_rejected_parent_takes_its_children(store, tmp_path):
    text = HEADER + ("leaf,198.18.0.3,switch,,dist,60\n"
                     "dist,198.18.0.2,switch,,core,60\n"
                     "core,198.18.0.300,router,,,60\n"
                     "x,198.18.0.4,switch,,y,60\n"
                     "y,198.18.0.5,switch,,x,60\n")
    plan = plan_import(store, write(tmp_path, text))
    reasons = {p.name: "; ".join(p.reasons) for p in plan.rejected}
    assert "its parent 'dist' (line 3) is rejected" in reasons["leaf"]
    assert "its parent 'core' (line 4) is rejected" in reasons["dist"]
    assert "parents form a loop: x -> y -> x" in reasons["x"]
    good = plan_import(store, write(tmp_path, HEADER + "leaf,198.18.0.3,switch,,core,60\ncore,198.18.0.1,router,,,60\n"))
    apply_import(store, good)
    assert find_device(store, "leaf")["parent_pinned"] == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "is empty"),
    (HEADER.encode(), "has a header row but no devices"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not a CSV text file"),
    (b"PK\x03\x04" + b"\x00" * 100, "is an Excel workbook"),
    (b"hostname_of_box;ipv4\nsw;198.18.0.1\n", "header row has no name or address column"),
    (b"name,address,ip\nsw,198.18.0.1,198.18.0.2\n", "columns 'address' and 'ip' both mean address"),
    (b'name,address\n"sw,198.18.0.1\n', "line 2"),
])
def test_malformed_files_give_one_clear_message(store, tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(ConfigError, match=message) as err:
        plan_import(store, path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_missing_file_is_a_config_error(store, tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        plan_import(store, tmp_path / "nope.csv")


def test_unknown_columns_are_ignored_with_a_note(store, tmp_path):
    plan = plan_import(store, write(tmp_path, "No,name,address,Serial\n1,sw,198.18.0.1,ABC\n"))
    assert plan.ok and any("'Serial'" in n for n in plan.notes) and any("'No'" in n for n in plan.notes)


def test_an_error_midway_leaves_nothing_behind(store, monkeypatch):
    real = csvio.insert_devices

    def insert_then_fail(s, specs):
        real(s, specs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(csvio, "insert_devices", insert_then_fail)
    plan = plan_import(store, DATA / "excel_semicolon.csv")
    with pytest.raises(RuntimeError):
        apply_import(store, plan, VALID_ONLY)
    assert names(store) == []
    assert store.conn.execute("SELECT count(*) FROM sites").fetchone()[0] == 0


def test_apply_checks_again_against_changes_made_after_the_plan(store):
    plan = plan_import(store, DATA / "excel_semicolon.csv")
    assert plan.ok
    add_device(store, DeviceSpec("someone-else", "198.18.1.20", "server"))
    result = apply_import(store, plan, ALL_OR_NOTHING)
    assert result.imported == [] and [p.line for p in result.rejected] == [4]
    assert names(store) == ["someone-else"]
    with pytest.raises(ConfigError, match="import mode"):
        apply_import(store, plan, "some")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_export_then_import_round_trips(store, tmp_path, delimiter):
    apply_import(store, plan_import(store, DATA / "excel_semicolon.csv"))
    add_device(store, DeviceSpec('srv "web"', "198.18.0.7", "server", group="Aplikasi",
                                 snmp_credential="office-v2c", ssh_credential="backup-ssh", profile="linux",
                                 tags=["a", "b c"], notes='note with "quotes", commas; and semicolons',
                                 enabled=False, interval_s=45, check_method="tcp:22"))
    out = tmp_path / "export.csv"
    assert export_devices(store, out, delimiter=delimiter) == 4
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open_store(tmp_path / "copy.db") as copy:
        plan = plan_import(copy, out)
        assert plan.ok and plan.columns == COLUMNS and plan.delimiter == delimiter
        apply_import(copy, plan)
        assert [spec_of(copy, d) for d in list_devices(copy)] == [spec_of(store, d) for d in list_devices(store)]


def test_export_to_a_stream_has_the_header_even_when_empty(store):
    out = io.StringIO()
    assert write_devices(store, out) == 0
    assert out.getvalue().strip() == ",".join(COLUMNS)


def test_export_to_an_unwritable_place_is_a_config_error(store, tmp_path):
    with pytest.raises(ConfigError, match="cannot write"):
        export_devices(store, tmp_path / "no-such-dir" / "x.csv")
