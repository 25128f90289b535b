"""Counter math: rates from two readings of SNMP counters. Pure functions, no I/O.

Rules (ARCHITECTURE.md "Counters"): prefer 64-bit counters; a 32-bit counter that went backwards wrapped
exactly once; a 64-bit counter that went backwards, an agent that rebooted (sysUpTime went back) or a
changed ifCounterDiscontinuityTime is a discontinuity — no rate, never a spike. A rate above the
interface speed (plus a small tolerance) is rejected, and so is a gap longer than `max_gap_intervals`.
Every "no rate" comes with a reason the engine can store and show.
"""

from __future__ import annotations

from dataclasses import dataclass

from nocdesk.collectors.ifmib import InterfaceCounters

WRAP_32 = 2**32
# sysUpTime is TimeTicks (1/100 s, 32-bit): it wraps after ~497 days, which is not a reboot.
UPTIME_WRAP_S = WRAP_32 / 100.0
DEFAULT_SPEED_TOLERANCE = 1.05  # agents count preamble/FCS differently; 5 % over line rate is still real


@dataclass(frozen=True)
class Rate:
    """A per-second rate, or None with the reason there is none."""

    per_s: float | None
    reason: str | None = None  # "missing", "clock", "gap", "reboot", "discontinuity", "counter_reset", "over_speed"

    @property
    def ok(self) -> bool:
        """True when there is a usable rate."""
        return self.per_s is not None


@dataclass(frozen=True)
class InterfaceRates:
    """Rates of one interface between two polls; fields are None where no rate could be computed."""

    if_index: int
    in_bps: float | None
    out_bps: float | None
    in_util_pct: float | None
    out_util_pct: float | None
    in_pkts_per_s: float | None
    out_pkts_per_s: float | None
    in_errors_per_s: float | None
    out_errors_per_s: float | None
    in_discards_per_s: float | None
    out_discards_per_s: float | None
    elapsed_s: float | None
    reason: str | None  # why the whole interval is unusable (reboot, gap, ...), else None
    notes: tuple[str, ...] = ()  # per-field reasons, e.g. ("in_bps: over_speed",)


def counter_delta(previous: int, current: int, *, bits: int) -> tuple[int | None, str | None]:
    """Increase of a counter: a 32-bit counter that went back wrapped once; a 64-bit one was reset."""
    if current >= previous:
        return current - previous, None
    if bits == 32 and previous < WRAP_32:
        return current + WRAP_32 - previous, None
    return None, "counter_reset"


def uptime_reset(prev_uptime_s: float | None, cur_uptime_s: float | None, elapsed_s: float) -> bool:
    """True when sysUpTime says the agent restarted between the readings (its own 497-day wrap excluded)."""
    if prev_uptime_s is None or cur_uptime_s is None or cur_uptime_s >= prev_uptime_s:
        return False
    wrapped_uptime = cur_uptime_s + UPTIME_WRAP_S - prev_uptime_s
    # A genuine wrap advances uptime by about the wall-clock time that passed.
    return not abs(wrapped_uptime - elapsed_s) <= max(5.0, 0.1 * elapsed_s)


def counter_rate(previous: int | None, current: int | None, *, elapsed_s: float, bits: int = 64,
                 max_per_s: float | None = None) -> Rate:
    """Per-second rate of one counter over `elapsed_s`; `max_per_s` rejects impossible values."""
    if previous is None or current is None:
        return Rate(None, "missing")
    if elapsed_s <= 0:
        return Rate(None, "clock")
    delta, reason = counter_delta(previous, current, bits=bits)
    if delta is None:
        return Rate(None, reason)
    per_s = delta / elapsed_s
    if max_per_s is not None and per_s > max_per_s:
        return Rate(None, "over_speed")
    return Rate(per_s)


def interval_problem(prev: InterfaceCounters, cur: InterfaceCounters, *, interval_s: float,
                     max_gap_intervals: float) -> str | None:
    """Why two readings cannot be compared at all (clock, gap, reboot, discontinuity), else None."""
    elapsed_s = cur.polled_at.monotonic_s - prev.polled_at.monotonic_s
    if elapsed_s <= 0:
        return "clock"
    if elapsed_s > interval_s * max_gap_intervals:
        return "gap"
    if uptime_reset(prev.sys_uptime_s, cur.sys_uptime_s, elapsed_s):
        return "reboot"
    if (prev.counter_discontinuity_time is not None and cur.counter_discontinuity_time is not None
            and prev.counter_discontinuity_time != cur.counter_discontinuity_time):
        return "discontinuity"
    if prev.hc != cur.hc or prev.hc_pkts != cur.hc_pkts:
        return "discontinuity"  # the agent switched counter width: the two readings are different counters
    return None


