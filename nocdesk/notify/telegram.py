"""Telegram: the Bot API's sendMessage to a chat id, at a configurable API base (for self-hosted Bot API servers)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from .channel import SendResult, network_kind

MAX_TEXT = 4096  # Bot API limit per message


@dataclass(frozen=True)
class TelegramChannel:
    """A bot (token kept out of repr) and where its API lives."""

    token: str = field(repr=False)
    api_base: str = "https://api.telegram.org"
    timeout_s: float = 15.0
    name: str = "telegram"

    def url(self) -> str:
        return f"{self.api_base.rstrip('/')}/bot{self.token}/sendMessage"

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult:
        """Post the message's text to chat `recipient`; never raises for network or API trouble."""
        if not self.token:
            return SendResult.failed(_("Telegram bot token is empty: store it and set notify.telegram.token_credential"),
                                     permanent=True, kind="config")
        text = str(payload.get("text") or payload.get("summary") or "")
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT - 1] + "…"
        body = json.dumps({"chat_id": recipient, "text": text, "disable_web_page_preview": True}).encode()
        request = urllib.request.Request(self.url(), data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        where = self.api_base
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            answer = _json(err.read())
            description = answer.get("description") or err.reason
            retry = (answer.get("parameters") or {}).get("retry_after")
            if err.code == 401:
                description = _("the bot token was refused; check the token credential")
            elif err.code in (400, 403) and "chat" in str(description).lower():
                description = _("{reason}; check notify.telegram.chat_id {chat} and that the bot is in that chat") \
                    .format(reason=description, chat=recipient)
            return SendResult.failed(_("Telegram ({where}) answered {code}: {reason}").format(
                where=where, code=err.code, reason=description), retry_after_s=int(retry) if retry else None,
                kind="http", code=err.code)
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            return SendResult.failed(_("cannot reach the Telegram API at {where}: {reason}").format(where=where,
                                                                                                  reason=reason),
                                     kind=network_kind(err))
        if not answer.get("ok", False):
            return SendResult.failed(_("Telegram ({where}) did not accept the message: {reason}").format(
                where=where, reason=answer.get("description", answer)))
        return SendResult(True)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}
