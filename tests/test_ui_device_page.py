"""The device page: every range reads a bounded number of points at a fitting resolution, the timeline shows
an outage and maintenance, the crosshair reads values, an interface can be chosen, a custom range works."""

from __future__ import annotations

import shutil
import time

import pytest
from PySide6.QtCore import QDateTime
from uihelpers import open_app, populate, ui_data_dir, when_modal  # noqa: F401

from nocdesk.device_view import DEFAULT_MAX_POINTS
from nocdesk.store import open_store
from nocdesk.ui.device_page import RANGES_S


@pytest.fixture(scope="module")
def rich_template(tmp_path_factory):  # noqa: ANN001, ANN201
    db = tmp_path_factory.mktemp("rich") / "template.db"
    with open_store(db) as store:
        made = populate(store, devices=20, rich_devices=1, history_days=30)
    return db, made


@pytest.fixture
def rich(rich_template, tmp_path):  # noqa: ANN001, ANN201
    """A copy of a store with a month of history (built once per module; each test may change its copy)."""
    template, made = rich_template
    db = tmp_path / "nocdesk.db"
    shutil.copy(template, db)
    return db, made


def _open_page(qtbot, window, device_id: int):  # noqa: ANN001, ANN202
    window.open_device(device_id)
    page = window.device_page
    qtbot.waitUntil(lambda: page.data is not None and page.data.detail.device["id"] == device_id, timeout=10_000)
    qtbot.waitUntil(lambda: not page.charts.building, timeout=10_000)
    return page


def _points(page, key: str) -> int:  # noqa: ANN001
    return sum(len(line.ts) for p in page.charts._plots if p.spec.key == key for line in p.spec.lines)


@pytest.mark.parametrize(("range_key", "resolution"), [("1h", "1 min"), ("24h", "1 min"), ("7d", "5 min"),
                                                       ("30d", "1 h"), ("1y", "1 d")])
def test_each_range_reads_a_fitting_resolution(qtbot, open_app, rich, range_key, resolution):  # noqa: F811
    db, made = rich
    window = open_app(db).window
    page = _open_page(qtbot, window, made.rich_device_id)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.range_buttons[range_key].click()
    assert page.data.end_ts - page.data.start_ts == RANGES_S[range_key]
    assert resolution in page.resolution_label.text()
    latency = _points(page, "latency")
    assert 0 < latency <= 2 * DEFAULT_MAX_POINTS  # two lines (RTT, jitter)
    assert [p.spec.key for p in page.charts._plots][:3] == ["latency", "loss", "traffic"]


def test_timeline_availability_crosshair_and_interface_choice(qtbot, open_app, rich):  # noqa: F811
    db, made = rich
    window = open_app(db).window
    page = _open_page(qtbot, window, made.rich_device_id)
    page.range_buttons["30d"].click()
    qtbot.waitUntil(lambda: page.data.end_ts - page.data.start_ts == 30 * 86400, timeout=10_000)
    kinds = {seg[2] for seg in page.timeline.segments}
    assert {"up", "down", "maintenance"} <= kinds  # the 40-minute outage and the 2-hour window
    down_s = sum(b - a for a, b, k in page.timeline.segments if k == "down")
    assert down_s == 2400
    expected = 100.0 * (30 * 86400 - 2400 - 7200) / (30 * 86400 - 7200)
    assert page.data.availability_pct == pytest.approx(expected, abs=0.01)
    assert "Availability: 99.9" in page.avail_label.text()

    text = page.charts.show_at(time.time() - 6 * 3600)
    assert "RTT" in text and "In" in text and "%" in text  # traffic shows utilisation against the speed

    traffic_before = page.data.interface_id
    other = next(i for i in page.data.detail.interfaces if i.id != traffic_before)
    row = next(r for r in range(page.if_proxy.rowCount()) if page.if_proxy.index(r, 1).data() == other.name)
    page.if_table.clicked.emit(page.if_proxy.index(row, 1))
    qtbot.waitUntil(lambda: page.data.interface_id == other.id, timeout=10_000)


def test_custom_range(qtbot, open_app, rich):  # noqa: F811
    db, made = rich
    window = open_app(db).window
    page = _open_page(qtbot, window, made.rich_device_id)
    end = int(time.time()) - 3 * 86400
    start = end - 6 * 3600

    def pick(dialog) -> None:  # noqa: ANN001
        dialog.start.setDateTime(QDateTime.fromSecsSinceEpoch(start))
        dialog.end.setDateTime(QDateTime.fromSecsSinceEpoch(end))
        dialog.accept()

    when_modal(qtbot, pick)
    page.range_buttons["custom"].click()
    qtbot.waitUntil(lambda: page.data.start_ts == start - start % 60 or page.data.start_ts == start, timeout=10_000)
    assert page.data.end_ts - page.data.start_ts <= 6 * 3600 + 60
    assert _points(page, "latency") > 0