def interface_rates(prev: InterfaceCounters, cur: InterfaceCounters, *, interval_s: float,
                    max_gap_intervals: float = 3.0,
                    speed_tolerance: float = DEFAULT_SPEED_TOLERANCE) -> InterfaceRates:
    """bits/s, utilisation %, packets, errors and discards per second between two readings of one interface."""
    if prev.if_index != cur.if_index:
        raise ValueError(f"interface_rates: ifIndex {prev.if_index} compared with {cur.if_index}")
    elapsed_s = cur.polled_at.monotonic_s - prev.polled_at.monotonic_s
    problem = interval_problem(prev, cur, interval_s=interval_s, max_gap_intervals=max_gap_intervals)
    if problem:
        return InterfaceRates(cur.if_index, *([None] * 10), elapsed_s=elapsed_s, reason=problem)
    speed = cur.speed_bps
    max_octets = speed * speed_tolerance / 8 if speed else None
    # Smallest Ethernet frame is 64 bytes + 20 bytes preamble/gap: a packet rate above that is impossible.
    max_pkts = speed * speed_tolerance / (84 * 8) if speed else None
    notes: list[str] = []

    def rate(name: str, a: int | None, b: int | None, bits: int, limit: float | None) -> float | None:
        result = counter_rate(a, b, elapsed_s=elapsed_s, bits=bits, max_per_s=limit)
        if result.reason and result.reason != "missing":
            notes.append(f"{name}: {result.reason}")
        return result.per_s

    def packets(direction: str) -> float | None:
        # Sum of unicast/broadcast/multicast; a part the agent lacks is skipped, a rejected part voids it.
        results = [counter_rate(getattr(prev, f"{direction}_{kind}_pkts"), getattr(cur, f"{direction}_{kind}_pkts"),
                                elapsed_s=elapsed_s, bits=pkt_bits, max_per_s=max_pkts)
                   for kind in ("ucast", "bcast", "mcast")]
        rejected = [r.reason for r in results if r.reason not in (None, "missing")]
        if rejected:
            notes.append(f"{direction}_pkts: {rejected[0]}")
            return None
        known = [r.per_s for r in results if r.per_s is not None]
        return sum(known) if known else None

    octet_bits = 64 if cur.hc else 32
    pkt_bits = 64 if cur.hc_pkts else 32
    in_bytes = rate("in_bps", prev.in_octets, cur.in_octets, octet_bits, max_octets)
    out_bytes = rate("out_bps", prev.out_octets, cur.out_octets, octet_bits, max_octets)
    in_bps = in_bytes * 8 if in_bytes is not None else None
    out_bps = out_bytes * 8 if out_bytes is not None else None
    in_pkts = packets("in")
    out_pkts = packets("out")
    return InterfaceRates(
        if_index=cur.if_index,
        in_bps=in_bps,
        out_bps=out_bps,
        in_util_pct=utilisation_pct(in_bps, speed),
        out_util_pct=utilisation_pct(out_bps, speed),
        in_pkts_per_s=in_pkts,
        out_pkts_per_s=out_pkts,
        in_errors_per_s=rate("in_errors", prev.in_errors, cur.in_errors, 32, max_pkts),
        out_errors_per_s=rate("out_errors", prev.out_errors, cur.out_errors, 32, max_pkts),
        in_discards_per_s=rate("in_discards", prev.in_discards, cur.in_discards, 32, max_pkts),
        out_discards_per_s=rate("out_discards", prev.out_discards, cur.out_discards, 32, max_pkts),
        elapsed_s=elapsed_s,
        reason=None,
        notes=tuple(dict.fromkeys(notes)),
    )


def utilisation_pct(bps: float | None, speed_bps: int | None) -> float | None:
    """Share of the interface speed in use, capped at 100 % (the tolerance band counts as full)."""
    if bps is None or not speed_bps:
        return None
    return min(100.0, 100.0 * bps / speed_bps)

