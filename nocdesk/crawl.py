"""Discovery crawl: from seed devices, follow LLDP/CDP neighbours to devices nocdesk does not know yet.

Breadth first and bounded by depth and by the allowed discovery ranges (setting `discovery.allowed_ranges`).
Every neighbour nocdesk does not know becomes a CrawlCandidate: probed over SNMP when its management address is
inside the ranges, or carrying the reason it cannot be added (no address announced, outside the ranges). Nothing
is added here: `add_candidates` runs only when the user asks for it. A device that answers garbage or nothing is
a candidate with a reason, never an exception; Cancel stops the in-flight requests at once.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import ConfigError, NocdeskError
from .i18n import _
from .inventory import DeviceSpec, add_device
from .store import Store

SYS_SERVICES = "1.3.6.1.2.1.1.7.0"  # SNMPv2-MIB::sysServices.0 (RFC 1213 layer bits)
MAX_DEPTH = 8
NEW, NO_SNMP, NO_ADDRESS, OUTSIDE, NOT_PROBED = "new", "no_snmp", "no_address", "outside_ranges", "not_probed"
# sysServices bits 2 (datalink), 4 (internet), 64 (applications) -> a first guess of the kind; the user can
# change it before adding. 78 is what IOS routers report, 6 a layer-3 switch, 72 net-snmp's default.
_KIND_BY_SERVICES = {2: "switch", 6: "switch", 66: "switch", 4: "router", 68: "router", 70: "router", 64: "server"}


class Flag(Protocol):
    """Anything with is_set(): a threading.Event, the UI's cancel flag."""

    def is_set(self) -> bool: ...


Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CrawlCandidate:
    """A neighbour that is not a known device; `reason` says why it cannot be added ('' = it can)."""

    name: str            # suggested device name: sysName, else the LLDP/CDP name, else host-a-b-c-d
    address: str         # management address ('' when the neighbour announced none)
    status: str          # new | no_snmp | no_address | outside_ranges | not_probed
    seen_from: str       # the device whose neighbour table listed it
    via_port: str        # that device's port
    remote_port: str     # the candidate's own port on that link
    depth: int
    chassis_id: str = ""
    sys_name: str = ""
    sys_descr: str = ""
    sys_object_id: str = ""
    profile: str = ""
    kind_guess: str = "other"
    credential: str = ""  # name of the SNMP credential that answered
    reason: str = ""
    note: str = ""        # a warning that does not block adding

    @property
    def addable(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class KnownHit:
    """A neighbour that is already a device: followed (within the depth), never offered."""

    device_id: int
    name: str
    seen_from: str
    via_port: str
    depth: int


@dataclass
class CrawlResult:
    """What one crawl found; partial when `cancelled`."""

    candidates: list[CrawlCandidate] = field(default_factory=list)
    known: list[KnownHit] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)    # devices whose neighbour tables were read
    problems: list[str] = field(default_factory=list)   # a seed or credential that could not be used
    cancelled: bool = False
    elapsed_s: float = 0.0

    @property
    def addable(self) -> list[CrawlCandidate]:
        return [c for c in self.candidates if c.addable]


