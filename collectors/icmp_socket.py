"""Asyncio ICMP echo over one socket per address family: the bulk-sweep engine behind collectors.icmp.

Why not ping3 (the project's ICMP package) here: its model is one blocking call per probe on a fresh
socket, so a sweep needs a thread per probe in flight and dead hosts hold those threads for the whole
timeout. Why not icmplib's async_multiping: it opens one raw socket per target, and every raw ICMP socket
receives a copy of every reply, so N targets cost N^2 copies and wake-ups; it also reports a probe the
kernel refused as packets_sent == 0 with packet_loss == 0.0. Here, as in fping, one socket per family
carries every probe; replies and ICMP errors are matched by identifier, sequence, source and a per-socket
cookie in the payload, and RTTs use the kernel's receive timestamp (SO_TIMESTAMPNS) so a busy event loop
does not inflate them.

Sockets are opened in the thread running the event loop, on first use: to probe from inside a network
namespace, run the loop in a thread that has entered it.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import struct
import time

from .icmp_model import TIMEOUT, Outcome, icmp_error_reason, is_local_failure, send_error_reason

_ECHO_REQUEST = {socket.AF_INET: 8, socket.AF_INET6: 128}
_ECHO_REPLY = {socket.AF_INET: 0, socket.AF_INET6: 129}
_IP_VERSION = {socket.AF_INET: 4, socket.AF_INET6: 6}
_PROTO = {socket.AF_INET: socket.IPPROTO_ICMP, socket.AF_INET6: socket.IPPROTO_ICMPV6}
_SOCK_TYPE = {"raw": socket.SOCK_RAW, "dgram": socket.SOCK_DGRAM}

# Linux values, for Pythons whose socket module does not export them.
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
_SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
_IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
_IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
_MSG_ERRQUEUE = getattr(socket, "MSG_ERRQUEUE", 0x2000)
_SOL_RAW, _ICMP_FILTER = 255, 1
_ICMP6_FILTER = 1
_SO_EE_ORIGIN_ICMP, _SO_EE_ORIGIN_ICMP6 = 2, 3

_PAYLOAD_BYTES = 56  # like ping(8): 64-byte ICMP messages
_COOKIE_BYTES = 8
_RCVBUF_BYTES = 4 << 20  # a /22 answering at once must not overflow the default ~208 KiB
_MAX_READS_PER_WAKEUP = 512
_SEND_RETRY_S = 0.001


def _checksum(data: bytes) -> int:
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _packed(family: int, host: str) -> bytes:
    """The address bytes of a sockaddr host string (an IPv6 zone like %eth0 dropped)."""
    return socket.inet_pton(family, host.split("%", 1)[0])


class Pacer:
    """Spaces sends at most `rate_pps` apart after a burst; each caller sleeps at most once (no herd)."""

    def __init__(self, rate_pps: float | None, *, burst: int = 64) -> None:
        self._gap_s = 1.0 / rate_pps if rate_pps else 0.0
        self._burst_s = burst * self._gap_s
        self._next_s = 0.0

    async def wait(self) -> None:
        """Reserve the next send slot and sleep until it comes."""
        if not self._gap_s:
            return
        now = time.monotonic()
        slot = max(self._next_s, now - self._burst_s)
        self._next_s = slot + self._gap_s
        if slot > now:
            await asyncio.sleep(slot - now)


class _Probe:
    __slots__ = ("target", "future", "sent_wall_ns", "sent_mono_ns", "timer")

    def __init__(self, target: bytes, future: asyncio.Future) -> None:
        self.target = target
        self.future = future
        self.sent_wall_ns = 0
        self.sent_mono_ns = 0
        self.timer: asyncio.TimerHandle | None = None


class _IcmpSocket:
    """One ICMP socket of one family; its probes in flight are keyed by sequence number."""

    def __init__(self, family: int, kind: str, loop: asyncio.AbstractEventLoop) -> None:
        self.family = family
        self.raw = kind == "raw"
        self.loop = loop
        self.sock = socket.socket(family, _SOCK_TYPE[kind], _PROTO[family])
        self.sock.setblocking(False)
        # Datagram ("ping") sockets get their identifier from the kernel, which also demultiplexes replies.
        self.ident = int.from_bytes(os.urandom(2), "big")
        self.cookie = os.urandom(_COOKIE_BYTES)
        self.pending: dict[int, _Probe] = {}
        self._seq = int.from_bytes(os.urandom(2), "big")
        try:
            self._configure()
            loop.add_reader(self.sock.fileno(), self._on_readable)
        except BaseException:
            self.sock.close()
            raise

    def _configure(self) -> None:
        sock = self.sock
        try:
            sock.setsockopt(socket.SOL_SOCKET, _SO_RCVBUFFORCE, _RCVBUF_BYTES)
        except OSError:  # not privileged: take what rmem_max allows
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RCVBUF_BYTES)
        sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        if self.raw and self.family == socket.AF_INET:
            # A raw socket sees every ICMP message the host receives: keep only replies and errors.
            keep = (1 << 0) | (1 << 3) | (1 << 11)
            sock.setsockopt(_SOL_RAW, _ICMP_FILTER, struct.pack("=I", ~keep & 0xFFFFFFFF))
        elif self.raw:
            words = [0xFFFFFFFF] * 8  # Linux: a set bit blocks that ICMPv6 type
            for icmp6_type in (1, 3, 129):
                words[icmp6_type >> 5] &= ~(1 << (icmp6_type & 31))
            sock.setsockopt(socket.IPPROTO_ICMPV6, _ICMP6_FILTER, struct.pack("=8I", *words))
        else:
            # Without RECVERR a datagram socket drops ICMP errors, so "host unreachable" would be a timeout.
            if self.family == socket.AF_INET:
                sock.setsockopt(socket.IPPROTO_IP, _IP_RECVERR, 1)
            else:
                sock.setsockopt(socket.IPPROTO_IPV6, _IPV6_RECVERR, 1)

    def close(self) -> None:
        """Stop reading, fail the probes still in flight as timeouts, and close the socket."""
        self.loop.remove_reader(self.sock.fileno())
        for seq in list(self.pending):
            self._finish(seq, TIMEOUT)
        self.sock.close()

    def _next_seq(self) -> int:
        for _ in range(0x10000):
            self._seq = (self._seq + 1) & 0xFFFF
            if self._seq not in self.pending:
                return self._seq
        raise RuntimeError("more than 65536 ICMP probes in flight on one socket; lower the sweep concurrency")

    def _packet(self, seq: int) -> bytes:
        payload = self.cookie + bytes(_PAYLOAD_BYTES - _COOKIE_BYTES)
        header = struct.pack("!BBHHH", _ECHO_REQUEST[self.family], 0, 0, self.ident, seq)
        if self.raw and self.family == socket.AF_INET:
            checksum = _checksum(header + payload)
            header = header[:2] + struct.pack("!H", checksum) + header[4:]
        # ICMPv6 raw sockets and all datagram sockets get the checksum from the kernel.
        return header + payload

    async def send(self, sockaddr: tuple, timeout_s: float) -> asyncio.Future:
        """Send one echo request; the returned future resolves to an Outcome (RTT ms or reason)."""
        future = self.loop.create_future()
        seq = self._next_seq()
        packet = self._packet(seq)
        probe = _Probe(_packed(self.family, sockaddr[0]), future)
        self.pending[seq] = probe
        give_up_s = time.monotonic() + timeout_s
        while True:
            probe.sent_wall_ns = time.time_ns()
            probe.sent_mono_ns = time.monotonic_ns()
            try:
                self.sock.sendto(packet, sockaddr)
                break
            except (BlockingIOError, InterruptedError):
                pass  # send buffer full: let replies drain and try again
            except OSError as exc:
                if exc.errno != errno.ENOBUFS:
                    self._finish(seq, send_error_reason(exc.errno))
                    return future
            if time.monotonic() >= give_up_s:
                self._finish(seq, send_error_reason(errno.ENOBUFS))
                return future
            await asyncio.sleep(_SEND_RETRY_S)
        probe.timer = self.loop.call_later(timeout_s, self._finish, seq, TIMEOUT)
        return future

    def _finish(self, seq: int, outcome: Outcome) -> None:
        probe = self.pending.pop(seq, None)
        if probe is None:
            return
        if probe.timer is not None:
            probe.timer.cancel()
        if not probe.future.done():
            probe.future.set_result(outcome)

    def _on_readable(self) -> None:
        for _ in range(_MAX_READS_PER_WAKEUP):
            try:
                data, ancdata, _flags, addr = self.sock.recvmsg(2048, 64)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                continue  # a datagram socket's pending error; the details wait in the error queue
            mono_ns = time.monotonic_ns()
            wall_ns = None
            for level, kind, cdata in ancdata:
                if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(cdata) >= 16:
                    sec, nsec = struct.unpack_from("@qq", cdata)
                    wall_ns = sec * 1_000_000_000 + nsec
            self._on_packet(data, addr, wall_ns, mono_ns)
        if not self.raw:
            self._drain_error_queue()

    def _on_packet(self, data: bytes, addr: tuple, wall_ns: int | None, mono_ns: int) -> None:
        if self.raw and self.family == socket.AF_INET:
            data = data[(data[0] & 0x0F) * 4 :] if data else data  # raw IPv4 sockets include the IP header
        if len(data) < 8:
            return
        icmp_type, icmp_code = data[0], data[1]
        if icmp_type == _ECHO_REPLY[self.family]:
            ident, seq = struct.unpack_from("!HH", data, 4)
            if (self.raw and ident != self.ident) or data[8 : 8 + _COOKIE_BYTES] != self.cookie:
                return  # someone else's ping
            probe = self.pending.get(seq)
            if probe is None or probe.target != _packed(self.family, addr[0]):
                return
            user_ns = mono_ns - probe.sent_mono_ns
            rtt_ns = user_ns
            if wall_ns is not None and 0 <= wall_ns - probe.sent_wall_ns <= user_ns:
                rtt_ns = wall_ns - probe.sent_wall_ns  # kernel receive time, unless the clock stepped
            self._finish(seq, rtt_ns / 1e6)
            return
        reason = icmp_error_reason(_IP_VERSION[self.family], icmp_type, icmp_code)
        if reason is not None and self.raw:
            self._on_icmp_error(data[8:], reason)

    def _on_icmp_error(self, inner: bytes, reason: str) -> None:
        """Match an ICMP error (raw sockets) to our probe through the quoted original packet."""
        if self.family == socket.AF_INET:
            if len(inner) < 20:
                return
            ihl = (inner[0] & 0x0F) * 4
            target, echo = inner[16:20], inner[ihl : ihl + 8]
        else:
            if len(inner) < 48 or inner[6] != socket.IPPROTO_ICMPV6:
                return
            target, echo = inner[24:40], inner[40:48]
        if len(echo) < 8 or echo[0] != _ECHO_REQUEST[self.family]:
            return
        ident, seq = struct.unpack_from("!HH", echo, 4)
        probe = self.pending.get(seq)
        if ident == self.ident and probe is not None and probe.target == target:
            self._finish(seq, reason)

    def _drain_error_queue(self) -> None:
        """Datagram sockets: ICMP errors arrive on the error queue with our echo header and its target."""
        level = socket.IPPROTO_IP if self.family == socket.AF_INET else socket.IPPROTO_IPV6
        kind = _IP_RECVERR if self.family == socket.AF_INET else _IPV6_RECVERR
        while True:
            try:
                data, ancdata, _flags, addr = self.sock.recvmsg(2048, 512, _MSG_ERRQUEUE)
            except OSError:  # EAGAIN: queue empty
                return
            reason = None
            for c_level, c_kind, cdata in ancdata:
                if c_level == level and c_kind == kind and len(cdata) >= 8:
                    ee_errno, origin, icmp_type, icmp_code = struct.unpack_from("=IBBB", cdata)
                    if origin in (_SO_EE_ORIGIN_ICMP, _SO_EE_ORIGIN_ICMP6):
                        reason = icmp_error_reason(_IP_VERSION[self.family], icmp_type, icmp_code)
                    reason = reason or send_error_reason(ee_errno)
            if reason is None or len(data) < 8 or not addr:
                continue
            seq = struct.unpack_from("!H", data, 6)[0]
            probe = self.pending.get(seq)
            if probe is not None and probe.target == _packed(self.family, addr[0]):
                self._finish(seq, reason)


class IcmpProber:
    """Probes many targets over shared ICMP sockets of one kind ("raw" or "dgram"), one socket per family."""

    def __init__(self, kind: str, *, max_rate_pps: float | None = None) -> None:
        if kind not in _SOCK_TYPE:
            raise ValueError(f"ICMP socket kind must be 'raw' or 'dgram', not {kind!r}")
        self.kind = kind
        self._pacer = Pacer(max_rate_pps)
        self._sockets: dict[int, _IcmpSocket] = {}

    def _socket(self, family: int) -> _IcmpSocket:
        if family not in self._sockets:
            self._sockets[family] = _IcmpSocket(family, self.kind, asyncio.get_running_loop())
        return self._sockets[family]

    async def probe(
        self, sockaddr: tuple, family: int, *, count: int, timeout_s: float, interval_s: float
    ) -> list[Outcome]:
        """Send `count` echo requests `interval_s` apart to one target; its outcomes in send order."""
        try:
            icmp = self._socket(family)
        except OSError as exc:
            return [send_error_reason(exc.errno)] * count
        loop = asyncio.get_running_loop()
        start_s = loop.time()
        futures: list[asyncio.Future] = []
        for index in range(count):
            if index:
                await asyncio.sleep(max(0.0, start_s + index * interval_s - loop.time()))
            await self._pacer.wait()
            future = await icmp.send(sockaddr, timeout_s)
            futures.append(future)
            if future.done() and is_local_failure(future.result()):
                # The kernel refused it (no route, prohibited): the rest of this check would be refused too.
                return [future.result()] * count
        return list(await asyncio.gather(*futures))

    def close(self) -> None:
        """Close every socket this prober opened."""
        for icmp in self._sockets.values():
            icmp.close()
        self._sockets.clear()
