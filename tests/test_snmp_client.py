"""The SNMP client against a real snmpd on loopback, once per back end (pysnmp and the fast path)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading

import pytest

from nocdesk.collectors import snmp, snmp_fast
from nocdesk.collectors.system import read_system
from nocdesk.errors import AuthError, ConfigError, UnreachableError

try:
    from snmp_agents import (  # noqa: F401
        AUTH_KEY,
        PRIV_KEY,
        SYS_NAME,
        V3_USERS,
        Snmpd,
        quiet_env,
        require_tool,
        snmp_backend,
        snmpd_agent,
    )
except ImportError:  # tests/ collected as a package
    from tests.snmp_agents import (  # noqa: F401
        AUTH_KEY,
        PRIV_KEY,
        SYS_NAME,
        V3_USERS,
        Snmpd,
        quiet_env,
        require_tool,
        snmp_backend,
        snmpd_agent,
    )

HOST = "127.0.0.1"


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


def version_creds(agent: Snmpd) -> list[tuple[str, snmp.SnmpCredential]]:
    creds = [("v1", agent.cred("1")), ("v2c", agent.cred("2c"))]
    for user, auth, priv in V3_USERS:
        creds.append((f"v3-{user}-{auth}-{priv}", agent.cred("3", user=user, auth_protocol=auth,
                                                                priv_protocol=priv)))
    return creds


def test_sys_name_over_every_version_and_usm_protocol(snmpd_agent, snmp_backend):  # noqa: F811
    for name, cred in version_creds(snmpd_agent):
        info = run(read_system(HOST, cred))
        assert info.sys_name == SYS_NAME, name
        assert info.sys_object_id.startswith("1.3.6.1.4.1.8072."), name
        assert info.sys_uptime_s is not None and info.sys_uptime_s >= 0, name


def walk_with_net_snmp(agent: Snmpd, cred: snmp.SnmpCredential, root: str) -> list[str]:
    """OIDs that snmpbulkwalk -Cr50 (or snmpwalk for v1) returns for `root`."""
    tool = require_tool("snmpwalk" if cred.version == "1" else "snmpbulkwalk")
    extra = [] if cred.version == "1" else ["-Cr50"]
    done = subprocess.run([tool, "-m", "", "-On", "-t", "2", *extra, *agent.net_snmp_args(cred),
                           f"{HOST}:{agent.port}", root], capture_output=True, text=True, env=quiet_env(), check=True)
    # net-snmp prints endOfMibView as an extra line for the last OID: that is no varbind.
    return [line.split(" = ")[0].lstrip(".") for line in done.stdout.splitlines()
            if " = " in line and "No more variables left" not in line]


@pytest.mark.parametrize("version", ["1", "2c", "3"])
def test_interface_list_matches_net_snmp(snmpd_agent, snmp_backend, version):  # noqa: F811
    cred = snmpd_agent.cred(version)
    expected = walk_with_net_snmp(snmpd_agent, cred, "1.3.6.1.2.1.2.2.1.2")  # ifDescr
    got = run(snmp.walk(HOST, cred, "1.3.6.1.2.1.2.2.1.2"))
    assert [oid for oid, _ in got] == expected
    assert b"lo" in [value for _, value in got]


@pytest.mark.parametrize("version", ["2c", "3"])
def test_bulk_walk_of_the_whole_tree_matches_snmpbulkwalk(snmpd_agent, snmp_backend, version):  # noqa: F811
    cred = snmpd_agent.cred(version)
    # Namespaces other tests create show up as mounts (hrStorage) on this agent: retry if the tree moved.
    for _attempt in range(3):
        expected = walk_with_net_snmp(snmpd_agent, cred, ".1.3")
        got = [oid for oid, _ in run(snmp.walk(HOST, cred, "1.3", max_repetitions=50))]
        if got == expected:
            break
    assert len(expected) > 1000
    assert len(got) == len(expected)
    assert got == expected


@pytest.mark.skipif(not snmp_fast.AVAILABLE, reason="fast path not installed")
def test_fast_path_truncation_is_detected_and_the_walk_completed(snmpd_agent, monkeypatch):  # noqa: F811
    # With large repetitions gufo cuts responses above ~4 kB (silently on v3); pysnmp must finish the walk.
    monkeypatch.setattr(snmp_fast, "_FAST_MAX_REPETITIONS", 200)
    cred = snmpd_agent.cred("3")
    for _attempt in range(3):
        expected = walk_with_net_snmp(snmpd_agent, cred, ".1.3")
        with snmp.backend("fast"):
            got = [oid for oid, _ in run(snmp.walk(HOST, cred, "1.3", max_repetitions=200))]
        if got == expected:
            break
    assert got == expected


def test_wrong_community_is_a_named_timeout(snmpd_agent, snmp_backend):  # noqa: F811
    cred = snmpd_agent.cred("2c", community="not-the-community", timeout_s=0.3, retries=0)
    with pytest.raises(UnreachableError) as caught:
        run(read_system(HOST, cred, label="sw-kec-test"))
    message = str(caught.value)
    assert "sw-kec-test" in message and "timeout" in message and "community" in message
    assert "not-the-community" not in message


def test_wrong_v3_auth_key_is_an_authentication_failure_not_a_timeout(snmpd_agent, snmp_backend):  # noqa: F811
    cred = snmpd_agent.cred("3", auth_key="wrong-auth-key", timeout_s=2.0, retries=0)  # an answer is due
    with pytest.raises(AuthError) as caught:
        run(read_system(HOST, cred, label="sw-kec-test"))
    message = str(caught.value)
    assert "authentication failed" in message and "'monitor'" in message and "auth password" in message
    assert "wrong-auth-key" not in message and AUTH_KEY not in message and PRIV_KEY not in message


def test_unknown_v3_user_is_named(snmpd_agent, snmp_backend):  # noqa: F811
    cred = snmpd_agent.cred("3", user="nobody", timeout_s=2.0, retries=0)
    with pytest.raises(AuthError, match="does not know user 'nobody'"):
        run(read_system(HOST, cred))


def test_unknown_oid_is_a_missing_value_not_a_crash(snmpd_agent, snmp_backend):  # noqa: F811
    for version in ("1", "2c", "3"):
        cred = snmpd_agent.cred(version)
        got = run(snmp.get(HOST, cred, ["1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.99.0", "1.3.6.1.4.1.99999.1.0"]))
        assert got == {"1.3.6.1.2.1.1.5.0": SYS_NAME.encode(), "1.3.6.1.2.1.1.99.0": None,
                       "1.3.6.1.4.1.99999.1.0": None}, version
        assert run(snmp.walk(HOST, cred, "1.3.6.1.4.1.99999")) == [], version


def test_garbage_answers_end_as_unreachable_not_a_crash(snmp_backend):  # noqa: F811
    # An "agent" that answers every datagram with junk, an oversized junk datagram and a truncated SNMP header.
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                _data, peer = sock.recvfrom(65535)
            except OSError:
                continue
            for junk in (b"\x30\x82\xff\xff\x02\x01", b"\xff" * 60000, b"not snmp at all"):
                sock.sendto(junk, peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        for version in ("1", "2c"):
            cred = snmp.SnmpCredential(version, community="x", port=sock.getsockname()[1], timeout_s=0.3, retries=0)
            with pytest.raises(UnreachableError):
                run(snmp.get(HOST, cred, ["1.3.6.1.2.1.1.5.0"]))
            with pytest.raises(UnreachableError):
                run(snmp.walk(HOST, cred, "1.3.6.1.2.1.2"))
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


def test_credentials_never_show_their_secrets():
    cred = snmp.SnmpCredential("3", user="monitor", auth_protocol="sha256", auth_key="s3cret-auth",
                               priv_protocol="aes128", priv_key="s3cret-priv")
    assert "s3cret" not in repr(cred)
    assert (cred.auth_protocol, cred.priv_protocol, cred.security_level) == ("SHA-256", "AES", "authPriv")
    assert "s3cret" not in repr(snmp.SnmpCredential("2c", community="s3cret-community"))


@pytest.mark.parametrize(("changes", "field"), [
    ({"version": "2"}, "version"),
    ({"version": "3", "user": ""}, "user"),
    ({"version": "3", "user": "u", "auth_protocol": "SHA", "auth_key": "short"}, "auth_key"),
    ({"version": "3", "user": "u", "priv_protocol": "AES", "priv_key": "longenough"}, "priv_protocol"),
    ({"auth_protocol": "SHA3"}, "auth_protocol"),
    ({"port": 0}, "port"),
])
def test_bad_credentials_are_rejected_naming_the_field(changes, field):
    with pytest.raises(ConfigError, match=field):
        snmp.SnmpCredential(**{"version": "2c", "community": "c", **changes})


def test_v3_polls_recover_after_the_agent_restarts(tmp_path, snmp_backend):  # noqa: F811
    """A rebooted agent has new engine boots/time; the client must rediscover it, not time out for minutes."""
    from snmp_agents import start_snmpd, stop

    agent = start_snmpd(tmp_path)
    cred = agent.cred("3", timeout_s=2.0, retries=0)

    async def uptime() -> int | None:
        try:
            return (await snmp.get("127.0.0.1", cred, [snmp.SYS_UPTIME]))[snmp.SYS_UPTIME]
        except UnreachableError:
            return None

    async def scenario() -> list[int | None]:
        # One event loop throughout, as in the engine: the client's state about the agent survives the reboot.
        nonlocal agent
        assert await uptime() is not None
        stop(agent.process)
        agent = start_snmpd(tmp_path, port=agent.port)
        return [await uptime() for _ in range(3)]

    try:
        answers = asyncio.run(scenario())
        assert answers[-1] is not None, answers  # at most the first poll after the reboot is lost
        assert answers.count(None) <= 1, answers
    finally:
        stop(agent.process)