def parse_ranges(ranges: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """CIDR texts as networks; ConfigError naming the bad one."""
    nets = []
    for cidr in ranges:
        try:
            nets.append(ipaddress.ip_network(str(cidr).strip(), strict=False))
        except ValueError as err:
            raise ConfigError(_("allowed range '{cidr}' is not a CIDR range like 10.10.0.0/16 ({err})")
                              .format(cidr=cidr, err=err)) from err
    return nets


def in_ranges(address: str, nets: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """True when `address` lies inside one of `nets`."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in nets)


def guess_kind(sys_services: int | None) -> str:
    """A first guess of the device kind from sysServices; 'other' when it says nothing useful."""
    if not isinstance(sys_services, int):
        return "other"
    return _KIND_BY_SERVICES.get(sys_services & (2 | 4 | 64), "other")


def default_credentials(store: Store, seed_ids: Iterable[int] = ()) -> list[str]:
    """Credentials a crawl tries on new devices: the seeds' own, then the default polling credential."""
    names: list[str] = []
    for device_id in seed_ids:
        row = store.conn.execute("SELECT snmp_credential FROM devices WHERE id = ?", (device_id,)).fetchone()
        if row and row[0]:
            names.append(row[0])
    fallback = store.get_setting("polling.snmp_credential", "")
    if fallback:
        names.append(fallback)
    return list(dict.fromkeys(names))


def resolve_seeds(store: Store, seeds: Iterable[str | int]) -> tuple[list[dict[str, Any]], list[str]]:
    """Known device rows (by id, name or address) and the addresses of seeds that are not devices yet."""
    rows, addresses = [], []
    for seed in seeds:
        text_seed = str(seed).strip()
        row = store.conn.execute(
            "SELECT id, name, address, snmp_credential FROM devices WHERE name = ? COLLATE NOCASE "
            "OR address = ? COLLATE NOCASE OR (? GLOB '[0-9]*' AND id = ?) LIMIT 1",
            (text_seed, text_seed, text_seed, text_seed)).fetchone()
        if row is not None:
            rows.append(dict(row))
            continue
        try:
            addresses.append(str(ipaddress.ip_address(text_seed)))
        except ValueError:
            raise ConfigError(_("seed '{seed}': no device with this name or address; give a known device or an "
                                "IP address").format(seed=text_seed)) from None
    if not rows and not addresses:
        raise ConfigError(_("crawl: choose at least one seed device"))
    return rows, addresses


def crawl(store: Store, seeds: Sequence[str | int], *, max_depth: int, allowed_ranges: Sequence[str] | None = None,
          credentials_to_try: Sequence[str] | None = None, progress: Progress | None = None,
          cancel: Flag | None = None, concurrency: int = 16, probe_timeout_s: float = 2.0) -> CrawlResult:
    """Run a crawl on a private event loop (call from a worker thread or the CLI, never from a running loop)."""
    return asyncio.run(crawl_async(store, seeds, max_depth=max_depth, allowed_ranges=allowed_ranges,
                                   credentials_to_try=credentials_to_try, progress=progress, cancel=cancel,
                                   concurrency=concurrency, probe_timeout_s=probe_timeout_s))


async def crawl_async(store: Store, seeds: Sequence[str | int], *, max_depth: int,
                      allowed_ranges: Sequence[str] | None = None, credentials_to_try: Sequence[str] | None = None,
                      progress: Progress | None = None, cancel: Flag | None = None, concurrency: int = 16,
                      probe_timeout_s: float = 2.0) -> CrawlResult:
    """Breadth-first neighbour crawl from `seeds` down to `max_depth` hops; see the module docstring."""
    if not 1 <= int(max_depth) <= MAX_DEPTH:
        raise ConfigError(_("crawl depth: {depth} is outside 1-{max}").format(depth=max_depth, max=MAX_DEPTH))
    ranges = appsettings_ranges(store) if allowed_ranges is None else list(allowed_ranges)
    if not ranges:
        raise ConfigError(_("no allowed discovery ranges: add the networks you manage first (Discover dialog, "
                            "or --range on the command line)"))
    from .crawler import Crawler  # the walk imports this module's data types

    crawler = Crawler(store, parse_ranges(ranges), progress, cancel, concurrency, probe_timeout_s)
    seed_rows, seed_addresses = resolve_seeds(store, seeds)
    for address in seed_addresses:
        if not in_ranges(address, crawler.nets):
            raise ConfigError(_("seed {address} is outside the allowed discovery ranges").format(address=address))
    names = default_credentials(store, [r["id"] for r in seed_rows]) if credentials_to_try is None \
        else list(dict.fromkeys(credentials_to_try))
    crawler.load_credentials(names)
    await crawler.run(seed_rows, seed_addresses, int(max_depth))
    return crawler.result


def appsettings_ranges(store: Store) -> list[str]:
    """The allowed discovery ranges the user keeps (the same setting the range sweep uses)."""
    from .appsettings import get as get_setting

    return list(get_setting(store, "discovery.allowed_ranges") or [])


# --- adding, on the user's request only ---------------------------------------------------------------------


@dataclass(frozen=True)
class AddOutcome:
    """Which candidates became devices, and why the others did not."""

    added: list[str]
    problems: list[str]
    addresses: list[str] = field(default_factory=list)  # of the added devices, in the same order


def add_candidates(store: Store, candidates: Iterable[CrawlCandidate], *, kind: str | None = None, site: str = "",
                   group: str = "") -> AddOutcome:
    """Add addable candidates as devices (kind: the guess unless given); remembers chassis id and sysName."""
    added, problems, addresses = [], [], []
    for cand in candidates:
        if not cand.addable:
            problems.append(f"{cand.name}: {cand.reason}")
            continue
        spec = DeviceSpec(name=cand.name, address=cand.address, kind=kind or cand.kind_guess, site=site, group=group,
                          snmp_credential=cand.credential)
        if store.conn.execute("SELECT 1 FROM devices WHERE name = ? COLLATE NOCASE", (spec.name,)).fetchone():
            spec.name = f"{cand.name} ({cand.address})"[:63]  # two devices share a factory sysName
        try:
            device_id = add_device(store, spec)
        except NocdeskError as err:
            problems.append(str(err))
            continue
        with store.transaction() as conn:
            conn.execute("UPDATE devices SET chassis_id = COALESCE(NULLIF(?, ''), chassis_id), sys_name = ?,"
                         " sys_descr = ?, sys_object_id = ? WHERE id = ?",
                         (cand.chassis_id, cand.sys_name or None, cand.sys_descr or None,
                          cand.sys_object_id or None, device_id))
        added.append(spec.name)
        addresses.append(cand.address)
    return AddOutcome(added, problems, addresses)
