"""The fallback ICMP engine: the system's fping, for processes that may open neither raw nor ping sockets.

Debian's fping carries cap_net_raw, so it can ping when we cannot. One fping process probes the whole
sweep in parallel (`-C count`, targets on stdin); its per-probe RTT list ("addr : 0.05 - 0.04") and its
ICMP error lines (printed only without -q) are parsed back into outcomes. fping says nothing when the kernel refuses a send (no
route), so routes are checked here first with a connected UDP socket, which sends nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
import struct

from .icmp_model import (
    HOST_UNREACHABLE,
    NET_UNREACHABLE,
    NO_ROUTE,
    PERMISSION_DENIED,
    PROHIBITED,
    TIMEOUT,
    TTL_EXCEEDED,
    Outcome,
    send_error_reason,
)

_SEARCH_PATH = ("/usr/bin/fping", "/usr/sbin/fping", "/usr/local/bin/fping", "/usr/local/sbin/fping")
_MIN_GAP_MS = 1  # fping refuses -i below 1 ms for non-root users ("too risky for mere mortals")
_MIN_PERIOD_MS = 10  # ... and -p below 10 ms
_CAP_NET_RAW = 13
_VFS_CAP_FLAGS_EFFECTIVE = 0x000001

_RESULT_LINE = re.compile(r"^(?P<addr>\S+)\s+:\s+(?P<rtts>(?:[-\d.]+\s*)+)$")
_ICMP_ERROR_LINE = re.compile(r"^ICMP (?P<what>.+?) from \S+ for ICMP Echo sent to (?P<addr>\S+)")
_SEND_ERROR_LINE = re.compile(r"^(?P<addr>\S+?):? error while sending ping: (?P<what>.+)$")
_ICMP_ERROR_WORDS = (
    ("Network Unreachable", NET_UNREACHABLE),
    ("Prohibited", PROHIBITED),
    ("Time Exceeded", TTL_EXCEEDED),
    ("Unreachable", HOST_UNREACHABLE),
)
_SEND_ERROR_WORDS = (("No route", NO_ROUTE), ("unreachable", NO_ROUTE), ("ermission", PERMISSION_DENIED))


def find_fping() -> str | None:
    """The path of the fping program, if installed."""
    found = shutil.which("fping")
    if found:
        return found
    return next((path for path in _SEARCH_PATH if os.access(path, os.X_OK)), None)


def fping_can_ping(path: str) -> bool:
    """True if fping at `path` can open ICMP sockets for us: we are root, or it is setuid root or cap_net_raw."""
    if os.name != "posix" or os.geteuid() == 0:
        return True
    stat = os.stat(path)
    if stat.st_uid == 0 and stat.st_mode & 0o4000:
        return True
    try:
        cap = os.getxattr(path, "security.capability")
    except OSError:
        return False
    if len(cap) < 12:
        return False
    magic, permitted_low = struct.unpack_from("<II", cap)
    return bool(magic & _VFS_CAP_FLAGS_EFFECTIVE and permitted_low & (1 << _CAP_NET_RAW))


def route_error(sockaddr: tuple, family: int) -> str | None:
    """'no route to host' (or similar) if the kernel has no route to the target; sends nothing."""
    with socket.socket(family, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect((sockaddr[0], 9, *sockaddr[2:]))
        except OSError as exc:
            return send_error_reason(exc.errno)
    return None


def _reason(text: str, table: tuple[tuple[str, str], ...], default: str) -> str:
    return next((reason for words, reason in table if words in text), default)


def parse_output(text: str, count: int) -> tuple[dict[str, list[Outcome]], dict[str, str]]:
    """fping -C output -> ({address: outcomes}, {address: reason for its lost probes})."""
    outcomes: dict[str, list[Outcome]] = {}
    reasons: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if match := _RESULT_LINE.match(line):
            values = match["rtts"].split()[:count]
            outcomes[match["addr"]] = [TIMEOUT if v == "-" else float(v) for v in values]
        elif match := _ICMP_ERROR_LINE.match(line):
            reasons.setdefault(match["addr"], _reason(match["what"], _ICMP_ERROR_WORDS, HOST_UNREACHABLE))
        elif match := _SEND_ERROR_LINE.match(line):
            reasons.setdefault(match["addr"], _reason(match["what"], _SEND_ERROR_WORDS, "send failed"))
    return outcomes, reasons


async def fping_probe(
    targets: dict[str, tuple[tuple, int]], *, count: int, timeout_s: float, interval_s: float, fping: str
) -> dict[str, list[Outcome]]:
    """Probe {ip: (sockaddr, family)} with one fping process; outcomes per ip in send order."""
    results: dict[str, list[Outcome]] = {}
    to_ping = []
    for ip, (sockaddr, family) in targets.items():
        refused = route_error(sockaddr, family)
        if refused:
            results[ip] = [refused] * count
        else:
            to_ping.append(ip)
    if not to_ping:
        return results
    timeout_ms = max(1, round(timeout_s * 1000))
    period_ms = max(_MIN_PERIOD_MS, round(interval_s * 1000))
    argv = [fping, "-C", str(count), "-i", str(_MIN_GAP_MS), "-p", str(period_ms), "-t", str(timeout_ms),
            "-f", "-"]
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    # fping paces all sends 1 ms apart, so a big sweep takes longer than one probe's deadline.
    deadline_s = 5.0 + timeout_s + (count - 1) * period_ms / 1000 + len(to_ping) * count * _MIN_GAP_MS / 1000
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate("\n".join(to_ping).encode()), deadline_s)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        stdout, stderr = b"", b""
    text = stderr.decode(errors="replace") + "\n" + stdout.decode(errors="replace")
    parsed, reasons = parse_output(text, count)
    if not parsed and proc.returncode not in (0, 1):
        # fping itself failed (exit 3: bad arguments, 4: could not open its socket): say so for every target.
        failure = PERMISSION_DENIED if "socket" in text or "ermission" in text else f"fping failed: {text.strip()[:80]}"
        return {**results, **{ip: [failure] * count for ip in to_ping}}
    for ip in to_ping:
        outcomes = parsed.get(ip, [TIMEOUT] * count)
        reason = reasons.get(ip)
        if reason:
            outcomes = [reason if o == TIMEOUT else o for o in outcomes]
        results[ip] = outcomes + [TIMEOUT] * (count - len(outcomes))
    return results
