"""Everything a production engine runs besides polling: alerting (notifications, traps) and housekeeping.

`nocdesk poll` and the desktop app build their engine through attach_all(); tests that want a bare
engine construct Engine directly.
"""

from __future__ import annotations

from typing import Any

from .alerting import attach_alerting
from .housekeeping import attach_housekeeping


def attach_all(engine: Any) -> None:
    """Register alerting and the periodic side jobs with `engine` (before it runs)."""
    attach_alerting(engine)
    attach_housekeeping(engine)
