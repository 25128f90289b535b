"""Start the demo network: fill the demo database with its devices and run the simulated agents.

The agents run in a daemon thread with their own asyncio loop; the real engine polls them like any
device. Demo devices decide up/down by SNMP (check_method 'snmp') because loopback always answers ping.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from pathlib import Path

from ..i18n import _
from ..inventory import DeviceSpec, add_device, ensure_group, ensure_site
from ..store import Store, open_store
from .agent import DeviceEndpoint, serve_devices
from .network import DEMO_COMMUNITY, DEMO_PORT, DemoDevice, DemoState, FiberCut, demo_devices

log = logging.getLogger(__name__)
DEMO_CREDENTIAL = "demo-snmp"
# The demo's only secret is its public community; it lives in the demo's own folder, never in the user's keyring.
DEMO_MASTER_PASSWORD = "nocdesk-demo-network"
DEFAULT_CUT = FiberCut("core-dc:sfp-kutaraja", every_s=300.0, down_s=90.0, offset_s=120.0)


class DemoNetwork:
    """The simulated agents, served from a background thread until stop()."""

    def __init__(self, devices: list[DemoDevice] | None = None, cut: FiberCut = DEFAULT_CUT,
                 *, port: int = DEMO_PORT) -> None:
        self.state = DemoState(devices or demo_devices(), cut)
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.error: BaseException | None = None

    def start(self, timeout_s: float = 5.0) -> DemoNetwork:
        """Bind every simulated device; raises OSError when the addresses or port are taken."""
        self._thread = threading.Thread(target=self._run, name="nocdesk-demo-agents", daemon=True)
        self._thread.start()
        self._ready.wait(timeout_s)
        if self.error:
            raise OSError(_("the demo network could not start: {err}").format(err=self.error))
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        endpoints = {
            (d.address, self.port): DeviceEndpoint(DEMO_COMMUNITY, lambda n=d.name: self.state.table(n),
                                                   lambda n=d.name: self.state.alive(n))
            for d in self.state.devices.values()
        }
        try:
            transports = self._loop.run_until_complete(serve_devices(endpoints))
        except OSError as err:
            self.error = err
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            for transport in transports:
                transport.close()
            # Closing completes on the next loop turn; without it the sockets stay bound until GC.
            self._loop.run_until_complete(asyncio.sleep(0.01))
            self._loop.close()

    def stop(self) -> None:
        """Stop serving (the devices then look down to the engine)."""
        if self._loop and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(timeout=5)


def _save_demo_credential(store: Store) -> None:
    from ..credentials import save_snmp_credential

    save_snmp_credential(store, DEMO_CREDENTIAL, version="2c", community=DEMO_COMMUNITY, port=DEMO_PORT,
                         timeout_s=1, retries=1)


def seed_demo_db(store: Store, devices: list[DemoDevice] | None = None, *, save_credential: bool = True) -> int:
    """Put the demo devices, sites, groups and manual links into `store` (once); returns devices added."""
    devices = devices or demo_devices()
    if store.conn.execute("SELECT count(*) FROM devices").fetchone()[0]:
        return 0
    if save_credential:
        _save_demo_credential(store)
    with store.transaction():
        ensure_site(store, "Data Center", kind="datacenter")
        for d in devices:
            ensure_site(store, d.site, kind="kecamatan" if d.site.startswith("Kec.") else "site")
            if d.group:
                ensure_group(store, d.group)
        store.conn.execute("UPDATE device_groups SET sla_target_pct = 99.5 WHERE name IN ('Backbone', 'Servers SPBE')")
        store.conn.execute("UPDATE device_groups SET sla_target_pct = 98.0 WHERE name IN ('Kecamatan', 'CCTV')")
    for d in devices:  # parents come before children in the list
        add_device(store, DeviceSpec(name=d.name, address=d.address, kind=d.kind, site=d.site, group=d.group,
                                     parent=d.parent, snmp_credential=DEMO_CREDENTIAL, interval_s=15,
                                     check_method="snmp", tags=["demo"]))
    now = int(time.time())
    ids = {r["name"]: r["id"] for r in store.conn.execute("SELECT id, name FROM devices")}
    with store.transaction() as conn:
        for d in devices:
            for p in d.ports:
                conn.execute(
                    "INSERT INTO interfaces(device_id, if_index, name, alias, speed_bps, updated_at) VALUES (?,?,?,?,?,?)",
                    (ids[d.name], p.if_index, p.name, p.alias, p.speed_mbps * 1_000_000, now))
        # The camera speaks no LLDP: its link is a manual one, as it would be in real life.
        for d in devices:
            for p in d.ports:
                peer_name, _sep, peer_port = p.peer.partition(":")
                if p.peer and d.kind == "cctv" and peer_name in ids:
                    a_if = conn.execute("SELECT id FROM interfaces WHERE device_id=? AND name=?", (ids[d.name], p.name)).fetchone()
                    b_if = conn.execute("SELECT id FROM interfaces WHERE device_id=? AND name=?", (ids[peer_name], peer_port)).fetchone()
                    conn.execute(
                        "INSERT INTO links(a_device_id, a_interface_id, b_device_id, b_interface_id, medium, capacity_bps,"
                        " source, name, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (ids[peer_name], b_if[0] if b_if else None, ids[d.name], a_if[0] if a_if else None, "copper",
                         p.speed_mbps * 1_000_000, "manual", f"{peer_name} ↔ {d.name}", now, now))
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('agency_name', ?)",
                     ('"Dinas Komunikasi dan Informatika Kota Contoh (DEMO)"',))
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('demo', 'true')")
    return len(devices)


def isolate_demo_environment() -> Path:
    """Point this process at the demo's own folder and secret file, so demo data never mixes with real data."""
    from ..paths import data_dir

    base = data_dir()
    if base.name != "demo":
        os.environ["NOCDESK_DATA_DIR"] = str(base / "demo")
    os.environ["NOCDESK_SECRET_BACKEND"] = "file"
    os.environ["NOCDESK_MASTER_PASSWORD"] = DEMO_MASTER_PASSWORD
    return data_dir()


def start_demo(db_path: Path | str) -> DemoNetwork:
    """Seed the demo database at `db_path` if it is empty and start the simulated agents."""
    with open_store(db_path) as store:
        seed_demo_db(store)
    return DemoNetwork().start()
