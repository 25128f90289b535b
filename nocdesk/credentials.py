"""Named SNMP and SSH credentials: parameters in the database, secrets in the OS keyring or an encrypted file.

A credential row holds its kind and non-secret parameters (version, user, protocols, port) plus which secret
store holds its secrets. Secrets go to the OS keyring when a real one exists, else to `secrets.enc` in the
data directory: Fernet, with the key derived by scrypt from a master password (NOCDESK_MASTER_PASSWORD, or
passed in by the UI/CLI prompt). NOCDESK_SECRET_BACKEND=file|keyring forces a store. Secrets never appear in
the database, in logs, in exports, in error messages or in reprs.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .collectors.snmp import SnmpCredential
from .errors import ConfigError, CredentialError
from .i18n import _
from .paths import data_dir
from .privatefile import write_private_text
from .store import Store

log = logging.getLogger(__name__)

KEYRING_SERVICE = "nocdesk"
SECRET_FILE_NAME = "secrets.enc"
MASTER_PASSWORD_ENV = "NOCDESK_MASTER_PASSWORD"
BACKEND_ENV = "NOCDESK_SECRET_BACKEND"
MIN_MASTER_PASSWORD = 8
SCOPE_SETTING = "credential_scope"
# scrypt cost: about 0.1 s per unlock on a 2015 laptop; stored in the file so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,62}\Z")
_VERSIONS = {"1": "1", "v1": "1", "2": "2c", "2c": "2c", "v2c": "2c", "v2": "2c", "3": "3", "v3": "3"}
_derived_keys: dict[tuple[bytes, int, int, int, str], bytes] = {}
_unlocked_with: str | None = None  # set by unlock_secret_file(): the app asks once, the engine then reads


@dataclass(frozen=True)
class SshCredential:
    """How to log in to a device over SSH; the secrets are hidden from repr."""

    username: str
    password: str | None = field(default=None, repr=False)
    enable_secret: str | None = field(default=None, repr=False)
    port: int = 22
    key_file: str | None = None  # a private key file on this computer (the path is not a secret)


@dataclass(frozen=True)
class CredentialInfo:
    """A credential as listed: name, kind, non-secret parameters and the devices using it."""

    name: str
    kind: str
    params: dict[str, Any]
    used_by: tuple[str, ...]


class SecretStore(Protocol):
    """Where secrets live: `name` is recorded per credential so loading finds them again."""

    name: str

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


# --- the two secret stores ------------------------------------------------------------------------

class KeyringSecrets:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    name = "keyring"

    def _call(self, action: str, *args: str) -> Any:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            return getattr(keyring, action)(KEYRING_SERVICE, *args)
        except PasswordDeleteError:
            return None
        except KeyringError as err:
            raise CredentialError(_("the OS keyring refused access ({error}); unlock it, or set {env}=file to keep "
                                    "secrets in an encrypted file instead.")
                                  .format(error=type(err).__name__, env=BACKEND_ENV)) from None

    def get(self, key: str) -> str | None:
        return self._call("get_password", key)

    def set(self, key: str, value: str) -> None:
        self._call("set_password", key, value)

    def delete(self, key: str) -> None:
        self._call("delete_password", key)


class FileSecrets:
    """An encrypted JSON file: {"kdf": scrypt parameters, "salt", "token": Fernet(all entries)}."""

    name = "file"

    def __init__(self, path: Path, master_password: str | None) -> None:
        self.path = path
        self.master_password = next((p for p in (master_password, os.environ.get(MASTER_PASSWORD_ENV), _unlocked_with)
                                     if p is not None), None)

    def _fernet(self, salt: bytes, n: int, r: int, p: int) -> Any:
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        if not self.master_password:
            raise CredentialError(_("the secrets file {path} needs the master password: set {env} or enter it when "
                                    "asked.").format(path=self.path, env=MASTER_PASSWORD_ENV))
        cache_key = (salt, n, r, p, self.master_password)
        if cache_key not in _derived_keys:
            kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
            _derived_keys[cache_key] = base64.urlsafe_b64encode(kdf.derive(self.master_password.encode()))
        return Fernet(_derived_keys[cache_key])

    def _read(self) -> tuple[dict[str, str], tuple[bytes, int, int, int]]:
        from cryptography.fernet import InvalidToken

        if not self.path.exists():
            if self.master_password is not None and len(self.master_password) < MIN_MASTER_PASSWORD:
                raise CredentialError(_("the master password needs at least {n} characters.").format(n=MIN_MASTER_PASSWORD))
            return {}, (secrets.token_bytes(16), SCRYPT_N, SCRYPT_R, SCRYPT_P)
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            params = (base64.b64decode(doc["salt"]), int(doc["n"]), int(doc["r"]), int(doc["p"]))
            token = doc["token"].encode()
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise CredentialError(_("the secrets file {path} is damaged ({error}); restore it from a backup or move it "
                                    "away and add the credentials again.").format(path=self.path, error=type(err).__name__)) from None
        try:
            entries = json.loads(self._fernet(*params).decrypt(token))
        except InvalidToken:
            raise CredentialError(_("wrong master password for the secrets file {path}.").format(path=self.path)) from None
        return entries, params

    def _write(self, entries: dict[str, str], params: tuple[bytes, int, int, int]) -> None:
        salt, n, r, p = params
        token = self._fernet(*params).encrypt(json.dumps(entries).encode())
        doc = {"format": 1, "kdf": "scrypt", "salt": base64.b64encode(salt).decode(), "n": n, "r": r, "p": p,
               "token": token.decode()}
        write_private_text(self.path, json.dumps(doc))

    def get(self, key: str) -> str | None:
        return self._read()[0].get(key)

    def set(self, key: str, value: str) -> None:
        entries, params = self._read()
        entries[key] = value
        self._write(entries, params)

    def delete(self, key: str) -> None:
        entries, params = self._read()
        if entries.pop(key, None) is not None:
            self._write(entries, params)


def secret_file_path() -> Path:
    """Where the encrypted secrets file lives (in the data directory)."""
    return data_dir() / SECRET_FILE_NAME


def keyring_usable() -> bool:
    """True when `keyring` has a real backend (not the fail/null one, an empty chain, or a plaintext file)."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or (isinstance(backend, chainer.ChainerBackend) and not backend.backends):
        return False
    cls = type(backend)
    return not (cls.__module__.startswith(("keyring.backends.null", "keyrings.alt")) or "plaintext" in cls.__name__.lower())


