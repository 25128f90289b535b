"""Screenshots of the desktop app for README/docs, from a store filled with a plausible network and history.

    QT_QPA_PLATFORM=offscreen python scripts/ui_screenshots.py [--out docs] [--db existing.db]

Without --db a temporary store is generated (tests/uihelpers.populate: 60 devices, a month of history on
the core router). With --db (e.g. the demo database) the real data is shown instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settle(app, seconds: float) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--device", help="device name for the device page (default: the one with most sensors)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nocdesk-shots-") as tmp:
        os.environ.setdefault("NOCDESK_DATA_DIR", str(Path(tmp) / "data"))
        db = args.db
        if db is None:
            from uihelpers import populate

            from nocdesk.store import open_store

            db = Path(tmp) / "shots.db"
            with open_store(db) as store:
                populate(store, devices=60, rich_devices=1, history_days=30)
                store.set_setting("agency.name", "Dinas Komunikasi dan Informatika Kota Contoh")
        from nocdesk.store import open_store
        from nocdesk.ui.app import build

        with open_store(db) as store:
            sql = "SELECT id FROM devices WHERE name = ?" if args.device else \
                "SELECT device_id FROM sensors GROUP BY device_id ORDER BY count(*) DESC LIMIT 1"
            row = store.conn.execute(sql, (args.device,) if args.device else ()).fetchone()
        parts = build(db, start_engine=False)
        window = parts.window
        window.resize(1600, 940)
        window.show()
        settle(parts.app, 2.0)
        window.grab().save(str(args.out / "screenshot-dashboard.png"))
        if row is not None:
            window.open_device(row[0])
            window.device_page.set_range("7d")
            settle(parts.app, 2.5)
            window.device_page.charts.show_at(time.time() - 29 * 3600)
            settle(parts.app, 0.3)
            window.grab().save(str(args.out / "screenshot-device.png"))
        parts.shutdown()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
