"""A generic JSON webhook (WhatsApp gateways, chat tools): POST the message and the alert's facts to a URL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from .channel import SendResult, network_kind


@dataclass(frozen=True)
class WebhookChannel:
    """Extra headers (an API key for the gateway) are secret-ish and kept out of repr."""

    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    timeout_s: float = 15.0
    name: str = "webhook"

    def body(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON document posted: stable keys a gateway template can use."""
        return {"source": "nocdesk", "kind": payload.get("kind"), "severity": payload.get("severity"),
                "alert_id": payload.get("alert_id"), "subject": payload.get("subject"),
                "summary": payload.get("summary"), "text": payload.get("text"), "lang": payload.get("lang"),
                "facts": payload.get("facts") or {}}

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult:
        """POST to URL `recipient`; any 2xx is success; never raises for network trouble."""
        if not recipient.startswith(("http://", "https://")):
            return SendResult.failed(_("notify.webhook.url '{url}' must start with http:// or https://")
                                     .format(url=recipient), permanent=True, kind="config")
        data = json.dumps(self.body(payload), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "nocdesk", **self.headers}
        request = urllib.request.Request(recipient, data=data, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s):
                return SendResult(True)
        except urllib.error.HTTPError as err:
            retry = err.headers.get("Retry-After") if err.headers else None
            return SendResult.failed(_("webhook {url} answered {code} {reason}").format(
                url=recipient, code=err.code, reason=err.reason),
                retry_after_s=int(retry) if retry and retry.isdigit() else None, kind="http", code=err.code)
        except (urllib.error.URLError, OSError, ValueError) as err:
            return SendResult.failed(_("cannot reach webhook {url}: {reason}").format(
                url=recipient, reason=getattr(err, "reason", err)), kind=network_kind(err))
