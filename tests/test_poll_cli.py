"""`nocdesk poll` and `nocdesk status` as a user runs them, and EngineThread as the app uses it, against a real
snmpd on 127.0.0.1 (ICMP to loopback only)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from waiting import wait_for as _wait_for

from nocdesk.credentials import save_snmp_credential
from nocdesk.engine import EngineThread
from nocdesk.errors import EngineLockedError
from nocdesk.inventory import DeviceSpec, add_device, remove_device
from nocdesk.store import Store, open_store

try:
    from snmp_agents import SYS_NAME, Snmpd, snmpd_agent  # noqa: F401
except ImportError:  # tests/ collected as a package
    from tests.snmp_agents import SYS_NAME, Snmpd, snmpd_agent  # noqa: F401

INTERVAL_S = 2


def wait_for(check: Callable[[], object], what: str, timeout_s: float = 20.0) -> object:
    return _wait_for(check, what, timeout_s)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"NOCDESK_DATA_DIR": str(tmp_path / "data"), "NOCDESK_SECRET_BACKEND": "file",
              "NOCDESK_MASTER_PASSWORD": "test-master-pass", "NOCDESK_LANG": "en"}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return {**os.environ, **values}


@pytest.fixture
def db(tmp_path: Path, env: dict[str, str], snmpd_agent: Snmpd) -> Path:
    if os.geteuid() != 0:
        pytest.fail("needs root for ICMP") if os.environ.get("CI") == "true" else pytest.skip("needs root for ICMP")
    path = tmp_path / "noc.db"
    with open_store(path) as store:
        save_snmp_credential(store, "lab", version="2c", community="nocdesk-ro", port=snmpd_agent.port,
                             timeout_s=0.5, retries=0)
        add_device(store, DeviceSpec(name="agent", address="127.0.0.1", kind="server", snmp_credential="lab"))
        fast(store)
    return path


def fast(store: Store) -> None:
    """Short intervals so the suite stays quick (the inventory allows >= 10 s; the engine does not care)."""
    store.conn.execute("UPDATE devices SET interval_s = ?", (INTERVAL_S,))
    store.set_setting("polling.ping_count", 1)
    store.set_setting("polling.timeout_ms", 500)


def nocdesk(db: Path, *args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nocdesk.cli", "--db", str(db), *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def count(db: Path, sql: str, *params: object) -> int:
    with open_store(db, readonly=True) as store:
        return store.conn.execute(sql, params).fetchone()[0]


def rtt_ts(db: Path) -> list[int]:
    with open_store(db, readonly=True) as store:
        return [r[0] for r in store.conn.execute(
            "SELECT ts FROM samples JOIN sensors ON sensors.id = sensor_id WHERE kind = 'rtt_ms' ORDER BY ts")]


def test_poll_once_prints_states_and_stores_what_the_agent_says(db: Path, env: dict[str, str]) -> None:
    done = nocdesk(db, "poll", "--once", env=env)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("agent"))
    assert "127.0.0.1" in line and " up " in line
    assert "Engine: not running" in done.stdout
    with open_store(db, readonly=True) as store:
        dev = store.conn.execute("SELECT * FROM devices WHERE name = 'agent'").fetchone()
        assert (dev["sys_name"], dev["state"]) == (SYS_NAME, "up")
        assert dev["last_rtt_ms"] is not None and dev["uptime_s"] > 0
        assert "lo" in [r[0] for r in store.conn.execute("SELECT name FROM interfaces")]
        run = store.conn.execute("SELECT * FROM engine_runs").fetchone()
        assert run["stopped_at"] is not None and run["pid"] != os.getpid()
    assert (Path(env["NOCDESK_DATA_DIR"]) / "logs" / "engine.log").exists()


@pytest.fixture
def engine_process(db: Path, env: dict[str, str]) -> Iterator[Callable[[], subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-m", "nocdesk.cli", "--db", str(db), "poll"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_poll_survives_sigterm_and_a_restart_without_losing_rows(db: Path, env: dict[str, str],
                                                                engine_process: Callable[[], subprocess.Popen]) -> None:
    first = engine_process()
    wait_for(lambda: len(rtt_ts(db)) >= 2, "two RTT samples")

    status = nocdesk(db, "status", env=env)
    assert status.returncode == 0
    assert f"Engine: running (pid {first.pid}" in status.stdout
    health = json.loads(nocdesk(db, "status", "--json", env=env).stdout)["engine"]
    assert health["running"] and health["pid"] == first.pid and health["last_beat_age_s"] < 10

    second = nocdesk(db, "poll", env=env, timeout=30)
    assert second.returncode == 2
    assert f"process {first.pid}" in second.stderr and "already polling" in second.stderr

    checks = len(rtt_ts(db))  # the three CLI processes above took the CPU: let the engine catch up first
    wait_for(lambda: len(rtt_ts(db)) > checks, "a check after the status calls", 15)
    stop_at = time.time()
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=15) == 0
    samples = rtt_ts(db)
    # The open batch was written: the last check before SIGTERM is there (one interval plus slack).
    assert samples[-1] >= stop_at - INTERVAL_S - 1.5
    with open_store(db, readonly=True) as store:
        run1 = store.conn.execute("SELECT * FROM engine_runs ORDER BY id").fetchone()
    assert run1["stopped_at"] is not None and run1["stopped_at"] >= int(stop_at) - 1

    time.sleep(1.0)
    restarted = engine_process()
    wait_for(lambda: len(rtt_ts(db)) >= len(samples) + 2, "samples after the restart")
    restarted.send_signal(signal.SIGINT)
    assert restarted.wait(timeout=15) == 0
    with open_store(db, readonly=True) as store:
        changes = [tuple(r) for r in store.conn.execute(
            "SELECT target_type, state, previous, ts FROM state_changes WHERE target_type = 'device' ORDER BY id")]
        runs = store.conn.execute("SELECT count(*), count(stopped_at) FROM engine_runs").fetchone()
    assert tuple(runs) == (2, 2)
    # The time the engine was stopped is 'unknown', starting at the first run's last heartbeat.
    assert ("device", "unknown", "up", run1["last_beat_at"]) in changes
    assert changes[-1][1:3] == ("up", "unknown") and changes[-1][3] > run1["stopped_at"]
    assert rtt_ts(db)[:len(samples)] == samples  # nothing lost, nothing rewritten


def test_engine_thread_picks_up_config_changes_and_poll_now(db: Path, env: dict[str, str]) -> None:
    thread = EngineThread(db, config_check_s=0.5)
    thread.start()
    try:
        assert thread.is_running
        with pytest.raises(EngineLockedError, match=f"process {os.getpid()}"):
            EngineThread(db).start()
        with open_store(db) as store:
            add_device(store, DeviceSpec(name="second", address="127.0.0.2", kind="server"))
            fast(store)
            second_id = store.conn.execute("SELECT id FROM devices WHERE name = 'second'").fetchone()[0]
        wait_for(lambda: count(db, "SELECT count(*) FROM devices WHERE name = 'second' AND state = 'up'"),
                 "the new device polled without a restart")

        with open_store(db) as store:
            store.conn.execute("UPDATE devices SET interval_s = 3600 WHERE id = ?", (second_id,))
        time.sleep(1.5)  # the config is re-read within config_check_s
        asked_at = int(time.time())
        with open_store(db) as store:
            command_id = store.conn.execute(
                "INSERT INTO commands(created_at, verb, args) VALUES (?, 'poll_now', ?)",
                (asked_at, json.dumps({"device_id": second_id}))).lastrowid
        wait_for(lambda: count(db, "SELECT count(*) FROM commands WHERE id = ? AND status = 'done'", command_id),
                 f"the poll_now command to finish ({thread.last_error!r}, {thread.is_running})", timeout_s=10)
        assert count(db, "SELECT last_check_at FROM devices WHERE id = ?", second_id) >= asked_at
        with open_store(db, readonly=True) as store:
            result = store.conn.execute("SELECT result FROM commands WHERE id = ?", (command_id,)).fetchone()[0]
        assert json.loads(result) == {"state": "up"}

        with open_store(db) as store:
            remove_device(store, "second")
        time.sleep(1.5)
        assert thread.is_running and thread.last_error is None
    finally:
        assert thread.stop(timeout=15)
    assert not thread.is_running and thread.last_error is None
    assert count(db, "SELECT count(*) FROM engine_runs WHERE stopped_at IS NULL") == 0


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<html>SIMPEG - silakan login</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_engine_checks_services_and_decides_their_state(db: Path) -> None:
    web = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    with open_store(db) as store:
        device_id = store.conn.execute("SELECT id FROM devices WHERE name = 'agent'").fetchone()[0]
        store.conn.executemany(
            "INSERT INTO services(device_id, kind, name, port, url, keyword, interval_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(device_id, "http", "simpeg", None, f"http://127.0.0.1:{web.server_port}/", "login", INTERVAL_S),
             (device_id, "tcp", "ssh", closed_port, None, None, INTERVAL_S)])
    thread = EngineThread(db)
    thread.start()
    try:
        wait_for(lambda: count(db, "SELECT count(*) FROM services WHERE (name = 'simpeg' AND state = 'up') OR "
                                   "(name = 'ssh' AND state = 'down')") == 2, "both services decided")
    finally:
        assert thread.stop(timeout=15)
        web.shutdown()
    with open_store(db, readonly=True) as store:
        ssh = store.conn.execute("SELECT id, last_error FROM services WHERE name = 'ssh'").fetchone()
        assert ssh["last_error"] == "connection refused"
        [(ts, reason)] = store.conn.execute("SELECT ts, reason FROM state_changes WHERE target_type = 'service' "
                                            "AND target_id = ? AND state = 'down'", (ssh["id"],)).fetchall()
        assert reason == "no answer to 2 checks (connection refused)"
        response = store.conn.execute(
            "SELECT count(*), min(value) FROM samples JOIN sensors ON sensors.id = sensor_id WHERE kind = "
            "'response_ms' AND service_id = (SELECT id FROM services WHERE name = 'simpeg')").fetchone()
        assert response[0] >= 1 and response[1] > 0
