"""Keep the cyclic garbage collector's full passes short in the long-running desktop app.

A full (oldest-generation) pass walks every container object of the process while holding the GIL. With the
window, pysnmp and an engine watching 500 devices (12,000 interface trackers) that is about 200,000 objects and
100-150 ms, a visible freeze of the window whichever thread triggered the pass. Objects that live as long as
the process (modules, the window, the engine's trackers) are moved out of the collector's view with
gc.freeze(): reference counting still frees each of them when it is dropped; only a reference cycle that
involves one of them is no longer found. Later passes walk what was created since, a tenth of the objects.
"""

from __future__ import annotations

import gc


def freeze_long_lived(*, full: bool = False) -> int:
    """Collect, then exempt every surviving object from later passes; returns how many are exempt in all.

    full=True first collects the oldest generation too: one pass of 100 ms or more, for before the window is
    shown. Otherwise only the young generations are collected (a few milliseconds), so cycles that already
    died in the oldest one since its last pass stay in memory for good: a small price paid once per call.
    """
    gc.collect(2 if full else 1)
    gc.freeze()
    return gc.get_freeze_count()
