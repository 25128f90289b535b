"""ICMP reachability: RTT, loss and jitter per target from N echo probes, for one host or thousands at once.

    sweep(addresses, count=3)       async, every target in flight at once (bounded): {address: PingResult}
    sweep_sync(addresses, ...)      the same from synchronous code
    ping(address, ...)              one target, synchronous, through ping3
    icmp_capability()               how this process may send ICMP, and what to tell the user if it cannot

How ICMP is sent depends on the process's rights (`icmp_capability().mode`):
  "raw"   root or CAP_NET_RAW: raw sockets;
  "dgram" the kernel allows unprivileged "ping" sockets for our group (net.ipv4.ping_group_range);
  "fping" neither, but the system's fping can ping (Debian ships it with cap_net_raw): slower, and the
          user is told once how to grant the right;
  "none"  nothing works: every result is ok=False, reason "permission denied".
Sweeps use one shared socket per address family (collectors.icmp_socket explains why not ping3/icmplib);
ping() uses ping3, the project's ICMP package, whose one-call-per-probe model suits a single host.

Expected failures are data: a dead host is PingResult(ok=False, reason="timeout"); no route, unknown host
and ICMP errors have their own reasons. Only bad arguments raise (ConfigError).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import sys
import time
from collections.abc import Iterable

import ping3

from nocdesk.errors import ConfigError
from nocdesk.i18n import _

from .icmp_fping import find_fping, fping_can_ping, fping_probe
from .icmp_model import (
    HOST_UNREACHABLE,
    NO_ROUTE,
    PERMISSION_DENIED,
    TIMEOUT,
    UNKNOWN_HOST,
    IcmpCapability,
    Outcome,
    PingResult,
    failed,
    is_local_failure,
    send_error_reason,
    summarise,
)
from .icmp_socket import IcmpProber

__all__ = [
    "HOST_UNREACHABLE", "NO_ROUTE", "PERMISSION_DENIED", "TIMEOUT", "UNKNOWN_HOST",
    "IcmpCapability", "PingResult", "icmp_capability", "ping", "sweep", "sweep_sync",
]

DEFAULT_COUNT = 3
DEFAULT_TIMEOUT_S = 1.0
DEFAULT_INTERVAL_S = 0.2
DEFAULT_CONCURRENCY = 1024
# Like fping's -i, a cap on the send rate so a big sweep does not hit routers' ICMP policers as one burst.
DEFAULT_MAX_RATE_PPS = 5000.0
_MODES = ("raw", "dgram", "fping", "none")
_MAX_IN_FLIGHT = 60000  # one socket numbers its probes with a 16-bit sequence

log = logging.getLogger(__name__)
_advised: set[str] = set()

Target = tuple[str, int, tuple]  # (ip, family, sockaddr)


def icmp_capability() -> IcmpCapability:
    """How this process can send ICMP now: "raw", "dgram", "fping" or "none", with advice for the last two.

    Checked afresh on each call (opening and closing a socket); the answer depends on the network
    namespace of the calling thread, since ping_group_range is per namespace.
    """
    for kind, mode in ((socket.SOCK_RAW, "raw"), (socket.SOCK_DGRAM, "dgram")):
        try:
            socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP).close()
            return IcmpCapability(mode)
        except OSError:
            continue
    fping = find_fping()
    if fping and fping_can_ping(fping):
        return IcmpCapability("fping", _advice(fping))
    return IcmpCapability("none", _advice(None))


def _advice(fping: str | None) -> str:
    if os.name == "nt":
        return _("nocdesk may not send ICMP (ping) on this computer. Run nocdesk as Administrator.")
    gid = os.getgid()
    exe = os.path.realpath(sys.executable)
    if fping:
        status = _("nocdesk may not send ICMP (ping) itself, so it uses fping ({fping}) for now; that works "
                   "but large sweeps are slower.").format(fping=fping)
    else:
        status = _("nocdesk cannot send ICMP (ping): it may not open ICMP sockets and fping is not installed "
                   "(or lacks cap_net_raw). Every host will show as down until this is fixed.")
    how = _("To let nocdesk ping directly, either allow unprivileged ping for group {gid}:\n"
            '  sudo sysctl -w net.ipv4.ping_group_range="{gid} {gid}"\n'
            "  and keep it across reboots with the line  net.ipv4.ping_group_range = {gid} {gid}  in "
            "/etc/sysctl.d/60-nocdesk-ping.conf\n"
            "or give the program the raw-socket capability (every script run by it gets the right):\n"
            "  sudo setcap cap_net_raw+ep {exe}").format(gid=gid, exe=exe)
    return status + "\n" + how


def _choose_mode(mode: str | None) -> str:
    if mode is None:
        capability = icmp_capability()
        if capability.advice and capability.mode not in _advised:
            _advised.add(capability.mode)  # once per process: the UI shows icmp_capability().advice itself
            log.warning("%s", capability.advice)
        return capability.mode
    if mode not in _MODES:
        raise ConfigError(_("ICMP mode {mode!r} is not one of raw, dgram, fping, none").format(mode=mode))
    return mode


def _check_args(count: int, timeout_s: float, interval_s: float, concurrency: int) -> None:
    if count < 1 or timeout_s <= 0 or interval_s < 0 or concurrency < 1:
        raise ConfigError(_("ICMP check: count and concurrency must be at least 1, timeout_s above 0 and "
                            "interval_s not negative (got count={count}, timeout_s={timeout}, "
                            "interval_s={interval}, concurrency={concurrency})").format(
            count=count, timeout=timeout_s, interval=interval_s, concurrency=concurrency))
    if count * concurrency > _MAX_IN_FLIGHT:
        raise ConfigError(_("ICMP check: count x concurrency must stay below {limit} probes in flight; lower "
                            "the concurrency").format(limit=_MAX_IN_FLIGHT))


def _numeric_target(host: str) -> Target | None:
    """The target for an IPv4/IPv6 literal (an IPv6 zone like %eth0 allowed), None for a hostname."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_DGRAM, flags=socket.AI_NUMERICHOST)
    except (ValueError, OSError):
        return None
    family, _type, _proto, _name, sockaddr = infos[0]
    return sockaddr[0], family, sockaddr


