"""End to end in the namespace network: the real engine polls the lab from the station, alerting attached.

Cutting the core–kec1 fiber gives exactly one root-cause e-mail (aiosmtpd) and one Telegram request (a local
HTTP server standing in for the Bot API) naming kec1 and cam1; splicing it gives one recovery each. A linkDown
trap sent by the core flips its port at once, and the poll it triggers confirms the real state.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from alert_helpers import SECRETS, channel_settings
from notify_peers import free_port, http_server, smtp_server
from nsutil import in_netns
from waiting import wait_for as _wait_for

from nocdesk.alerting import attach_alerting
from nocdesk.credentials import save_snmp_credential
from nocdesk.engine import Engine
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store
from nocdesk.topology import add_manual_link

pytestmark = [pytest.mark.netns, pytest.mark.slow]
DEVICES = (("core", "router", ""), ("srv1", "server", "core"), ("srv2", "server", "core"),
           ("kec1", "switch", "core"), ("kec2", "switch", "core"), ("cam1", "cctv", "kec1"))
INTERVAL_S = 2
LINK_DOWN = "1.3.6.1.6.3.1.1.5.3"


def wait_for(check: Callable[[], object], what: str, timeout_s: float = 30) -> object:
    return _wait_for(check, what, timeout_s)


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key, value in {"NOCDESK_DATA_DIR": str(tmp_path / "data"), "NOCDESK_SECRET_BACKEND": "file",
                       "NOCDESK_MASTER_PASSWORD": "e2e-master-pass", "NOCDESK_LANG": "en"}.items():
        monkeypatch.setenv(key, value)


@contextlib.contextmanager
def engine_in_station(lab, db) -> Iterator[Engine]:
    """The engine on its own thread inside the station namespace, alerting attached."""
    engine = Engine(db)
    attach_alerting(engine, secrets=SECRETS.__getitem__)
    errors: list[BaseException] = []

    def main() -> None:
        try:
            with in_netns(lab.station_ns):
                asyncio.run(engine.run())
        except BaseException as err:  # reported below
            errors.append(err)

    thread = threading.Thread(target=main, name="e2e-engine", daemon=True)
    thread.start()
    try:
        assert engine.ready.wait(20) or not errors, errors
        yield engine
    finally:
        engine.request_stop()
        thread.join(15)
    assert not errors, errors


def build_inventory(lab, db, settings: dict) -> None:
    with open_store(db) as store:
        save_snmp_credential(store, "lab", version="2c", community=lab.node("core").community, timeout_s=0.5,
                             retries=0)
        ids = {}
        for name, kind, parent in DEVICES:
            ids[name] = add_device(store, DeviceSpec(name, lab.node(name).addr, kind, parent=parent,
                                                     snmp_credential="lab", site="Kec. Sukamaju" if name in (
                                                         "kec1", "cam1") else "Kantor Bupati"))
        store.conn.execute("UPDATE devices SET is_station = 1 WHERE id = ?", (ids["core"],))
        store.conn.execute("UPDATE devices SET interval_s = ?", (INTERVAL_S,))
        add_manual_link(store, ids["core"], ids["kec1"], medium="fiber")
        for key, value in {"polling.ping_count": 1, "polling.timeout_ms": 500, **settings}.items():
            store.set_setting(key, value)


def _history(db) -> list[tuple]:
    """Every device's state changes and last error, for a failure message."""
    with open_store(db) as store:
        return [tuple(r) for r in store.conn.execute(
            "SELECT d.name, c.ts, c.state, c.previous, c.reason, d.last_error FROM state_changes c "
            "JOIN devices d ON d.id = c.target_id WHERE c.target_type = 'device' AND d.name IN ('kec1', 'cam1') "
            "ORDER BY c.id")]


def states(db) -> dict[str, str]:
    with open_store(db, readonly=True) as store:
        return dict(store.conn.execute("SELECT name, state FROM devices").fetchall())