def default_backend_name() -> str:
    """'keyring' or 'file': where new secrets go on this computer."""
    forced = os.environ.get(BACKEND_ENV, "").strip().lower()
    if forced not in ("", "file", "keyring"):
        raise CredentialError(_("{env} must be 'file' or 'keyring', not '{value}'.").format(env=BACKEND_ENV, value=forced))
    if forced == "keyring" and not keyring_usable():
        raise CredentialError(_("{env}=keyring but this computer has no usable OS keyring.").format(env=BACKEND_ENV))
    return forced or ("keyring" if keyring_usable() else "file")


def _secret_store(name: str, master_password: str | None) -> SecretStore:
    return KeyringSecrets() if name == "keyring" else FileSecrets(secret_file_path(), master_password)


def unlock_secret_file(master_password: str) -> None:
    """Check the master password against the secrets file and remember it for this process (the app's prompt)."""
    global _unlocked_with
    FileSecrets(secret_file_path(), master_password)._read()
    _unlocked_with = master_password


def needs_master_password(store: Store | None = None, name: str | None = None) -> bool:
    """True when the secrets of `name` (or new secrets) go to the encrypted file and no master password is set."""
    backend = default_backend_name()
    if store is not None and name is not None:
        row = store.conn.execute("SELECT params FROM credentials WHERE name = ?", (name,)).fetchone()
        if row:
            backend = json.loads(row[0]).get("secret_store", backend)
    return backend == "file" and not os.environ.get(MASTER_PASSWORD_ENV) and _unlocked_with is None


def secret_file_exists() -> bool:
    """True once the encrypted secrets file has been created (a prompt then asks for the password only once)."""
    return secret_file_path().exists()