def _target_from(infos: list) -> Target:
    family, _type, _proto, _name, sockaddr = infos[0]  # the system's preferred address (RFC 6724 order)
    return sockaddr[0], family, sockaddr


async def _resolve_all(names: list[str]) -> tuple[dict[str, Target], dict[str, PingResult]]:
    """Resolve every distinct name once; literals need no lookup. Unresolvable -> 'unknown host' result."""
    loop = asyncio.get_running_loop()
    targets: dict[str, Target] = {}
    unknown: dict[str, PingResult] = {}
    lookups: dict[str, asyncio.Future] = {}
    for name in names:
        host = name.strip()
        literal = _numeric_target(host)
        if literal:
            targets[name] = literal
        elif host:
            lookups[name] = asyncio.ensure_future(loop.getaddrinfo(host, None, type=socket.SOCK_DGRAM))
        else:
            unknown[name] = failed(name, UNKNOWN_HOST)
    for name, lookup in lookups.items():
        try:
            targets[name] = _target_from(await lookup)
        except (OSError, UnicodeError):  # gaierror: NXDOMAIN, no answer, or no DNS server reachable
            unknown[name] = failed(name, UNKNOWN_HOST)
    return targets, unknown


async def _sweep_sockets(
    targets: dict[str, Target], kind: str, *, count: int, timeout_s: float, interval_s: float,
    concurrency: int, max_rate_pps: float | None,
) -> dict[str, list[Outcome]]:
    prober = IcmpProber(kind, max_rate_pps=max_rate_pps)
    gate = asyncio.Semaphore(concurrency)

    async def one(target: Target) -> list[Outcome]:
        _ip, family, sockaddr = target
        async with gate:  # a dead host holds its slot for one timeout, never the whole sweep
            return await prober.probe(sockaddr, family, count=count, timeout_s=timeout_s, interval_s=interval_s)

    try:
        outcomes = await asyncio.gather(*(one(target) for target in targets.values()))
    finally:
        prober.close()
    return dict(zip(targets, outcomes, strict=True))


