"""A small SNMP v1/v2c agent for the demo network: many simulated devices, one UDP socket per device address.

It answers GET, GETNEXT and GETBULK from a per-device table of values computed at request time (counters
grow along a day curve), and goes silent for a device while the scenario says it is cut off. Built on
pysnmp's protocol layer only, so it needs no MIB files and no root (loopback addresses, a high port).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
from collections.abc import Callable

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import api

log = logging.getLogger(__name__)

Oid = tuple[int, ...]
# A table provider returns {oid: (type, value)} with type one of the keys of _TYPES.
TableFn = Callable[[], dict[Oid, tuple[str, object]]]

_V2 = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
_TYPES = {
    "int": _V2.Integer, "str": _V2.OctetString, "oid": _V2.ObjectIdentifier, "c32": _V2.Counter32,
    "g32": _V2.Gauge32, "ticks": _V2.TimeTicks, "c64": _V2.Counter64, "ip": _V2.IpAddress,
}
MAX_RESPONSE_VARBINDS = 200


class DeviceEndpoint(asyncio.DatagramProtocol):
    """One simulated device: answers when `alive()` is true and the community matches."""

    def __init__(self, community: str, table: TableFn, alive: Callable[[], bool]) -> None:
        self.community = community
        self.table = table
        self.alive = alive
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        if not self.alive():
            return
        try:
            reply = self.answer(data)
        except (PyAsn1Error, ValueError, KeyError, IndexError) as err:
            log.debug("demo agent: dropped a malformed request from %s: %s", addr, err)
            return
        if reply and self.transport:
            self.transport.sendto(reply, addr)

    def answer(self, data: bytes) -> bytes | None:
        """Build the response to one request datagram (None to stay silent)."""
        version = int(api.decodeMessageVersion(data))
        if version not in api.PROTOCOL_MODULES:
            return None
        mod = api.PROTOCOL_MODULES[version]
        request, _ = decoder.decode(data, asn1Spec=mod.Message())
        if str(mod.apiMessage.get_community(request)) != self.community:
            return None  # a wrong community gets silence, like a real agent
        response = mod.apiMessage.get_response(request)
        req_pdu = mod.apiMessage.get_pdu(request)
        rsp_pdu = mod.apiMessage.get_pdu(response)
        table = self.table()
        oids = sorted(table)
        requested = [tuple(oid) for oid, _ in mod.apiPDU.get_varbinds(req_pdu)]
        if req_pdu.isSameTypeWith(mod.GetRequestPDU()):
            varbinds = [self._get(mod, version, table, oid) for oid in requested]
        elif req_pdu.isSameTypeWith(mod.GetNextRequestPDU()):
            varbinds = [self._next(mod, version, table, oids, oid) for oid in requested]
        elif version == api.SNMP_VERSION_2C and req_pdu.isSameTypeWith(mod.GetBulkRequestPDU()):
            varbinds = self._bulk(mod, table, oids, requested, mod.apiBulkPDU.get_non_repeaters(req_pdu),
                                  mod.apiBulkPDU.get_max_repetitions(req_pdu))
        else:
            mod.apiPDU.set_error_status(rsp_pdu, 5)  # genErr: we are read-only
            return encoder.encode(response)
        if version == api.SNMP_VERSION_1 and any(v is None for _, v in varbinds):
            mod.apiPDU.set_error_status(rsp_pdu, 2)  # v1 noSuchName
            mod.apiPDU.set_error_index(rsp_pdu, next(i for i, (_, v) in enumerate(varbinds) if v is None) + 1)
            mod.apiPDU.set_varbinds(rsp_pdu, [(o, mod.Null("")) for o in requested])
        else:
            mod.apiPDU.set_varbinds(rsp_pdu, varbinds)
        return encoder.encode(response)

    @staticmethod
    def _value(mod, entry: tuple[str, object]):
        kind, value = entry
        if kind == "str" and isinstance(value, str):
            value = value.encode()
        return _TYPES[kind](value)

    def _get(self, mod, version, table, oid):
        if oid in table:
            return oid, self._value(mod, table[oid])
        return oid, (None if version == api.SNMP_VERSION_1 else mod.NoSuchObject(""))

    def _next(self, mod, version, table, oids, oid):
        i = bisect.bisect_right(oids, oid)
        if i < len(oids):
            return oids[i], self._value(mod, table[oids[i]])
        return oid, (None if version == api.SNMP_VERSION_1 else mod.EndOfMibView(""))

    def _bulk(self, mod, table, oids, requested, non_repeaters, max_repetitions):
        n = min(int(non_repeaters), len(requested))
        out = [self._next(mod, api.SNMP_VERSION_2C, table, oids, oid) for oid in requested[:n]]
        cursors = list(requested[n:])
        reps = max(0, min(int(max_repetitions), MAX_RESPONSE_VARBINDS // max(1, len(cursors))))
        for _ in range(reps):
            if not cursors:
                break
            row = [self._next(mod, api.SNMP_VERSION_2C, table, oids, oid) for oid in cursors]
            out.extend(row)
            cursors = [oid for oid, _ in row]
            if all(isinstance(v, type(mod.EndOfMibView(""))) for _, v in row):
                break
        return out


async def serve_devices(endpoints: dict[tuple[str, int], DeviceEndpoint]) -> list[asyncio.DatagramTransport]:
    """Bind every endpoint to its (address, port); returns the transports to close later."""
    loop = asyncio.get_running_loop()
    transports = []
    for (host, port), endpoint in endpoints.items():
        transport, _ = await loop.create_datagram_endpoint(lambda e=endpoint: e, local_addr=(host, port))
        transports.append(transport)
    return transports
