"""ICMP results as data: PingResult, IcmpCapability, the reason vocabulary and the per-target statistics.

Every probe ends as an *outcome*: its round-trip time in milliseconds (a float) or the reason it got no
reply (a str from the vocabulary below). `summarise()` turns a target's outcomes into one PingResult.
Reasons are stable English codes the engine can compare and store; the UI translates them for display.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TIMEOUT = "timeout"
NO_ROUTE = "no route to host"
HOST_UNREACHABLE = "host unreachable"
NET_UNREACHABLE = "network unreachable"
PROHIBITED = "administratively prohibited"
TTL_EXCEEDED = "ttl exceeded"
UNKNOWN_HOST = "unknown host"
PERMISSION_DENIED = "permission denied"

# One probe's fate: RTT in ms when a reply came back, else a reason.
Outcome = float | str

Mode = Literal["raw", "dgram", "fping", "none"]

# Errors the kernel reports while *sending*: the probe never left, and the next one will not either.
_SEND_ERRNO_REASONS = {
    errno.ENETUNREACH: NO_ROUTE,  # no route at all
    errno.EHOSTUNREACH: NO_ROUTE,  # an "unreachable" route type, or a neighbour already known dead
    errno.EACCES: PERMISSION_DENIED,  # broadcast address, a "prohibit" route, no raw-socket right
    errno.EPERM: PERMISSION_DENIED,  # a local firewall rule dropped it, or no raw-socket right
}

# ICMP error (family, type) -> code -> reason; the default for the type is under None.
_ICMP_ERROR_REASONS: dict[tuple[int, int], dict[int | None, str]] = {
    (4, 3): {0: NET_UNREACHABLE, 6: NET_UNREACHABLE, 11: NET_UNREACHABLE, 9: PROHIBITED, 10: PROHIBITED,
             13: PROHIBITED, None: HOST_UNREACHABLE},
    (4, 11): {None: TTL_EXCEEDED},
    (6, 1): {0: NET_UNREACHABLE, 1: PROHIBITED, 5: PROHIBITED, 6: PROHIBITED, None: HOST_UNREACHABLE},
    (6, 3): {None: TTL_EXCEEDED},
}


@dataclass(frozen=True, slots=True)
class PingResult:
    """One target's check: `sent` probes, `received` replies, RTT statistics in ms, and why it failed."""

    address: str
    sent: int
    received: int
    loss_pct: float
    rtt_min_ms: float | None
    rtt_avg_ms: float | None
    rtt_max_ms: float | None
    jitter_ms: float | None
    ok: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IcmpCapability:
    """How this process can send ICMP right now, and what to tell the user when it cannot do it natively."""

    mode: Mode
    advice: str = ""


def send_error_reason(err: int | None) -> str:
    """The reason for an OSError errno raised by sendto()/connect() on an ICMP or UDP socket."""
    if err in _SEND_ERRNO_REASONS:
        return _SEND_ERRNO_REASONS[err]
    if err is None:
        return "send failed"
    return f"send failed: {os.strerror(err)}"


def is_local_failure(outcome: Outcome) -> bool:
    """True for reasons the kernel gave before anything left the host: retrying within a check is pointless."""
    return isinstance(outcome, str) and (outcome in (NO_ROUTE, PERMISSION_DENIED) or outcome.startswith("send failed"))


def icmp_error_reason(ip_version: int, icmp_type: int, icmp_code: int) -> str | None:
    """The reason for an ICMP error message (Destination Unreachable, Time Exceeded), None if not an error."""
    codes = _ICMP_ERROR_REASONS.get((ip_version, icmp_type))
    if codes is None:
        return None
    return codes.get(icmp_code, codes[None])


def summarise(address: str, outcomes: Sequence[Outcome]) -> PingResult:
    """Fold one target's probe outcomes (in send order) into a PingResult.

    Jitter is the mean absolute difference of consecutive RTTs (RFC 3550's D, without its 1/16 smoothing);
    it needs two replies. A target is ok when at least one reply came back; otherwise the reason is the
    first specific error (no route, host unreachable, ...) and "timeout" only when nothing better is known.
    """
    rtts = [o for o in outcomes if not isinstance(o, str)]
    sent = len(outcomes)
    received = len(rtts)
    loss_pct = round(100.0 * (sent - received) / sent, 2) if sent else 100.0
    if not rtts:
        reasons = [o for o in outcomes if isinstance(o, str)]
        reason = next((r for r in reasons if r != TIMEOUT), TIMEOUT if reasons else UNKNOWN_HOST)
        return PingResult(address, sent, 0, loss_pct, None, None, None, None, ok=False, reason=reason)
    jitter = None
    if len(rtts) >= 2:
        jitter = round(sum(abs(b - a) for a, b in zip(rtts, rtts[1:], strict=False)) / (len(rtts) - 1), 3)
    return PingResult(
        address,
        sent,
        received,
        loss_pct,
        round(min(rtts), 3),
        round(sum(rtts) / received, 3),
        round(max(rtts), 3),
        jitter,
        ok=True,
    )


def failed(address: str, reason: str, *, sent: int = 0) -> PingResult:
    """A PingResult for a target that could not be probed at all (unknown host, no ICMP right)."""
    return PingResult(address, sent, 0, 100.0, None, None, None, None, ok=False, reason=reason)
