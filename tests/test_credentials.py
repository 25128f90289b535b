"""Credentials: parameters in the DB, secrets in the keyring or the encrypted file, and nowhere else."""

from __future__ import annotations

import json
import logging
import os
import pty
import select
import subprocess
import sys
import time

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

import nocdesk.credentials as credentials
from nocdesk.collectors.snmp import SnmpCredential
from nocdesk.credentials import (
    SshCredential,
    default_backend_name,
    delete_credential,
    list_credentials,
    load_snmp_credential,
    load_ssh_credential,
    save_snmp_credential,
    save_ssh_credential,
)
from nocdesk.csvio import export_devices
from nocdesk.errors import ConfigError, CredentialError, NocdeskError
from nocdesk.inventory import DeviceSpec, add_device, find_device
from nocdesk.store import open_store

MASTER = "correct horse battery"
COMMUNITY, AUTH_KEY, PRIV_KEY = "c0mmunity-S3CRET", "auth-S3CRET-key1", "priv-S3CRET-key2"
SSH_PASSWORD, ENABLE = "ssh-S3CRET-pass", "enable-S3CRET-x"
SECRETS = (COMMUNITY, AUTH_KEY, PRIV_KEY, SSH_PASSWORD, ENABLE, MASTER)


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring (no Secret Service on a headless test machine)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("collection is locked")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("collection is locked")


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's plaintext file backend, which must not be trusted with secrets."""


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NOCDESK_SECRET_BACKEND", raising=False)
    monkeypatch.delenv("NOCDESK_MASTER_PASSWORD", raising=False)
    monkeypatch.setattr(credentials, "SCRYPT_N", 2**12)  # the cost is stored in the file; keep tests quick
    monkeypatch.setattr(credentials, "_unlocked_with", None)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def file_backend(monkeypatch):
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)


@pytest.fixture
def memory_keyring():
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "nocdesk.db") as s:
        yield s


def save_all(store) -> None:
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    save_snmp_credential(store, "core-v3", version="3", user="monitor", auth_protocol="sha256", auth_key=AUTH_KEY,
                         priv_protocol="aes", priv_key=PRIV_KEY, port=1161, timeout_s=1.5, retries=3)
    save_ssh_credential(store, "backup-ssh", username="backup", password=SSH_PASSWORD, enable_secret=ENABLE, port=2222)


@pytest.mark.parametrize("backend", ["file_backend", "memory_keyring"])
def test_saved_credentials_load_back_with_their_secrets(store, request, backend):
    request.getfixturevalue(backend)
    save_all(store)
    assert load_snmp_credential(store, "office-v2c") == SnmpCredential(version="2c", community=COMMUNITY)
    v3 = load_snmp_credential(store, "core-v3")
    assert (v3.user, v3.auth_protocol, v3.auth_key, v3.priv_protocol, v3.priv_key) == \
        ("monitor", "SHA-256", AUTH_KEY, "AES", PRIV_KEY)
    assert (v3.port, v3.timeout_s, v3.retries, v3.security_level) == (1161, 1.5, 3, "authPriv")
    assert load_ssh_credential(store, "backup-ssh") == SshCredential("backup", SSH_PASSWORD, ENABLE, 2222)
    listed = {c.name: (c.kind, c.params) for c in list_credentials(store)}
    assert listed["core-v3"][1]["secret_store"] == ("file" if backend == "file_backend" else "keyring")
    assert not any(s in json.dumps(listed) for s in SECRETS)


def test_backend_choice(monkeypatch, memory_keyring):
    assert default_backend_name() == "keyring"
    keyring.set_keyring(fail.Keyring())
    assert default_backend_name() == "file"
    keyring.set_keyring(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    assert default_backend_name() == "file"
    keyring.set_keyring(PlaintextKeyring())
    assert default_backend_name() == "file"
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    assert default_backend_name() == "file"
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "vault")
    with pytest.raises(CredentialError, match="must be 'file' or 'keyring'"):
        default_backend_name()


def test_a_keyring_saved_secret_is_in_the_keyring_only(store, memory_keyring, tmp_path):
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    assert any(COMMUNITY in v for v in memory_keyring.items.values())
    assert not (tmp_path / "data" / "secrets.enc").exists()
    delete_credential(store, "office-v2c")
    assert memory_keyring.items == {}


