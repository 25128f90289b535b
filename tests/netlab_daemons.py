"""Config files and command lines for the real agents `netlab` runs in each namespace: snmpd, lldpd, sshd.

All state lives in a per-node directory under the lab's temp dir; nothing reads the machine's own /etc configs
(snmpd -C, lldpd -O, sshd -f). The only system change is the dedicated SSH login `nocdesk-test`.
"""

from __future__ import annotations

import pwd
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

from netlab_spec import LabSpec, NodePlan

SSH_USER = "nocdesk-test"
SSH_PASSWORD = "ndt-ssh-pass-1"
AGENTX_PORT = 705
SNMP_PORT = 161
SSH_PORT = 22
LLDP_TX_INTERVAL_S = 1  # lldpd's minimum; neighbours appear within about a second of a frame

# Without IETF MIB files on Debian, every net-snmp tool and snmpd gets MIBS="" (numeric OIDs, quiet logs).
QUIET_SNMP_ENV = {"MIBS": ""}


def snmpd_conf(plan: NodePlan, spec: LabSpec) -> str:
    """snmpd.conf: v1/v2c community, one SHA/AES authPriv user, system group, AgentX master for lldpd."""
    name = plan.spec.name
    lines = [
        f"# nocdesk test lab agent for {name}",
        f"agentAddress udp:{plan.mgmt_addr}:{SNMP_PORT},udp:127.0.0.1:{SNMP_PORT}",
        f"rocommunity {spec.community} default",
        f'createUser {spec.v3_user} SHA "{spec.v3_auth}" AES "{spec.v3_priv}"',
        f"rouser {spec.v3_user} priv",
        f"sysName {name}",
        f"sysLocation {plan.spec.location}",
        f"sysContact {spec.contact}",
        "master agentx",
        f"agentXSocket tcp:127.0.0.1:{AGENTX_PORT}",
        *plan.spec.snmpd_extra,
    ]
    return "\n".join(lines) + "\n"


def tool(name: str) -> str:
    """Absolute path of a program (sbin may be missing from PATH under sudo or CI)."""
    return shutil.which(name) or f"/usr/sbin/{name}"


def snmpd_argv(node_dir: Path) -> list[str]:
    return [
        tool("snmpd"), "-f", "-Lo", "-C", "-c", str(node_dir / "snmpd.conf"), "-p", str(node_dir / "snmpd.pid"),
        f"--persistentDir={node_dir / 'snmp-persist'}",
    ]


def lldpd_conf(plan: NodePlan) -> str:
    """Commands lldpd feeds to lldpcli at start (-O), so even the first frame carries the right name."""
    return (
        f"configure system hostname {plan.spec.name}\n"
        f"configure lldp tx-interval {LLDP_TX_INTERVAL_S}\n"
    )


def lldpd_argv(plan: NodePlan, node_dir: Path) -> list[str]:
    ports = ",".join(i.name for i in plan.ifaces)
    return [
        tool("lldpd"), "-d", "-u", str(node_dir / "lldpd.sock"), "-O", str(node_dir / "lldpd.conf"),
        "-I", ports, "-m", plan.mgmt_addr, "-x", "-X", f"tcp:127.0.0.1:{AGENTX_PORT}",
    ]


def sshd_conf(plan: NodePlan, node_dir: Path) -> str:
    return "\n".join([
        f"Port {SSH_PORT}",
        f"ListenAddress {plan.mgmt_addr}",
        f"HostKey {node_dir / 'ssh_host_ed25519_key'}",
        f"PidFile {node_dir / 'sshd.pid'}",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "PermitRootLogin no",
        f"AllowUsers {SSH_USER}",
        "PrintMotd no",
        "LogLevel VERBOSE",
    ]) + "\n"


def sshd_argv(node_dir: Path) -> list[str]:
    return [tool("sshd"), "-D", "-e", "-f", str(node_dir / "sshd_config")]


def make_host_key(node_dir: Path) -> None:
    """A fresh ed25519 host key per node and run (so host-key trust tests see real, distinct keys)."""
    key = node_dir / "ssh_host_ed25519_key"
    subprocess.run([tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)


def ensure_ssh_user() -> None:
    """Create the login `nocdesk-test` if missing (no home, /bin/sh) and (re)set its known password."""
    try:
        pwd.getpwnam(SSH_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh",
             "--comment", "nocdesk test lab (tests/netlab.py)", SSH_USER],
            check=True, capture_output=True, timeout=30,
        )
    subprocess.run(["chpasswd"], input=f"{SSH_USER}:{SSH_PASSWORD}\n", text=True, check=True,
                   capture_output=True, timeout=30)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation directory


class SnmpCreds(Protocol):
    addr: str
    community: str
    v3_user: str
    v3_auth: str
    v3_priv: str


def snmp_client_argv(program: str, target: SnmpCreds, local: bool, version: str, timeout_s: float) -> list[str]:
    """net-snmp client command for `target` (127.0.0.1 when run inside its own namespace), numeric output."""
    auth = (["-v3", "-l", "authPriv", "-u", target.v3_user, "-a", "SHA", "-A", target.v3_auth, "-x", "AES",
             "-X", target.v3_priv] if version == "3" else [f"-v{version}", "-c", target.community])
    host = "127.0.0.1" if local else target.addr
    return [program, *auth, "-m", "", "-On", "-Oq", "-Ot", "-t", str(timeout_s), "-r", "0", host]


def parse_snmp_output(text: str) -> dict[str, str]:
    """{".1.3...": value} from `-On -Oq` output; strings unquoted; "No Such ..." lines dropped."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith(".") and " " in line:
            oid, value = line.split(" ", 1)
            if not value.startswith(("No Such", "No more variables")):
                out[oid] = value.strip('"')
    return out