# --- bare secrets ---------------------------------------------------------------------------------

_SECRET_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+:-]{0,126}\Z")


def _check_secret_key(key: str) -> str:
    key = (key or "").strip()
    if not _SECRET_KEY.match(key):
        raise ConfigError(_("secret name '{key}' must be 1-127 letters, digits or . _ - @ + :").format(key=key))
    return key


def save_secret(store: Store, key: str, value: str, *, master_password: str | None = None) -> None:
    """Store (or replace) one secret string under `key` for this database (in the default secret store).

    Keys are namespaced by the caller ("notify:bot"); credential names cannot contain ':' so a key with one never
    meets a credential's secrets."""
    key = _check_secret_key(key)
    _secret_store(default_backend_name(), master_password).set(f"{_scope(store)}:{key}", value)


def load_secret(store: Store, key: str, *, master_password: str | None = None) -> str | None:
    """The secret stored under `key` for this database, or None when there is none (never writes)."""
    key = _check_secret_key(key)
    scope = _scope(store, create=False)
    if not scope:
        return None
    return _secret_store(default_backend_name(), master_password).get(f"{scope}:{key}")


def delete_secret(store: Store, key: str, *, master_password: str | None = None) -> None:
    """Forget the secret under `key` (nothing happens when there is none)."""
    key = _check_secret_key(key)
    scope = _scope(store, create=False)
    if scope:
        _secret_store(default_backend_name(), master_password).delete(f"{scope}:{key}")


# --- credentials --------------------------------------------------------------------------------

def _scope(store: Store, *, create: bool = True) -> str:
    scope = store.get_setting(SCOPE_SETTING)
    if not scope and create:
        scope = uuid.uuid4().hex
        store.set_setting(SCOPE_SETTING, scope)
    return scope


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise ConfigError(_("credential name '{name}' must be 1-63 letters, digits or . _ - @ +").format(name=name))
    return name


def _save(store: Store, name: str, kind: str, params: dict[str, Any], secret: dict[str, str],
          master_password: str | None) -> None:
    existing = store.conn.execute("SELECT kind, params FROM credentials WHERE name = ?", (name,)).fetchone()
    if existing and existing["kind"] != kind:
        raise ConfigError(_("credential '{name}' is already an {kind} credential; choose another name or remove it "
                            "first.").format(name=name, kind=existing["kind"].upper()))
    scope = _scope(store)
    backend = _secret_store(default_backend_name(), master_password)
    with store.transaction() as conn:
        conn.execute("INSERT INTO credentials(name, kind, params) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                     "kind = excluded.kind, params = excluded.params",
                     (name, kind, json.dumps(params | {"secret_store": backend.name})))
        # Inside the transaction: if the secret cannot be stored, no credential row is left without one.
        backend.set(f"{scope}:{name}", json.dumps(secret))
    old_store = json.loads(existing["params"]).get("secret_store") if existing else None
    if old_store and old_store != backend.name:
        try:
            _secret_store(old_store, master_password).delete(f"{scope}:{name}")
        except CredentialError:
            log.warning("credential %r: the old secret in the %s store could not be removed", name, old_store)
    log.info("saved %s credential %r (secrets in the %s store)", kind, name, backend.name)


def _kept(store: Store, name: str, kind: str, wanted: dict[str, str | None],
          master_password: str | None) -> dict[str, str | None]:
    """`wanted` with each None replaced by the stored secret of `name` (an edit that leaves a secret field empty)."""
    if all(v is not None for v in wanted.values()):
        return wanted
    row = store.conn.execute("SELECT kind FROM credentials WHERE name = ?", (name,)).fetchone()
    if row is None or row["kind"] != kind:
        return wanted
    stored = _load(store, name, kind, master_password)[1]
    return {k: stored.get(k) if v is None else v for k, v in wanted.items()}


