"""Export config backups to a git repository with dulwich (pure Python, no git program needed).

The repository lives at setting `config_git_path` (created on first use); one file per device
(`<device name>.cfg`), one commit per backup run that changed something, with a message such as
"nocdesk backup 2026-11-23 14:00: 2 changed (sw1, sw2), 1 first (sw3)". Secrets are redacted with the
device profile's patterns unless setting `config_git_redact` is false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .collectors.profiles import Profile, load_profiles
from .configversions import redact_config, version_text
from .errors import ConfigError
from .i18n import _
from .inventory import find_device
from .store import Store

if TYPE_CHECKING:
    from .configbackup import BackupRun

PATH_SETTING = "config_git_path"
REDACT_SETTING = "config_git_redact"
AUTHOR = b"nocdesk <nocdesk@localhost>"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def device_file_name(name: str) -> str:
    """The repository file of a device: its name with anything unusual replaced by '_'."""
    return (_UNSAFE.sub("_", name).strip("._") or "device") + ".cfg"


def open_repo(path: Path):
    """The repository at `path`, created (non-bare, never signing commits) when missing."""
    from dulwich.repo = None if False else None  # noqa: E999 - placeholder replaced below
