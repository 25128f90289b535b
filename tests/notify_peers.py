"""Real peers on loopback for notification tests: an aiosmtpd SMTP server (plain, STARTTLS, implicit TLS, AUTH,
refusing on demand) and an HTTP server standing in for the Telegram Bot API and for webhook endpoints.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1/localhost made with `cryptography`: (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: Message
    authenticated_as: str | None

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


@dataclass
class SmtpHandler:
    """Records every mail; `refuse` (e.g. '550 5.7.1 no' or '451 4.3.0 try later') makes DATA fail."""

    mails: list[Mail] = field(default_factory=list)
    refuse: str | None = None
    attempts: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.refuse:
            return self.refuse
        auth = getattr(session, "auth_data", None)
        user = auth.login.decode() if isinstance(auth, LoginPassword) else None
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message, user))
        return "250 OK"


@contextmanager
def smtp_server(*, starttls_cert: tuple[Path, Path] | None = None, implicit_tls_cert: tuple[Path, Path] | None = None,
                users: dict[str, str] | None = None, refuse: str | None = None) -> Iterator[tuple[SmtpHandler, int]]:
    """An aiosmtpd server on 127.0.0.1; yields (handler, port)."""
    import ssl

    handler = SmtpHandler(refuse=refuse)
    kwargs: dict[str, Any] = {}
    if starttls_cert or implicit_tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*(starttls_cert or implicit_tls_cert))
        if starttls_cert:
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    if users is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and users.get(auth_data.login.decode()) == auth_data.password.decode()
            return AuthResult(success=ok, handled=False, auth_data=auth_data)
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(starttls_cert))
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@dataclass
class HttpRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class HttpPeer:
    """A local HTTP server: records requests; `responder(request) -> (status, json_body)` decides answers."""

    port: int
    requests: list[HttpRequest]
    responder: Callable[[HttpRequest], tuple[int, Any]]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout_s: float = 10) -> list[HttpRequest]:
        deadline = time.monotonic() + timeout_s
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.requests)


def telegram_ok(request: HttpRequest) -> tuple[int, Any]:
    body = request.json() or {}
    return 200, {"ok": True, "result": {"message_id": 1, "chat": {"id": body.get("chat_id")}, "text": body.get("text")}}


@contextmanager
def http_server(responder: Callable[[HttpRequest], tuple[int, Any]] = telegram_ok) -> Iterator[HttpPeer]:
    """An HTTP server on 127.0.0.1 in a thread (stand-in for the Telegram Bot API or a webhook gateway)."""
    peer = HttpPeer(0, [], responder)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            length = int(self.headers.get("Content-Length") or 0)
            request = HttpRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
            peer.requests.append(request)
            status, body = peer.responder(request)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    peer.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()
