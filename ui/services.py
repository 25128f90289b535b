"""The UI's doorway to core services that run off the GUI thread: engine start-up, device probes,
discovery, CSV import, acknowledgement, maintenance windows.

Each function takes a Store (the calling worker thread's connection) and calls the real core API. Where a
core module did not exist yet when this was written, a small fallback sits here marked `ADAPTER:`; it goes
away once the module lands. No Qt in this file, so it can be unit-tested without a display.
"""

from __future__ import annotations

import asyncio
import importlib
import ipaddress
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nocdesk.errors import ConfigError, EngineLockedError, NocdeskError
from nocdesk.i18n import _
from nocdesk.store import Store

log = logging.getLogger(__name__)


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError as err:
        if err.name != name:  # the module exists but something it needs is missing: that is a bug
            log.warning("cannot import %s: %s", name, err)
        return None


# --- engine ----------------------------------------------------------------------------------------


@dataclass
class EngineHandle:
    """The engine this app runs (mode 'running'), or why it runs none ('viewer', 'unavailable', 'failed')."""

    mode: str
    message: str = ""
    thread: Any = None

    @property
    def is_running(self) -> bool:
        return self.thread is not None and bool(getattr(self.thread, "is_running", False))

    def stop(self) -> None:
        if self.thread is not None:
            try:
                self.thread.stop()
            finally:
                self.thread = None
                self.mode = "stopped"


def start_engine(db_path: Path, **options: Any) -> EngineHandle:
    """Start polling `db_path` in a background thread, or attach as a viewer when another engine holds it."""
    lock = _module("nocdesk.enginelock")
    if lock is not None:
        holder = lock.is_locked(db_path)
        if holder is not None:
            return EngineHandle("viewer", _("process {pid} on {host}").format(pid=holder[0], host=holder[1] or "?"))
    engine = _module("nocdesk.engine")
    if engine is None or not hasattr(engine, "EngineThread"):
        return EngineHandle("unavailable", _("the polling engine is not installed"))
    try:
        thread = engine.EngineThread(db_path, **options)
        thread.start()
    except EngineLockedError as err:
        return EngineHandle("viewer", str(err))
    except NocdeskError as err:
        return EngineHandle("failed", str(err))
    return EngineHandle("running", "", thread)


def heartbeat_s() -> int:
    """How often the engine writes its heartbeat (the banner shows after twice this)."""
    engine = _module("nocdesk.engine")
    for name in ("HEARTBEAT_S", "HEARTBEAT_INTERVAL_S"):
        if engine is not None and isinstance(getattr(engine, name, None), int | float):
            return int(getattr(engine, name))
    from nocdesk.views import ENGINE_HEARTBEAT_S

    return ENGINE_HEARTBEAT_S


# --- probes: the device dialog's Test button and discovery ----------------------------------------------


@dataclass
class ProbeResult:
    """What a Test found about one address."""

    address: str
    ping_ok: bool = False
    rtt_ms: float | None = None
    ping_reason: str = ""
    snmp_ok: bool = False
    snmp_reason: str = ""
    sys_name: str = ""
    sys_descr: str = ""
    sys_object_id: str = ""
    profile: str = ""
    kind_guess: str = ""


def run_async(coro_factory: Callable[[], Any], *, timeout_s: float = 30.0) -> Any:
    """Run a coroutine on this worker thread's own asyncio loop (never the GUI thread's)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(asyncio.wait_for(coro_factory(), timeout_s))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


async def _ping(address: str, *, count: int = 2, timeout_s: float = 1.0) -> tuple[bool, float | None, str]:
    icmp = _module("nocdesk.collectors.icmp")
    if icmp is not None and hasattr(icmp, "ping"):
        result = await icmp.ping(address, count=count, timeout_s=timeout_s)
        return bool(result.ok), getattr(result, "rtt_avg_ms", None), getattr(result, "reason", "") or ""
    # ADAPTER: until collectors/icmp.py offers ping(): ping3 in a thread (root or CAP_NET_RAW needed).
    import ping3

    def one() -> tuple[bool, float | None, str]:
        try:
            rtts = [ping3.ping(address, timeout=timeout_s, unit="ms") for _i in range(count)]
        except (OSError, PermissionError) as err:
            return False, None, str(err)
        ok = [r for r in rtts if r]
        return (True, sum(ok) / len(ok), "") if ok else (False, None, "timeout")

    return await asyncio.to_thread(one)


def snmp_credential(store: Store, name: str) -> Any:
    """The collectors' SnmpCredential for a credential name (secrets from the credential store)."""
    creds = _module("nocdesk.credentials")
    for fn in ("snmp_credential", "load_snmp", "get_snmp"):
        if creds is not None and hasattr(creds, fn):
            return getattr(creds, fn)(store, name)
    # ADAPTER: until nocdesk/credentials.py exists, a credential row's params name a v2c community.
    from nocdesk.collectors.snmp import SnmpCredential

    row = store.conn.execute("SELECT params FROM credentials WHERE name = ? AND kind = 'snmp'", (name,)).fetchone()
    if row is None:
        raise ConfigError(_("SNMP credential '{name}' does not exist; add it under Settings first.").format(name=name))
    import json

    params = json.loads(row[0])
    return SnmpCredential(version=str(params.get("version", "2c")), community=params.get("community", ""),
                          port=int(params.get("port", 161)), timeout_s=1.5, retries=1)


