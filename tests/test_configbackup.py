"""Config backup end to end: real SSH targets (fakenos Cisco IOS and Huawei VRP, OpenSSH for a Linux server),
a real store, versions, change events, host-key trust, git export, secrets, and the `nocdesk backup` CLI.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading

import pytest
from sshtargets import FakeSwitches, OpenSshServer, free_port, require_fakenos, require_sshd

from nocdesk.collectors.profiles import load_profiles, parse_profile
from nocdesk.configbackup import (
    accept_host_key,
    backup_if_due,
    diff_device,
    host_key,
    run_backups,
    version_for_export,
)
from nocdesk.configversions import export_text, filter_config, list_versions, redact_config, text_hash
from nocdesk.credentials import save_ssh_credential
from nocdesk.errors import ConfigError
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store

MASTER = "correct horse battery"
USER, PASSWORD, ENABLE = "ndt-admin", "ios-login-S3cret", "ios-enable-S3cret"
IOS = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at {stamp}
!
version 15.2
hostname {name}
enable secret 9 $9$ENABLEhash0Secret
username admin privilege 15 secret 9 $9$USERhash0Secret
!
interface GigabitEthernet1/0/1
 description uplink-core
 switchport mode trunk
!
snmp-server community Pemda-RO-s3cret RO
line vty 0 4
 password 7 0822455D0A16
 login local
end
"""
HUAWEI = """!Software Version V200R019C10SPC500
!Last configuration was updated at {stamp}
#
sysname {name}
#
snmp-agent community read cipher %^%#HW-community-S3cret%^%#
#
aaa
 local-user admin password irreversible-cipher $1a$HWuserHash0Secret$
#
return
"""
LINUX = """# generated at {stamp}
auto eth0
iface eth0 inet static
    address 198.18.10.5/24
# radius password = srv-radius-S3cret
"""
SECRETS = ("Pemda-RO-s3cret", "$9$ENABLEhash0Secret", "$9$USERhash0Secret", "0822455D0A16", "HW-community-S3cret",
           "$1a$HWuserHash0Secret$", "srv-radius-S3cret", PASSWORD, ENABLE, "ndt-ssh-pass-1", MASTER)


class Lab:
    """Four devices on loopback: sw-a and sw-b (IOS, one port, two addresses), hw-c (VRP), srv-d (Linux sshd)."""

    def __init__(self, workdir, ios: FakeSwitches, huawei: FakeSwitches, sshd: OpenSshServer, port: int) -> None:
        self.workdir, self.ios, self.huawei, self.sshd, self.port = workdir, ios, huawei, sshd, port
        self.profiles = dict(load_profiles())
        self.profiles["linux_file"] = parse_profile("linux_file", {
            "description": "a Linux server whose 'config' is one file", "match": {"fallback": True},
            "ssh": {"device_type": "linux", "backup_commands": [f"cat {sshd.workdir / 'srv-d.cfg'}"],
                    "ignore_lines": ["^# generated at"], "redact": [r"(?i)password\s*[=:]\s*(\S+)"]}},
            file="linux_file.yaml")
        self.reset()

    def reset(self) -> None:
        for name in ("sw-a", "sw-b"):
            self.ios.set_config(name, IOS.format(name=name, stamp="10:00:00 WIB Mon Nov 23 2026"))
        self.huawei.set_config("hw-c", HUAWEI.format(name="hw-c", stamp="2026-11-23 10:00:00+07:00"))
        self.sshd.write_file("srv-d.cfg", LINUX.format(stamp="2026-11-23 10:00:00"))

    def edit(self, name: str, old: str, new: str) -> None:
        target = self.ios if name.startswith("sw") else self.huawei
        path = target.config_dir / f"{name}.cfg"
        text = path.read_text()
        assert old in text
        target.set_config(name, text.replace(old, new))

    def fill(self, store) -> None:
        save_ssh_credential(store, "ios", username=USER, password=PASSWORD, enable_secret=ENABLE, port=self.port)
        save_ssh_credential(store, "vrp", username=USER, password=PASSWORD, port=self.port)
        save_ssh_credential(store, "linux", username=self.sshd.user, password=self.sshd.password, port=self.sshd.port)
        for name, address, cred, profile in (("sw-a", "127.0.0.1", "ios", "cisco_ios"),
                                             ("sw-b", "127.0.0.2", "ios", "cisco_ios"),
                                             ("hw-c", "127.0.0.3", "vrp", "huawei_vrp"),
                                             ("srv-d", self.sshd.address, "linux", "linux_file")):
            add_device(store, DeviceSpec(name=name, address=address, kind="switch", group="core",
                                         ssh_credential=cred, profile=profile))

    def run(self, store, **options):
        return run_backups(store, profiles=self.profiles, conn_timeout_s=5, **options)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_fakenos()
    require_sshd()
    workdir = tmp_path_factory.mktemp("backup-lab")
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NOCDESK_DATA_DIR", str(workdir / "data"))
        env.setenv("NOCDESK_SECRET_BACKEND", "file")
        env.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
        env.setenv("NOCDESK_LANG", "en")
        ios = FakeSwitches("cisco_ios", {"sw-a": ("127.0.0.1", port), "sw-b": ("127.0.0.2", port)}, workdir,
                           username=USER, password=PASSWORD, enable_secret=ENABLE)
        huawei = FakeSwitches("huawei", {"hw-c": ("127.0.0.3", port)}, workdir, username=USER, password=PASSWORD)
        sshd = OpenSshServer(address="127.0.0.4")
        lab = Lab(workdir, ios, huawei, sshd, port)
        with ios, huawei, sshd:
            yield lab


