"""The crawl's breadth-first walk: read neighbour tables level by level, classify, probe new devices over SNMP.

Every request runs bounded (a semaphore) and cancellable (Cancel stops the unfinished ones at once); a device that
answers garbage or nothing becomes data on its candidate, never an exception. The public API is nocdesk/crawl.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .collectors.neighbours import Neighbour, read_neighbours
from .collectors.profiles import load_profiles, match_profile
from .collectors.snmp import SnmpCredential, get
from .collectors.system import SYS_DESCR, SYS_NAME, SYS_OBJECT_ID, text
from .crawl import (
    NEW,
    NO_ADDRESS,
    NO_SNMP,
    NOT_PROBED,
    OUTSIDE,
    SYS_SERVICES,
    CrawlCandidate,
    CrawlResult,
    Flag,
    KnownHit,
    Progress,
    guess_kind,
    in_ranges,
)
from .errors import ConfigError, NocdeskError
from .i18n import _
from .store import Store
from .topology import DeviceIndex

log = logging.getLogger(__name__)
_NAME_JUNK = re.compile(r"[,;\s\x00-\x1f\x7f]+")
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", re.I)


@dataclass
class _Visit:
    """A device whose neighbour table is read: a known device or a candidate that answered."""

    label: str
    address: str
    depth: int
    cred: SnmpCredential | None
    device_id: int | None = None
    candidate: int | None = None  # index into result.candidates



class Crawler:
    """One crawl's state: the queue by depth, what was seen, the result being built."""

    def __init__(self, store: Store, nets: list, progress: Progress | None, cancel: Flag | None,
                 concurrency: int, probe_timeout_s: float) -> None:
        self.store, self.nets, self.cancel = store, nets, cancel
        self.progress = progress or (lambda *_: None)
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.probe_timeout_s = probe_timeout_s
        self.index = DeviceIndex(store)
        self.profiles = load_profiles()
        self.result = CrawlResult()
        self.creds: list[tuple[str, SnmpCredential]] = []
        self.device_creds: dict[str, SnmpCredential | None] = {}
        self.seen: set[str] = set()          # chassis ids and addresses of candidates already recorded
        self.followed: set[int] = set()      # known devices already read or queued
        self.done = self.total = 0
        self.t0 = time.monotonic()

    # --- set-up -----------------------------------------------------------------------------------------
    def load_credentials(self, names: Sequence[str]) -> None:
        from .credentials import load_snmp_credential

        for name in names:
            try:
                cred = load_snmp_credential(self.store, name)
            except NocdeskError as err:
                self.result.problems.append(str(err))
                continue
            self.creds.append((name, replace(cred, timeout_s=min(cred.timeout_s, self.probe_timeout_s))))
        if not self.creds:
            raise ConfigError(_("crawl: no usable SNMP credential to try on new devices; choose one "
                                "(--credential NAME) or set the default polling credential"))

    def known_cred(self, name: str | None) -> SnmpCredential | None:
        if not name:
            return None
        if name not in self.device_creds:
            from .credentials import load_snmp_credential

            try:
                self.device_creds[name] = load_snmp_credential(self.store, name)
            except NocdeskError as err:
                self.result.problems.append(str(err))
                self.device_creds[name] = None
        return self.device_creds[name]

    # --- the walk -------------------------------------------------------------------------------------------
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    async def run(self, seed_rows: list[dict[str, Any]], seed_addresses: list[str], max_depth: int) -> None:
        level = []
        for row in seed_rows:
            self.followed.add(row["id"])
            level.append(_Visit(row["name"], row["address"], 0, self.known_cred(row["snmp_credential"]), row["id"]))
        if seed_addresses:
            self.seen |= {f"addr:{a.lower()}" for a in seed_addresses}
            fresh = [self._record(CrawlCandidate(name="", address=a, status=NEW, seen_from=_("(seed)"), via_port="",
                                                 remote_port="", depth=0)) for a in seed_addresses]
            level.extend(await self._probe_all(fresh))
        for depth in range(max_depth):
            if not level or self.cancelled():
                break
            reads = await self._all([self._read(v) for v in level])
            found: list[int] = []
            next_level: list[_Visit] = []
            for visit, neighbours in zip(level, reads, strict=True):
                for n in neighbours or ():
                    self._classify(visit, n, depth + 1, found, next_level)
            probed = await self._probe_all(found)
            level = next_level + probed if depth + 1 < max_depth else []
        self.result.cancelled = self.cancelled()
        self.result.elapsed_s = time.monotonic() - self.t0

    def _classify(self, visit: _Visit, n: Neighbour, depth: int, found: list[int], next_level: list[_Visit]) -> None:
        port = n.local_port_desc if (_MAC.match(n.local_port_id) or not n.local_port_id) and n.local_port_desc \
            else n.local_port_id
        known = self.index.match(n)
        if known is not None:
            self._follow_known(known, visit.label, port, depth, next_level)
            return
        keys = {f"chassis:{n.remote_chassis_id.lower()}"} if n.remote_chassis_id else set()
        keys |= {f"addr:{a.lower()}" for a in n.remote_addresses}
        if keys & self.seen:
            return
        self.seen |= keys
        inside = [a for a in n.remote_addresses if in_ranges(a, self.nets)]
        address = (inside or list(n.remote_addresses) or [""])[0]
        remote_port = n.remote_port_desc if _MAC.match(n.remote_port_id) and n.remote_port_desc else n.remote_port_id
        cand = CrawlCandidate(name=n.remote_sys_name, address=address, status=NEW, seen_from=visit.label,
                              via_port=port, remote_port=remote_port, depth=depth, chassis_id=n.remote_chassis_id,
                              sys_name=n.remote_sys_name, sys_descr=n.remote_sys_descr)
        if not address:
            cand = replace(cand, status=NO_ADDRESS, reason=_("announces no management address over {protocol}; add it "
                                                             "by hand").format(protocol=n.protocol.upper()))
        elif not inside:
            cand = replace(cand, status=OUTSIDE, reason=_("{address} is outside the allowed discovery ranges")
                           .format(address=address))
        position = self._record(cand)
        if cand.status == NEW:
            found.append(position)

    def _follow_known(self, device_id: int, seen_from: str, port: str, depth: int, next_level: list[_Visit]) -> None:
        if device_id in self.followed:  # a seed, or already met closer to the seeds
            return
        self.followed.add(device_id)
        name = self.index.names.get(device_id, str(device_id))
        self.result.known.append(KnownHit(device_id, name, seen_from, port, depth))
        row = self.store.conn.execute("SELECT address, snmp_credential FROM devices WHERE id = ?",
                                      (device_id,)).fetchone()
        next_level.append(_Visit(name, row["address"], depth, self.known_cred(row["snmp_credential"]), device_id))

    def _record(self, cand: CrawlCandidate) -> int:
        if not cand.name:
            cand = replace(cand, name="host-" + cand.address.replace(".", "-").replace(":", "-"))
        self.result.candidates.append(cand)
        return len(self.result.candidates) - 1

    # --- network work (bounded, cancellable, never raising) ------------------------------------------------
    async def _all(self, coros: list) -> list:
        """Run coroutines concurrently; on Cancel, stop the unfinished ones at once (their result is None)."""
        self.total += len(coros)
        tasks = [asyncio.ensure_future(c) for c in coros]
        pending = set(tasks)
        while pending:
            _done, pending = await asyncio.wait(pending, timeout=0.05)
            if pending and self.cancelled():
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                break
        return [t.result() if t.done() and not t.cancelled() else None for t in tasks]

    def _step(self, label: str) -> None:
        self.done += 1
        self.progress(self.done, self.total, label)

    async def _read(self, visit: _Visit) -> list[Neighbour] | None:
        async with self.sem:
            try:
                creds = [visit.cred] if visit.cred is not None else [c for _n, c in self.creds]
                problem = ""
                for cred in creds:
                    try:
                        found = await read_neighbours(visit.address, cred, label=visit.label)
                    except NocdeskError as err:
                        problem = str(err)
                        continue
                    self.result.visited.append(visit.label)
                    return found
                self._problem(visit, _("neighbours not readable: {err}").format(err=problem))
            except Exception as err:  # noqa: BLE001 - one broken agent must not stop the crawl
                log.warning("crawl: reading neighbours of %s failed", visit.label, exc_info=True)
                self._problem(visit, _("unusable neighbour table ({err})").format(err=f"{type(err).__name__}: {err}"))
            finally:
                self._step(visit.label)
        return None

    def _problem(self, visit: _Visit, message: str) -> None:
        if visit.candidate is None:
            self.result.problems.append(f"{visit.label} ({visit.address}): {message}")
            return
        cand = self.result.candidates[visit.candidate]
        self.result.candidates[visit.candidate] = replace(cand, note="; ".join(filter(None, (cand.note, message))))

    async def _probe_all(self, positions: list[int]) -> list[_Visit]:
        answers = await self._all([self._probe(self.result.candidates[p]) for p in positions])
        visits = []
        for position, answer in zip(positions, answers, strict=True):
            cand = self.result.candidates[position]
            if answer is None:
                self.result.candidates[position] = replace(
                    cand, status=NOT_PROBED, reason=_("not checked: the crawl was cancelled"))
                continue
            cand, cred = answer
            self.result.candidates[position] = cand
            known = self.index.match(Neighbour(protocol="snmp", local_port_num=0, local_port_id="", local_port_desc="",
                                               remote_chassis_id="", remote_port_id="", remote_port_desc="",
                                               remote_sys_name=cand.sys_name, remote_sys_descr=""))
            if cand.sys_name and known is not None:  # announced under another address: it is that device
                self.result.candidates[position] = replace(
                    cand, reason=_("already monitored as {name}").format(name=self.index.names[known]))
            elif cred is not None:
                visits.append(_Visit(cand.name, cand.address, cand.depth, cred, candidate=position))
        return visits

    async def _probe(self, cand: CrawlCandidate) -> tuple[CrawlCandidate, SnmpCredential | None]:
        async with self.sem:
            tried = []
            try:
                for name, cred in self.creds:
                    try:
                        got = await get(cand.address, cred, [SYS_NAME, SYS_DESCR, SYS_OBJECT_ID, SYS_SERVICES],
                                        label=cand.name)
                    except NocdeskError as err:
                        tried.append(f"{name}: {err}")
                        continue
                    return self._answered(cand, name, got), cred
                note = _("no SNMP answer with {names}; it can be added for ping only").format(
                    names=", ".join(n for n, _c in self.creds))
                log.info("crawl: %s", "; ".join(tried))
                return replace(cand, status=NO_SNMP, note=note), None
            except Exception as err:  # noqa: BLE001 - garbage from one agent is data, not a crash
                log.warning("crawl: probing %s failed", cand.address, exc_info=True)
                return replace(cand, status=NO_SNMP, note=_("unusable SNMP answer ({err})").format(
                    err=f"{type(err).__name__}: {err}")), None
            finally:
                self._step(cand.address)

    def _answered(self, cand: CrawlCandidate, cred_name: str, got: dict[str, Any]) -> CrawlCandidate:
        sys_name, sys_descr = text(got[SYS_NAME]), text(got[SYS_DESCR])
        object_id = got[SYS_OBJECT_ID] if isinstance(got[SYS_OBJECT_ID], str) else ""
        profile = match_profile(self.profiles, object_id, sys_descr)
        name = _NAME_JUNK.sub("-", sys_name).strip("-")[:63] or cand.name
        return replace(cand, name=name, sys_name=sys_name or cand.sys_name, sys_descr=sys_descr or cand.sys_descr,
                       sys_object_id=object_id, profile=profile.name if profile else "",
                       kind_guess=guess_kind(got[SYS_SERVICES]), credential=cred_name)