def match_profile(sys_object_id: str, sys_descr: str) -> str:
    """The name of the vendor profile a device would be polled with ('' when none matches)."""
    profiles = _module("nocdesk.profiles")
    if profiles is None:
        return ""  # ADAPTER: no profile loader yet
    for fn in ("match_profile", "match"):
        if hasattr(profiles, fn):
            found = getattr(profiles, fn)(sys_object_id, sys_descr)
            return getattr(found, "name", found) or ""
    return ""


async def _snmp(address: str, cred: Any, result: ProbeResult) -> None:
    from nocdesk.collectors.system import read_system

    try:
        info = await read_system(address, cred, label=address)
    except NocdeskError as err:
        result.snmp_reason = str(err)
        return
    result.snmp_ok = True
    result.sys_name, result.sys_descr, result.sys_object_id = info.sys_name, info.sys_descr, info.sys_object_id
    result.profile = match_profile(info.sys_object_id, info.sys_descr)


def probe_device(store: Store, address: str, snmp_credential_name: str = "") -> ProbeResult:
    """Ping an address and read its SNMP system group (when a credential is given), on a private loop."""
    address = address.strip()
    result = ProbeResult(address)
    cred = snmp_credential(store, snmp_credential_name) if snmp_credential_name else None

    async def both() -> None:
        ping_task = asyncio.ensure_future(_ping(address))
        if cred is not None:
            await _snmp(address, cred, result)
        else:
            result.snmp_reason = _("no SNMP credential chosen")
        result.ping_ok, result.rtt_ms, result.ping_reason = await ping_task

    try:
        run_async(both)
    except TimeoutError:
        result.ping_reason = result.ping_reason or _("timeout")
    return result


# --- discovery -------------------------------------------------------------------------------------

MAX_SWEEP_HOSTS = 4096


def check_range(cidr: str, allowed: list[str]) -> list[str]:
    """The host addresses of `cidr`, refused unless it lies inside one of the allowed ranges."""
    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError as err:
        raise ConfigError(_("'{cidr}' is not a range like 10.10.1.0/24 ({err})").format(cidr=cidr, err=err)) from err
    inside = []
    for a in allowed:
        try:
            other = ipaddress.ip_network(a, strict=False)
        except ValueError:
            continue
        if other.version == net.version and net.subnet_of(other):  # type: ignore[arg-type]
            inside.append(a)
    if not inside:
        raise ConfigError(_("{cidr} is outside the allowed discovery ranges; add it to the list first "
                            "(only scan networks you manage).").format(cidr=net))
    if net.num_addresses > MAX_SWEEP_HOSTS:
        raise ConfigError(_("{cidr} has {n} addresses; sweep at most {max} at a time (e.g. a /20).")
                          .format(cidr=net, n=net.num_addresses, max=MAX_SWEEP_HOSTS))
    hosts = list(net.hosts()) if net.num_addresses > 2 else list(net)
    return [str(h) for h in hosts]


@dataclass
class Found:
    """A host that answered during discovery."""

    address: str
    rtt_ms: float | None
    sys_name: str = ""
    sys_descr: str = ""
    sys_object_id: str = ""
    profile: str = ""
    known_as: str = ""  # name of an existing device with this address
    name_guess: str = ""
    reverse_dns: str = ""


@dataclass
class DiscoveryRequest:
    """A sweep the user asked for."""

    cidr: str
    allowed: list[str]
    snmp_credential: str = ""
    concurrency: int = 64
    timeout_s: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