def test_a_locked_keyring_is_a_credential_error_and_saves_nothing(store):
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(CredentialError, match="keyring refused access.*NOCDESK_SECRET_BACKEND=file"):
        save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    assert list_credentials(store) == []


def test_wrong_master_password_is_a_clear_error(store, file_backend, monkeypatch):
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "not the right one")
    with pytest.raises(CredentialError, match="wrong master password"):
        load_snmp_credential(store, "office-v2c")
    with pytest.raises(CredentialError, match="wrong master password"):
        save_ssh_credential(store, "x", username="u", password="p")
    assert [c.name for c in list_credentials(store)] == ["office-v2c"], "no row without its secret"
    assert load_snmp_credential(store, "office-v2c", master_password=MASTER).community == COMMUNITY


def test_missing_or_short_master_password(store, monkeypatch):
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    with pytest.raises(CredentialError, match="needs the master password.*NOCDESK_MASTER_PASSWORD"):
        save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    with pytest.raises(CredentialError, match="at least 8 characters"):
        save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY, master_password="short")
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY, master_password=MASTER)
    assert load_snmp_credential(store, "office-v2c", master_password=MASTER).community == COMMUNITY


def test_the_app_unlocks_the_secret_file_once_for_the_process(store, monkeypatch):
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setattr(credentials, "_unlocked_with", None)
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY, master_password=MASTER)
    assert credentials.needs_master_password(store, "office-v2c")
    with pytest.raises(CredentialError, match="wrong master password"):
        credentials.unlock_secret_file("a wrong guess")
    assert credentials.needs_master_password(store, "office-v2c")
    credentials.unlock_secret_file(MASTER)
    assert not credentials.needs_master_password(store, "office-v2c")
    assert load_snmp_credential(store, "office-v2c").community == COMMUNITY


def test_the_secret_file_uses_strong_scrypt_by_default(store, file_backend, monkeypatch, tmp_path):
    monkeypatch.setattr(credentials, "SCRYPT_N", 2**15)
    save_snmp_credential(store, "office-v2c", version="2c", community=COMMUNITY)
    path = tmp_path / "data" / "secrets.enc"
    doc = json.loads(path.read_text())
    assert (doc["kdf"], doc["n"]) == ("scrypt", 2**15)
    assert path.stat().st_mode & 0o077 == 0, "only the owner may read the secrets file"
    path.write_text("{not json")
    with pytest.raises(CredentialError, match="secrets file .* is damaged"):
        load_snmp_credential(store, "office-v2c")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"version": "2c"}, "SNMPv2c needs a community"),
    ({"version": "4", "community": "x"}, "version must be 1, 2c or 3"),
    ({"version": "2c", "community": "x", "user": "u"}, "for SNMPv3 only"),
    ({"version": "3", "community": "x", "user": "u"}, "not a community"),
    ({"version": "3"}, "needs a user name"),
    ({"version": "3", "user": "u", "auth_protocol": "sha", "auth_key": "S3CRET7"}, "at least 8 characters"),
    ({"version": "3", "user": "u", "priv_protocol": "aes", "priv_key": PRIV_KEY}, "privacy needs an auth protocol"),
    ({"version": "3", "user": "u", "auth_protocol": "rot13", "auth_key": AUTH_KEY}, "auth_protocol: unknown"),
    ({"version": "2c", "community": COMMUNITY, "port": 0}, "not a UDP port"),
])
def test_bad_snmp_settings_are_refused_without_echoing_secrets(store, file_backend, kwargs, message):
    with pytest.raises(ConfigError, match=message) as err:
        save_snmp_credential(store, "bad", **kwargs)
    assert "SNMP credential 'bad'" in str(err.value)
    assert not any(s in str(err.value) for s in (*SECRETS, "S3CRET7"))
    assert list_credentials(store) == []