async def sweep(
    addresses: Iterable[str],
    *,
    count: int = DEFAULT_COUNT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    interval_s: float = DEFAULT_INTERVAL_S,
    concurrency: int = DEFAULT_CONCURRENCY,
    mode: str | None = None,
    max_rate_pps: float | None = DEFAULT_MAX_RATE_PPS,
) -> dict[str, PingResult]:
    """Probe every address `count` times, `interval_s` apart, each probe waiting up to `timeout_s`.

    Addresses are IPv4/IPv6 literals or hostnames (each resolved once). Up to `concurrency` targets are
    probed at once, so a sweep takes about (count - 1) x interval_s + timeout_s however many hosts are dead.
    `mode` forces "raw", "dgram", "fping" or "none" (default: the best icmp_capability() finds);
    `max_rate_pps` caps the send rate (None: no cap). Returns {address as given: PingResult}, in input order.
    """
    _check_args(count, timeout_s, interval_s, concurrency)
    names = list(dict.fromkeys(addresses))
    chosen = _choose_mode(mode)
    targets, results = await _resolve_all(names)
    if chosen in ("raw", "dgram"):
        outcomes = await _sweep_sockets(targets, chosen, count=count, timeout_s=timeout_s, interval_s=interval_s,
                                        concurrency=concurrency, max_rate_pps=max_rate_pps)
    elif chosen == "fping":
        fping = find_fping()
        if fping is None:
            raise ConfigError(_("ICMP mode 'fping' needs the fping program: install it (apt install fping)"))
        by_ip = {ip: (sockaddr, family) for ip, family, sockaddr in targets.values()}
        per_ip = await fping_probe(by_ip, count=count, timeout_s=timeout_s, interval_s=interval_s, fping=fping)
        outcomes = {name: per_ip[ip] for name, (ip, _f, _s) in targets.items()}
    else:
        outcomes = {name: [PERMISSION_DENIED] * count for name in targets}
    for name, (ip, _family, _sockaddr) in targets.items():
        results[name] = summarise(ip, outcomes[name])
    return {name: results[name] for name in names}


def sweep_sync(
    addresses: Iterable[str],
    *,
    count: int = DEFAULT_COUNT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    interval_s: float = DEFAULT_INTERVAL_S,
    concurrency: int = DEFAULT_CONCURRENCY,
    mode: str | None = None,
    max_rate_pps: float | None = DEFAULT_MAX_RATE_PPS,
) -> dict[str, PingResult]:
    """sweep() for synchronous callers: runs its own event loop in the calling thread (and its namespace).

    Not for use inside a running event loop: await sweep() there.
    """
    return asyncio.run(sweep(addresses, count=count, timeout_s=timeout_s, interval_s=interval_s,
                             concurrency=concurrency, mode=mode, max_rate_pps=max_rate_pps))


def ping(
    address: str,
    *,
    count: int = DEFAULT_COUNT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    interval_s: float = DEFAULT_INTERVAL_S,
    mode: str | None = None,
) -> PingResult:
    """Probe one host synchronously through ping3 (or fping / nothing, as the capability dictates).

    Probes go one after another, each waiting up to `timeout_s`: for more than a handful of hosts use
    sweep(). ping3 picks raw or datagram sockets itself, so mode "raw" and "dgram" behave alike here.
    Like sweep_sync(), not for use inside a running event loop.
    """
    _check_args(count, timeout_s, interval_s, 1)
    chosen = _choose_mode(mode)
    if chosen in ("fping", "none"):
        return sweep_sync([address], count=count, timeout_s=timeout_s, interval_s=interval_s, mode=chosen)[address]
    host = address.strip()
    target = _numeric_target(host)
    if target is None:
        try:
            target = _target_from(socket.getaddrinfo(host, None, type=socket.SOCK_DGRAM)) if host else None
        except (OSError, UnicodeError):
            target = None
        if target is None:
            return failed(address, UNKNOWN_HOST)
    ip = target[0]
    outcomes: list[Outcome] = []
    start_s = time.monotonic()
    for seq in range(count):
        if seq:
            time.sleep(max(0.0, start_s + seq * interval_s - time.monotonic()))
        outcome = _ping3_once(ip, timeout_s=timeout_s, seq=seq)
        outcomes.append(outcome)
        if is_local_failure(outcome):
            return summarise(ip, [outcome] * count)
    return summarise(ip, outcomes)


def _ping3_once(ip: str, *, timeout_s: float, seq: int) -> Outcome:
    """One ping3 probe as an outcome: ping3 gives a float, None (timeout) or False (an ICMP error)."""
    try:
        rtt_ms = ping3.ping(ip, timeout=timeout_s, unit="ms", seq=seq)
    except OSError as exc:
        # ping3 lets sendto() errors through even with EXCEPTIONS off: errno 101 for "no route".
        return send_error_reason(exc.errno)
    if rtt_ms is None:
        return TIMEOUT
    if rtt_ms is False:
        return HOST_UNREACHABLE  # ping3 folds host/net unreachable and TTL exceeded into False
    return float(rtt_ms)