def discover(store: Store, req: DiscoveryRequest, report: Callable[[int, int, str], None],
             cancel: threading.Event) -> list[Found]:
    """ICMP sweep of a range, then an SNMP probe of what answered; stops early when `cancel` is set."""
    hosts = check_range(req.cidr, req.allowed)
    cred = snmp_credential(store, req.snmp_credential) if req.snmp_credential else None
    known = {r[0].lower(): r[1] for r in store.conn.execute("SELECT address, name FROM devices")}
    total = len(hosts) * (2 if cred is not None else 1)
    found: list[Found] = []
    done = 0

    async def sweep() -> None:
        nonlocal done
        sem = asyncio.Semaphore(req.concurrency)

        async def one(address: str) -> None:
            nonlocal done
            async with sem:
                if cancel.is_set():
                    return
                ok, rtt, _reason = await _ping(address, count=1, timeout_s=req.timeout_s)
                done += 1
                report(done, total, address)
                if ok:
                    found.append(Found(address, rtt, known_as=known.get(address.lower(), "")))

        await asyncio.gather(*(one(h) for h in hosts))
        if cred is None:
            return
        done = len(hosts) + (len(hosts) - len(found))

        async def snmp(f: Found) -> None:
            nonlocal done
            async with sem:
                if cancel.is_set():
                    return
                res = ProbeResult(f.address)
                await _snmp(f.address, cred, res)
                f.sys_name, f.sys_descr, f.sys_object_id, f.profile = (res.sys_name, res.sys_descr,
                                                                       res.sys_object_id, res.profile)
                done += 1
                report(done, total, f.address)

        await asyncio.gather(*(snmp(f) for f in found))

    run_async(sweep, timeout_s=max(60.0, len(hosts) * req.timeout_s / max(req.concurrency, 1) * 4 + 30))
    for f in found:
        f.name_guess = f.sys_name or _reverse(f.address) or "host-" + f.address.replace(".", "-").replace(":", "-")
    found.sort(key=lambda f: ipaddress.ip_address(f.address))
    return found


def _reverse(address: str) -> str:
    if os.environ.get("NOCDESK_NO_RDNS"):
        return ""
    try:
        socket.setdefaulttimeout(0.5)
        return socket.gethostbyaddr(address)[0].split(".")[0]
    except OSError:
        return ""
    finally:
        socket.setdefaulttimeout(None)


# --- alerts, maintenance ------------------------------------------------------------------------------


def acknowledge(store: Store, alert_id: int, *, user: str, comment: str) -> None:
    """Acknowledge an alert with a comment (who and when are recorded)."""
    alerts = _module("nocdesk.alerts")
    if alerts is not None and hasattr(alerts, "acknowledge"):
        alerts.acknowledge(store, alert_id, user=user, comment=comment)
        return
    # ADAPTER: until nocdesk/alerts.py exists.
    with store.transaction() as conn:
        cur = conn.execute("UPDATE alerts SET status = 'acknowledged', acked_by = ?, acked_at = ?, ack_comment = ? "
                           "WHERE id = ? AND status = 'open'", (user, int(time.time()), comment, alert_id))
        if cur.rowcount == 0:
            raise ConfigError(_("alert {id} is not open any more (resolved or already acknowledged)").format(id=alert_id))


def current_user() -> str:
    """Who is at the keyboard (recorded with acknowledgements and maintenance windows)."""
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "operator"


MAINTENANCE_FIELDS = ("name", "target_type", "target_id", "start_ts", "end_ts", "weekdays", "start_minute",
                      "duration_min", "timezone", "comment", "created_by")


def save_maintenance(store: Store, window: dict[str, Any]) -> int:
    """Create or update (when window has an 'id') a maintenance window; returns its id."""
    mod = _module("nocdesk.maintenance")
    if mod is not None and hasattr(mod, "save_window"):
        return mod.save_window(store, window)
    # ADAPTER: until a core maintenance module exists.
    problems = []
    if not str(window.get("name", "")).strip():
        problems.append(_("name is empty"))
    one_off = window.get("start_ts") is not None
    if one_off and (window.get("end_ts") is None or window["end_ts"] <= window["start_ts"]):
        problems.append(_("the end must be after the start"))
    if not one_off and (not window.get("weekdays") or not window.get("duration_min")):
        problems.append(_("a weekly window needs at least one weekday and a duration"))
    if window.get("target_type", "all") != "all" and window.get("target_id") is None:
        problems.append(_("choose what the window covers"))
    if problems:
        raise ConfigError(_("maintenance window: ") + "; ".join(problems))
    values = {k: window.get(k) for k in MAINTENANCE_FIELDS if k in window}
    with store.transaction() as conn:
        if window.get("id"):
            conn.execute(f"UPDATE maintenance_windows SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                         [*values.values(), window["id"]])
            return int(window["id"])
        return conn.execute(f"INSERT INTO maintenance_windows({', '.join(values)}) VALUES "
                            f"({', '.join('?' * len(values))})", list(values.values())).lastrowid


def delete_maintenance(store: Store, window_id: int) -> None:
    """Remove a maintenance window."""
    mod = _module("nocdesk.maintenance")
    if mod is not None and hasattr(mod, "delete_window"):
        mod.delete_window(store, window_id)
        return
    with store.transaction() as conn:  # ADAPTER
        conn.execute("DELETE FROM maintenance_windows WHERE id = ?", (window_id,))


# --- CSV import -------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """A checked CSV: rows that would be imported, rows rejected with their line numbers and reasons."""

    path: Path
    valid: list[dict[str, Any]]
    rejected: list[tuple[int, str, str]]  # (line number, raw text or name, problems)
    plan: Any = None


def _plain(obj: Any) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj):
        return asdict(obj)
    return dict(obj) if isinstance(obj, dict) else {"value": str(obj)}