def test_names_kinds_and_missing_credentials(store, file_backend):
    with pytest.raises(ConfigError, match="credential name"):
        save_ssh_credential(store, "has space", username="u")
    save_ssh_credential(store, "sw", username="admin")
    assert load_ssh_credential(store, "sw") == SshCredential("admin", None, None, 22)
    with pytest.raises(ConfigError, match="already an SSH credential"):
        save_snmp_credential(store, "sw", version="2c", community=COMMUNITY)
    with pytest.raises(CredentialError, match="is an SSH credential, not SNMP"):
        load_snmp_credential(store, "sw")
    with pytest.raises(CredentialError, match="no credential named 'nope'"):
        load_ssh_credential(store, "nope")


def test_two_databases_keep_their_own_secrets(tmp_path, file_backend):
    with open_store(tmp_path / "a.db") as a, open_store(tmp_path / "b.db") as b:
        save_snmp_credential(a, "office", version="2c", community="community-a")
        save_snmp_credential(b, "office", version="2c", community="community-b")
        assert load_snmp_credential(a, "office").community == "community-a"
        assert load_snmp_credential(b, "office").community == "community-b"


def test_deleting_a_credential_in_use_needs_force_and_removes_the_secret(store, file_backend):
    save_all(store)
    add_device(store, DeviceSpec("core", "198.18.0.1", "router", snmp_credential="core-v3", ssh_credential="backup-ssh"))
    with pytest.raises(ConfigError, match="used by 1 device.*core.*--force"):
        delete_credential(store, "core-v3")
    assert delete_credential(store, "core-v3", force=True) == ["core"]
    assert find_device(store, "core")["snmp_credential"] is None
    assert find_device(store, "core")["ssh_credential"] == "backup-ssh"
    with pytest.raises(CredentialError, match="no credential named 'core-v3'"):
        load_snmp_credential(store, "core-v3")
    entries, _kdf = credentials.FileSecrets(credentials.secret_file_path(), MASTER)._read()
    assert len(entries) == 2 and not any(AUTH_KEY in value for value in entries.values())


def test_reprs_hide_secrets(store, file_backend):
    save_all(store)
    text = repr(load_snmp_credential(store, "core-v3")) + repr(load_ssh_credential(store, "backup-ssh"))
    assert "monitor" in text and not any(s in text for s in SECRETS)


