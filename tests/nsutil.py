"""Small helpers for network namespaces in tests: create/delete by name, veth pairs, and running code inside one.

Only ever used with names the test made itself and addresses in 198.18.0.0/15; nothing touches the root
namespace's addresses or routes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL("libc.so.6", use_errno=True)


def can_use_netns() -> bool:
    """True when we are root and `ip netns` works here."""
    return os.geteuid() == 0 and shutil.which("ip") is not None


def require_netns() -> None:
    """Skip the calling test without namespace support; under CI=true fail instead, never skip silently."""
    if can_use_netns():
        return
    msg = "needs root and iproute2 for network namespaces"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " (CI=true: refusing to skip)")
    pytest.skip(msg)


def stop_process(proc: subprocess.Popen | None, timeout_s: float = 5.0) -> None:
    """Stop a daemon a test started: SIGTERM, then SIGKILL if it has not gone within `timeout_s`."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout_s)


def require_tool(name: str) -> str:
    """Return the path of a required program; skip without it, fail under CI=true."""
    path = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
    if path:
        return path
    msg = f"needs {name} installed"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " (CI=true: refusing to skip)")
    pytest.skip(msg)


def sh(*cmd: str, check: bool = True, ns: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run a command (inside namespace `ns` when given) and return the completed process."""
    argv = ["ip", "netns", "exec", ns, *cmd] if ns else list(cmd)
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=timeout)


def add_ns(name: str) -> None:
    """Create namespace `name` (removing a stale one of the same name first) with loopback up."""
    delete_ns(name)
    sh("ip", "netns", "add", name)
    sh("ip", "link", "set", "lo", "up", ns=name)


def delete_ns(name: str) -> None:
    """Delete namespace `name` and kill anything still running in it; silent when it does not exist."""
    pids = sh("ip", "netns", "pids", name, check=False).stdout.split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), 9)
    sh("ip", "netns", "del", name, check=False)


def list_ns(prefix: str) -> list[str]:
    """Names of existing namespaces that start with `prefix`."""
    out = sh("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0].startswith(prefix)]


def add_veth(ns_a: str, if_a: str, ns_b: str, if_b: str) -> None:
    """Create a veth pair with one end in each namespace (interface names <= 15 characters), both up."""
    # Created inside ns_a so no interface ever appears in the root namespace.
    sh("ip", "link", "add", if_a, "type", "veth", "peer", "name", if_b, "netns", ns_b, ns=ns_a)
    sh("ip", "link", "set", if_a, "up", ns=ns_a)
    sh("ip", "link", "set", if_b, "up", ns=ns_b)


def add_addr(ns: str, ifname: str, cidr: str) -> None:
    """Add an address from 198.18.0.0/15 to an interface in a namespace."""
    import ipaddress

    if ipaddress.ip_interface(cidr).ip not in ipaddress.ip_network("198.18.0.0/15"):
        raise ValueError(f"test addresses must be in 198.18.0.0/15, not {cidr}")
    sh("ip", "addr", "add", cidr, "dev", ifname, ns=ns)


@contextlib.contextmanager
def in_netns(name: str) -> Iterator[None]:
    """Run the body with the *current thread* inside namespace `name`; sockets made there stay in it."""
    with open("/proc/thread-self/ns/net") as home, open(f"/run/netns/{name}") as target:
        if _libc.setns(target.fileno(), CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({name}) failed: {os.strerror(err)}")
        try:
            yield
        finally:
            if _libc.setns(home.fileno(), CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, f"setns back to home namespace failed: {os.strerror(err)}")