def save_snmp_credential(store: Store, name: str, *, version: str, community: str | None = None,
                         user: str | None = None, auth_protocol: str | None = None, auth_key: str | None = None,
                         priv_protocol: str | None = None, priv_key: str | None = None, port: int = 161,
                         timeout_s: float = 2, retries: int = 1, master_password: str | None = None,
                         keep_secrets: bool = False) -> None:
    """Create or replace a named SNMP credential (v1/v2c: community; v3: user, auth and privacy).

    keep_secrets: a secret given as None keeps the one stored for `name` (editing without retyping it)."""
    name = _check_name(name)
    ver = _VERSIONS.get(str(version).strip().lower())
    label = _("SNMP credential '{name}'").format(name=name)
    if ver is None:
        raise ConfigError(_("{label}: version must be 1, 2c or 3, not '{version}'").format(label=label, version=version))
    if keep_secrets and ver in ("1", "2c"):
        community = _kept(store, name, "snmp", {"community": community}, master_password)["community"]
    elif keep_secrets:
        wanted = {"auth_key": auth_key if (auth_protocol or "none").lower() != "none" else auth_key or "",
                  "priv_key": priv_key if (priv_protocol or "none").lower() != "none" else priv_key or ""}
        kept = _kept(store, name, "snmp", wanted, master_password)
        auth_key, priv_key = kept["auth_key"], kept["priv_key"]
    if ver in ("1", "2c"):
        if not community:
            raise ConfigError(_("{label}: SNMPv{version} needs a community").format(label=label, version=ver))
        if user or auth_key or priv_key or (auth_protocol or "none").lower() != "none" \
                or (priv_protocol or "none").lower() != "none":
            raise ConfigError(_("{label}: user, auth and privacy settings are for SNMPv3 only").format(label=label))
    elif community:
        raise ConfigError(_("{label}: SNMPv3 uses a user and keys, not a community").format(label=label))
    try:
        cred = SnmpCredential(version=ver, community=community or "", user=user or "",
                              auth_protocol=auth_protocol or "none", auth_key=auth_key or "",
                              priv_protocol=priv_protocol or "none", priv_key=priv_key or "",
                              port=int(port), timeout_s=float(timeout_s), retries=int(retries))
    except ConfigError as err:
        raise ConfigError(str(err).replace("SNMP credential:", label + ":", 1)) from None
    params = {"version": cred.version, "user": cred.user, "auth_protocol": cred.auth_protocol,
              "priv_protocol": cred.priv_protocol, "security_level": cred.security_level, "port": cred.port,
              "timeout_s": cred.timeout_s, "retries": cred.retries}
    secret = {"community": cred.community} if ver != "3" else {"auth_key": cred.auth_key, "priv_key": cred.priv_key}
    _save(store, name, "snmp", params, secret, master_password)


def save_ssh_credential(store: Store, name: str, *, username: str, password: str | None = None,
                        enable_secret: str | None = None, port: int = 22, key_file: str | None = None,
                        master_password: str | None = None, keep_secrets: bool = False) -> None:
    """Create or replace a named SSH credential (no password = key-based login, with `key_file` if given).

    keep_secrets: a secret given as None keeps the stored one, "" removes it (editing without retyping)."""
    name = _check_name(name)
    label = _("SSH credential '{name}'").format(name=name)
    if not (username or "").strip():
        raise ConfigError(_("{label}: the username is empty").format(label=label))
    if not 0 < int(port) < 65536:
        raise ConfigError(_("{label}: port {port} is not a TCP port").format(label=label, port=port))
    params: dict[str, Any] = {"username": username.strip(), "port": int(port)}
    if (key_file or "").strip():
        key_path = Path(key_file.strip()).expanduser()
        if not key_path.is_file():
            raise ConfigError(_("{label}: the private key file {path} does not exist; choose the file that holds "
                                "the key (for example id_ed25519)").format(label=label, path=key_path))
        params["key_file"] = str(key_path.resolve())
    if keep_secrets:
        kept = _kept(store, name, "ssh", {"password": password, "enable_secret": enable_secret}, master_password)
        password, enable_secret = kept["password"], kept["enable_secret"]
    _save(store, name, "ssh", params, {"password": password or "", "enable_secret": enable_secret or ""},
          master_password)


