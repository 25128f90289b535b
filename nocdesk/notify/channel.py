"""What every delivery channel shares: the outcome of one send, as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send: ok, or why not and when it is worth trying again."""

    ok: bool
    error: str = ""
    retry_after_s: int | None = None  # the far end asked us to wait (HTTP 429, Telegram retry_after)
    permanent: bool = False           # retrying the same message can never work

    @classmethod
    def failed(cls, error: str, **kw: Any) -> SendResult:
        return cls(False, error, **kw)


class Channel(Protocol):
    """A configured channel; send() blocks (runs in a worker thread) and never raises for network trouble."""

    name: str

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult: ...
