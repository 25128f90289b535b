"""The pysnmp 7 (asyncio) back end of collectors.snmp: every version, every USM protocol, GET/GETNEXT/GETBULK.

One SnmpEngine per event loop and credential family, MIB lookups off (lookupMib=False) on every request.
pysnmp keeps one USM entry per (user name, engine id) per engine: two devices with the same v3 user name
but different keys would overwrite each other mid-request in a single engine, so v3 credentials that
differ in their keys get their own engine (a network usually has one or two).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import weakref
from collections.abc import Sequence

from pyasn1.type import univ
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    Udp6TransportTarget,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    next_cmd,
)
from pysnmp.hlapi.v3arch.asyncio import auth as _auth
from pysnmp.proto import errind, rfc1902, rfc1905

from .snmp import SnmpCredential, SnmpError, SnmpValue, auth_error, oid_tuple, timeout_error, who

_AUTH = {
    "none": _auth.USM_AUTH_NONE, "MD5": _auth.USM_AUTH_HMAC96_MD5, "SHA": _auth.USM_AUTH_HMAC96_SHA,
    "SHA-224": _auth.USM_AUTH_HMAC128_SHA224, "SHA-256": _auth.USM_AUTH_HMAC192_SHA256,
    "SHA-384": _auth.USM_AUTH_HMAC256_SHA384, "SHA-512": _auth.USM_AUTH_HMAC384_SHA512,
}
_PRIV = {
    "none": _auth.USM_PRIV_NONE, "DES": _auth.USM_PRIV_CBC56_DES, "AES": _auth.USM_PRIV_CFB128_AES,
    "AES192": _auth.USM_PRIV_CFB192_AES_BLUMENTHAL, "AES256": _auth.USM_PRIV_CFB256_AES_BLUMENTHAL,
    "AES192C": _auth.USM_PRIV_CFB192_AES, "AES256C": _auth.USM_PRIV_CFB256_AES,
}
_AUTH_FAILURES = {
    errind.UnknownUserName: "unknown_user", errind.WrongDigest: "wrong_digest",
    errind.DecryptionError: "decryption", errind.UnsupportedSecurityLevel: "level",
    errind.AuthenticationFailure: "auth", errind.AuthenticationError: "auth",
}
_MISSING = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView, univ.Null)
_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, SnmpEngine]] = weakref.WeakKeyDictionary()


def _engine_for(cred: SnmpCredential) -> SnmpEngine:
    """The shared engine of this event loop for this credential family (created on first use)."""
    loop = asyncio.get_running_loop()
    engines = _engines.setdefault(loop, {})
    if cred.version == "3":
        # Keyed by a digest so the secrets themselves are not kept around as dictionary keys.
        material = "\0".join((cred.user, cred.auth_protocol, cred.auth_key, cred.priv_protocol, cred.priv_key))
        key = "v3:" + hashlib.sha256(material.encode()).hexdigest()
    else:
        key = "community"
    if key not in engines:
        engines[key] = SnmpEngine()
    return engines[key]


def _auth_data(cred: SnmpCredential) -> CommunityData | UsmUserData:
    if cred.version != "3":
        return CommunityData(cred.community, mpModel=0 if cred.version == "1" else 1)
    # A key handed to pysnmp raises the security level even with protocol "none": pass only the used ones.
    auth_key = cred.auth_key if cred.auth_protocol != "none" else None
    priv_key = cred.priv_key if cred.priv_protocol != "none" else None
    return UsmUserData(cred.user, auth_key, priv_key,
                       authProtocol=_AUTH[cred.auth_protocol], privProtocol=_PRIV[cred.priv_protocol])


async def _transport(target: str, cred: SnmpCredential) -> UdpTransportTarget | Udp6TransportTarget:
    kind = Udp6TransportTarget if ":" in target else UdpTransportTarget
    try:
        return await kind.create((target, cred.port), timeout=cred.timeout_s, retries=cred.retries)
    except Exception as exc:  # pysnmp wraps resolver errors in its own exception types
        raise SnmpError(f"{target}: cannot resolve the address — check the device's address ({exc})") from None


def to_python(value: object) -> SnmpValue | None:
    """A pysnmp value as int/bytes/str, or None for the 'no value here' markers."""
    if isinstance(value, _MISSING):
        return None
    if isinstance(value, rfc1902.IpAddress):
        octets = value.asOctets()
        return socket.inet_ntoa(octets) if len(octets) == 4 else octets.hex()
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, univ.OctetString):  # OctetString, Opaque, Bits
        return bytes(value.asOctets())
    if isinstance(value, univ.Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks, Unsigned32
        return int(value)
    return None


def _forget_peer(engine: SnmpEngine, target: str, port: int) -> None:
    """Drop what the engine learnt about an SNMPv3 agent (engine id, boots, time) so the next request discovers
    it afresh.

    After the agent restarts, pysnmp keeps sending the old boots/time and the agent's notInTimeWindow reports
    go unanswered: the device would look dead for the 300 s the cache lives. pysnmp has no public call for
    this, hence the name-mangled attributes; without them (another pysnmp) this is a no-op.
    """
    for mp in engine.message_processing_subsystems.values():
        cache = getattr(mp, "_SnmpV3MessageProcessingModel__engineIdCache", None)
        if not isinstance(cache, dict):
            continue
        for key in [k for k in cache if len(k) == 2 and tuple(k[1])[:2] == (target, port)]:
            engine_id = cache.pop(key).get("securityEngineId")
            for model in engine.security_models.values():
                timeline = getattr(model, "_UsmSecurityModel__timeline", None)
                if isinstance(timeline, dict) and engine_id is not None:
                    timeline.pop(engine_id, None)


class _Session:
    """One device, one credential: sends requests and turns pysnmp's answers into data or our errors."""

    def __init__(self, target: str, cred: SnmpCredential, label: str) -> None:
        self.target, self.cred, self.label = target, cred, label
        self.engine = _engine_for(cred)
        self.auth = _auth_data(cred)
        self.transport: UdpTransportTarget | Udp6TransportTarget | None = None

    async def request(self, kind: str, oids: Sequence[str], max_repetitions: int = 0) -> tuple[int, int, list]:
        """One PDU; returns (error_status, error_index, [(oid, value)]) or raises our errors."""
        if self.transport is None:
            self.transport = await _transport(self.target, self.cred)
        objects = [ObjectType(ObjectIdentity(o)) for o in oids]
        try:
            if kind == "get":
                result = await get_cmd(self.engine, self.auth, self.transport, ContextData(), *objects,
                                       lookupMib=False)
            elif kind == "next":
                result = await next_cmd(self.engine, self.auth, self.transport, ContextData(), *objects,
                                        lookupMib=False)
            else:
                result = await bulk_cmd(self.engine, self.auth, self.transport, ContextData(), 0,
                                        max_repetitions, *objects, lookupMib=False)
        except (ValueError, TypeError, IndexError) as exc:  # undecodable varbinds from a broken agent
            raise SnmpError(f"{who(self.target, self.label, self.cred)}: unusable SNMP response ({exc})") from None
        indication, status, index, varbinds = result
        if indication:
            raise self._indication_error(indication)
        return int(status), int(index), [(str(name), value) for name, value in varbinds]

    def _indication_error(self, indication: object) -> Exception:
        if isinstance(indication, errind.RequestTimedOut):
            if self.cred.version == "3":
                _forget_peer(self.engine, self.target, self.cred.port)
            return timeout_error(self.target, self.label, self.cred)
        for kind, name in _AUTH_FAILURES.items():
            if isinstance(indication, kind):
                return auth_error(self.target, self.label, self.cred, name)
        return SnmpError(f"{who(self.target, self.label, self.cred)}: SNMP request failed: {indication}")

    def status_error(self, status: int) -> SnmpError:
        name = _ERROR_STATUS.get(status, str(status))
        return SnmpError(f"{who(self.target, self.label, self.cred)}: the agent answered with error {name}")


