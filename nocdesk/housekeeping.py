"""The engine's periodic side jobs: LLDP/CDP rediscovery, the daily database copy, monthly reports and
scheduled config backups, plus the 'rediscover_now' and 'backup_now' commands from the UI.

Network reads run on the engine's loop; blocking jobs (SSH backups, report rendering) run in a worker
thread with their own store connection, so polling never waits for them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from .collectors.neighbours import read_local_identity, read_neighbours
from .credentials import load_snmp_credential
from .errors import NocdeskError
from .store import Store, open_store
from .topology import apply_neighbours, derive_parents

log = logging.getLogger("nocdesk.housekeeping")
REDISCOVER_DEFAULT_S = 900
FIRST_RUN_DELAY_S = 20.0
DAILY_CHECK_S = 600.0


async def rediscover(store: Store, *, only_up: bool = True) -> dict[str, Any]:
    """Walk the neighbour tables of every SNMP device that answers; record links; re-derive parents."""
    rows = store.conn.execute(
        "SELECT id, name, address, snmp_credential FROM devices WHERE enabled = 1 AND snmp_credential IS NOT NULL"
        + (" AND state IN ('up', 'degraded')" if only_up else "")).fetchall()
    creds: dict[str, Any] = {}
    for row in rows:
        if row["snmp_credential"] not in creds:
            try:
                creds[row["snmp_credential"]] = load_snmp_credential(store, row["snmp_credential"])
            except NocdeskError as err:
                log.warning("rediscovery: %s", err)
                creds[row["snmp_credential"]] = None
    targets = [r for r in rows if creds.get(r["snmp_credential"])]

    async def read(row) -> tuple[Any, Any]:  # noqa: ANN001
        cred = creds[row["snmp_credential"]]
        identity = await read_local_identity(row["address"], cred, label=row["name"])
        return identity, await read_neighbours(row["address"], cred, label=row["name"])

    results = await asyncio.gather(*(read(r) for r in targets), return_exceptions=True)
    changes, candidates, failed = [], [], 0
    for row, result in zip(targets, results, strict=True):
        if isinstance(result, BaseException):
            failed += 1
            log.info("rediscovery of %s skipped: %s", row["name"], result)
            continue
        identity, neighbours = result
        if identity and identity.chassis_id:
            store.conn.execute("UPDATE devices SET chassis_id = ? WHERE id = ?", (identity.chassis_id, row["id"]))
        found, offered = apply_neighbours(store, row["id"], neighbours)
        changes.extend(found)
        candidates.extend(offered)
    derive_parents(store)
    store.set_setting("topology.last_rediscovery", int(time.time()))
    return {"devices": len(targets), "failed": failed, "link_changes": len(changes),
            "candidates": [c.__dict__ for c in candidates]}


def _blocking(db_path: Path, job: str) -> Any:
    with open_store(db_path) as store:
        if job == "daily_copy":
            from .dbbackup import daily_backup_if_due

            keep = int(store.get_setting("db.backup_keep", 7))
            return daily_backup_if_due(store, db_path.parent / "backups", keep=keep)
        if job == "monthly_reports":
            from .reports import run_monthly_reports_if_due

            return run_monthly_reports_if_due(store, time.time())
        if job == "config_backup":
            from .configbackup import backup_if_due

            return backup_if_due(store, parallel=int(store.get_setting("config_backup_parallel", 10) or 10))
    raise ValueError(job)


class Housekeeping:
    """Registered on an engine by attach_housekeeping()."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    async def run_rediscovery(self, stop: asyncio.Event) -> None:
        delay = FIRST_RUN_DELAY_S
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
                return
            except asyncio.TimeoutError:
                pass
            try:
                await rediscover(self.engine.store)
            except Exception:  # noqa: BLE001 - a side job must never stop polling
                log.exception("rediscovery failed")
            delay = float(self.engine.store.get_setting("topology.rediscover_s", REDISCOVER_DEFAULT_S))

    async def run_daily(self, stop: asyncio.Event) -> None:
        db_path = Path(self.engine.db_path)
        while not stop.is_set():
            for job in ("daily_copy", "config_backup", "monthly_reports"):
                if stop.is_set():
                    return
                try:
                    await asyncio.to_thread(_blocking, db_path, job)
                except Exception:  # noqa: BLE001
                    log.exception("%s failed", job)
            try:
                await asyncio.wait_for(stop.wait(), timeout=DAILY_CHECK_S)
            except asyncio.TimeoutError:
                pass

    async def rediscover_now(self, args: dict[str, Any]) -> dict[str, Any]:
        return await rediscover(self.engine.store, only_up=False)

    async def backup_now(self, args: dict[str, Any]) -> dict[str, Any]:
        from .configbackup import run_backups

        def work() -> dict[str, Any]:
            with open_store(self.engine.db_path) as store:
                run = run_backups(store, devices=args.get("devices"), group=args.get("group"))
                return {"results": [r.result for r in getattr(run, "results", [])]}

        return await asyncio.to_thread(work)


def attach_housekeeping(engine: Any) -> Housekeeping:
    """Register the side jobs and commands with an engine (before it runs)."""
    jobs = Housekeeping(engine)
    if not getattr(engine, "once", False):
        engine.background.append(jobs.run_rediscovery)
        engine.background.append(jobs.run_daily)
    engine.command_handlers["rediscover_now"] = jobs.rediscover_now
    engine.command_handlers["backup_now"] = jobs.backup_now
    return jobs