def _load(store: Store, name: str, kind: str, master_password: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    row = store.conn.execute("SELECT kind, params FROM credentials WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise CredentialError(_("no credential named '{name}' (see 'nocdesk credential list').").format(name=name))
    if row["kind"] != kind:
        raise CredentialError(_("credential '{name}' is an {found} credential, not {wanted}.")
                              .format(name=name, found=row["kind"].upper(), wanted=kind.upper()))
    params = json.loads(row["params"])
    scope = _scope(store, create=False)  # loading never writes (the engine and a read-only viewer load too)
    stored = _secret_store(params.get("secret_store", "keyring"), master_password).get(f"{scope}:{name}") if scope else None
    if stored is None:
        raise CredentialError(_("the secrets of credential '{name}' are not in the {where} of this computer; enter "
                                "them again with 'nocdesk credential add-{kind} {name} --replace'.")
                              .format(name=name, where=_("OS keyring") if params.get("secret_store") == "keyring"
                                      else _("secrets file"), kind=kind))
    return params, json.loads(stored)


def load_snmp_credential(store: Store, name: str, *, master_password: str | None = None) -> SnmpCredential:
    """The SNMP credential `name` with its secrets, ready for the SNMP collector."""
    params, secret = _load(store, name, "snmp", master_password)
    return SnmpCredential(version=params["version"], community=secret.get("community", ""),
                          user=params.get("user", ""), auth_protocol=params.get("auth_protocol", "none"),
                          auth_key=secret.get("auth_key", ""), priv_protocol=params.get("priv_protocol", "none"),
                          priv_key=secret.get("priv_key", ""), port=params.get("port", 161),
                          timeout_s=params.get("timeout_s", 2.0), retries=params.get("retries", 1))


def load_ssh_credential(store: Store, name: str, *, master_password: str | None = None) -> SshCredential:
    """The SSH credential `name` with its secrets."""
    params, secret = _load(store, name, "ssh", master_password)
    return SshCredential(username=params["username"], password=secret.get("password") or None,
                         enable_secret=secret.get("enable_secret") or None, port=params.get("port", 22),
                         key_file=params.get("key_file"))


def _users(store: Store, name: str) -> list[str]:
    rows = store.conn.execute("SELECT name FROM devices WHERE snmp_credential = ? OR ssh_credential = ? "
                              "ORDER BY name COLLATE NOCASE", (name, name))
    return [r[0] for r in rows]


def list_credentials(store: Store) -> list[CredentialInfo]:
    """Every credential: name, kind, non-secret parameters and the devices that use it."""
    rows = store.conn.execute("SELECT name, kind, params FROM credentials ORDER BY name COLLATE NOCASE").fetchall()
    return [CredentialInfo(r["name"], r["kind"], json.loads(r["params"]), tuple(_users(store, r["name"]))) for r in rows]


def delete_credential(store: Store, name: str, *, force: bool = False, master_password: str | None = None) -> list[str]:
    """Remove a credential and its secrets; in use, only with force (the devices then have none). Returns them."""
    row = store.conn.execute("SELECT params FROM credentials WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise CredentialError(_("no credential named '{name}' (see 'nocdesk credential list').").format(name=name))
    users = _users(store, name)
    if users and not force:
        raise ConfigError(_("credential '{name}' is used by {count} device(s): {devices}; point them at another "
                            "credential first, or remove it with --force.")
                          .format(name=name, count=len(users), devices=", ".join(users[:5])
                                  + (", ..." if len(users) > 5 else "")))
    backend = _secret_store(json.loads(row[0]).get("secret_store", "keyring"), master_password)
    scope = _scope(store)
    with store.transaction() as conn:
        conn.execute("UPDATE devices SET snmp_credential = NULL WHERE snmp_credential = ?", (name,))
        conn.execute("UPDATE devices SET ssh_credential = NULL WHERE ssh_credential = ?", (name,))
        conn.execute("DELETE FROM credentials WHERE name = ?", (name,))
        backend.delete(f"{scope}:{name}")
    log.info("removed credential %r", name)
    return users
