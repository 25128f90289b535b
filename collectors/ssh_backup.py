"""Read a device's configuration over SSH with netmiko; host keys are checked before any password is sent.

Order of a fetch: (1) a bare paramiko Transport does the key exchange only and reports the server's host
key; if a key is stored for the device and the server shows another one, we stop: `key_changed`, nothing
sent. (2) netmiko connects with `ssh_strict` against a temporary known_hosts file holding exactly the
expected key (the stored one, or on first use the one just learned), so a key swapped between the two
connections also fails inside paramiko before authentication. (3) Privileged mode when the profile asks for
it and the credential has an enable secret, then the profile's read-only commands. Nothing is ever
configured on the device.

Expected failures are data: ConfigSnapshot(ok=False, failure=<one of FAILURES>, reason=<sentence naming the
device and what to do>). No password, secret or config text is ever logged.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass

from nocdesk.i18n import _

from .profiles import SshProfile

log = logging.getLogger(__name__)

AUTH_FAILED = "authentication failed"
TIMEOUT = "timeout"
KEY_CHANGED = "host key changed"
PROMPT = "prompt not recognised"
REJECTED = "command rejected"
REFUSED = "connection refused"
UNREACHABLE = "unreachable"
SSH_ERROR = "ssh error"
FAILURES = (AUTH_FAILED, TIMEOUT, KEY_CHANGED, PROMPT, REJECTED, REFUSED, UNREACHABLE, SSH_ERROR)

# What devices print instead of output when a command is refused (IOS/NX-OS/Ruijie "% Invalid input",
# VRP/Comware "Error: Unrecognized command", Junos "error: unknown command", RouterOS "bad command name",
# a Linux shell "...: not found"). Only the first lines of each output are checked: configs never start so.
_REJECTED_LINE = re.compile(
    r"^\s*(?:%\s*(?:invalid|incomplete|ambiguous|unknown|unrecognized|bad)\b|unknown command|error:|"
    r"bad command name|expected end of command|syntax error\b)|: (?:command )?not found$|"
    r": no such file or directory$|: permission denied$", re.IGNORECASE)
_REJECTED_LOOKAHEAD = 3
# A host key type and the signature algorithms that use it (for preferring a stored key's type).
_KEY_ALGORITHMS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class _NoNetmikoChannelData(logging.Filter):
    """netmiko logs every byte read from or written to the channel at DEBUG: configs and typed secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_netmiko_log = logging.getLogger("netmiko")
if not any(isinstance(f, _NoNetmikoChannelData) for f in _netmiko_log.filters):
    _netmiko_log.addFilter(_NoNetmikoChannelData())


@dataclass(frozen=True)
class HostKey:
    """A server's SSH host key: type ('ssh-ed25519'), base64 blob and OpenSSH-style SHA256 fingerprint."""

    key_type: str
    base64: str
    fingerprint: str


@dataclass(frozen=True)
class ConfigSnapshot:
    """One fetch: the config text when ok, else the failure; the host key the server showed, if any."""

    ok: bool
    text: str = ""
    reason: str = ""
    host_key_type: str = ""
    host_key_base64: str = ""
    fingerprint: str = ""
    key_changed: bool = False
    failure: str = ""  # one of FAILURES when not ok
    duration_s: float = 0.0


