"""Where nocdesk keeps its files: the user's data directory (platformdirs), overridable per run."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nocdesk"


def data_dir() -> Path:
    """The per-user data directory (NOCDESK_DATA_DIR overrides, e.g. for tests and services)."""
    override = os.environ.get("NOCDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The database used when no --db is given."""
    return data_dir() / "nocdesk.db"


def demo_db_path() -> Path:
    """The separate database of the demo network, so demo data never mixes with real devices."""
    return data_dir() / "demo.db"


def log_dir() -> Path:
    """Directory for the engine's log files."""
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