@pytest.fixture
def store(lab, tmp_path):
    lab.reset()
    with open_store(tmp_path / "nocdesk.db") as store:
        lab.fill(store)
        yield store


def results(run) -> dict[str, str]:
    return {r.name: r.result for r in run.results}


def events(store, kind: str) -> list[dict]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM events WHERE kind = ? ORDER BY id", (kind,))]


def count(store, table: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_first_unchanged_changed_and_timestamp_only(lab, store):
    first = lab.run(store)
    assert results(first) == {"sw-a": "first", "sw-b": "first", "hw-c": "first", "srv-d": "first"}
    assert count(store, "config_versions") == 4 and not events(store, "config_changed")
    assert all(host_key(store, device_id)["fingerprint"].startswith("SHA256:") for device_id in (1, 2, 3, 4))

    again = lab.run(store)
    assert set(results(again).values()) == {"unchanged"}
    assert count(store, "config_versions") == 4 and count(store, "backup_runs") == 8

    # sw-a: one line edited, one added (and, as on a real switch, the change stamp moves too).
    lab.edit("sw-a", " description uplink-core", " description uplink-core-fiber")
    lab.edit("sw-a", "interface GigabitEthernet1/0/1\n", "vlan 20\n name CCTV\ninterface GigabitEthernet1/0/1\n")
    lab.edit("sw-a", "10:00:00 WIB", "14:02:11 WIB")
    # Only clocks and counters move on the others: not a change.
    lab.edit("sw-b", "10:00:00 WIB", "23:59:59 WIB")
    lab.edit("sw-b", "Current configuration : 1234 bytes", "Current configuration : 1301 bytes")
    lab.edit("hw-c", "2026-11-23 10:00:00+07:00", "2026-11-24 08:30:00+07:00")
    lab.sshd.write_file("srv-d.cfg", LINUX.format(stamp="2026-11-24 08:30:00"))
    changed = lab.run(store)
    assert results(changed) == {"sw-a": "changed", "sw-b": "unchanged", "hw-c": "unchanged", "srv-d": "unchanged"}
    assert count(store, "config_versions") == 5

    diff = diff_device(store, "sw-a", profiles=lab.profiles)
    changed_lines = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(changed_lines) == sorted(["- description uplink-core", "+ description uplink-core-fiber",
                                            "+vlan 20", "+ name CCTV"])
    with pytest.raises(ConfigError, match="sw-b has 1 stored version"):
        diff_device(store, "sw-b", profiles=lab.profiles)  # timestamps moved, yet no second version
    (event,) = events(store, "config_changed")
    details = json.loads(event["details"])
    assert event["severity"] == "warning" and event["device_id"] == 1
    assert event["message"] == "Configuration of sw-a changed: +3 -1 lines" and details["summary"] == "+3 -1 lines"
    assert sorted(details["lines"]) == sorted(changed_lines)


def test_diff_between_any_two_versions_and_raw_mode(lab, store):
    lab.run(store, devices=["sw-a"])
    lab.edit("sw-a", "version 15.2", "version 15.2\nip domain-name pemda.go.id")
    lab.run(store, devices=["sw-a"])
    lab.edit("sw-a", " switchport mode trunk", " switchport mode access")
    lab.run(store, devices=["sw-a"])
    v3, v2, v1 = (v.id for v in list_versions(store, 1))
    first_to_last = diff_device(store, "sw-a", v1, v3, profiles=lab.profiles)
    assert "+ip domain-name pemda.go.id" in first_to_last and "+ switchport mode access" in first_to_last
    assert "+ip domain-name" not in diff_device(store, "sw-a", v2, v3, profiles=lab.profiles)
    # Secrets are hidden in diffs too, unless asked; ignored lines only show in raw mode.
    assert "Pemda-RO-s3cret" not in diff_device(store, "sw-a", v1, v3, profiles=lab.profiles, raw=True)
    assert "Pemda-RO-s3cret" in diff_device(store, "sw-a", v1, v3, profiles=lab.profiles, raw=True, redact=False)
    with pytest.raises(ConfigError, match="not a stored version"):
        diff_device(store, "sw-a", v1, 999, profiles=lab.profiles)


def test_wrong_password_fails_that_device_only(lab, store):
    save_ssh_credential(store, "ios-typo", username=USER, password="ios-login-typo", port=lab.port)
    store.conn.execute("UPDATE devices SET ssh_credential = 'ios-typo' WHERE name = 'sw-b'")
    run = lab.run(store)
    assert results(run) == {"sw-a": "first", "sw-b": "failed", "hw-c": "first", "srv-d": "first"}
    (failed,) = [r for r in run.results if r.result == "failed"]
    assert failed.reason.startswith("sw-b (127.0.0.2:") and "authentication failed" in failed.reason
    assert "ios-login-typo" not in failed.reason
    row = store.conn.execute("SELECT result, reason, version_id FROM backup_runs WHERE device_id = 2").fetchone()
    assert (row["result"], row["reason"], row["version_id"]) == ("failed", failed.reason, None)
    assert [v.device_id for v in list_versions(store, 2)] == []


def test_regenerated_host_key_blocks_until_accepted(lab, store):
    assert results(lab.run(store, devices=["srv-d"])) == {"srv-d": "first"}
    old = host_key(store, 4)["fingerprint"]
    lab.sshd.new_host_key()
    logins = sum("password for" in line for line in lab.sshd.log().splitlines())
    blocked = lab.run(store, devices=["srv-d"])
    assert results(blocked) == {"srv-d": "blocked"}
    reason = blocked.results[0].reason
    key = host_key(store, 4)
    assert key["fingerprint"] == old and key["pending_fingerprint"] not in (None, old)
    assert "host key changed" in reason and key["pending_fingerprint"] in reason and "accept-key srv-d" in reason
    assert sum("password for" in line for line in lab.sshd.log().splitlines()) == logins
    assert results(lab.run(store, devices=["srv-d"])) == {"srv-d": "blocked"}
    (warning,) = events(store, "host_key_changed")  # one warning, not one per run
    assert warning["severity"] == "warning" and "srv-d" in warning["message"]

    assert accept_host_key(store, "srv-d") == key["pending_fingerprint"]
    assert host_key(store, 4)["fingerprint"] == key["pending_fingerprint"] and not host_key(store, 4)["pending_key_base64"]
    assert results(lab.run(store, devices=["srv-d"])) == {"srv-d": "unchanged"}
    with pytest.raises(ConfigError, match="no changed SSH host key"):
        accept_host_key(store, "srv-d")


def test_git_export_one_commit_per_run_that_changed_something(lab, store, tmp_path):
    from dulwich.repo import Repo

    store.set_setting("config_git_path", str(tmp_path / "configs.git"))
    lab.run(store, now=1795420800)  # 2026-11-23 15:00 WIB
    lab.run(store)
    lab.edit("sw-b", "switchport mode trunk", "switchport mode access")
    lab.edit("hw-c", "sysname hw-c", "sysname hw-c\n#\nvlan batch 10 20")
    third = lab.run(store)
    assert third.git_commit and not third.git_error
    repo = Repo(str(tmp_path / "configs.git"))
    commits = [entry.commit for entry in repo.get_walker()]
    assert len(commits) == 2
    assert commits[1].message.decode().startswith(
        "nocdesk backup 2026-11-23 15:00: 4 first (hw-c, srv-d, sw-a, sw-b)")
    assert commits[0].message.decode().startswith("nocdesk backup ")
    assert ": 2 changed (hw-c, sw-b)\n" in commits[0].message.decode()
    files = {name: (tmp_path / "configs.git" / name).read_text() for name in ("sw-a.cfg", "sw-b.cfg", "hw-c.cfg",
                                                                             "srv-d.cfg")}
    assert "switchport mode access" in files["sw-b.cfg"] and "vlan batch 10 20" in files["hw-c.cfg"]
    assert "<redacted>" in files["sw-a.cfg"] and "<redacted>" in files["hw-c.cfg"]
    assert not [s for s in SECRETS for text in files.values() if s in text]
    repo.close()


def test_secrets_redacted_in_exports_and_never_logged(lab, store, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    save_ssh_credential(store, "ios-typo", username=USER, password="ios-login-typo", port=lab.port)
    lab.run(store)
    lab.edit("sw-a", "snmp-server community Pemda-RO-s3cret RO", "snmp-server community Pemda-RW-n3wSecret RW")
    store.conn.execute("UPDATE devices SET ssh_credential = 'ios-typo' WHERE name = 'sw-b'")
    run = lab.run(store)
    assert results(run)["sw-a"] == "changed" and results(run)["sw-b"] == "failed"
    for name in ("sw-a", "hw-c", "srv-d"):
        exported = version_for_export(store, name, profiles=lab.profiles)
        assert "<redacted>" in exported
        assert not [s for s in SECRETS + ("Pemda-RW-n3wSecret",) if s in exported], name
    plain = version_for_export(store, "sw-a", redact=False, profiles=lab.profiles)
    assert "Pemda-RW-n3wSecret" in plain and "$9$ENABLEhash0Secret" in plain
    path = export_text(plain, tmp_path / "out" / "sw-a.cfg")
    assert path.read_text() == plain and (path.stat().st_mode & 0o077) == 0
    details = events(store, "config_changed")[0]["details"]
    assert "Pemda-RW-n3wSecret" not in details and "<redacted>" in details
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "configuration read" in logged and "authentication failed" in logged  # the log did record the run
    leaked = [s for s in SECRETS + ("Pemda-RW-n3wSecret", "ios-login-typo") if s in logged]
    assert not leaked


def test_parallel_run_reports_progress_and_cancels_the_rest(lab, store):
    seen, cancel = [], threading.Event()

    def progress(done: int, total: int, text: str) -> None:
        seen.append((done, total, text))
        cancel.set()

    run = lab.run(store, parallel=1, progress=progress, cancel=cancel)
    assert seen[0][:2] == (1, 4) and ": first (first version, " in seen[0][2]
    assert [d for d, _t, _x in seen] == list(range(1, len(seen) + 1))
    assert len(run.results) + len(run.cancelled) == 4 and len(run.cancelled) >= 2
    recorded = {r["name"] for r in store.conn.execute(
        "SELECT d.name FROM backup_runs b JOIN devices d ON d.id = b.device_id")}
    assert recorded == {r.name for r in run.results} and not recorded & set(run.cancelled)


def test_group_selection_keep_last_versions_and_missing_setup(lab, store):
    store.set_setting("config_keep_versions", 2)
    add_device(store, DeviceSpec(name="ap-lobby", address="127.0.0.9", kind="access_point", group="core"))
    for n in range(3):
        lab.edit("sw-a", "hostname sw-a", f"hostname sw-a\nbanner motd rev{n}")
        run = lab.run(store, group="core")
    assert {r.name for r in run.results} == {"sw-a", "sw-b", "hw-c", "srv-d", "ap-lobby"}
    assert len(list_versions(store, 1)) == 2 and len(list_versions(store, 2)) == 1
    (ap,) = [r for r in run.results if r.name == "ap-lobby"]
    assert ap.result == "failed" and "no SSH credential" in ap.reason and "--ssh-credential" in ap.reason
    with pytest.raises(ConfigError, match="no device group named 'nowhere'"):
        lab.run(store, group="nowhere")


@pytest.mark.parametrize(("profile", "before", "after"), [
    ("cisco_ios", "! Last configuration change at 10:00:01 WIB Mon Nov 23 2026\nhostname a",
     "! Last configuration change at 11:12:13 WIB Tue Nov 24 2026\nhostname a"),
    ("cisco_ios", "Building configuration...\n\nCurrent configuration : 9 bytes\nhostname a",
     "Building configuration...\n\nCurrent configuration : 12 bytes\nhostname a"),
    ("cisco_nxos", "!Time: Mon Nov 23 10:00:00 2026\nhostname a", "!Time: Tue Nov 24 09:00:00 2026\nhostname a"),
    ("huawei_vrp", "!Last configuration was updated at 2026-11-23 10:00:00+07:00\n#\nsysname a",
     "!Last configuration was saved at 2026-11-24 10:00:00+07:00\n#\nsysname a"),
    ("mikrotik_routeros", "# nov/23/2026 10:00:00 by RouterOS 6.49.10\n/system identity set name=a",
     "# 2026-11-24 10:00:00 by RouterOS 7.12\n/system identity set name=a"),
    ("juniper_junos", "## Last commit: 2026-11-23 10:00:00 WIB by admin\nset system host-name a",
     "## Last commit: 2026-11-24 11:00:00 WIB by noc\nset system host-name a"),
])
def test_timestamp_lines_are_not_a_change(profile, before, after):
    ignore = load_profiles()[profile].ssh.ignore_lines
    assert text_hash(filter_config(before, ignore)) == text_hash(filter_config(after, ignore))
    assert filter_config(before, ignore) != filter_config(before + "\nntp server 198.18.0.1", ignore)


@pytest.mark.parametrize(("profile", "line", "secret"), [
    ("cisco_ios", "snmp-server community Pemda-RO RO", "Pemda-RO"),
    ("cisco_ios", "username admin privilege 15 secret 9 $9$abcdef", "$9$abcdef"),
    ("cisco_ios", "username noc password 0 plainpass", "plainpass"),
    ("cisco_ios", "enable password 7 0822455D0A16", "0822455D0A16"),
    ("cisco_ios", "snmp-server user mon grp v3 auth sha AuthPass1 priv aes 128 PrivPass1", "AuthPass1"),
    ("cisco_ios", "snmp-server user mon grp v3 auth sha AuthPass1 priv aes 128 PrivPass1", "PrivPass1"),
    ("cisco_ios", " key 7 045802150C2E", "045802150C2E"),
    ("cisco_nxos", "username admin password 5 $5$hashhash role network-admin", "$5$hashhash"),
    ("huawei_vrp", " local-user admin password irreversible-cipher $1a$xyz$", "$1a$xyz$"),
    ("huawei_vrp", "snmp-agent community read cipher %^%#abc%^%#", "%^%#abc%^%#"),
    ("h3c_comware", " password hash $h$6$abcdef", "$h$6$abcdef"),
    ("h3c_comware", " snmp-agent community read simple public", "public"),
    ("juniper_junos", 'set system root-authentication encrypted-password "$6$salt$hash"', "$6$salt$hash"),
    ("juniper_junos", 'set snmp community pemda-ro authorization read-only', "pemda-ro"),
    ("mikrotik_routeros", "/user add name=noc password=RouterPass1 group=full", "RouterPass1"),
    ("ruijie_os", "enable secret 5 $1$ruijie", "$1$ruijie"),
    ("ruijie_os", "snmp-server community 7 ruijieRO ro", "ruijieRO"),
    ("netsnmp_linux", "RADIUS_PASSWORD=linuxpass", "linuxpass"),
])
def test_profiles_redact_secrets(profile, line, secret):
    redacted = redact_config(line, load_profiles()[profile].ssh.redact)
    assert secret not in redacted and "<redacted>" in redacted


def test_every_ssh_profile_names_a_netmiko_driver():
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    profiles = [p for p in load_profiles().values() if p.ssh]
    assert {p.name for p in profiles} >= {"cisco_ios", "cisco_nxos", "mikrotik_routeros", "huawei_vrp", "h3c_comware",
                                          "juniper_junos", "ruijie_os", "netsnmp_linux"}
    assert [p.name for p in profiles if p.ssh.device_type not in CLASS_MAPPER or not p.ssh.backup_commands] == []


def test_backup_if_due_follows_the_interval(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        assert backup_if_due(store, now=1_000_000) is not None  # never ran: due (no devices: an empty run)
        assert backup_if_due(store, now=1_000_000 + 23 * 3600) is None
        assert backup_if_due(store, now=1_000_000 + 24 * 3600) is not None
        store.set_setting("config_backup_interval_h", 0)
        assert backup_if_due(store, now=2_000_000) is None


def test_backup_runs_daily_at_the_chosen_local_time(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    def wib(day: int, hh: int, mm: int) -> float:
        return datetime(2026, 11, day, hh, mm, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()

    with open_store(tmp_path / "s.db") as store:
        store.set_setting("config_backup_at", "02:30")
        assert backup_if_due(store, now=wib(23, 1, 0)) is not None   # never ran: yesterday's 02:30 is owed
        assert backup_if_due(store, now=wib(23, 2, 0)) is None       # today's 02:30 has not come yet
        assert backup_if_due(store, now=wib(23, 2, 31)) is not None  # it has now, at 02:30 WIB (19:30 UTC)
        assert backup_if_due(store, now=wib(23, 23, 0)) is None      # once a day
        assert backup_if_due(store, now=wib(25, 9, 0)) is not None   # the app was closed a day: one run, not two
        assert backup_if_due(store, now=wib(25, 9, 5)) is None
        store.set_setting("config_backup_at", "25:99")               # malformed: falls back to the interval
        assert backup_if_due(store, now=wib(26, 9, 6)) is not None


def nocdesk(lab, db, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"NOCDESK_DATA_DIR": str(lab.workdir / "data"), "NOCDESK_SECRET_BACKEND": "file",
                        "NOCDESK_MASTER_PASSWORD": MASTER, "NOCDESK_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "nocdesk.cli", "--db", str(db), *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_cli_run_list_diff_export_accept_key(lab, store, tmp_path):
    store.conn.execute("DELETE FROM devices WHERE name = 'srv-d'")  # its test profile exists only in this process
    db = store.path
    first = nocdesk(lab, db, "backup", "run", "--parallel", "3")
    assert first.returncode == 0, first.stderr
    assert "Backed up 3 device(s)" in first.stdout and "3 first" in first.stdout
    lab.edit("hw-c", "sysname hw-c", "sysname hw-c-baru")
    second = nocdesk(lab, db, "backup", "run", "--device", "hw-c")
    assert "[1/1] hw-c: changed (+1 -1 lines)" in second.stdout, second.stdout
    listed = nocdesk(lab, db, "backup", "list", "hw-c")
    assert listed.returncode == 0 and "+1 -1 lines" in listed.stdout and "SHA256:" in listed.stdout
    diff = nocdesk(lab, db, "backup", "diff", "hw-c")
    assert "-sysname hw-c\n+sysname hw-c-baru\n" in diff.stdout and "HW-community" not in diff.stdout
    (v_old,) = [v.id for v in list_versions(store, 3)][1:]
    out = tmp_path / "hw-c.cfg"
    exported = nocdesk(lab, db, "backup", "export", "hw-c", "--version", str(v_old), "--out", str(out))
    assert exported.returncode == 0 and "sysname hw-c\n" in out.read_text() and "<redacted>" in out.read_text()
    raw = nocdesk(lab, db, "backup", "export", "hw-c", "--no-redact")
    assert "HW-community-S3cret" in raw.stdout
    refused = nocdesk(lab, db, "backup", "accept-key", "hw-c")
    assert refused.returncode == 2 and "no changed SSH host key" in refused.stderr
    failed = nocdesk(lab, db, "backup", "run", "--device", "nowhere")
    assert failed.returncode == 2 and "no device named 'nowhere'" in failed.stderr
    assert not [s for s in SECRETS if s in first.stdout + first.stderr + second.stdout + second.stderr]


def test_a_server_backed_up_with_an_ssh_key_and_no_password(lab, store, tmp_path):
    """A Linux server that only takes keys: the credential names a private key file and has no password."""
    from nocdesk.inventory import update_device

    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    lab.sshd.authorize_key(key.with_suffix(".pub").read_text())
    save_ssh_credential(store, "linux-key", username=lab.sshd.user, key_file=str(key), port=lab.sshd.port)
    update_device(store, "srv-d", ssh_credential="linux-key")
    before = len(lab.sshd.log())
    done = lab.run(store, devices=["srv-d"])
    assert results(done) == {"srv-d": "first"}, done.results[0].reason
    log = lab.sshd.log()[before:]
    assert "Accepted publickey for " + lab.sshd.user in log and "Accepted password" not in log
