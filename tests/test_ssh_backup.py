"""The SSH config collector against real SSH servers on loopback: OpenSSH sshd and fakenos switches.

Host keys are learned before any password is sent, a changed key stops the fetch before authentication
(sshd's own log proves no password arrived), and every failure comes back as words naming the device.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest
from sshtargets import FakeSwitches, OpenSshServer, free_port, require_fakenos, require_sshd

from nocdesk.collectors import ssh_backup
from nocdesk.collectors.profiles import load_profiles, parse_profile
from nocdesk.collectors.ssh_backup import fetch_config, fingerprint_of, probe_host_key

USER, PASSWORD, ENABLE = "ndt-admin", "ios-login-S3cret", "ios-enable-S3cret"
IOS_CONFIG = """Building configuration...

Current configuration : 212 bytes
! Last configuration change at 10:00:00 WIB Mon Nov 23 2026
hostname sw-ktr
snmp-server community Pemda-RO-s3cret RO
interface GigabitEthernet1/0/1
 description uplink
end
"""
HUAWEI_CONFIG = """!Software Version V200R019C10SPC500
#
sysname hw-ktr
#
snmp-agent community read cipher %^%#HW-S3cret%^%#
#
return
"""
PROFILES = load_profiles()


def linux_profile(*commands: str):
    return parse_profile("linux_file", {"description": "test", "match": {"fallback": True},
                                        "ssh": {"device_type": "linux", "backup_commands": list(commands)}},
                         file="linux_file.yaml").ssh


@pytest.fixture(scope="module")
def sshd():
    require_sshd()
    server = OpenSshServer().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def switches(tmp_path_factory):
    require_fakenos()
    workdir = tmp_path_factory.mktemp("fakenos")
    port = free_port()
    ios = FakeSwitches("cisco_ios", {"sw-ktr": ("127.0.0.1", port)}, workdir, username=USER, password=PASSWORD,
                       enable_secret=ENABLE)
    huawei = FakeSwitches("huawei", {"hw-ktr": ("127.0.0.2", port)}, workdir, username=USER, password=PASSWORD)
    ios.set_config("sw-ktr", IOS_CONFIG)
    huawei.set_config("hw-ktr", HUAWEI_CONFIG)
    with ios, huawei:
        yield {"port": port, "ios": ios, "huawei": huawei}


def password_lines(server: OpenSshServer) -> int:
    return sum(1 for line in server.log().splitlines() if "password for" in line)


def test_probe_reads_the_host_key_without_logging_in(sshd):
    before = password_lines(sshd)
    key = probe_host_key(sshd.address, sshd.port, timeout_s=5)
    pub_type, pub_blob = sshd.key.with_suffix(".pub").read_text().split()[:2]
    assert (key.key_type, key.base64) == (pub_type, pub_blob)
    assert key.fingerprint == fingerprint_of(pub_blob) and key.fingerprint.startswith("SHA256:")
    assert password_lines(sshd) == before


def test_linux_server_config_read_over_openssh(sshd):
    path = sshd.write_file("srv.cfg", "auto eth0\niface eth0 inet static\n    address 198.18.10.5/24\n")
    snap = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                        password=sshd.password, profile=linux_profile(f"cat {path}"), conn_timeout_s=5)
    assert snap.ok, snap.reason
    assert snap.text == path.read_text()
    assert snap.host_key_base64 and snap.fingerprint == fingerprint_of(snap.host_key_base64)


def test_changed_host_key_blocks_before_any_password_is_sent(sshd):
    old = probe_host_key(sshd.address, sshd.port)
    sshd.new_host_key()
    before = password_lines(sshd)
    snap = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                        password=sshd.password, profile=linux_profile("hostname"),
                        known_key=(old.key_type, old.base64), conn_timeout_s=5)
    assert not snap.ok and snap.key_changed and snap.failure == ssh_backup.KEY_CHANGED
    new = probe_host_key(sshd.address, sshd.port)
    assert snap.fingerprint == new.fingerprint != old.fingerprint
    assert snap.reason.startswith("srv-dinkes (127.0.0.1:") and "host key changed" in snap.reason
    assert new.fingerprint in snap.reason and "nocdesk backup accept-key srv-dinkes" in snap.reason
    assert password_lines(sshd) == before, "a password reached a server whose key changed"
    # With the new key known, the same fetch works.
    again = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                         password=sshd.password, profile=linux_profile("hostname"),
                         known_key=(new.key_type, new.base64), conn_timeout_s=5)
    assert again.ok, again.reason


def test_wrong_password_is_authentication_failed(sshd):
    snap = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                        password="not-the-password", profile=linux_profile("hostname"), conn_timeout_s=5)
    assert not snap.ok and snap.failure == ssh_backup.AUTH_FAILED
    assert snap.reason.startswith("srv-dinkes (") and "authentication failed" in snap.reason
    assert "not-the-password" not in snap.reason
    assert snap.fingerprint  # the key was learned (trust on first use) before the login failed


def test_closed_port_is_connection_refused():
    port = free_port()
    snap = fetch_config(name="sw-mati", host="127.0.0.1", port=port, username="x", password="y",
                        profile=PROFILES["cisco_ios"].ssh, conn_timeout_s=2)
    assert (snap.ok, snap.failure) == (False, ssh_backup.REFUSED)
    assert f"sw-mati (127.0.0.1:{port}): connection refused" in snap.reason and not snap.fingerprint


def test_silent_server_is_timeout():
    with socket.socket() as listener:  # accepts TCP but never says a word, like a hung SSH daemon
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        snap = fetch_config(name="sw-hang", host="127.0.0.1", port=listener.getsockname()[1], username="x",
                            password="y", profile=PROFILES["cisco_ios"].ssh, conn_timeout_s=1)
    assert (snap.ok, snap.failure) == (False, ssh_backup.TIMEOUT)
    assert "sw-hang" in snap.reason and "timeout" in snap.reason


def test_wrong_vendor_profile_is_prompt_not_recognised(sshd):
    # A Cisco driver meets a Linux shell printing "$": it never finds a "#" or ">" prompt.
    snap = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                        password=sshd.password, profile=PROFILES["cisco_ios"].ssh, conn_timeout_s=5)
    assert (snap.ok, snap.failure) == (False, ssh_backup.PROMPT)
    assert "prompt not recognised" in snap.reason


@pytest.mark.parametrize("command", ["cat /nonexistent/nocdesk.cfg", "no-such-program-nocdesk"])
def test_refused_linux_command_is_command_rejected(sshd, command):
    snap = fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user,
                        password=sshd.password, profile=linux_profile(command), conn_timeout_s=5)
    assert (snap.ok, snap.failure) == (False, ssh_backup.REJECTED)
    assert f"command rejected — '{command}' answered" in snap.reason


def test_cisco_backup_uses_enable_secret(switches):
    snap = fetch_config(name="sw-ktr", host="127.0.0.1", port=switches["port"], username=USER, password=PASSWORD,
                        enable_secret=ENABLE, profile=PROFILES["cisco_ios"].ssh, conn_timeout_s=5)
    assert snap.ok, snap.reason
    assert snap.text == IOS_CONFIG
    assert snap.host_key_type == "ssh-rsa"


def test_cisco_without_enable_secret_is_rejected_with_advice(switches):
    snap = fetch_config(name="sw-ktr", host="127.0.0.1", port=switches["port"], username=USER, password=PASSWORD,
                        profile=PROFILES["cisco_ios"].ssh, conn_timeout_s=5)
    assert (snap.ok, snap.failure) == (False, ssh_backup.REJECTED)
    assert "'show running-config' answered: Unknown command" in snap.reason
    assert "add an enable secret" in snap.reason


def test_huawei_display_current_configuration(switches):
    snap = fetch_config(name="hw-ktr", host="127.0.0.2", port=switches["port"], username=USER, password=PASSWORD,
                        profile=PROFILES["huawei_vrp"].ssh, conn_timeout_s=5)
    assert snap.ok, snap.reason
    assert snap.text == HUAWEI_CONFIG


def test_unknown_command_on_switch_is_command_rejected(switches):
    profile = parse_profile("ios_bad", {"description": "test", "match": {"fallback": True},
                                        "ssh": {"device_type": "cisco_ios", "enable": True,
                                                "backup_commands": ["show startup-config"]}}, file="x.yaml").ssh
    snap = fetch_config(name="sw-ktr", host="127.0.0.1", port=switches["port"], username=USER, password=PASSWORD,
                        enable_secret=ENABLE, profile=profile, conn_timeout_s=5)
    assert (snap.ok, snap.failure) == (False, ssh_backup.REJECTED)
    assert "'show startup-config' answered: Unknown command" in snap.reason


def test_temporary_known_hosts_files_are_removed(sshd):
    before = set(Path(tempfile.gettempdir()).glob("nocdesk-kh-*"))
    fetch_config(name="srv-dinkes", host=sshd.address, port=sshd.port, username=sshd.user, password="wrong",
                 profile=linux_profile("hostname"), conn_timeout_s=5)
    assert set(Path(tempfile.gettempdir()).glob("nocdesk-kh-*")) == before