_VARBIND_BUDGET = 120
_ERROR_STATUS = {1: "tooBig", 2: "noSuchName", 3: "badValue", 4: "readOnly", 5: "genErr", 6: "noAccess",
                 16: "authorizationError"}


async def get(target: str, cred: SnmpCredential, oids: list[str], *, label: str = "") -> dict[str, SnmpValue | None]:
    """GET through pysnmp; v1 noSuchName drops the offending OID and asks again for the rest."""
    session = _Session(target, cred, label)
    result: dict[str, SnmpValue | None] = dict.fromkeys(oids)
    pending = list(oids)
    # Several small PDUs rather than one that may exceed the agent's message size.
    while pending:
        chunk, pending = pending[:40], pending[40:]
        while chunk:
            status, index, varbinds = await session.request("get", chunk)
            if status == 2 and 0 < index <= len(chunk):  # v1: this OID does not exist
                chunk = chunk[: index - 1] + chunk[index:]
                continue
            if status == 1 and len(chunk) > 1:  # tooBig: split
                half = len(chunk) // 2
                pending = chunk[half:] + pending
                chunk = chunk[:half]
                continue
            if status:
                raise session.status_error(status)
            for (oid, value), asked in zip(varbinds, chunk, strict=False):
                result[asked] = to_python(value) if oid == asked else None
            break
    return result