def preview_import(store: Store, path: Path) -> ImportPreview:
    """Check every row of a device CSV against the inventory rules and the database; nothing is written."""
    csvio = _module("nocdesk.csvio")
    if csvio is not None and hasattr(csvio, "plan_import"):
        plan = csvio.plan_import(store, path)
        valid = [_plain(getattr(r, "spec", r)) for r in getattr(plan, "valid", getattr(plan, "accepted", []))]
        rejected = []
        for r in getattr(plan, "rejected", []):
            line = getattr(r, "line", getattr(r, "line_no", getattr(r, "lineno", 0)))
            raw = getattr(r, "raw", getattr(r, "text", getattr(r, "name", "")))
            problems = getattr(r, "problems", getattr(r, "errors", getattr(r, "reason", "")))
            if isinstance(raw, dict | list):
                raw = ", ".join(str(v) for v in (raw.values() if isinstance(raw, dict) else raw))
            if isinstance(problems, list | tuple):
                problems = "; ".join(str(p) for p in problems)
            rejected.append((int(line), str(raw), str(problems)))
        return ImportPreview(Path(path), valid, rejected, plan)
    return _preview_fallback(store, Path(path))


def apply_import(store: Store, preview: ImportPreview, *, only_if_all_valid: bool) -> int:
    """Import the valid rows (or nothing when `only_if_all_valid` and a row was rejected); rows added."""
    csvio = _module("nocdesk.csvio")
    if csvio is not None and hasattr(csvio, "apply_import") and preview.plan is not None:
        result = csvio.apply_import(store, preview.plan, all_or_nothing=only_if_all_valid)
        return int(getattr(result, "added", result if isinstance(result, int) else len(preview.valid)))
    # ADAPTER: until nocdesk/csvio.py exists.
    if only_if_all_valid and preview.rejected:
        raise ConfigError(_("{n} row(s) were rejected; nothing was imported.").format(n=len(preview.rejected)))
    from nocdesk.inventory import DeviceSpec, add_device

    for row in preview.valid:
        add_device(store, DeviceSpec(**row))
    return len(preview.valid)


def _preview_fallback(store: Store, path: Path) -> ImportPreview:
    # ADAPTER: a minimal reader (header row with DeviceSpec field names) until nocdesk/csvio.py lands.
    import csv

    from nocdesk.inventory import DeviceSpec, check_spec, conflicts

    valid: list[dict[str, Any]] = []
    rejected: list[tuple[int, str, str]] = []
    seen_names: set[str] = set()
    seen_addr: set[str] = set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"name", "address"} - set(reader.fieldnames or [])
        if missing:
            raise ConfigError(_("{path}: missing column(s): {cols}").format(path=path, cols=", ".join(sorted(missing))))
        for row in reader:
            line = reader.line_num
            raw = ", ".join(v or "" for v in row.values() if isinstance(v, str))
            known = {k: (v or "").strip() for k, v in row.items() if k in DeviceSpec.field_names()}
            try:
                known["tags"] = [t for t in known.get("tags", "").split(";") if t]  # type: ignore[assignment]
                known["enabled"] = known.get("enabled", "1") not in ("0", "no", "false")  # type: ignore[assignment]
                known["interval_s"] = int(known.get("interval_s") or 60)  # type: ignore[assignment]
                spec = DeviceSpec(**known)  # type: ignore[arg-type]
                problems = check_spec(spec) or conflicts(store, spec)
            except (TypeError, ValueError) as err:
                problems = [str(err)]
            if not problems:
                if spec.name.lower() in seen_names:
                    problems.append(_("name '{name}' appears twice in the file").format(name=spec.name))
                if spec.address.lower() in seen_addr:
                    problems.append(_("address {address} appears twice in the file").format(address=spec.address))
            if problems:
                rejected.append((line, raw, "; ".join(problems)))
            else:
                seen_names.add(spec.name.lower())
                seen_addr.add(spec.address.lower())
                valid.append(_plain(spec))
    return ImportPreview(path, valid, rejected)
