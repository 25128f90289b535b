"""PyInstaller entry point: the `nocdesk` console script (nocdesk.cli:main), frozen.

Kept apart from nocdesk/cli.py so the frozen app starts exactly like the installed console script.
"""

from __future__ import annotations

import multiprocessing
import sys

from nocdesk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless when nothing spawns; required if something ever does
    sys.exit(main())
