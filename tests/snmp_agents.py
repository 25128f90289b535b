"""Real SNMP agents for tests: net-snmp `snmpd` and `snmpsim` on 127.0.0.1, each on a free UDP port.

Fixtures here are imported by the SNMP test modules. The agents only listen on loopback and are stopped
(by their own pid) when the session ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nocdesk.collectors import snmp

try:
    from nsutil import require_tool, stop_process
except ImportError:  # tests/ collected as a package
    from tests.nsutil import require_tool, stop_process

RECORDINGS = Path(__file__).parent / "recordings"
SYS_NAME = "nocdesk-test-agent"
COMMUNITY = "nocdesk-ro"
AUTH_KEY = "auth-pass-123"
PRIV_KEY = "priv-pass-456"
# (user, auth, priv) created in snmpd; net-snmp names SHA-256 etc. the same way SnmpCredential does.
V3_USERS = [("monitor", "SHA", "AES"), ("legacy", "MD5", "DES"), ("sha256user", "SHA-256", "AES"),
            ("sha512user", "SHA-512", "AES256"), ("ciscoaes", "SHA", "AES256C"), ("authonly", "SHA-224", "none")]
# Tables whose rows come and go while we walk (sockets, processes): kept out of the test view so two
# walks of "the whole tree" can be compared exactly.
VOLATILE = [".1.3.6.1.2.1.6", ".1.3.6.1.2.1.7", ".1.3.6.1.2.1.25.4", ".1.3.6.1.2.1.25.5", ".1.3.6.1.2.1.4.31",
            ".1.3.6.1.2.1.4.34", ".1.3.6.1.2.1.4.35", ".1.3.6.1.2.1.4.22"]


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quiet_env() -> dict[str, str]:
    """Environment for net-snmp tools: no MIB files (Debian ships none), numeric output."""
    return {**os.environ, "MIBS": "", "MIBDIRS": "/nonexistent"}


@dataclass
class Snmpd:
    """A running snmpd and the credentials it accepts."""

    port: int
    process: subprocess.Popen

    def cred(self, version: str = "2c", **changes: object) -> snmp.SnmpCredential:
        """A credential for this agent; v3 defaults to user 'monitor' SHA/AES."""
        base: dict[str, object] = {"version": version, "port": self.port, "timeout_s": 1.0, "retries": 1}
        if version == "3":
            base.update(user="monitor", auth_protocol="SHA", auth_key=AUTH_KEY, priv_protocol="AES", priv_key=PRIV_KEY)
        else:
            base["community"] = COMMUNITY
        base.update(changes)
        return snmp.SnmpCredential(**base)  # type: ignore[arg-type]

    def net_snmp_args(self, cred: snmp.SnmpCredential) -> list[str]:
        """The same credential as net-snmp command-line options."""
        if cred.version != "3":
            return [f"-v{cred.version}", "-c", cred.community]
        args = ["-v3", "-l", cred.security_level, "-u", cred.user]
        if cred.auth_protocol != "none":
            args += ["-a", cred.auth_protocol, "-A", cred.auth_key]
        if cred.priv_protocol != "none":
            args += ["-x", cred.priv_protocol, "-X", cred.priv_key]
        return args


def _wait_until(check, what: str, deadline_s: float = 15.0) -> None:  # noqa: ANN001
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {deadline_s} s")


def start_snmpd(workdir: Path, port: int | None = None) -> Snmpd:
    """Start snmpd with our test config (-C: no system config) and wait until it answers.

    Started again on the same `workdir` and `port` it is the same agent rebooted: same engine id (kept in the
    persistent directory), engine boots one higher, counters and uptime from zero.
    """
    snmpd_bin = require_tool("snmpd")
    snmpget = require_tool("snmpget")
    port = port or free_udp_port()
    lines = [f"agentAddress udp:127.0.0.1:{port}", "view stable included .1"]
    lines += [f"view stable excluded {oid}" for oid in VOLATILE]
    lines += [f"rocommunity {COMMUNITY} 127.0.0.1 -V stable", f"sysName {SYS_NAME}", "sysLocation Lab",
              "sysContact noc@example.go.id"]
    for user, auth, priv in V3_USERS:
        priv_part = f' {priv} "{PRIV_KEY}"' if priv != "none" else ""
        lines.append(f'createUser {user} {auth} "{AUTH_KEY}"{priv_part}')
        lines.append(f"rouser {user} {'priv' if priv != 'none' else 'auth'} -V stable")
    (workdir / "persist").mkdir(parents=True, exist_ok=True)
    conf = workdir / "snmpd.conf"
    conf.write_text("\n".join(lines) + "\n")
    log = open(workdir / "snmpd.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([snmpd_bin, "-f", "-Lo", "-C", "-c", str(conf), "-p", str(workdir / "snmpd.pid"),
                                f"--persistentDir={workdir / 'persist'}"], stdout=log, stderr=subprocess.STDOUT,
                               env=quiet_env())

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"snmpd exited: {(workdir / 'snmpd.log').read_text()[-2000:]}")
        done = subprocess.run([snmpget, "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0", "-On",
                               f"127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"], capture_output=True, env=quiet_env())
        return done.returncode == 0

    _wait_until(answers, "snmpd")
    return Snmpd(port, process)


@dataclass
class Snmpsim:
    """A running snmpsim; the community of each recording is its file stem."""

    port: int
    process: subprocess.Popen

    def cred(self, community: str) -> snmp.SnmpCredential:
        """v2c credential for the recording `community`.snmprec."""
        return snmp.SnmpCredential("2c", community=community, port=self.port, timeout_s=2.0, retries=1)


def start_snmpsim(data_dir: Path) -> Snmpsim:
    """Serve every .snmprec in `data_dir` from one snmpsim process on loopback."""
    exe = shutil.which("snmpsim-command-responder") or str(Path(sys.executable).parent / "snmpsim-command-responder")
    if not Path(exe).exists():
        msg = "needs snmpsim (pip install snmpsim pysmi)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: refusing to skip)")
        pytest.skip(msg)
    port = free_udp_port()
    args = [exe, f"--data-dir={data_dir}", f"--agent-udpv4-endpoint=127.0.0.1:{port}",
            f"--cache-dir={data_dir / 'cache'}"]
    if os.geteuid() == 0:  # snmpsim drops to nobody otherwise, and then cannot import its own modules
        args += ["--process-user=root", "--process-group=root"]
    log = open(data_dir / "snmpsim.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    snmpget = require_tool("snmpget")
    first = sorted(data_dir.glob("*.snmprec"))[0].stem

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"snmpsim exited: {(data_dir / 'snmpsim.log').read_text()[-2000:]}")
        done = subprocess.run([snmpget, "-v2c", "-c", first, "-t", "0.3", "-r", "0", "-On", f"127.0.0.1:{port}",
                               "1.3.6.1.2.1.1.5.0"], capture_output=True, env=quiet_env())
        return done.returncode == 0

    _wait_until(answers, "snmpsim", deadline_s=30.0)
    return Snmpsim(port, process)


def stop(process: subprocess.Popen) -> None:
    """Stop one agent we started, by its own pid."""
    stop_process(process, timeout_s=5)


@pytest.fixture(scope="session")
def snmpd_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snmpd]:
    """One snmpd for the whole session."""
    agent = start_snmpd(tmp_path_factory.mktemp("snmpd"))
    yield agent
    stop(agent.process)


def big_strings_recording() -> str:
    """A table of long strings: bulk responses far above 4 kB (for the fast path's size limit)."""
    rows = ["1.3.6.1.2.1.1.5.0|4|big-strings"]
    rows += [f"1.3.6.1.4.1.99999.1.1.{i}|4|{f'row{i:03d}-' * 120}" for i in range(1, 121)]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="session")
def snmpsim_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snmpsim]:
    """snmpsim serving tests/recordings/*.snmprec plus a generated oversized-response recording."""
    data_dir = tmp_path_factory.mktemp("snmpsim")
    for recording in RECORDINGS.glob("*.snmprec"):
        shutil.copy(recording, data_dir / recording.name)
    (data_dir / "big_strings.snmprec").write_text(big_strings_recording())
    agent = start_snmpsim(data_dir)
    yield agent
    stop(agent.process)


def backends() -> list[str]:
    """SNMP back ends to run every protocol test against."""
    return list(snmp.available_backends())


@pytest.fixture(params=backends())
def snmp_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once per available back end (pysnmp, and the fast path when installed)."""
    with snmp.backend(request.param):
        yield request.param
