"""Topology map benchmark: 500 devices and 700 links in a real store, drawn by the real map widget offscreen.

    python bench/bench_map.py [--devices 500] [--links 700] [--frames 60]     (no root; about 20 s)

1. Initial draw: read the snapshot from the store (layered layout computed and saved the first time), build
   the scene, fit, paint the first frame. Target < 1 s.
2. Recolour after a poll: every link's utilisation and a tenth of the devices' states change in the store;
   the new snapshot is read (off the GUI thread in the app) and applied in place, then one frame is painted.
   Target < 50 ms for the GUI-thread part (apply + paint).
3. Pan and zoom: frames painted while zooming in and out around the whole map and while panning at 1:1.
   Target >= 30 frames/s.
Reference for each: a bare QGraphicsScene of the same size (ellipse + text per device, a line per link, no
tooltips, no icons), measured in the same run. Prints ours, reference, ours/reference and the target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_DRAW_S = 1.0
TARGET_RECOLOUR_S = 0.050
TARGET_FPS = 30.0
KINDS = ("switch", "access_point", "cctv", "server", "ups", "printer")


def make_store(path: Path, devices: int, links: int, seed: int = 5) -> None:
    """A Pemda-like network: a core, distribution per site, access switches, leaves; redundant uplinks and LAGs."""
    from nocdesk.store import open_store

    rnd = random.Random(seed)
    now = int(time.time())
    with open_store(path) as store:
        c = store.conn
        c.execute("BEGIN")
        sites = [c.execute("INSERT INTO sites(name, kind) VALUES (?, 'kecamatan')", (f"Kecamatan {n + 1}",)).lastrowid
                 for n in range(9)]
        parents: dict[int, int | None] = {}
        role: dict[int, str] = {}
        for i in range(devices):
            if i == 0:
                kind, parent, site, name = "router", None, sites[0], "core"
            elif i <= 8:
                kind, parent, site, name = "switch", 1, sites[i], f"dist-{i}"
            elif i <= 80:
                dist = 2 + (i % 8)
                kind, parent, site, name = "switch", dist, sites[dist - 1], f"sw-{i}"
            else:
                access = 10 + rnd.randrange(72)
                kind = rnd.choice(KINDS)
                parent = access
                site = c.execute("SELECT site_id FROM devices WHERE id = ?", (access,)).fetchone()[0]
                name = f"{kind[:3]}-{i}"
            state = rnd.choices(["up", "down", "unreachable", "degraded"], [94, 2, 3, 1])[0]
            dev = c.execute("INSERT INTO devices(name, address, kind, site_id, parent_id, created_at, updated_at, state)"
                            " VALUES (?,?,?,?,?,?,?,?)", (name, f"198.18.{i // 250}.{i % 250 + 1}", kind, site, parent,
                                                          now, now, state)).lastrowid
            parents[dev] = parent
            role[dev] = kind
        pairs = [(p, d) for d, p in parents.items() if p is not None]
        access = [d for d in parents if 10 <= d <= 81]
        while len(pairs) < links:  # redundant uplinks to a second distribution switch, and LAG members
            if rnd.random() < 0.6:
                pairs.append((2 + rnd.randrange(8), rnd.choice(access)))
            else:
                pairs.append((1, 2 + rnd.randrange(8)))
        if_index: dict[int, int] = {}
        for a, b in pairs[:links]:
            ends = []
            for dev in (a, b):
                if_index[dev] = if_index.get(dev, 0) + 1
                util = rnd.uniform(0, 100) if rnd.random() < 0.3 else rnd.uniform(0, 40)
                ends.append(c.execute(
                    "INSERT INTO interfaces(device_id, if_index, name, speed_bps, admin_status, oper_status, in_bps,"
                    " out_bps, util_in_pct, util_out_pct) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (dev, if_index[dev], f"port{if_index[dev]}", 10**9, "up", "up", util * 1e7, util * 4e6, util,
                     util / 3)).lastrowid)
            medium = "fiber" if role[b] == "switch" or a == 1 else rnd.choice(["copper", "copper", "wireless"])
            state = rnd.choices(["up", "down", "degraded"], [95, 3, 2])[0]
            c.execute("INSERT INTO links(a_device_id, a_interface_id, b_device_id, b_interface_id, medium, capacity_bps,"
                      " source, name, state, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (a, ends[0], b, ends[1], medium, 10**10 if a == 1 else 10**9, "lldp", f"{a} ↔ {b}", state,
                       now, now))
        c.execute("COMMIT")


def _paint(view) -> None:  # noqa: ANN001
    view.viewport().repaint()


def _fps(app, view, fit, frames: int) -> tuple[float, float, float]:  # noqa: ANN001
    """Frames/s zooming in and out around the whole map, panning at 1:1 and at 0.4 (labels still drawn)."""
    from PySide6.QtGui import QTransform

    view.resetTransform()
    fit()
    app.processEvents()
    start = time.perf_counter()
    for n in range(frames):
        factor = 1.15 if (n // 10) % 2 == 0 else 1 / 1.15
        view.scale(factor, factor)
        _paint(view)
    zoom_fps = frames / (time.perf_counter() - start)
    view.setTransform(QTransform())
    view.centerOn(view.scene().itemsBoundingRect().center())
    app.processEvents()
    bar = view.horizontalScrollBar()
    start = time.perf_counter()
    for n in range(frames):
        bar.setValue(bar.value() + (25 if (n // 15) % 2 == 0 else -25))
        _paint(view)
    pan_fps = frames / (time.perf_counter() - start)
    view.setTransform(QTransform.fromScale(0.4, 0.4))
    app.processEvents()
    start = time.perf_counter()
    for n in range(frames):
        bar.setValue(bar.value() + (25 if (n // 15) % 2 == 0 else -25))
        _paint(view)
    return zoom_fps, pan_fps, frames / (time.perf_counter() - start)


class Reference:
    """The same map as bare Qt items: what any QGraphicsView map costs at the least."""

    def __init__(self, snapshot) -> None:  # noqa: ANN001
        from PySide6.QtGui import QBrush, QColor, QPainter, QPen
        from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

        self.view = QGraphicsView()
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.view.resize(1400, 900)
        self.view.show()
        scene = QGraphicsScene(self.view)
        self.view.setScene(scene)
        start = time.perf_counter()
        pos = {}
        self.nodes, self.lines = [], []
        for d in snapshot.devices:
            pos[d.id] = (d.x, d.y)
            e = scene.addEllipse(d.x - 22, d.y - 22, 44, 44, QPen(QColor("#2e9d58"), 3), QBrush(QColor("white")))
            e.setZValue(2)
            t = scene.addSimpleText(d.name)
            t.setPos(d.x - 20, d.y + 25)
            self.nodes.append(e)
        for k in snapshot.links:
            (x1, y1), (x2, y2) = pos[k.a], pos[k.b]
            self.lines.append(scene.addLine(x1, y1, x2, y2, QPen(QColor("#2e9d58"), 2.5)))
        self.view.fitInView(scene.itemsBoundingRect())
        _paint(self.view)
        self.draw_s = time.perf_counter() - start
        self.scene = scene

    def fit(self) -> None:
        self.view.fitInView(self.scene.itemsBoundingRect())

    def recolour_s(self, rnd: random.Random) -> float:
        from PySide6.QtGui import QColor, QPen

        start = time.perf_counter()
        for line in self.lines:
            line.setPen(QPen(QColor(rnd.choice(("#2e9d58", "#e0a21a", "#d64545"))), 2.5))
        for node in self.nodes:
            node.setPen(QPen(QColor(rnd.choice(("#2e9d58", "#d64545"))), 3))
        _paint(self.view)
        return time.perf_counter() - start


def poll(store, rnd: random.Random) -> None:  # noqa: ANN001
    """What one polling cycle changes: every port's load, a tenth of the devices' states."""
    c = store.conn
    c.execute("BEGIN")
    c.execute("UPDATE interfaces SET util_in_pct = abs(random() % 100), util_out_pct = abs(random() % 40)")
    ids = [r[0] for r in c.execute("SELECT id FROM devices")]
    for dev in rnd.sample(ids, len(ids) // 10):
        c.execute("UPDATE devices SET state = ? WHERE id = ?", (rnd.choice(["up", "down", "degraded"]), dev))
    c.execute("COMMIT")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--links", type=int, default=700)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the recolour and the zoom frames")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from nocdesk.mapdata import map_snapshot
    from nocdesk.store import open_store
    from nocdesk.ui.topology_view import TopologyView

    app = QApplication.instance() or QApplication([])
    rnd = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "map.db"
        make_store(db, args.devices, args.links)
        store = open_store(db)
        draws, reads, builds = [], [], []
        for rep in range(args.reps):
            if rep:
                store.conn.execute("DELETE FROM map_positions")  # every rep lays out again: the worst case
            t0 = time.perf_counter()
            snapshot = map_snapshot(store)
            t1 = time.perf_counter()
            view = TopologyView()
            view.resize(1400, 900)
            view.show()
            view.show_snapshot(snapshot)
            view.fit()
            t2 = time.perf_counter()
            _paint(view)
            t3 = time.perf_counter()
            reads.append(t1 - t0)
            builds.append(t2 - t1)
            draws.append(t3 - t0)
            if rep < args.reps - 1:
                view.close()
                view.deleteLater()
                app.processEvents()
        print(f"map: {len(snapshot.devices)} devices, {len(snapshot.links)} links; first draw = read "
              f"{statistics.median(reads) * 1e3:.0f} ms + build {statistics.median(builds) * 1e3:.0f} ms + paint")
        ref = Reference(snapshot)
        recolour, recolour_read, ref_recolour = [], [], []
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        for _ in range(args.reps * 2):
            poll(store, rnd)
            t0 = time.perf_counter()
            fresh = map_snapshot(store)
            t1 = time.perf_counter()
            if profiler:
                profiler.enable()
            view.show_snapshot(fresh)
            _paint(view)
            if profiler:
                profiler.disable()
            recolour.append(time.perf_counter() - t1)
            recolour_read.append(t1 - t0)
            ref_recolour.append(ref.recolour_s(rnd))
        assert view.links and all(view.links[k.id].link == k for k in fresh.links), "recolour did not apply"
        zoom_fps, pan_fps, mid_fps = _fps(app, view, view.fit, args.frames)
        ref_zoom, ref_pan, ref_mid = _fps(app, ref.view, ref.fit, args.frames)
        if profiler:
            import pstats

            pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
        store.close()
    draw, rec = statistics.median(draws), statistics.median(recolour)
    rows = [("initial draw (read+layout+build+paint)", f"{draw * 1e3:.0f} ms", f"{ref.draw_s * 1e3:.0f} ms",
             draw / ref.draw_s, f"< {TARGET_DRAW_S * 1e3:.0f} ms", draw < TARGET_DRAW_S),
            ("recolour (apply + paint)", f"{rec * 1e3:.1f} ms", f"{statistics.median(ref_recolour) * 1e3:.1f} ms",
             rec / statistics.median(ref_recolour), f"< {TARGET_RECOLOUR_S * 1e3:.0f} ms", rec < TARGET_RECOLOUR_S),
            ("  snapshot read (worker thread)", f"{statistics.median(recolour_read) * 1e3:.1f} ms", "", None, "", True),
            ("zoom, whole map", f"{zoom_fps:.0f} fps", f"{ref_zoom:.0f} fps", ref_zoom / zoom_fps,
             f">= {TARGET_FPS:.0f} fps", zoom_fps >= TARGET_FPS),
            ("pan at 1:1", f"{pan_fps:.0f} fps", f"{ref_pan:.0f} fps", ref_pan / pan_fps, f">= {TARGET_FPS:.0f} fps",
             pan_fps >= TARGET_FPS),
            ("pan at 0.4 (icons and labels drawn)", f"{mid_fps:.0f} fps", f"{ref_mid:.0f} fps", ref_mid / mid_fps,
             f">= {TARGET_FPS:.0f} fps", mid_fps >= TARGET_FPS)]
    print(f"\n{'measure':40} {'ours':>10} {'reference':>10} {'ours/ref':>9} {'target':>10}  ok")
    for name, ours, reference, ratio, target, ok in rows:
        print(f"{name:40} {ours:>10} {reference:>10} {'' if ratio is None else f'{ratio:.2f}x':>9} {target:>10}  "
              f"{'yes' if ok else 'NO'}")
    print("(fps rows: ours/ref is the time per frame ratio)")
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
