"""TCP and HTTP(S) service checks (nocdesk.collectors.service) against real local servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from nocdesk.collectors.service import check_http, check_tcp
from nocdesk.errors import ConfigError

PAGE = b"<html><body><h1>SIMPEG Kabupaten</h1>Silakan login</body></html>"


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    request = await reader.readuntil(b"\r\n\r\n")
    path = request.split(b" ")[1].decode()
    if path == "/slow":
        await asyncio.sleep(5)
    if path == "/error":
        head, body = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n", b"oops!"
    elif path == "/chunked":
        head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (PAGE[:20], PAGE[20:])) + b"0\r\n\r\n"
    else:
        head, body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n" % len(PAGE), PAGE
    writer.write(head + b"Connection: close\r\n\r\n" + body)
    await writer.drain()
    writer.close()


def serve(scenario: Callable[[int], Awaitable[None]], *, tls: ssl.SSLContext | None = None) -> None:
    """Run `scenario(port)` while a small HTTP server listens on 127.0.0.1."""
    async def main() -> None:
        server = await asyncio.start_server(_handle, "127.0.0.1", 0, ssl=tls)
        port = server.sockets[0].getsockname()[1]
        try:
            await scenario(port)
        finally:
            server.close()
    asyncio.run(main())


def test_http_200_with_keyword_found() -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"http://127.0.0.1:{port}/", keyword="silakan LOGIN", timeout_s=5)
        assert (r.ok, r.status, r.keyword_found, r.reason, r.cert_days_left) == (True, 200, True, "", None)
        assert r.response_ms is not None and 0 < r.response_ms < 2000
    serve(scenario)


def test_http_chunked_body_is_searched_too() -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"http://127.0.0.1:{port}/chunked", keyword="Silakan login", timeout_s=5)
        assert r.ok and r.keyword_found
    serve(scenario)


def test_http_500_is_a_failure_with_the_status() -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"http://127.0.0.1:{port}/error", timeout_s=5)
        assert (r.ok, r.status, r.reason) == (False, 500, "HTTP 500")
    serve(scenario)


def test_http_keyword_missing_is_a_failure() -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"http://127.0.0.1:{port}/", keyword="Maintenance", timeout_s=5)
        assert (r.ok, r.status, r.keyword_found) == (False, 200, False)
        assert r.reason == "keyword 'Maintenance' not found"
    serve(scenario)


def test_http_timeout_is_bounded() -> None:
    async def scenario(port: int) -> None:
        start = time.monotonic()
        r = await check_http(f"http://127.0.0.1:{port}/slow", timeout_s=0.5)
        assert time.monotonic() - start < 2
        assert (r.ok, r.status, r.reason) == (False, None, "timeout after 0.5 s")
    serve(scenario)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when we return: nothing listens there


def test_tcp_open_and_closed_ports() -> None:
    async def scenario(port: int) -> None:
        ok = await check_tcp("127.0.0.1", port, timeout_s=2)
        assert ok.ok and ok.connect_ms is not None and ok.reason == ""
        closed = await check_tcp("127.0.0.1", _closed_port(), timeout_s=2)
        assert (closed.ok, closed.connect_ms, closed.reason) == (False, None, "connection refused")
        http = await check_http(f"http://127.0.0.1:{_closed_port()}/", timeout_s=2)
        assert (http.ok, http.reason) == (False, "connection refused")
    serve(scenario)


def test_bad_arguments_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="url"):
        asyncio.run(check_http("ftp://198.18.0.1/"))
    with pytest.raises(ConfigError, match="port"):
        asyncio.run(check_tcp("127.0.0.1", 70000))


def _self_signed(tmp_path: Path, days: int) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "simpeg.pemda.test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_https_reports_days_left_on_a_self_signed_certificate(tmp_path: Path) -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"https://127.0.0.1:{port}/", keyword="SIMPEG", timeout_s=5)
        assert r.ok and r.status == 200
        assert r.cert_days_left == pytest.approx(30, abs=0.05)
        assert r.cert_not_after is not None and abs(r.cert_not_after - (time.time() + 30 * 86400)) < 120
        strict = await check_http(f"https://127.0.0.1:{port}/", timeout_s=5, verify_tls=True)
        assert not strict.ok and strict.reason.startswith("TLS certificate not trusted")
    serve(scenario, tls=_self_signed(tmp_path, 30))


def test_https_expired_certificate_shows_negative_days(tmp_path: Path) -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"https://127.0.0.1:{port}/", timeout_s=5)
        assert r.ok and r.cert_days_left is not None and -0.05 < r.cert_days_left < 0.05
    serve(scenario, tls=_self_signed(tmp_path, 0))


def test_plain_http_to_a_tls_port_fails_cleanly(tmp_path: Path) -> None:
    async def scenario(port: int) -> None:
        r = await check_http(f"http://127.0.0.1:{port}/", timeout_s=2)
        assert not r.ok and r.reason
    serve(scenario, tls=_self_signed(tmp_path, 30))
