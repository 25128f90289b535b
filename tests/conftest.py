"""Shared pytest fixtures: the namespace test network from tests/netlab.py.

`netlab` is built once per session (the default Pemda topology, about 2 s). Tests that cut links or stop
agents take `netlab_rw` instead: the same lab, with every cut link and stopped agent restored afterwards,
even when the test fails. Without root or the agents this skips; under CI=true it fails instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The lab helpers are plain modules in tests/; make them importable whether or not tests/ is a package.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def netlab(request: pytest.FixtureRequest):  # -> netlab.NetLab (imported lazily: Linux-only helpers)
    """The default test network, started once for the whole session and removed at its end."""
    from netlab import NetLab, require_lab_tools

    require_lab_tools()
    lab = NetLab()
    request.addfinalizer(lab.stop)  # stop() is also registered with atexit by start()
    return lab.start()


@pytest.fixture
def netlab_rw(netlab) -> Iterator:
    """The session network for a test that changes it (cut, stop_snmpd); restored after the test."""
    yield netlab
    netlab.reset()
