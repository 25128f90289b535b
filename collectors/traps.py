"""SNMP trap listener: pysnmp's NotificationReceiver on an asyncio UDP socket, v1/v2c communities and v3 users.

Every accepted trap (and inform) becomes a frozen TrapEvent: who sent it, which version, the trap OID and its
name (linkDown, linkUp, coldStart, warmStart, authenticationFailure or 'unknown'), the ifIndex of link traps,
and the varbinds as text. v1 traps arrive already translated to the v2 form (RFC 3584), so one parser serves
all versions. Traps with a wrong community or unknown v3 user are dropped by pysnmp, never reported.
UDP port 162 needs root or CAP_NET_BIND_SERVICE; the port is configurable and the error says so.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pysnmp.carrier.asyncio.dgram import udp, udp6
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import ntfrcv
from pysnmp.proto.api import v2c

from nocdesk.errors import ConfigError

from .snmp import SnmpCredential
from .snmp_pysnmp import _AUTH, _PRIV

log = logging.getLogger(__name__)

# SNMPv2-MIB::snmpTraps — the generic traps every agent may send.
STANDARD_TRAPS = {
    "1.3.6.1.6.3.1.1.5.1": "coldStart",
    "1.3.6.1.6.3.1.1.5.2": "warmStart",
    "1.3.6.1.6.3.1.1.5.3": "linkDown",
    "1.3.6.1.6.3.1.1.5.4": "linkUp",
    "1.3.6.1.6.3.1.1.5.5": "authenticationFailure",
}
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
SNMP_TRAP_ADDRESS = "1.3.6.1.6.3.18.1.3.0"    # v1 agent-addr, after RFC 3584 translation
SNMP_TRAP_COMMUNITY = "1.3.6.1.6.3.18.1.4.0"  # the community: a secret, never kept
IF_TABLE_ENTRY = "1.3.6.1.2.1.2.2.1."         # IF-MIB ifEntry columns: <column>.<ifIndex>
IF_INDEX_COLUMN = "1"
VERSIONS = {0: "1", 1: "2c", 3: "3"}


@dataclass(frozen=True)
class TrapEvent:
    """One received notification, parsed; varbinds are (numeric OID, value as text) in the order sent."""

    source_address: str
    version: str  # "1", "2c", "3"
    trap_oid: str
    name: str     # linkDown, linkUp, coldStart, warmStart, authenticationFailure, unknown
    if_index: int | None
    varbinds: tuple[tuple[str, str], ...]
    received_at: float
    source_port: int = 0
    agent_address: str = ""   # v1 agent-addr when it differs from the UDP source (a relay)
    security_name: str = ""   # the v3 user (communities are secrets and are not recorded)

    def value(self, oid_prefix: str) -> str | None:
        """The first varbind value whose OID starts with `oid_prefix`."""
        return next((v for o, v in self.varbinds if o == oid_prefix or o.startswith(oid_prefix + ".")), None)


@dataclass(frozen=True)
class V3TrapUser:
    """An SNMPv3 user allowed to send traps, tied to the sending agent's engine id (snmptrap -e, hex)."""

    credential: SnmpCredential
    engine_id: str


@dataclass(frozen=True)
class TrapListenerConfig:
    """Where to listen and whom to accept."""

    bind: str = "0.0.0.0"
    port: int = 162
    communities: tuple[str, ...] = ()
    v3_users: tuple[V3TrapUser, ...] = ()


def _text(value: object) -> str:
    if isinstance(value, v2c.OctetString) and not isinstance(value, v2c.IpAddress):
        raw = bytes(value)
        try:
            text = raw.decode()
            if text.isprintable():
                return text
        except UnicodeDecodeError:
            pass
        return "0x" + raw.hex()
    return value.prettyPrint() if hasattr(value, "prettyPrint") else str(value)


def parse_varbinds(varbinds: Sequence[tuple[object, object]], *, source: tuple[str, int], version: str,
                   security_name: str = "", received_at: float | None = None) -> TrapEvent:
    """Build a TrapEvent from the (OID, value) pairs pysnmp delivers (v2 layout)."""
    pairs = [(str(o), v) for o, v in varbinds]
    trap_oid = next((_text(v) for o, v in pairs if o == SNMP_TRAP_OID), "")
    if_index = None
    for oid, value in pairs:
        if oid.startswith(IF_TABLE_ENTRY):
            column, _, index = oid[len(IF_TABLE_ENTRY):].partition(".")
            if index.isdigit():
                if_index = int(_text(value)) if column == IF_INDEX_COLUMN and _text(value).isdigit() else int(index)
                break
    agent = next((_text(v) for o, v in pairs if o == SNMP_TRAP_ADDRESS), "")
    kept = tuple((o, _text(v)) for o, v in pairs if o not in (SNMP_TRAP_OID, SNMP_TRAP_COMMUNITY))
    return TrapEvent(source_address=source[0], version=version, trap_oid=trap_oid,
                     name=STANDARD_TRAPS.get(trap_oid, "unknown"), if_index=if_index, varbinds=kept,
                     received_at=time.time() if received_at is None else received_at, source_port=source[1],
                     agent_address=agent if agent and agent != source[0] else "", security_name=security_name)


