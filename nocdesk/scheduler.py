"""When each check runs: absolute deadlines on a per-job grid, deterministic jitter, back-off. Pure (no clock).

Every job fires on the grid `phase + k * interval_s` (epoch seconds), where the phase is a stable hash of the
job's phase key spread over the interval: the same device is polled at the same second of its interval after
every restart, the load is spread evenly, and deadlines never drift however late a run starts. A job that
falls behind skips the missed slots instead of bunching up. Back-off multiplies the step (on the same grid).
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections.abc import Hashable
from dataclasses import dataclass


def phase_of(phase_key: Hashable, interval_s: float) -> float:
    """A deterministic offset in [0, interval_s) for a key (stable across runs and machines)."""
    return (zlib.crc32(repr(phase_key).encode()) / 2**32) * interval_s


@dataclass
class Job:
    """One scheduled check; key identifies it, e.g. ("icmp", 3) or ("service", 9)."""

    key: Hashable
    interval_s: float
    phase_s: float
    next_due: float
    backoff: int = 1
    missed: int = 0
    runs: int = 0
    last_due: float | None = None


@dataclass(frozen=True)
class Due:
    """A job that is due: its key and the deadline it was due at (for lag and jitter measurements)."""

    key: Hashable
    due_ts: float


class Scheduler:
    """A set of jobs on absolute deadlines; call due(now) to collect what must run."""

    def __init__(self, *, max_backoff: int = 8) -> None:
        self.jobs: dict[Hashable, Job] = {}
        self.max_backoff = max_backoff
        self._heap: list[tuple[float, int, Hashable]] = []
        self._seq = 0

    def __contains__(self, key: Hashable) -> bool:
        return key in self.jobs

    def __len__(self) -> int:
        return len(self.jobs)

    def _push(self, job: Job) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (job.next_due, self._seq, job.key))

    @staticmethod
    def _slot_after(job: Job, after: float) -> float:
        """The first grid slot strictly after `after`."""
        k = math.floor((after - job.phase_s) / job.interval_s) + 1
        return job.phase_s + k * job.interval_s

    def add(self, key: Hashable, interval_s: float, *, now: float, phase_key: Hashable | None = None,
            immediately: bool = False) -> Job:
        """Schedule a job; its first run is its first grid slot from `now` (or `now` itself if immediately)."""
        if interval_s <= 0:
            raise ValueError(f"interval_s must be positive, not {interval_s}")
        phase = phase_of(key if phase_key is None else phase_key, interval_s)
        job = Job(key=key, interval_s=float(interval_s), phase_s=phase, next_due=0.0)
        job.next_due = now if immediately else self._slot_after(job, now - 1e-9)
        self.jobs[key] = job
        self._push(job)
        return job

    def remove(self, key: Hashable) -> None:
        self.jobs.pop(key, None)  # its heap entry is dropped lazily

    def set_interval(self, key: Hashable, interval_s: float, *, now: float, phase_key: Hashable | None = None) -> None:
        """Change a job's interval; it moves to the new grid from `now` on."""
        job = self.jobs[key]
        if job.interval_s == interval_s:
            return
        job.interval_s = float(interval_s)
        job.phase_s = phase_of(key if phase_key is None else phase_key, interval_s)
        if job.next_due > now:  # a run that is already due (e.g. 'poll now') still happens
            job.next_due = self._slot_after(job, now - 1e-9)
            self._push(job)

    def run_now(self, key: Hashable, *, now: float) -> None:
        """Make a job due at once (e.g. 'poll now' from the UI); its grid is kept for the runs after."""
        job = self.jobs.get(key)
        if job is not None and job.next_due > now:
            job.next_due = now
            self._push(job)

    def back_off(self, key: Hashable) -> int:
        """Double the job's step (up to max_backoff intervals); returns the new multiplier."""
        job = self.jobs.get(key)
        if job is None:
            return 1
        job.backoff = min(self.max_backoff, job.backoff * 2)
        if job.last_due is not None:  # the next run, already scheduled one interval on, moves out too
            later = self._slot_after(job, job.last_due + (job.backoff - 1) * job.interval_s)
            if later > job.next_due:
                job.next_due = later
                self._push(job)
        return job.backoff

    def reset_backoff(self, key: Hashable, *, now: float | None = None) -> None:
        """Back to the normal interval; with `now`, a backed-off job also runs at its next regular slot."""
        job = self.jobs.get(key)
        if job is None or job.backoff == 1:
            return
        job.backoff = 1
        if now is not None:
            nxt = self._slot_after(job, now)
            if nxt < job.next_due:
                job.next_due = nxt
                self._push(job)

    def next_deadline(self) -> float | None:
        """The earliest deadline of any job, or None without jobs."""
        while self._heap:
            due, _seq, key = self._heap[0]
            job = self.jobs.get(key)
            if job is None or job.next_due != due:
                heapq.heappop(self._heap)
                continue
            return due
        return None

    def due(self, now: float) -> list[Due]:
        """Jobs due at or before `now`, earliest first; each is moved to its next slot."""
        out: list[Due] = []
        while self._heap and self._heap[0][0] <= now:
            due, _seq, key = heapq.heappop(self._heap)
            job = self.jobs.get(key)
            if job is None or job.next_due != due:
                continue
            out.append(Due(key, due))
            job.runs += 1
            job.last_due = due
            nxt = self._slot_after(job, due + (job.backoff - 1) * job.interval_s)
            if nxt <= now:
                skipped_to = self._slot_after(job, now)
                job.missed += round((skipped_to - nxt) / job.interval_s)
                nxt = skipped_to
            job.next_due = nxt
            self._push(job)
        return out