async def walk_columns(target: str, cred: SnmpCredential, roots: list[str], *, max_repetitions: int = 50,
                       label: str = "", start_after: dict[str, str] | None = None) -> dict[str, dict[str, SnmpValue]]:
    """Walk several subtrees side by side; `start_after` resumes a column after a given full OID."""
    session = _Session(target, cred, label)
    root_t = {r: oid_tuple(r) for r in roots}
    results: dict[str, dict[str, SnmpValue]] = {r: {} for r in roots}
    position = {r: (start_after or {}).get(r, r) for r in roots}
    last_t = {r: oid_tuple(position[r]) for r in roots}
    # Resuming after a fast walk usually only confirms each column has ended: one row per column does that
    # (decoding 100 varbinds past the columns was a quarter of the engine's CPU); more rows once it has not.
    reps, probing = (1, True) if start_after else (max_repetitions, False)
    while position:
        order = list(position)
        if cred.version == "1":
            status, index, varbinds = await session.request("next", [position[r] for r in order])
            if status == 2 and 0 < index <= len(order):  # v1 end of MIB for that column
                del position[order[index - 1]]
                continue
        else:
            # Up to `reps` rows, but about _VARBIND_BUDGET varbinds per request when many columns go together.
            rows = max(1, min(reps, max(reps, _VARBIND_BUDGET) // len(order)))
            status, index, varbinds = await session.request("bulk", [position[r] for r in order], rows)
            if status == 1 and rows > 1:  # tooBig: ask for fewer rows
                reps = rows // 2
                continue
        if status:
            raise session.status_error(status)
        if not varbinds:
            break
        if probing:
            reps, probing = max_repetitions, False
        width = len(order)
        for start in range(0, len(varbinds), width):
            for column, (oid, value) in zip(order, varbinds[start:start + width], strict=False):
                if column not in position:
                    continue
                oid_t = oid_tuple(oid)
                if isinstance(value, rfc1905.EndOfMibView) or oid_t[: len(root_t[column])] != root_t[column]:
                    del position[column]
                    continue
                if oid_t <= last_t[column]:
                    raise SnmpError(f"{who(target, label, cred)}: the agent returned OIDs out of order "
                                    f"({oid} after {'.'.join(map(str, last_t[column]))}) — its SNMP "
                                    "implementation is broken for this table")
                last_t[column], position[column] = oid_t, oid
                converted = to_python(value)
                if converted is not None:
                    results[column][oid[len(column) + 1:]] = converted
    return results
