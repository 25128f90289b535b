"""Counter math: wraps, resets, reboots, discontinuities, gaps and impossible rates. Table-driven."""

from __future__ import annotations

import dataclasses

import pytest

from nocdesk.collectors.ifmib import InterfaceCounters, PolledAt
from nocdesk.counters import (
    UPTIME_WRAP_S,
    WRAP_32,
    counter_delta,
    counter_rate,
    interface_rates,
    uptime_reset,
)

GIG = 1_000_000_000


@pytest.mark.parametrize(("previous", "current", "bits", "expected"), [
    (100, 350, 64, (250, None)),
    (100, 100, 32, (0, None)),
    (WRAP_32 - 10, 20, 32, (30, None)),  # 32-bit wrap, exactly once
    (WRAP_32 - 1, 0, 32, (1, None)),
    (5_000, 10, 64, (None, "counter_reset")),  # a 64-bit counter never wraps in practice: reset
    (2**64 - 5, 3, 64, (None, "counter_reset")),
    (WRAP_32 + 5, 3, 32, (None, "counter_reset")),  # not a valid 32-bit reading at all
])
def test_counter_delta(previous, current, bits, expected):
    assert counter_delta(previous, current, bits=bits) == expected


@pytest.mark.parametrize(("previous", "current", "elapsed_s", "bits", "max_per_s", "per_s", "reason"), [
    (0, 1_000, 10.0, 64, None, 100.0, None),
    (WRAP_32 - 500, 500, 10.0, 32, None, 100.0, None),
    (None, 500, 10.0, 64, None, None, "missing"),
    (100, None, 10.0, 64, None, None, "missing"),
    (100, 200, 0.0, 64, None, None, "clock"),
    (100, 200, -1.0, 64, None, None, "clock"),
    (0, 2_000, 10.0, 64, 150.0, None, "over_speed"),
    (0, 1_500, 10.0, 64, 150.0, 150.0, None),
    (900, 100, 10.0, 64, None, None, "counter_reset"),
])
def test_counter_rate(previous, current, elapsed_s, bits, max_per_s, per_s, reason):
    rate = counter_rate(previous, current, elapsed_s=elapsed_s, bits=bits, max_per_s=max_per_s)
    assert (rate.per_s, rate.reason, rate.ok) == (per_s, reason, per_s is not None)


@pytest.mark.parametrize(("prev_s", "cur_s", "elapsed_s", "reset"), [
    (1000.0, 1060.0, 60.0, False),
    (1000.0, 30.0, 60.0, True),  # rebooted 30 s ago
    (UPTIME_WRAP_S - 20.0, 40.0, 60.0, False),  # 497-day TimeTicks wrap, not a reboot
    (UPTIME_WRAP_S - 20.0, 5.0, 3600.0, True),  # went back, but not by the time that passed: reboot
    (None, 5.0, 60.0, False),
    (1000.0, None, 60.0, False),
])
def test_uptime_reset(prev_s, cur_s, elapsed_s, reset):
    assert uptime_reset(prev_s, cur_s, elapsed_s) is reset


def reading(t_s: float, *, in_octets: int = 0, out_octets: int = 0, uptime_s: float | None = 10_000.0,
            hc: bool = True, speed_bps: int | None = GIG, discontinuity: int | None = 0, errors: int = 0,
            pkts: int = 0) -> InterfaceCounters:
    return InterfaceCounters(
        if_index=3, name="Gi0/1", alias="uplink", descr="GigabitEthernet0/1", if_type=6, speed_bps=speed_bps,
        admin_status="up", oper_status="up", in_octets=in_octets, out_octets=out_octets, hc=hc,
        in_ucast_pkts=pkts, out_ucast_pkts=pkts, in_bcast_pkts=None, out_bcast_pkts=None, in_mcast_pkts=0,
        out_mcast_pkts=0, hc_pkts=hc, in_errors=errors, out_errors=0, in_discards=0, out_discards=0,
        counter_discontinuity_time=discontinuity, polled_at=PolledAt(t_s, 1_700_000_000 + t_s),
        sys_uptime_s=uptime_s,
    )


