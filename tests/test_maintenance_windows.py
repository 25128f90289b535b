"""Maintenance windows saved through the core (the dialog's path) and the `nocdesk maintenance` command."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from test_cli_devices import assert_user_error, nocdesk

from nocdesk.errors import ConfigError
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.maintenance import Window, active_window
from nocdesk.maintenance_windows import delete_window, list_windows, save_window
from nocdesk.store import open_store

JAKARTA = ZoneInfo("Asia/Jakarta")


def _ts(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=JAKARTA).timestamp())


def test_weekly_window_through_the_core_covers_sunday_night_only(tmp_path) -> None:
    store = open_store(tmp_path / "n.db")
    sw = add_device(store, DeviceSpec(name="sw-kec1", address="127.0.0.5", kind="switch"))
    wid = save_window(store, {"name": "Genset test", "target_type": "device", "target_id": sw,
                              "weekdays": [6], "start_minute": 22 * 60, "duration_min": 180})
    windows = [Window.from_row(r) for r in list_windows(store)]
    # 2026-11-29 is a Sunday: 23:30 and (past midnight) Monday 00:30 are inside, Monday 01:30 is not.
    assert active_window(windows, _ts(2026, 11, 29, 23, 30), device_id=sw) is not None
    assert active_window(windows, _ts(2026, 11, 30, 0, 30), device_id=sw) is not None
    assert active_window(windows, _ts(2026, 11, 30, 1, 30), device_id=sw) is None
    assert active_window(windows, _ts(2026, 11, 29, 23, 30), device_id=sw + 1) is None  # another device

    save_window(store, {"id": wid, "name": "Genset test", "target_type": "all", "target_id": sw,
                        "weekdays": "6", "start_minute": 60, "duration_min": 30})
    row = list_windows(store)[0]
    assert (row["target_type"], row["target_id"], row["target_name"]) == ("all", None, "everything")
    delete_window(store, wid)
    assert list_windows(store) == []


@pytest.mark.parametrize(("window", "problem"), [
    ({"name": "", "start_ts": 10, "end_ts": 20}, "name is empty"),
    ({"name": "x", "start_ts": 20, "end_ts": 10}, "end must be after the start"),
    ({"name": "x", "weekdays": "7", "start_minute": 0, "duration_min": 5}, "0 (Monday) to 6 (Sunday)"),
    ({"name": "x", "weekdays": "1", "start_minute": 1500, "duration_min": 5}, "between 00:00 and 23:59"),
    ({"name": "x", "weekdays": "1", "start_minute": 0, "duration_min": 0}, "duration"),
    ({"name": "x", "start_ts": 10, "end_ts": 20, "weekdays": "1"}, "not both"),
    ({"name": "x", "start_ts": 10, "end_ts": 20, "target_type": "device", "target_id": 999}, "no longer exists"),
    ({"name": "x", "start_ts": 10, "end_ts": 20, "timezone": "Mars/Olympus"}, "unknown time zone"),
    ({"name": "x"}, "start and end, or at least one weekday"),
])
def test_bad_windows_are_refused_with_the_reason_and_nothing_saved(tmp_path, window, problem) -> None:
    store = open_store(tmp_path / "n.db")
    with pytest.raises(ConfigError, match=re.escape(problem)):
        save_window(store, window)
    assert list_windows(store) == []


def test_maintenance_command_adds_lists_and_removes(tmp_path) -> None:
    db = tmp_path / "n.db"
    with open_store(db) as store:
        add_device(store, DeviceSpec(name="core", address="127.0.0.1", kind="switch"))
    done = nocdesk(tmp_path, "maintenance", "add", "Core switch firmware", "--device", "core",
                   "--start", "2026-12-01T22:00", "--end", "2026-12-02T01:00", "--comment", "CR-12", db=db)
    assert done.returncode == 0, done.stderr
    done = nocdesk(tmp_path, "maintenance", "add", "Weekly UPS test", "--weekly", "sun,sab", "--at", "21:30",
                   "--duration", "45", db=db)
    assert done.returncode == 0, done.stderr
    listed = nocdesk(tmp_path, "maintenance", "list", db=db)
    assert "Core switch firmware" in listed.stdout and "core" in listed.stdout
    assert "2026-12-01 22:00 – 2026-12-02 01:00" in listed.stdout
    assert "weekly sat,sun 21:30 for 45 min" in listed.stdout
    with open_store(db) as store:
        rows = list_windows(store)
    assert rows[0]["start_ts"] == _ts(2026, 12, 1, 22, 0)
    assert rows[1]["weekdays"] == "5,6"

    assert_user_error(nocdesk(tmp_path, "maintenance", "add", "x", "--device", "nowhere", "--start",
                              "2026-12-01T22:00", "--end", "2026-12-01T23:00", db=db), "nowhere")
    assert_user_error(nocdesk(tmp_path, "maintenance", "add", "x", "--weekly", "funday", "--at", "1:00",
                              "--duration", "5", db=db), "funday")
    assert_user_error(nocdesk(tmp_path, "maintenance", "add", "x", "--start", "tomorrow", "--end", "later",
                              db=db), "tomorrow")
    assert nocdesk(tmp_path, "maintenance", "remove", str(rows[0]["id"]), db=db).returncode == 0
    assert_user_error(nocdesk(tmp_path, "maintenance", "remove", str(rows[0]["id"]), db=db), "no maintenance window")
    assert "Core switch firmware" not in nocdesk(tmp_path, "maintenance", "list", db=db).stdout