def test_secrets_appear_in_no_file_log_or_message(store, file_backend, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    save_all(store)
    add_device(store, DeviceSpec("core", "198.18.0.1", "router", snmp_credential="core-v3", ssh_credential="backup-ssh"))
    export_devices(store, tmp_path / "export.csv")
    messages = []
    for attempt in (
        lambda: save_snmp_credential(store, "bad", version="3", user="u", auth_protocol="sha", auth_key="S3CRET7"),
        lambda: save_snmp_credential(store, "bad", version="2c", community=COMMUNITY, user="u"),
        lambda: load_snmp_credential(store, "office-v2c", master_password="wrong password"),
        lambda: delete_credential(store, "core-v3"),
    ):
        with pytest.raises(NocdeskError) as err:
            attempt()
        messages.append(str(err.value))
    db = tmp_path / "nocdesk.db"
    files = {p.name: p.read_bytes() for p in (db, db.with_name("nocdesk.db-wal"), db.with_name("nocdesk.db-shm"),
                                                tmp_path / "export.csv", tmp_path / "data" / "secrets.enc")}
    assert len(files["nocdesk.db-wal"]) > 0, "the WAL holds the recent writes while the store is open"
    cli = subprocess.run([sys.executable, "-m", "nocdesk.cli", "--db", str(db), "credential", "list", "--format", "json"],
                         capture_output=True, text=True, timeout=60, env=os.environ | {"NOCDESK_SECRET_BACKEND": "file"})
    assert cli.returncode == 0 and "core-v3" in cli.stdout
    store.close()
    files["nocdesk.db (checkpointed)"] = db.read_bytes()
    for secret in (*SECRETS, "S3CRET7"):
        for name, data in files.items():
            assert secret.encode() not in data, f"{secret!r} found in {name}"
            assert secret.encode("utf-16-le") not in data, f"{secret!r} found in {name} (UTF-16)"
        assert secret not in caplog.text
        assert not any(secret in m for m in messages), messages
        assert secret not in cli.stdout + cli.stderr
    assert "saved snmp credential 'core-v3'" in caplog.text


def run_cli(tmp_path, *args, stdin: str = "", extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"NOCDESK_DATA_DIR": str(tmp_path / "data"), "NOCDESK_SECRET_BACKEND": "file"} | (extra_env or {})
    return subprocess.run([sys.executable, "-m", "nocdesk.cli", "--db", str(tmp_path / "cli.db"), *args],
                          input=stdin, capture_output=True, text=True, timeout=60, env=env)


def test_cli_reads_secrets_from_stdin_never_from_argv(tmp_path):
    master = {"NOCDESK_MASTER_PASSWORD": MASTER}
    no_argv = run_cli(tmp_path, "credential", "add-snmp", "office", "--version", "2c", "--community", COMMUNITY)
    assert no_argv.returncode == 2 and "unrecognized arguments" in no_argv.stderr
    no_master = run_cli(tmp_path, "credential", "add-snmp", "office", "--version", "2c", "--stdin", stdin=COMMUNITY)
    assert no_master.returncode == 2 and "set NOCDESK_MASTER_PASSWORD" in no_master.stderr
    added = run_cli(tmp_path, "credential", "add-snmp", "core-v3", "--version", "3", "--user", "monitor",
                    "--auth-protocol", "SHA", "--priv-protocol", "AES", "--stdin", stdin=f"{AUTH_KEY}\n{PRIV_KEY}\n",
                    extra_env=master)
    assert added.returncode == 0, added.stderr
    again = run_cli(tmp_path, "credential", "add-snmp", "core-v3", "--version", "2c", "--stdin", stdin=COMMUNITY,
                    extra_env=master)
    assert again.returncode == 2 and "--replace" in again.stderr
    ssh = run_cli(tmp_path, "credential", "add-ssh", "backup", "--username", "backup", "--enable-secret", "--stdin",
                  stdin=f"{SSH_PASSWORD}\n{ENABLE}\n", extra_env=master)
    assert ssh.returncode == 0, ssh.stderr
    listed = run_cli(tmp_path, "credential", "list")
    assert "core-v3" in listed.stdout and "authPriv" in listed.stdout and "backup" in listed.stdout
    removed = run_cli(tmp_path, "credential", "remove", "backup", extra_env=master)
    assert removed.returncode == 0 and "Removed credential 'backup'" in removed.stdout
    for result in (no_master, added, again, ssh, listed, removed):  # (argparse echoes a refused argv as typed)
        assert not any(s in result.stdout + result.stderr for s in SECRETS)
        assert "Traceback" not in result.stderr
    with open_store(tmp_path / "cli.db") as store:
        v3 = load_snmp_credential(store, "core-v3", master_password=MASTER)
        assert (v3.auth_key, v3.priv_key) == (AUTH_KEY, PRIV_KEY)


def test_cli_prompts_on_the_terminal_without_echo(tmp_path):
    """A user at a terminal: asked for the master password twice (new file), then the community."""
    env = {k: v for k, v in os.environ.items() if k != "NOCDESK_MASTER_PASSWORD"}
    env |= {"NOCDESK_DATA_DIR": str(tmp_path / "data"), "NOCDESK_SECRET_BACKEND": "file"}
    argv = [sys.executable, "-m", "nocdesk.cli", "--db", str(tmp_path / "tty.db"), "credential", "add-snmp", "office",
            "--version", "2c"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as for a user
        try:
            os.execve(sys.executable, argv, env)
        finally:
            os._exit(127)
    output = bytearray()

    def expect(text: bytes, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"timed out waiting for {text!r}; got {bytes(output)!r}"
            if select.select([fd], [], [], remaining)[0]:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"the command ended before asking {text!r}: {bytes(output)!r}"
                output.extend(chunk)

    try:
        expect(b"Master password")
        os.write(fd, MASTER.encode() + b"\n")
        expect(b"Same master password again")
        os.write(fd, MASTER.encode() + b"\n")
        expect(b"Community")
        os.write(fd, COMMUNITY.encode() + b"\n")
        expect(b"Saved SNMP credential 'office'")
    finally:
        _pid, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not any(s.encode() in output for s in SECRETS), "typed secrets must not be echoed"
    with open_store(tmp_path / "tty.db") as store:
        assert load_snmp_credential(store, "office", master_password=MASTER).community == COMMUNITY