BASE = reading(100.0, in_octets=10_000_000, out_octets=5_000_000)


def later(**changes):  # noqa: ANN003, ANN201
    defaults = {"t_s": 160.0, "in_octets": 10_000_000 + 60 * 12_500_000, "out_octets": 5_000_000,
                "uptime_s": 10_060.0}
    defaults.update(changes)
    return reading(**defaults)


@pytest.mark.parametrize(("current", "reason", "in_bps"), [
    (later(), None, 100_000_000.0),  # 12.5 MB/s = 100 Mbit/s for 60 s
    (later(uptime_s=15.0), "reboot", None),
    (later(discontinuity=4242), "discontinuity", None),
    (later(hc=False), "discontinuity", None),  # agent switched from 64- to 32-bit counters
    (later(t_s=100.0 + 4 * 60.0, uptime_s=10_240.0), "gap", None),  # more than 3 intervals missed
    (later(t_s=90.0), "clock", None),
])
def test_interface_rates_whole_interval(current, reason, in_bps):
    rates = interface_rates(BASE, current, interval_s=60.0)
    assert rates.reason == reason
    assert rates.in_bps == in_bps
    if reason:
        assert rates.out_bps is None and rates.in_errors_per_s is None and rates.in_util_pct is None


def test_utilisation_errors_and_packets():
    prev = reading(0.0, in_octets=0, out_octets=0, errors=10, pkts=1_000)
    cur = reading(10.0, in_octets=62_500_000, out_octets=125_000_000, errors=30, pkts=3_000, uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.in_bps == 50_000_000.0 and rates.out_bps == 100_000_000.0
    assert rates.in_util_pct == pytest.approx(5.0) and rates.out_util_pct == pytest.approx(10.0)
    assert rates.in_errors_per_s == 2.0 and rates.out_errors_per_s == 0.0
    assert rates.in_pkts_per_s == 200.0  # unicast + multicast; the missing broadcast counter is skipped
    assert rates.notes == ()


def test_32_bit_octets_wrap_once_on_a_fast_link():
    prev = reading(0.0, in_octets=WRAP_32 - 1_000_000, hc=False)
    cur = reading(10.0, in_octets=249_000_000, hc=False, uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.reason is None
    assert rates.in_bps == pytest.approx(250_000_000 * 8 / 10)


def test_a_rate_above_the_interface_speed_is_rejected_not_stored():
    # A 100 Mbit/s port "moving" 1 Gbit/s: a reset mistaken for a wrap, or a bogus counter.
    prev = reading(0.0, in_octets=0, speed_bps=100_000_000)
    cur = reading(10.0, in_octets=1_250_000_000, speed_bps=100_000_000, uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.in_bps is None and rates.in_util_pct is None
    assert "in_bps: over_speed" in rates.notes
    assert rates.out_bps == 0.0  # the other direction is still fine


def test_line_rate_within_tolerance_is_kept():
    prev = reading(0.0, in_octets=0)
    cur = reading(10.0, in_octets=int(GIG / 8 * 10 * 1.02), uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.in_bps == pytest.approx(GIG * 1.02)
    assert rates.in_util_pct == 100.0


def test_a_64_bit_counter_going_back_is_a_reset_not_a_spike():
    prev = reading(0.0, in_octets=9_000_000_000)
    cur = reading(10.0, in_octets=1_000, uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.in_bps is None and "in_bps: counter_reset" in rates.notes


def test_unknown_speed_gives_rates_without_utilisation():
    prev = reading(0.0, speed_bps=None)
    cur = reading(10.0, in_octets=1_000, speed_bps=None, uptime_s=10_010.0)
    rates = interface_rates(prev, cur, interval_s=10.0)
    assert rates.in_bps == 800.0 and rates.in_util_pct is None


def test_comparing_two_interfaces_is_a_bug():
    with pytest.raises(ValueError):
        interface_rates(BASE, dataclasses.replace(later(), if_index=4), interval_s=60.0)