def _bind_error(cfg: TrapListenerConfig, err: OSError) -> ConfigError:
    where = f"{cfg.bind}:{cfg.port}"
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM):
        return ConfigError(f"trap listener: cannot listen on UDP {where}: ports below 1024 need root or the "
                           f"CAP_NET_BIND_SERVICE capability (e.g. setcap cap_net_bind_service=+ep on the Python "
                           f"binary, or AmbientCapabilities= in the systemd unit); or set traps.port to a port "
                           f"above 1023 and point the devices (or a firewall redirect) at it")
    if err.errno == errno.EADDRINUSE:
        return ConfigError(f"trap listener: UDP {where} is already in use (another trap receiver such as "
                           f"snmptrapd?); stop it or set traps.port to another port")
    if err.errno == errno.EADDRNOTAVAIL:
        return ConfigError(f"trap listener: {cfg.bind} is not an address of this computer; fix traps.bind")
    return ConfigError(f"trap listener: cannot listen on UDP {where}: {err.strerror or err}")


class TrapListener:
    """Receives traps while started; calls `on_trap(TrapEvent)` on the event loop's thread."""

    def __init__(self, cfg: TrapListenerConfig, on_trap: Callable[[TrapEvent], None]) -> None:
        self.cfg = cfg
        self.on_trap = on_trap
        self._engine: engine.SnmpEngine | None = None
        self._receiver: ntfrcv.NotificationReceiver | None = None
        self.address: tuple[str, int] | None = None

    def _socket(self) -> tuple[socket.socket, bool]:
        v6 = ":" in self.cfg.bind
        sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind((self.cfg.bind, self.cfg.port))
        except OSError as err:
            sock.close()
            raise _bind_error(self.cfg, err) from err
        sock.setblocking(False)
        return sock, v6

    async def start(self) -> tuple[str, int]:
        """Bind and start receiving; raises ConfigError (privileges, port in use) with what to do."""
        if not self.cfg.communities and not self.cfg.v3_users:
            raise ConfigError("trap listener: no community and no SNMPv3 user configured: every trap would be dropped")
        sock, v6 = self._socket()
        snmp = engine.SnmpEngine()
        transport = (udp6.Udp6AsyncioTransport() if v6 else udp.UdpAsyncioTransport()).open_server_mode(sock=sock)
        config.add_transport(snmp, (udp6 if v6 else udp).DOMAIN_NAME, transport)
        await transport._lport  # the datagram endpoint is created asynchronously
        for i, community in enumerate(self.cfg.communities):
            config.add_v1_system(snmp, f"trap-community-{i}", community)
        for user in self.cfg.v3_users:
            cred = user.credential
            config.add_v3_user(snmp, cred.user, _AUTH[cred.auth_protocol], cred.auth_key or None,
                               _PRIV[cred.priv_protocol], cred.priv_key or None,
                               securityEngineId=v2c.OctetString(hexValue=user.engine_id.removeprefix("0x")))
        self._receiver = ntfrcv.NotificationReceiver(snmp, self._received)
        self._engine = snmp
        self.address = sock.getsockname()[:2]
        log.info("trap listener on udp %s:%s", *self.address)
        return self.address

    def _received(self, snmp: engine.SnmpEngine, state_reference: object, context_engine_id: object,
                  context_name: object, varbinds: Sequence[tuple[object, object]], cb_ctx: object) -> None:
        try:
            _domain, source = snmp.message_dispatcher.get_transport_info(state_reference)
            ctx = snmp.observer.get_execution_context("rfc3412.receiveMessage:request")
            version = VERSIONS.get(int(ctx.get("messageProcessingModel", 1)), "2c")
            user = str(ctx.get("securityName", "")) if version == "3" else ""
            event = parse_varbinds(varbinds, source=(str(source[0]), int(source[1])), version=version,
                                   security_name=user)
        except Exception:
            log.exception("could not parse a trap")
            return
        try:
            self.on_trap(event)
        except Exception:  # a bug downstream must not kill the listener
            log.exception("trap handler failed for %s from %s", event.name, event.source_address)

    async def stop(self) -> None:
        """Stop receiving and close the socket (safe to call twice)."""
        snmp, self._engine = self._engine, None
        if snmp is None:
            return
        if self._receiver is not None:
            self._receiver.close(snmp)
        snmp.transport_dispatcher.close_dispatcher()
        await asyncio.sleep(0)

    async def __aenter__(self) -> TrapListener:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
