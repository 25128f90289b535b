"""The scheduler (nocdesk.scheduler) on a simulated clock: absolute deadlines, jitter, back-off, no drift."""

from __future__ import annotations

import random

from nocdesk.scheduler import Scheduler, phase_of

T0 = 1_800_000_000.0


def test_phase_is_deterministic_and_inside_the_interval() -> None:
    assert phase_of(("device", 7), 60) == phase_of(("device", 7), 60)
    phases = [phase_of(("device", i), 60) for i in range(1000)]
    assert all(0 <= p < 60 for p in phases)
    assert len(set(phases)) > 990


def test_first_runs_are_spread_over_the_interval() -> None:
    s = Scheduler()
    for i in range(600):
        s.add(("icmp", i), 60, now=T0, phase_key=("device", i))
    firsts = sorted(job.next_due - T0 for job in s.jobs.values())
    assert firsts[0] >= 0 and firsts[-1] < 60
    per_6s = [sum(1 for f in firsts if k * 6 <= f < (k + 1) * 6) for k in range(10)]
    assert min(per_6s) >= 35 and max(per_6s) <= 85  # about 60 each, never all at once


def test_no_drift_over_six_hours_with_late_starts() -> None:
    """Each run starts late by a random amount; deadlines stay on the grid phase + k * interval."""
    rng = random.Random(4)
    s = Scheduler()
    job = s.add(("icmp", 1), 60, now=T0)
    now = T0
    fired = []
    while len(fired) < 360:
        deadline = s.next_deadline()
        assert deadline is not None
        now = max(now, deadline) + rng.uniform(0.0, 2.5)   # the loop wakes late, the cycle takes time
        fired += [d.due_ts for d in s.due(now)]
    assert len(fired) == 360
    offsets = {round((d - job.phase_s) % 60, 6) for d in fired}
    assert offsets == {0.0}
    assert fired == [fired[0] + 60 * k for k in range(len(fired))]
    assert job.missed == 0


def test_a_job_that_falls_behind_skips_missed_slots() -> None:
    s = Scheduler()
    job = s.add(("icmp", 1), 10, now=T0)
    first = s.next_deadline()
    assert first is not None
    [due] = s.due(first + 55)  # the loop was blocked for five intervals
    assert due.due_ts == first
    assert job.next_due == first + 60 and job.missed == 5
    assert s.due(first + 59) == []


def test_backoff_doubles_the_step_on_the_same_grid_and_resets() -> None:
    s = Scheduler(max_backoff=8)
    job = s.add(("snmp", 1), 60, now=T0)
    t = s.next_deadline()
    steps = []
    for _ in range(6):
        assert t is not None
        s.due(t)
        s.back_off(("snmp", 1))
        nxt = s.next_deadline()
        assert nxt is not None
        steps.append(round(nxt - t))
        t = nxt
    assert steps == [120, 240, 480, 480, 480, 480]
    assert round((job.next_due - job.phase_s) % 60, 6) == 0.0
    s.reset_backoff(("snmp", 1), now=t - 400)
    assert job.backoff == 1
    assert t - 400 < job.next_due <= t - 340 and round((job.next_due - job.phase_s) % 60, 6) == 0.0


def test_run_now_then_back_to_the_grid() -> None:
    s = Scheduler()
    job = s.add(("icmp", 1), 60, now=T0)
    grid = job.next_due
    now = grid + 15
    s.due(grid)
    s.run_now(("icmp", 1), now=now)
    [due] = s.due(now)
    assert due.due_ts == now
    assert job.next_due == grid + 60


def test_interval_change_and_removal() -> None:
    s = Scheduler()
    job = s.add(("icmp", 1), 60, now=T0)
    s.set_interval(("icmp", 1), 300, now=T0 + 10)
    assert job.interval_s == 300 and T0 + 10 < job.next_due <= T0 + 310
    s.remove(("icmp", 1))
    assert s.next_deadline() is None and s.due(T0 + 10_000) == []


def test_immediately_runs_at_once() -> None:
    s = Scheduler()
    s.add(("icmp", 1), 60, now=T0, immediately=True)
    assert [d.key for d in s.due(T0)] == [("icmp", 1)]


def test_a_thousand_jobs_keep_their_own_deadlines() -> None:
    s = Scheduler()
    for i in range(1000):
        s.add(("icmp", i), 30 if i % 2 else 60, now=T0)
    runs: dict[object, int] = {}
    t = T0
    while t < T0 + 600:
        t += 0.25
        for d in s.due(t):
            runs[d.key] = runs.get(d.key, 0) + 1
    assert {runs[("icmp", i)] for i in range(0, 1000, 2)} <= {10, 11}
    assert {runs[("icmp", i)] for i in range(1, 1000, 2)} <= {20, 21}
