"""What every delivery channel shares: the outcome of one send, as data, and its reason in a few words."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..i18n import _


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send: ok, or why not and when it is worth trying again."""

    ok: bool
    error: str = ""
    retry_after_s: int | None = None  # the far end asked us to wait (HTTP 429, Telegram retry_after)
    permanent: bool = False           # retrying the same message can never work
    kind: str = ""                    # auth | tls | timeout | refused | connect | http | config ("" = other)
    code: int | None = None           # the server's status code (SMTP reply or HTTP status) when there was one

    @classmethod
    def failed(cls, error: str, **kw: Any) -> SendResult:
        return cls(False, error, **kw)


class Channel(Protocol):
    """A configured channel; send() blocks (runs in a worker thread) and never raises for network trouble."""

    name: str

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult: ...


def describe(result: SendResult) -> str:
    """The outcome in a few words for a "Send test" result: 'delivered', 'authentication failed', 'HTTP 401'…"""
    if result.ok:
        return _("delivered")
    if result.kind == "http" and result.code is not None:
        return _("HTTP {code}").format(code=result.code)
    words = {"auth": _("authentication failed"), "tls": _("TLS error"), "timeout": _("no answer (timeout)"),
             "refused": _("the server refused the message"), "connect": _("cannot connect"),
             "connection_refused": _("connection refused"), "config": _("not configured")}
    return words.get(result.kind, _("failed"))


def network_kind(err: Exception) -> str:
    """connection_refused / timeout / tls / connect for a urllib or socket failure (for the test button's words)."""
    reason = getattr(err, "reason", err)
    if isinstance(reason, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timeout"
    if isinstance(reason, ssl.SSLError):
        return "tls"
    return "connect" if isinstance(reason, OSError) else ""
