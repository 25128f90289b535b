"""nocdesk core: store, engine, alerts, topology, reports. Never imports Qt."""

from __future__ import annotations

__version__ = "0.1.0"
