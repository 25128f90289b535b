"""Optional fast path of collectors.snmp: gufo-snmp (Rust, asyncio) for v2c/v3 GET and GETBULK walks.

Used only where it is known to be right; pysnmp takes over everywhere else:
- v1 stays on pysnmp: gufo drops every value of a GET when one OID is missing (noSuchName).
- gufo reads at most ~4 kB per response and ends a walk early, silently on v3, when a response is bigger.
  So every fast walk is checked: pysnmp continues from the last OID gufo returned, which costs one
  request when gufo was complete and finishes the walk correctly when it was not.
- gufo reports every SNMPv3 REPORT as one auth error; the call is repeated on pysnmp so the user learns
  whether the user name, the auth password or the security level is wrong.
- gufo has no retries of its own: timeouts are retried here as the credential asks.
"""

from __future__ import annotations

import asyncio

from .snmp import SnmpCredential, SnmpValue, timeout_error

try:
    from gufo.snmp import (
        Aes128Key,
        Aes192Key,
        Aes256Key,
        DesKey,
        KeyExpansion,
        Md5Key,
        NoSuchInstance,
        Sha1Key,
        Sha224Key,
        Sha256Key,
        Sha384Key,
        Sha512Key,
        SnmpAuthError,
        SnmpError,
        SnmpVersion,
        User,
    )
    from gufo.snmp.aio import SnmpSession

    AVAILABLE = True
except ImportError:  # the fast path is optional
    AVAILABLE = False

if AVAILABLE:
    _AUTH_KEYS = {"MD5": Md5Key, "SHA": Sha1Key, "SHA-224": Sha224Key, "SHA-256": Sha256Key,
                  "SHA-384": Sha384Key, "SHA-512": Sha512Key}
    _PRIV_KEYS = {"DES": DesKey, "AES": Aes128Key, "AES192": Aes192Key, "AES256": Aes256Key,
                  "AES192C": Aes192Key, "AES256C": Aes256Key}

# Bulk responses above ~4 kB are cut by gufo; 25 rows of typical table columns stay well below that.
_FAST_MAX_REPETITIONS = 25
_engine_ids: dict[tuple[str, int], bytes] = {}


def supports(cred: SnmpCredential) -> bool:
    """True when the fast path may serve this credential (v2c, or v3 with any USM protocol)."""
    return AVAILABLE and cred.version in ("2c", "3")


def _user(cred: SnmpCredential) -> User:
    auth = _AUTH_KEYS[cred.auth_protocol](cred.auth_key.encode()) if cred.auth_protocol != "none" else None
    priv = _PRIV_KEYS[cred.priv_protocol](cred.priv_key.encode()) if cred.priv_protocol != "none" else None
    expansion = KeyExpansion.Cisco if cred.priv_protocol.endswith("C") else KeyExpansion.Blumenthal
    return User(cred.user, auth_key=auth, priv_key=priv, key_expansion=expansion)


async def _open(target: str, cred: SnmpCredential, max_repetitions: int = 10) -> SnmpSession:
    if cred.version == "2c":
        session = SnmpSession(target, cred.port, community=cred.community, version=SnmpVersion.v2c,
                              timeout=cred.timeout_s, max_repetitions=max_repetitions)
        return session
    engine_id = _engine_ids.get((target, cred.port))
    session = SnmpSession(target, cred.port, user=_user(cred), engine_id=engine_id, version=SnmpVersion.v3,
                          timeout=cred.timeout_s, max_repetitions=max_repetitions)
    await session.refresh()
    _engine_ids[(target, cred.port)] = session.get_engine_id()
    return session


async def _with_retries(target: str, cred: SnmpCredential, label: str, action):  # noqa: ANN001, ANN202
    """Run `action()` up to retries+1 times on timeouts; UnreachableError after the last one."""
    for _attempt in range(cred.retries + 1):
        try:
            return await action()
        except (TimeoutError, asyncio.TimeoutError):
            continue
    # A restarted v3 agent has a new engine id/boots; forget the cached one so the next poll rediscovers it.
    _engine_ids.pop((target, cred.port), None)
    raise timeout_error(target, label, cred)


async def get(target: str, cred: SnmpCredential, oids: list[str], *, label: str = "") -> dict[str, SnmpValue | None] | None:
    """GET through gufo; None means 'ask pysnmp instead' (auth failure to name, oversized or odd answer)."""
    async def action() -> dict[str, SnmpValue | None]:
        session = await _open(target, cred)
        result: dict[str, SnmpValue | None] = dict.fromkeys(oids)
        for start in range(0, len(oids), 40):
            chunk = oids[start:start + 40]
            if len(chunk) == 1:
                try:
                    result[chunk[0]] = await session.get(chunk[0])
                except NoSuchInstance:
                    result[chunk[0]] = None
            else:
                got = await session.get_many(chunk)
                for oid in chunk:
                    result[oid] = got.get(oid)
        return result

    try:
        return await _with_retries(target, cred, label, action)
    except (SnmpAuthError, SnmpError, OSError, ValueError, RuntimeError):
        _engine_ids.pop((target, cred.port), None)
        return None


async def walk_columns(target: str, cred: SnmpCredential, roots: list[str], *, max_repetitions: int = 50,
                       label: str = "") -> dict[str, dict[str, SnmpValue]]:
    """Walk each column with gufo, then let pysnmp verify (and if needed finish) from the last OID seen."""
    from . import snmp_pysnmp

    reps = min(max_repetitions, _FAST_MAX_REPETITIONS)
    results: dict[str, dict[str, SnmpValue]] = {r: {} for r in roots}
    last_oid: dict[str, str] = {}
    session = None
    for root in roots:
        rows = results[root]
        prefix = root + "."
        try:
            if session is None:  # one session for all columns; a new one only after an error
                session = await _with_retries(target, cred, label, lambda: _open(target, cred, reps))
            async for oid, value in session.getbulk(root, reps):
                if not oid.startswith(prefix):
                    break
                if root in last_oid and _after(last_oid[root], oid) is False:
                    break  # not increasing: leave the rest to pysnmp, which reports the broken agent
                last_oid[root] = oid
                if value is not None:
                    rows[oid[len(prefix):]] = value
        except (SnmpAuthError, SnmpError, OSError, ValueError, RuntimeError, TimeoutError, asyncio.TimeoutError):
            session = None
            _engine_ids.pop((target, cred.port), None)  # pysnmp below retries, names auth errors, or finishes
    rest = await snmp_pysnmp.walk_columns(target, cred, roots, max_repetitions=max_repetitions, label=label,
                                          start_after=last_oid)
    for root, rows in rest.items():
        results[root].update(rows)
    return results


def _after(previous: str, oid: str) -> bool:
    return tuple(map(int, oid.split("."))) > tuple(map(int, previous.split(".")))
