"""The UI's doorway to core services that run off the GUI thread: engine start-up, device probes,
discovery, CSV import, acknowledgement, maintenance windows.

Each function takes a Store (the calling worker thread's connection) and calls the real core API. Where a
core module did not exist yet when this was written, a small fallback sits here marked `ADAPTER:`; it goes
away once the module lands. No Qt in this file, so it can be unit-tested without a display.
"""

from __future__ import annotations

import asyncio
import functools
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
        from nocdesk.enginesetup import attach_all

        thread = engine.EngineThread(db_path, setup=attach_all, **options)
        thread.start()
    except EngineLockedError as err:
        return EngineHandle("viewer", str(err))
    except NocdeskError as err:
        return EngineHandle("failed", str(err))
    except Exception as err:  # noqa: BLE001 - a bug in the engine must not leave the window "starting" forever
        log.exception("the engine failed to start")
        return EngineHandle("failed", f"{type(err).__name__}: {err}")
    native = getattr(getattr(thread, "_thread", None), "native_id", None)
    if native is not None:
        lower_thread_priority(native)
    return EngineHandle("running", "", thread)


BACKGROUND_NICE = 5


def lower_thread_priority(native_id: int | None = None) -> None:
    """Nice a background thread (default: the calling one) so a busy workstation keeps the window smooth.

    The engine and the read workers share the process (and the GIL) with the GUI thread; when the CPU is
    contended the OS then runs the GUI thread first. Linux/BSD only; elsewhere (and on any error) a no-op.
    """
    if not hasattr(os, "setpriority"):
        return
    try:
        tid = native_id if native_id is not None else threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, max(current, BACKGROUND_NICE))
    except OSError as err:
        log.debug("could not lower thread priority: %s", err)


def heartbeat_s() -> int:
    """How often an engine refreshes its heartbeat at most; the banner shows after twice this.

    Never below views.ENGINE_HEARTBEAT_S: a busy engine may beat a little late, and a false "stopped"
    banner is worse than one that shows a few seconds late.
    """
    import inspect

    from nocdesk.views import ENGINE_HEARTBEAT_S

    engine = _module("nocdesk.engine")
    beat = ENGINE_HEARTBEAT_S
    if engine is not None and hasattr(engine, "Engine"):
        default = inspect.signature(engine.Engine).parameters.get("heartbeat_s")
        if default is not None and isinstance(default.default, int | float):
            beat = max(beat, int(default.default))
    return beat


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


async def _ping_many(addresses: list[str], *, count: int, timeout_s: float) -> dict[str, tuple[bool, float | None, str]]:
    from nocdesk.collectors import icmp

    results = await icmp.sweep(addresses, count=count, timeout_s=timeout_s, interval_s=0.2)
    return {a: (bool(r.ok), r.rtt_avg_ms, r.reason or "") for a, r in results.items()}


async def _ping(address: str, *, count: int = 2, timeout_s: float = 1.0) -> tuple[bool, float | None, str]:
    return (await _ping_many([address], count=count, timeout_s=timeout_s))[address]


def snmp_credential(store: Store, name: str) -> Any:
    """The collectors' SnmpCredential for a credential name (secrets from the credential store)."""
    from nocdesk.credentials import load_snmp_credential

    return load_snmp_credential(store, name)


@functools.cache
def _profiles() -> dict[str, Any]:
    from nocdesk.collectors.profiles import load_profiles

    return load_profiles()


def match_profile(sys_object_id: str, sys_descr: str) -> str:
    """The name of the vendor profile a device would be polled with ('' when none matches)."""
    from nocdesk.collectors.profiles import match_profile as match

    found = match(_profiles(), sys_object_id, sys_descr)
    return found.name if found is not None else ""


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
    cred, cred_problem = None, _("no SNMP credential chosen")
    if snmp_credential_name:
        try:
            cred = snmp_credential(store, snmp_credential_name)
        except NocdeskError as err:
            cred_problem = str(err)

    async def both() -> None:
        ping_task = asyncio.ensure_future(_ping(address))
        if cred is not None:
            await _snmp(address, cred, result)
        else:
            result.snmp_reason = cred_problem
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
        # Batches keep Cancel responsive and progress moving; a batch costs about one timeout however many
        # of its hosts are dead (the ICMP collector probes a batch concurrently).
        for i in range(0, len(hosts), req.concurrency):
            if cancel.is_set():
                return
            batch = hosts[i:i + req.concurrency]
            for address, (ok, rtt, _reason) in (await _ping_many(batch, count=1, timeout_s=req.timeout_s)).items():
                if ok:
                    found.append(Found(address, rtt, known_as=known.get(address.lower(), "")))
            done += len(batch)
            report(done, total, batch[-1])
        if cred is None:
            return
        done = len(hosts) + (len(hosts) - len(found))
        sem = asyncio.Semaphore(16)

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
    from nocdesk.alerts import acknowledge as ack

    ack(store, alert_id, user=user, comment=comment)


def take_desktop_notices(store: Store) -> list[Any]:
    """Desktop notices the alerting layer queued for this workstation (marked as shown)."""
    from nocdesk.notify.desktop import pending_desktop_count, take_desktop

    # A cheap read first: take_desktop() opens a write transaction, which would compete with the engine's
    # batches on every refresh for nothing.
    if not pending_desktop_count(store):
        return []
    return take_desktop(store)


def request_poll_now(store: Store, device_id: int) -> None:
    """Ask the engine to check a device at once (through the commands table; the UI never polls itself)."""
    import json

    with store.transaction() as conn:
        conn.execute("INSERT INTO commands(created_at, verb, args) VALUES (?, 'poll_now', ?)",
                     (int(time.time()), json.dumps({"device_id": device_id})))


def current_user() -> str:
    """Who is at the keyboard (recorded with acknowledgements and maintenance windows)."""
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "operator"


def save_maintenance(store: Store, window: dict[str, Any]) -> int:
    """Create or update (when window has an 'id') a maintenance window; returns its id."""
    from nocdesk.maintenance_windows import save_window

    return save_window(store, window)


def delete_maintenance(store: Store, window_id: int) -> None:
    """Remove a maintenance window."""
    from nocdesk.maintenance_windows import delete_window

    delete_window(store, window_id)


# --- CSV import -------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """A checked CSV: rows that would be imported, rows rejected with their line numbers and reasons."""

    path: Path
    valid: list[Any]                      # DeviceSpec of each accepted row
    rejected: list[tuple[int, str, str]]  # (line number, device name given, problems)
    notes: list[str]
    plan: Any = None


def preview_import(store: Store, path: Path) -> ImportPreview:
    """Check every row of a device CSV against the inventory rules and the database; nothing is written."""
    from nocdesk.csvio import plan_import

    plan = plan_import(store, path)
    rejected = [(p.line, p.name, "; ".join(p.reasons)) for p in plan.rejected]
    return ImportPreview(Path(path), [row.spec for row in plan.accepted], rejected, list(plan.notes), plan)


def apply_import(store: Store, preview: ImportPreview, *, only_if_all_valid: bool) -> tuple[int, int]:
    """Import as chosen; (rows added, rows rejected at import time). Nothing is added when all-or-nothing fails."""
    from nocdesk.csvio import ALL_OR_NOTHING, VALID_ONLY
    from nocdesk.csvio import apply_import as apply

    result = apply(store, preview.plan, ALL_OR_NOTHING if only_if_all_valid else VALID_ONLY)
    return len(result.imported), len(result.rejected)
