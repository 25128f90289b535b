"""Waiting in tests: poll a condition until it holds or a deadline passes, with a message saying what failed."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(check: Callable[[], object], what: str, timeout_s: float = 20.0, *, poll_s: float = 0.1,
             on_timeout: Callable[[], object] | None = None) -> object:
    """Return check()'s first truthy value; AssertionError naming `what` (and on_timeout()'s text) otherwise."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(poll_s)
    detail = f": {on_timeout()}" if on_timeout is not None else ""
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}{detail}")
