"""SNMP client: get, walk and column walks over v1/v2c/v3, returning plain Python values.

Two back ends sit behind these functions: pysnmp 7 (asyncio, always present, every feature) and, when the
optional `gufo-snmp` package is installed, a Rust fast path for v2c/v3 GET/GETBULK (see snmp_fast.py).
`backend("pysnmp")` forces one for a block of code (tests, benchmarks); NOCDESK_SNMP_BACKEND sets the default.

Values are normalised the same way on both paths: integers, counters, gauges and TimeTicks -> int,
OCTET STRING -> bytes, OBJECT IDENTIFIER and IpAddress -> dotted str. A missing object (noSuchObject,
noSuchInstance, endOfMibView, v1 noSuchName) is None in `get` and simply absent from walks.
Expected failures raise nocdesk.errors: UnreachableError (no answer), AuthError (SNMPv3 refused us),
SnmpError (the agent answered with an error). Secrets never appear in messages or reprs.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Union

from nocdesk.errors import AuthError, ConfigError, NocdeskError, UnreachableError

SnmpValue = Union[int, float, str, bytes]  # noqa: UP007 - runtime alias, py3.10 compatible
Varbind = tuple[str, SnmpValue]

SYS_UPTIME = "1.3.6.1.2.1.1.3.0"  # SNMPv2-MIB::sysUpTime.0

AUTH_PROTOCOLS = ("none", "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512")
# AES192/AES256 use the Blumenthal key extension (net-snmp "AES192"); the C variants use the
# Reeder extension (net-snmp "AES192C"; what most router CLIs call "aes 192").
PRIV_PROTOCOLS = ("none", "DES", "AES", "AES192", "AES256", "AES192C", "AES256C")
_ALIASES = {"SHA1": "SHA", "SHA-1": "SHA", "SHA224": "SHA-224", "SHA256": "SHA-256", "SHA384": "SHA-384",
            "SHA512": "SHA-512", "AES128": "AES", "AES-128": "AES", "AES-192": "AES192", "AES-256": "AES256",
            "NONE": "none", "": "none"}


class SnmpError(NocdeskError):
    """The agent answered, but with an error (genErr, a non-increasing walk, an unusable response)."""


@dataclass(frozen=True)
class SnmpCredential:
    """How to talk SNMP to one device; secrets come from the credential store and are never shown."""

    version: str = "2c"  # "1" | "2c" | "3"
    community: str = field(default="", repr=False)
    user: str = ""
    auth_protocol: str = "none"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "none"
    priv_key: str = field(default="", repr=False)
    port: int = 161
    timeout_s: float = 2.0
    retries: int = 1

    def __post_init__(self) -> None:
        auth = _ALIASES.get(self.auth_protocol.upper(), self.auth_protocol.upper())
        priv = _ALIASES.get(self.priv_protocol.upper(), self.priv_protocol.upper())
        object.__setattr__(self, "auth_protocol", "none" if auth == "NONE" else auth)
        object.__setattr__(self, "priv_protocol", "none" if priv == "NONE" else priv)
        if self.version not in ("1", "2c", "3"):
            raise ConfigError(f"SNMP credential: version: must be 1, 2c or 3, not {self.version!r}")
        if self.auth_protocol not in AUTH_PROTOCOLS:
            raise ConfigError(f"SNMP credential: auth_protocol: unknown {self.auth_protocol!r} "
                              f"(one of {', '.join(AUTH_PROTOCOLS)})")
        if self.priv_protocol not in PRIV_PROTOCOLS:
            raise ConfigError(f"SNMP credential: priv_protocol: unknown {self.priv_protocol!r} "
                              f"(one of {', '.join(PRIV_PROTOCOLS)})")
        if self.version == "3":
            if not self.user:
                raise ConfigError("SNMP credential: user: SNMPv3 needs a user name")
            if self.priv_protocol != "none" and self.auth_protocol == "none":
                raise ConfigError("SNMP credential: priv_protocol: privacy needs an auth protocol too")
            for name, proto, key in (("auth_key", self.auth_protocol, self.auth_key),
                                     ("priv_key", self.priv_protocol, self.priv_key)):
                if proto != "none" and len(key) < 8:
                    raise ConfigError(f"SNMP credential: {name}: SNMPv3 passwords need at least 8 characters")
        if not 0 < self.port < 65536:
            raise ConfigError(f"SNMP credential: port: {self.port} is not a UDP port")
        if self.timeout_s <= 0 or self.retries < 0:
            raise ConfigError("SNMP credential: timeout_s must be > 0 and retries >= 0")

    @property
    def security_level(self) -> str:
        """noAuthNoPriv, authNoPriv or authPriv (v3); noAuthNoPriv for community versions."""
        if self.version != "3" or self.auth_protocol == "none":
            return "noAuthNoPriv"
        return "authNoPriv" if self.priv_protocol == "none" else "authPriv"


# --- back-end selection -------------------------------------------------------------------------

_DEFAULT_BACKEND = os.environ.get("NOCDESK_SNMP_BACKEND", "auto")
_BACKEND: ContextVar[str] = ContextVar("nocdesk_snmp_backend", default=_DEFAULT_BACKEND)


def available_backends() -> tuple[str, ...]:
    """Back ends usable here: always 'pysnmp', plus 'fast' when gufo-snmp is installed."""
    from . import snmp_fast

    return ("pysnmp", "fast") if snmp_fast.AVAILABLE else ("pysnmp",)


@contextlib.contextmanager
def backend(name: str) -> Iterator[None]:
    """Use back end 'auto', 'pysnmp' or 'fast' for SNMP calls made inside this block (this task only)."""
    if name not in ("auto", "pysnmp", "fast"):
        raise ConfigError(f"SNMP back end: unknown {name!r} (auto, pysnmp or fast)")
    if name == "fast" and "fast" not in available_backends():
        raise ConfigError("SNMP back end: 'fast' needs the gufo-snmp package installed")
    token = _BACKEND.set(name)
    try:
        yield
    finally:
        _BACKEND.reset(token)


def _use_fast(cred: SnmpCredential) -> bool:
    from . import snmp_fast

    choice = _BACKEND.get()
    if choice == "pysnmp" or not snmp_fast.AVAILABLE:
        return False
    return snmp_fast.supports(cred)


# --- public API -------------------------------------------------------------------------------------


async def get(target: str, cred: SnmpCredential, oids: Sequence[str], *, label: str = "") -> dict[str, SnmpValue | None]:
    """GET `oids` (numeric, no leading dot); every requested OID is a key, None where the agent has no value."""
    wanted = [normalize_oid(o) for o in oids]
    if not wanted:
        return {}
    if _use_fast(cred):
        from . import snmp_fast

        got = await snmp_fast.get(target, cred, wanted, label=label)
        if got is not None:
            return got
    from . import snmp_pysnmp

    return await snmp_pysnmp.get(target, cred, wanted, label=label)


async def walk(target: str, cred: SnmpCredential, root_oid: str, *, max_repetitions: int = 50,
               label: str = "") -> list[Varbind]:
    """All (oid, value) under `root_oid`, in order: GETBULK for v2c/v3, GETNEXT for v1."""
    root = normalize_oid(root_oid)
    table = await walk_columns(target, cred, [root], max_repetitions=max_repetitions, label=label)
    return [(f"{root}.{suffix}", value) for suffix, value in table[root].items()]


async def walk_columns(target: str, cred: SnmpCredential, columns: Sequence[str], *, max_repetitions: int = 50,
                       label: str = "") -> dict[str, dict[str, SnmpValue]]:
    """Walk only these table columns together: {column_oid: {index_suffix: value}}, rows in agent order."""
    roots = list(dict.fromkeys(normalize_oid(c) for c in columns))
    if not roots:
        return {}
    if max_repetitions < 1:
        raise ConfigError("SNMP walk: max_repetitions must be at least 1")
    if _use_fast(cred):
        from . import snmp_fast

        return await snmp_fast.walk_columns(target, cred, roots, max_repetitions=max_repetitions, label=label)
    from . import snmp_pysnmp

    return await snmp_pysnmp.walk_columns(target, cred, roots, max_repetitions=max_repetitions, label=label)


# --- helpers shared by both back ends -----------------------------------------------------------------


def normalize_oid(oid: str) -> str:
    """'.1.3.6.1.2.1.1.5.0' -> '1.3.6.1.2.1.1.5.0'; rejects anything that is not a numeric OID."""
    text = oid.strip().lstrip(".")
    parts = text.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        raise ConfigError(f"SNMP OID: {oid!r} is not a numeric OID (symbolic names are not resolved)")
    return text


def oid_tuple(oid: str) -> tuple[int, ...]:
    """Numeric OID string as a tuple of ints (for ordering and prefix tests)."""
    return tuple(int(p) for p in oid.split("."))


def who(target: str, label: str, cred: SnmpCredential) -> str:
    """'sw-kec (198.18.2.1:161)' for messages; the port only when it is not 161."""
    addr = target if cred.port == 161 else f"{target}:{cred.port}"
    return f"{label} ({addr})" if label else addr


def timeout_error(target: str, label: str, cred: SnmpCredential) -> UnreachableError:
    """The message for 'no answer at all', naming what usually causes it for this SNMP version."""
    attempts = cred.retries + 1
    base = f"{who(target, label, cred)}: no SNMP response within {cred.timeout_s:g} s ({attempts} attempt"
    base += "s)" if attempts > 1 else ")"
    if cred.version == "3":
        hint = (f" — check that the agent is up and reachable on UDP {cred.port}; agents also stay silent "
                f"when the privacy password of user '{cred.user}' is wrong")
    else:
        hint = (f" — timeout: check that the agent is up and reachable on UDP {cred.port} and that the "
                f"SNMPv{cred.version} community is right (a wrong community is never answered)")
    return UnreachableError(base + hint)


def auth_error(target: str, label: str, cred: SnmpCredential, kind: str) -> AuthError:
    """AuthError for an SNMPv3 report: kind is 'unknown_user', 'wrong_digest', 'decryption' or 'level'."""
    dev, user = who(target, label, cred), cred.user
    messages = {
        "unknown_user": f"{dev}: SNMPv3 authentication failed — the agent does not know user '{user}' "
                        "(unknownUserName); check the user name",
        "wrong_digest": f"{dev}: SNMPv3 authentication failed for user '{user}' (wrongDigest) — check the "
                        f"auth password and auth protocol ({cred.auth_protocol})",
        "decryption": f"{dev}: SNMPv3 decryption failed for user '{user}' (decryptionError) — check the "
                      f"privacy password and privacy protocol ({cred.priv_protocol})",
        "level": f"{dev}: SNMPv3 security level {cred.security_level} is not allowed for user '{user}' — "
                 "check which of auth/privacy the device expects",
        "auth": f"{dev}: SNMPv3 authentication failed for user '{user}' — check the user name, auth password "
                "and protocols",
    }
    return AuthError(messages[kind])
