"""The trap listener against net-snmp's snmptrap/snmpinform on loopback: v1, v2c, v3 authPriv, informs, unknown
enterprise traps, wrong communities, and the errors a user sees when the port cannot be opened."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys

import pytest
from notify_peers import free_port

from nocdesk.collectors.snmp import SnmpCredential
from nocdesk.collectors.traps import TrapEvent, TrapListener, TrapListenerConfig, V3TrapUser
from nocdesk.errors import ConfigError

COMMUNITY = "trap-secret"
ENGINE_ID = "8000000001020304"
V3 = SnmpCredential(version="3", user="ndtmon", auth_protocol="SHA", auth_key="ndt-auth-pass",
                    priv_protocol="AES", priv_key="ndt-priv-pass")
LINK_DOWN = "1.3.6.1.6.3.1.1.5.3"


def need_snmptrap() -> str:
    path = shutil.which("snmptrap")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("snmptrap (apt package snmp) is required (CI=true: refusing to skip)")
    pytest.skip("needs snmptrap from the net-snmp 'snmp' package")


async def receive(commands: list[str], *, expect: int, config: TrapListenerConfig | None = None,
                  settle_s: float = 0.0) -> list[TrapEvent]:
    """Start a listener on a free port, run the commands (PORT replaced), return the events seen."""
    need_snmptrap()
    port = free_port(socket.SOCK_DGRAM)
    cfg = config or TrapListenerConfig(bind="127.0.0.1", port=port, communities=(COMMUNITY,),
                                       v3_users=(V3TrapUser(V3, ENGINE_ID),))
    events: list[TrapEvent] = []
    async with TrapListener(cfg, events.append) as listener:
        assert listener.address == ("127.0.0.1", cfg.port)
        for command in commands:
            proc = await asyncio.create_subprocess_shell(command.replace("PORT", str(cfg.port)),
                                                         env={**os.environ, "MIBS": ""},
                                                         stderr=asyncio.subprocess.PIPE)
            _out, err = await asyncio.wait_for(proc.communicate(), 15)
            assert proc.returncode == 0 or "inform" in command, err
        deadline = asyncio.get_running_loop().time() + 10
        while len(events) < expect and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(settle_s)
    return events


def test_v2c_link_down_gives_if_index_and_name():
    (event,) = asyncio.run(receive([
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' {LINK_DOWN} 1.3.6.1.2.1.2.2.1.1.3 i 3 "
        "1.3.6.1.2.1.2.2.1.7.3 i 1 1.3.6.1.2.1.2.2.1.8.3 i 2"], expect=1))
    assert (event.name, event.version, event.trap_oid, event.if_index) == ("linkDown", "2c", LINK_DOWN, 3)
    assert event.source_address == "127.0.0.1" and event.value("1.3.6.1.2.1.2.2.1.8") == "2"
    assert COMMUNITY not in repr(event)


def test_v1_traps_are_translated_and_recognised():
    events = asyncio.run(receive([
        f"snmptrap -v 1 -c {COMMUNITY} 127.0.0.1:PORT 1.3.6.1.4.1.8072.3.2.10 127.0.0.1 3 0 '' "
        "1.3.6.1.2.1.2.2.1.1.7 i 7",  # generic 3 = linkUp
        f"snmptrap -v 1 -c {COMMUNITY} 127.0.0.1:PORT 1.3.6.1.4.1.8072.3.2.10 127.0.0.1 0 0 ''",  # coldStart
        f"snmptrap -v 1 -c {COMMUNITY} 127.0.0.1:PORT 1.3.6.1.4.1.8072.3.2.10 127.0.0.1 4 0 ''",  # authFailure
    ], expect=3))
    assert [(e.name, e.version, e.if_index) for e in events] == [
        ("linkUp", "1", 7), ("coldStart", "1", None), ("authenticationFailure", "1", None)]
    assert all(COMMUNITY not in repr(e) for e in events)  # snmpTrapCommunity is dropped


def test_v3_auth_priv_trap_and_v2c_inform():
    events = asyncio.run(receive([
        f"snmptrap -v 3 -e 0x{ENGINE_ID} -u {V3.user} -l authPriv -a SHA -A {V3.auth_key} -x AES -X {V3.priv_key} "
        f"127.0.0.1:PORT '' 1.3.6.1.6.3.1.1.5.2",
        f"snmpinform -v 2c -c {COMMUNITY} -t 2 -r 1 127.0.0.1:PORT '' {LINK_DOWN} 1.3.6.1.2.1.2.2.1.1.12 i 12",
    ], expect=2))
    assert [(e.name, e.version, e.security_name, e.if_index) for e in events] == [
        ("warmStart", "3", V3.user, None), ("linkDown", "2c", "", 12)]


def test_unknown_enterprise_trap_is_kept_with_its_varbinds():
    (event,) = asyncio.run(receive([
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' 1.3.6.1.4.1.2011.5.25.136.1.6.1 "
        "1.3.6.1.4.1.2011.5.25.136.1.1.1 s 'optical power low' 1.3.6.1.4.1.2011.5.25.136.1.1.2 i -2450"],
        expect=1))
    assert (event.name, event.trap_oid, event.if_index) == ("unknown", "1.3.6.1.4.1.2011.5.25.136.1.6.1", None)
    assert ("1.3.6.1.4.1.2011.5.25.136.1.1.1", "optical power low") in event.varbinds
    assert event.value("1.3.6.1.4.1.2011.5.25.136.1.1.2") == "-2450"


def test_wrong_community_and_wrong_v3_key_are_dropped_and_the_good_one_kept():
    events = asyncio.run(receive([
        f"snmptrap -v 2c -c not-the-community 127.0.0.1:PORT '' {LINK_DOWN}",
        f"snmptrap -v 3 -e 0x{ENGINE_ID} -u {V3.user} -l authPriv -a SHA -A wrong-auth-pass -x AES -X {V3.priv_key} "
        f"127.0.0.1:PORT '' {LINK_DOWN}",
        f"snmptrap -v 2c -c {COMMUNITY} 127.0.0.1:PORT '' 1.3.6.1.6.3.1.1.5.1",  # sent last, arrives last
    ], expect=1, settle_s=0.2))
    assert [e.name for e in events] == ["coldStart"]


def test_port_in_use_says_what_to_do():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        cfg = TrapListenerConfig(bind="127.0.0.1", port=taken.getsockname()[1], communities=("x",))
        with pytest.raises(ConfigError, match="already in use.*traps.port"):
            asyncio.run(TrapListener(cfg, print).start())


def test_listener_releases_its_port_when_stopped():
    port = free_port(socket.SOCK_DGRAM)
    cfg = TrapListenerConfig(bind="127.0.0.1", port=port, communities=("x",))

    async def twice() -> None:
        for _ in range(2):
            async with TrapListener(cfg, print):
                pass
    asyncio.run(twice())


def test_port_162_without_privileges_names_the_capability():
    """Run the listener as 'nobody' (no CAP_NET_BIND_SERVICE) and read the message a user would get."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        if os.environ.get("CI") == "true":
            pytest.fail("needs root and setpriv to drop privileges (CI=true: refusing to skip)")
        pytest.skip("needs root and setpriv to run a child without privileges")
    start = int(open("/proc/sys/net/ipv4/ip_unprivileged_port_start").read())
    if start <= 162:
        pytest.skip("this kernel lets anyone bind port 162 (net.ipv4.ip_unprivileged_port_start)")
    code = ("import asyncio\nfrom nocdesk.collectors.traps import TrapListener, TrapListenerConfig\n"
            "from nocdesk.errors import ConfigError\n"
            "try:\n asyncio.run(TrapListener(TrapListenerConfig(bind='127.0.0.1', port=162, communities=('x',)), "
            "print).start())\nexcept ConfigError as e:\n print(e)\n")
    out = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all",
                          "--bounding-set=-all", sys.executable, "-c", code],
                         capture_output=True, text=True, timeout=60, cwd="/")
    assert "CAP_NET_BIND_SERVICE" in out.stdout and "traps.port" in out.stdout, out.stderr
