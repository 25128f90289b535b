"""Real SSH targets on loopback for the config-backup tests and bench: fakenos switches and OpenSSH sshd.

`FakeSwitches` runs tests/fakenos_plugins/serve.py in a child process: emulated Cisco IOS or Huawei VRP
switches whose running config is a file per host (`set_config`). `OpenSshServer` runs the system's sshd on a
high loopback port with its own config and host key, for the login `nocdesk-test` (created by
netlab_daemons.ensure_ssh_user: a system account without home, password "ndt-ssh-pass-1"; it is left in
place for the next run, remove it with `userdel nocdesk-test`). Both can change their host key and restart.
Without fakenos, sshd or root the caller's test skips; under CI=true it fails instead.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from nsutil import require_tool, stop_process

HERE = Path(__file__).resolve().parent
SERVE = HERE / "fakenos_plugins" / "serve.py"
PLUGINS = {"cisco_ios": HERE / "fakenos_plugins" / "nocdesk_cisco_ios.yaml",
           "huawei": HERE / "fakenos_plugins" / "nocdesk_huawei_vrp.yaml"}


def _missing(what: str) -> None:
    msg = f"needs {what}"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " (CI=true: refusing to skip)")
    pytest.skip(msg)


def require_fakenos() -> None:
    """Skip (fail under CI=true) when fakenos is not installed."""
    try:
        import fakenos  # noqa: F401
    except ImportError:
        _missing("the fakenos package (pip install fakenos)")


def require_sshd() -> str:
    """The sshd program; also needs root (password logins read /etc/shadow; the test user is created)."""
    path = require_tool("sshd")
    require_tool("ssh-keygen")
    if os.geteuid() != 0:
        _missing("root to run sshd with password logins")
    return path


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on at `address` right now."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def wait_listening(address: str, port: int, *, timeout_s: float = 10.0) -> None:
    """Wait until `address:port` sends an SSH banner."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((address, port), timeout=1) as sock:
                if sock.recv(8).startswith(b"SSH-"):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing answers SSH on {address}:{port}")
        time.sleep(0.05)


def make_rsa_key(path: Path) -> Path:
    """A fresh RSA host key for a fakenos server (fakenos reads RSA keys only)."""
    import paramiko

    path.unlink(missing_ok=True)
    paramiko.RSAKey.generate(2048).write_private_key_file(str(path))
    return path


class FakeSwitches:
    """Emulated switches of one kind ("cisco_ios" or "huawei") in a child process; configs are files."""

    def __init__(self, kind: str, hosts: dict[str, tuple[str, int]], workdir: Path, *, username: str,
                 password: str, enable_secret: str = "") -> None:
        self.kind, self.hosts, self.workdir = kind, dict(hosts), Path(workdir)
        self.username, self.password, self.enable_secret = username, password, enable_secret
        self.config_dir = self.workdir / "configs"
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.key_file = make_rsa_key(self.workdir / f"{kind}_host_key")
        self.proc: subprocess.Popen | None = None

    def set_config(self, name: str, text: str) -> None:
        """What `show running-config` / `display current-configuration` answers from now on."""
        (self.config_dir / f"{name}.cfg").write_text(text, encoding="utf-8")

    def start(self, *, timeout_s: float = 30.0) -> FakeSwitches:
        argv = [sys.executable, str(SERVE), "--plugin", str(PLUGINS[self.kind]), "--config-dir", str(self.config_dir),
                "--username", self.username, "--password", self.password, "--key-file", str(self.key_file)]
        if self.enable_secret:
            argv += ["--enable-secret", self.enable_secret]
        for name, (address, port) in self.hosts.items():
            argv += ["--host", f"{name}={address}:{port}"]
        with open(self.workdir / f"{self.kind}.log", "ab") as log:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line.strip() == b"READY":
                    return self
                if not line:
                    break
        self.stop()
        raise RuntimeError(f"fakenos {self.kind} did not start; see {self.workdir / (self.kind + '.log')}")

    def new_host_key(self) -> None:
        """Regenerate the host key and restart (a replaced or re-keyed switch)."""
        self.stop()
        make_rsa_key(self.key_file)
        self.start()

    def stop(self) -> None:
        stop_process(self.proc, timeout_s=10)
        self.proc = None

    def __enter__(self) -> FakeSwitches:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OpenSshServer:
    """The system's OpenSSH sshd on 127.0.0.1:`port` with its own config, host key and log."""

    def __init__(self, port: int | None = None, *, address: str = "127.0.0.1") -> None:
        from netlab_daemons import SSH_PASSWORD, SSH_USER

        self.sshd = require_sshd()
        self.address, self.port = address, port or free_port(address)
        self.user, self.password = SSH_USER, SSH_PASSWORD
        # Under /tmp and world-readable: the served files must be readable by the test login.
        self.workdir = Path(tempfile.mkdtemp(prefix="nocdesk-sshd-"))
        self.workdir.chmod(0o755)
        self.key = self.workdir / "ssh_host_ed25519_key"
        self.proc: subprocess.Popen | None = None

    def _keygen(self) -> None:
        for path in (self.key, self.key.with_suffix(".pub")):
            path.unlink(missing_ok=True)
        subprocess.run([require_tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", str(self.key)],
                       check=True, timeout=30, capture_output=True)

    def write_file(self, name: str, text: str) -> Path:
        """A file the test login can read (e.g. the 'config' a linux profile's backup command prints)."""
        path = self.workdir / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)
        return path

    def start(self) -> OpenSshServer:
        from netlab_daemons import ensure_ssh_user

        ensure_ssh_user()
        if not self.key.exists():
            self._keygen()
        conf = self.workdir / "sshd_config"
        conf.write_text("\n".join([
            f"Port {self.port}", f"ListenAddress {self.address}", f"HostKey {self.key}",
            f"PidFile {self.workdir / 'sshd.pid'}", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
            "UsePAM no", "PermitRootLogin no", f"AllowUsers {self.user}", "PrintMotd no", "LogLevel VERBOSE",
            "MaxStartups 100:30:200",
            # Public keys the test login may use (authorize_key); our own file, so no strict owner checks.
            f"AuthorizedKeysFile {self.workdir / 'authorized_keys'}", "StrictModes no",
        ]) + "\n")
        with open(self.workdir / "sshd.log", "ab") as log:
            self.proc = subprocess.Popen([self.sshd, "-D", "-e", "-f", str(conf)], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log)
        wait_listening(self.address, self.port)
        return self

    def authorize_key(self, public_key: str) -> None:
        """Let the test login log in with this public key (read at each login, no restart needed)."""
        path = self.workdir / "authorized_keys"
        with path.open("a", encoding="utf-8") as f:
            f.write(public_key.strip() + "\n")
        path.chmod(0o644)

    def log(self) -> str:
        """sshd's log so far (LogLevel VERBOSE: every accepted and failed password is a line)."""
        return (self.workdir / "sshd.log").read_text(errors="replace")

    def new_host_key(self) -> None:
        """Regenerate the host key and restart sshd (a reinstalled server)."""
        self.stop()
        self._keygen()
        self.start()

    def stop(self) -> None:
        stop_process(self.proc, timeout_s=10)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> OpenSshServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
