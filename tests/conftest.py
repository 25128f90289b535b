"""Shared pytest fixtures: the namespace test network from tests/netlab.py.

`netlab` is built once per session (the default Pemda topology, about 2 s). Tests that cut links or stop
agents take `netlab_rw` instead: the same lab, with every cut link and stopped agent restored afterwards,
even when the test fails. Without root or the agents this skips; under CI=true it fails instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

NETLAB_TOOLS = ("ip", "snmpd", "snmpget", "snmpbulkwalk", "lldpd", "lldpcli", "sshd", "ssh-keygen")


@pytest.fixture(scope="session")
def netlab(request: pytest.FixtureRequest):  # -> netlab.NetLab (imported lazily: Linux-only helpers)
    """The default test network, started once for the whole session and removed at its end."""
    from nsutil import require_netns, require_tool

    require_netns()
    for tool in NETLAB_TOOLS:
        require_tool(tool)
    from netlab import NetLab

    lab = NetLab()
    request.addfinalizer(lab.stop)  # stop() is also registered with atexit by start()
    return lab.start()


@pytest.fixture
def netlab_rw(netlab) -> Iterator:
    """The session network for a test that changes it (cut, stop_snmpd); restored after the test."""
    yield netlab
    netlab.reset()