def test_fiber_cut_gives_one_email_and_one_telegram_then_one_recovery_each(netlab_rw, tmp_path, env):
    lab, db = netlab_rw, tmp_path / "nocdesk.db"
    with in_netns(lab.station_ns):  # the peers live on the station's loopback, where the engine runs
        smtp_cm, api_cm = smtp_server(), http_server()
        smtp, port = smtp_cm.__enter__()
        telegram = api_cm.__enter__()
    try:
        build_inventory(lab, db, channel_settings(smtp_port=port, api_base=telegram.base,
                                                  **{"notify.group_wait_s": 2, "notify.renotify_minutes": 0}))
        with engine_in_station(lab, db):
            wait_for(lambda: set(states(db).values()) == {"up"}, "every lab device up")
            cut_at = time.monotonic()
            lab.cut("core-kec1")
            wait_for(lambda: smtp.mails and telegram.requests, "the root-cause e-mail and Telegram message")
            notified_s = time.monotonic() - cut_at
            print(f"root-cause notification {notified_s:.1f} s after the cut")
            time.sleep(3 * INTERVAL_S)  # a few more cycles: nothing else may arrive
            assert states(db)["kec1"] == "down" and states(db)["cam1"] == "unreachable", _history(db)
            assert len(smtp.mails) == 1 and len(telegram.requests) == 1, (
                [m.subject for m in smtp.mails], [r.json()["text"] for r in telegram.requests], _history(db))
            (mail,) = smtp.mails
            (request,) = telegram.requests
            for text in (mail.subject, mail.body, request.json()["text"]):
                assert "kec1" in text and "cam1" in text, text
            assert "Fiber link core ↔ kec1 down: 2 devices unreachable (kec1, cam1)" in mail.subject
            assert request.path == f"/bot{SECRETS['bot']}/sendMessage"
            # Bound: first failure within an interval, two failed checks, group wait, flush and dispatcher tick.
            assert notified_s < 20, notified_s

            lab.restore("core-kec1")
            wait_for(lambda: len(smtp.mails) >= 2 and len(telegram.requests) >= 2, "the recovery messages")
            time.sleep(2 * INTERVAL_S)
            assert len(smtp.mails) == 2 and len(telegram.requests) == 2, [m.subject for m in smtp.mails]
            assert "back up after" in smtp.mails[1].subject and "cam1" in smtp.mails[1].subject
            assert "back up after" in telegram.requests[1].json()["text"]
    finally:
        api_cm.__exit__(None, None, None)
        smtp_cm.__exit__(None, None, None)


def test_link_down_trap_flips_the_port_at_once_and_a_poll_confirms(netlab_rw, tmp_path, env):
    lab, db = netlab_rw, tmp_path / "nocdesk.db"
    trap_port = free_port()
    build_inventory(lab, db, {"traps.enabled": True, "traps.port": trap_port, "traps.credentials": ["lab"]})
    core = lab.node("core")
    if_index = core.ifindex(core.iface("core-kec1"))
    with engine_in_station(lab, db):
        def port_row():
            with open_store(db, readonly=True) as store:
                return store.conn.execute("SELECT i.id, i.state FROM interfaces i JOIN devices d ON d.id = i.device_id "
                                          "WHERE d.name = 'core' AND i.if_index = ?", (if_index,)).fetchone()
        port = wait_for(lambda: (row := port_row()) and row["state"] == "up" and row, "core's port toward kec1")
        sent = int(time.time())
        with open_store(db, readonly=True) as store:
            before = store.conn.execute("SELECT COALESCE(max(id), 0) FROM state_changes").fetchone()[0]
        done = lab.exec("core", "snmptrap", "-v", "2c", "-c", core.community,
                        f"{lab.node('station').addr}:{trap_port}", "", LINK_DOWN,
                        f"1.3.6.1.2.1.2.2.1.1.{if_index}", "i", str(if_index))
        assert done.returncode == 0, done.stderr

        def changes():
            with open_store(db, readonly=True) as store:
                return [tuple(r) for r in store.conn.execute(
                    "SELECT state, ts FROM state_changes WHERE target_type = 'interface' AND target_id = ? AND id > ? "
                    "ORDER BY id", (port["id"], before))]
        seen = wait_for(lambda: len(c := changes()) >= 2 and c, "the trap's change and the poll's correction", 15)
        assert [s for s, _ in seen[:2]] == ["down", "up"]  # the trap at once, then the poll: the port is fine
        assert sent - 1 <= seen[0][1] <= sent + 5  # dated when the trap came (snmptrap itself takes a moment)
        with open_store(db, readonly=True) as store:
            event = store.conn.execute("SELECT message FROM events WHERE kind = 'trap'").fetchone()
        assert event["message"] == f"linkDown trap from core: interface {core.iface('core-kec1')}"
