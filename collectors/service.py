"""Service checks: a TCP port accepts connections; an HTTP(S) URL answers, fast, with a keyword, and a valid cert.

    await check_tcp(host, port, timeout_s=5)        -> TcpResult
    await check_http(url, keyword=..., timeout_s=10) -> HttpResult

HTTP is spoken directly over asyncio streams (HTTP/1.1 GET, Connection: close, no redirects followed), so a
check needs nothing beyond the standard library. For HTTPS the certificate's days left are read even when the
certificate is self-signed (usual on intranet devices); `verify_tls=True` also demands a trusted chain.
Expected failures are data (ok=False with a reason); only bad arguments raise ConfigError.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from nocdesk.errors import ConfigError

DEFAULT_TIMEOUT_S = 10.0
MAX_BODY_BYTES = 1 << 20  # enough to find a keyword; a bigger body is read no further
USER_AGENT = "nocdesk-service-check/1"


@dataclass(frozen=True)
class TcpResult:
    """Whether host:port accepted a TCP connection, and how long the handshake took."""

    host: str
    port: int
    ok: bool
    connect_ms: float | None
    reason: str = ""


@dataclass(frozen=True)
class HttpResult:
    """One HTTP(S) check. ok: a 2xx/3xx status, the keyword present (when asked), TLS acceptable."""

    url: str
    ok: bool
    status: int | None
    response_ms: float | None       # request sent to the end of the body (or the read limit)
    keyword_found: bool | None      # None when no keyword was asked for
    cert_days_left: float | None    # HTTPS only: days until the server certificate's notAfter
    cert_not_after: int | None      # epoch seconds
    reason: str = ""


def _describe_oserror(err: OSError) -> str:
    if isinstance(err, socket.gaierror):
        return "unknown host"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, ConnectionResetError):
        return "connection reset"
    text = (err.strerror or str(err) or type(err).__name__).lower()
    return text


async def check_tcp(host: str, port: int, *, timeout_s: float = 5.0) -> TcpResult:
    """Open (and close) a TCP connection to host:port."""
    if not 0 < int(port) < 65536:
        raise ConfigError(f"TCP check {host}: port: {port} is not a TCP port (1-65535)")
    start = time.perf_counter()
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
    except asyncio.TimeoutError:
        return TcpResult(host, port, False, None, f"timeout after {timeout_s:g} s")
    except OSError as err:
        return TcpResult(host, port, False, None, _describe_oserror(err))
    elapsed_ms = (time.perf_counter() - start) * 1000
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 1.0)
    except (OSError, asyncio.TimeoutError):
        pass
    return TcpResult(host, port, True, round(elapsed_ms, 3))


def _cert_not_after(der: bytes | None) -> int | None:
    if not der:
        return None
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    after = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after.replace(tzinfo=None)
    if after.tzinfo is None:
        import datetime as dt

        after = after.replace(tzinfo=dt.timezone.utc)
    return int(after.timestamp())


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], limit: int) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while len(body) < limit:
            size_line = await reader.readline()
            try:
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
            except ValueError:
                break
            if size == 0:
                break
            body += await reader.readexactly(size)
            await reader.readline()
        return bytes(body[:limit])
    length = headers.get("content-length")
    if length is not None and length.isdigit():
        return await reader.readexactly(min(int(length), limit))
    body = bytearray()
    while len(body) < limit:
        chunk = await reader.read(65536)
        if not chunk:
            break
        body += chunk
    return bytes(body[:limit])


def _split_url(url: str) -> tuple[str, str, int, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"HTTP check: url: {url!r} must start with http:// or https:// and name a host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname and parts.port is None:
        host_header = f"[{parts.hostname}]"
    return parts.scheme, parts.hostname, port, path, host_header


async def check_http(url: str, *, keyword: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                     verify_tls: bool = False, max_body_bytes: int = MAX_BODY_BYTES) -> HttpResult:
    """GET `url`; ok when the status is below 400, the keyword (case-insensitive) appears in the body and,
    with verify_tls, the certificate chain is trusted. The whole check is bounded by timeout_s."""
    scheme, host, port, path, host_header = _split_url(url)
    context: ssl.SSLContext | None = None
    if scheme == "https":
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    state: dict[str, object] = {}

    async def run() -> HttpResult:
        start = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, port, ssl=context,
                                                       server_hostname=host if context else None)
        try:
            not_after = None
            if context is not None:
                ssl_object = writer.get_extra_info("ssl_object")
                not_after = _cert_not_after(ssl_object.getpeercert(binary_form=True) if ssl_object else None)
                state["not_after"] = not_after
            request = (f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {USER_AGENT}\r\n"
                       "Accept: */*\r\nConnection: close\r\n\r\n")
            writer.write(request.encode("latin-1"))
            await writer.drain()
            status_line = await reader.readline()
            fields = status_line.decode("latin-1").split(None, 2)
            if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
                return _http(url, False, None, start, None, not_after, "not an HTTP response")
            status = int(fields[1])
            headers: dict[str, str] = {}
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await _read_body(reader, headers, max_body_bytes)
            found = None
            if keyword:
                found = keyword.lower() in body.decode("utf-8", errors="replace").lower()
            if status >= 400:
                return _http(url, False, status, start, found, not_after, f"HTTP {status}")
            if keyword and not found:
                return _http(url, False, status, start, found, not_after, f"keyword '{keyword}' not found")
            return _http(url, True, status, start, found, not_after, "")
        finally:
            writer.close()

    try:
        return await asyncio.wait_for(run(), timeout_s)
    except asyncio.TimeoutError:
        return _failed(url, f"timeout after {timeout_s:g} s", state)
    except ssl.SSLCertVerificationError as err:
        return _failed(url, f"TLS certificate not trusted: {err.verify_message}", state)
    except ssl.SSLError as err:
        return _failed(url, f"TLS handshake failed: {err.reason or err}", state)
    except asyncio.IncompleteReadError:
        return _failed(url, "connection closed before the response was complete", state)
    except OSError as err:
        return _failed(url, _describe_oserror(err), state)


def _days_left(not_after: int | None) -> float | None:
    return round((not_after - time.time()) / 86400, 2) if not_after is not None else None


def _http(url: str, ok: bool, status: int | None, start: float, found: bool | None, not_after: int | None,
          reason: str) -> HttpResult:
    elapsed_ms = round((time.perf_counter() - start) * 1000, 3)
    return HttpResult(url, ok, status, elapsed_ms, found, _days_left(not_after), not_after, reason)


def _failed(url: str, reason: str, state: dict[str, object]) -> HttpResult:
    not_after = state.get("not_after")
    not_after = not_after if isinstance(not_after, int) else None
    return HttpResult(url, False, None, None, None, _days_left(not_after), not_after, reason)