def fingerprint_of(key_base64: str) -> str:
    """OpenSSH's 'SHA256:...' fingerprint of a base64 public key blob."""
    digest = hashlib.sha256(base64.b64decode(key_base64)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def key_type_of(key_base64: str) -> str:
    """The key type named inside a public key blob (its first length-prefixed string)."""
    blob = base64.b64decode(key_base64)
    length = int.from_bytes(blob[:4], "big")
    return blob[4:4 + length].decode("ascii", "replace")


def probe_host_key(host: str, port: int = 22, *, prefer_type: str | None = None, timeout_s: float = 10.0) -> HostKey:
    """The server's host key from a key exchange only (no authentication); raises OSError or SSHException."""
    import paramiko

    sock = socket.create_connection((host, port), timeout=timeout_s)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout_s
        if prefer_type:
            # Ask for the stored key's type first, as OpenSSH does with a known_hosts entry.
            options = transport.get_security_options()
            wanted = _KEY_ALGORITHMS.get(prefer_type, (prefer_type,))
            options.key_types = [k for k in wanted if k in options.key_types] + \
                [k for k in options.key_types if k not in wanted]
        transport.start_client(timeout=timeout_s)
        key = transport.get_remote_server_key()
        blob = key.get_base64()
        return HostKey(key.get_name(), blob, fingerprint_of(blob))
    finally:
        transport.close()
        sock.close()


def _known_hosts(directory: str, host: str, port: int, key: HostKey) -> str:
    import paramiko

    entry = host if port == 22 else f"[{host}]:{port}"
    path = os.path.join(directory, "known_hosts")
    with open(path, "w", encoding="ascii") as out:
        out.write(f"{entry} {key.key_type} {key.base64}\n")
    paramiko.HostKeys(path)  # fails here, not mid-connect, if the line is malformed
    return path


class _Failure(Exception):
    def __init__(self, failure: str, advice: str) -> None:
        super().__init__(failure)
        self.failure, self.advice = failure, advice


def _chain(err: BaseException) -> list[BaseException]:
    found, seen = [], set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        found.append(err)
        err = err.__cause__ or err.__context__
    return found


def _classify(err: BaseException, *, port: int, timeout_s: float) -> _Failure:
    """Translate paramiko/netmiko/socket exceptions (netmiko wraps paramiko's) into one failure."""
    import paramiko
    from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

    chain = _chain(err)
    timeout_advice = _("no SSH answer within {timeout:g} s; check that the device is up and SSH is enabled") \
        .format(timeout=timeout_s)
    for exc in chain:
        if isinstance(exc, _Failure):
            return exc
        if isinstance(exc, paramiko.BadHostKeyException):
            return _Failure(KEY_CHANGED, _("the host key changed between two connections; run the backup again"))
        if isinstance(exc, (paramiko.AuthenticationException, NetmikoAuthenticationException)):
            return _Failure(AUTH_FAILED, _("check the username and password of the device's SSH credential"))
        if isinstance(exc, ConnectionRefusedError) or (
                isinstance(exc, paramiko.ssh_exception.NoValidConnectionsError) and "Unable to connect" in str(exc)):
            return _Failure(REFUSED, _("nothing accepts SSH on port {port}; check that SSH is enabled on the device "
                                       "and the port of its SSH credential").format(port=port))
        if isinstance(exc, (socket.timeout, TimeoutError)):
            return _Failure(TIMEOUT, timeout_advice)
    for exc in chain:
        text = str(exc).lower()
        if isinstance(exc, ReadTimeout) or "prompt" in text or "pattern not detected" in text:
            return _Failure(PROMPT, _("the device's prompt was not what its profile's SSH driver expects; check the "
                                      "vendor profile chosen for the device"))
        if "banner" in text or "timed out" in text or "timeout" in text or "no existing session" in text:
            return _Failure(TIMEOUT, timeout_advice)
        if isinstance(exc, OSError) and not isinstance(exc, paramiko.SSHException):
            return _Failure(UNREACHABLE, _("{error}; check the device's address and the network path")
                            .format(error=exc.strerror or type(exc).__name__))
    return _Failure(SSH_ERROR, _("the SSH session failed ({error})").format(error=type(err).__name__))


def _rejected(command: str, output: str) -> _Failure | None:
    lines = [line for line in output.splitlines() if line.strip()][:_REJECTED_LOOKAHEAD]
    for line in lines:
        if _REJECTED_LINE.search(line.strip()):
            return _Failure(REJECTED, _("'{command}' answered: {line}").format(command=command, line=line.strip()[:120]))
    return None


def _read_config(conn, profile: SshProfile, enable_secret: str | None, read_timeout_s: float) -> str:
    from netmiko.exceptions import ReadTimeout

    if profile.enable and enable_secret and not conn.check_enable_mode():
        try:
            conn.enable()
        except (ValueError, ReadTimeout):  # refused, or still sitting at the "Password:" prompt
            raise _Failure(AUTH_FAILED, _("the enable secret was not accepted; check the enable secret of the "
                                          "device's SSH credential")) from None
    parts = []
    for command in profile.backup_commands:
        output = conn.send_command(command, read_timeout=read_timeout_s)
        problem = _rejected(command, output)
        if problem:
            if profile.enable and not enable_secret and not conn.check_enable_mode():
                problem.advice += _(" (the login is not privileged: add an enable secret to the device's SSH "
                                    "credential)")
            raise problem
        output = "\n".join(line.rstrip() for line in output.replace("\r\n", "\n").split("\n")).strip("\n")
        parts.append(output if len(profile.backup_commands) == 1 else f"### {command}\n{output}")
    text = "\n".join(parts)
    if not text.strip():
        raise _Failure(REJECTED, _("'{command}' printed nothing").format(command="; ".join(profile.backup_commands)))
    return text + "\n"


def fetch_config(*, name: str, host: str, port: int = 22, username: str, password: str | None,
                 enable_secret: str | None = None, profile: SshProfile, known_key: tuple[str, str] | None = None,
                 conn_timeout_s: float = 10.0, read_timeout_s: float = 60.0,
                 key_file: str | None = None) -> ConfigSnapshot:
    """Log in, read the configuration with the profile's commands and log out; never raises for device trouble.

    `known_key` is the stored (key_type, base64) of the device, None before the first contact; `key_file` a
    private key to log in with (with or instead of the password).
    """
    started = time.monotonic()
    label = f"{name} ({host}:{port})" if port != 22 else f"{name} ({host})"
    if not profile.backup_commands:
        raise ValueError(f"profile for {name} has no ssh.backup_commands")
    try:
        seen = probe_host_key(host, port, prefer_type=known_key[0] if known_key else None, timeout_s=conn_timeout_s)
    except Exception as err:  # every probe failure becomes a reason; nothing was sent yet
        return _failed(label, _classify(err, port=port, timeout_s=conn_timeout_s), None, started)
    if known_key and (seen.key_type, seen.base64) != tuple(known_key):
        log.warning("%s: SSH host key changed (now %s %s); backup blocked until the new key is accepted",
                    label, seen.key_type, seen.fingerprint)
        advice = _("the device now shows {type} key {fingerprint}; if it was replaced or re-keyed on purpose, "
                   "accept the new key (nocdesk backup accept-key {name})").format(
                       type=seen.key_type, fingerprint=seen.fingerprint, name=name)
        return _failed(label, _Failure(KEY_CHANGED, advice), seen, started, key_changed=True)
    workdir = tempfile.mkdtemp(prefix="nocdesk-kh-")
    conn = None
    try:
        from netmiko import ConnectHandler

        params = dict(device_type=profile.device_type, host=host, port=port, username=username,
                      password=password or "", secret=enable_secret or "",
                      use_keys=password is None or key_file is not None, key_file=key_file,
                      allow_agent=False, ssh_strict=True, system_host_keys=False, alt_host_keys=True,
                      alt_key_file=_known_hosts(workdir, host, port, seen), conn_timeout=conn_timeout_s,
                      auth_timeout=conn_timeout_s, banner_timeout=conn_timeout_s, auto_connect=False)
        conn = ConnectHandler(**params)
        # Finding the prompt waits at most the connect timeout (netmiko's default is 10 s per step); the
        # backup commands get read_timeout_s. auto_connect=False keeps the object (and the secrets filter
        # netmiko hangs on its logger) even when the login fails.
        conn.read_timeout_override = conn_timeout_s
        conn._open()
        conn.read_timeout_override = None
        text = _read_config(conn, profile, enable_secret, read_timeout_s)
    except Exception as err:
        return _failed(label, _classify(err, port=port, timeout_s=conn_timeout_s), seen, started)
    finally:
        _close(conn)
        shutil.rmtree(workdir, ignore_errors=True)
    duration_s = time.monotonic() - started
    log.info("%s: configuration read (%d lines, %.1f s)", label, text.count("\n"), duration_s)
    return ConfigSnapshot(ok=True, text=text, host_key_type=seen.key_type, host_key_base64=seen.base64,
                          fingerprint=seen.fingerprint, duration_s=duration_s)


def _close(conn) -> None:
    if conn is None:
        return
    try:
        # Not netmiko's disconnect(): its polite logout first probes for config mode, which we never enter,
        # and waits for 2 s of silence on some drivers (Huawei). Closing the SSH channel is a clean logout.
        for part in ("remote_conn", "remote_conn_pre"):
            if getattr(conn, part, None) is not None:
                getattr(conn, part).close()
    except Exception:  # a session the device already dropped
        log.debug("closing the SSH session after a backup failed", exc_info=True)
    finally:
        secrets_filter = getattr(conn, "_secrets_filter", None)
        if secrets_filter is not None:
            # netmiko adds one filter per connection to its global logger and never removes it.
            _netmiko_log.removeFilter(secrets_filter)


def _failed(label: str, failure: _Failure, seen: HostKey | None, started: float, *,
            key_changed: bool = False) -> ConfigSnapshot:
    reason = f"{label}: {_(failure.failure)} — {failure.advice}"
    if not key_changed:
        log.warning("%s: config backup failed: %s", label, failure.failure)
    return ConfigSnapshot(ok=False, reason=reason, failure=failure.failure, key_changed=key_changed,
                          host_key_type=seen.key_type if seen else "", host_key_base64=seen.base64 if seen else "",
                          fingerprint=seen.fingerprint if seen else "", duration_s=time.monotonic() - started)
