"""The delivery worker: every few seconds it sends what is due in the queue, each channel on its own.

The engine runs `Dispatcher.run(stop)` as an asyncio task. Database work happens on the loop's thread; each
send runs in a worker thread with a deadline, and each channel drains in its own task, so a hanging SMTP
server never delays Telegram, and no channel ever blocks the engine. A rate limit per channel turns a storm
into one digest per recipient instead of dropping anything. `send_test` sends a channel's test message now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, CredentialError
from ..i18n import _
from ..store import Store
from . import messages, queue
from .channel import Channel, SendResult
from .desktop import expire_desktop
from .email import EmailChannel
from .settings import NotifySettings, load_notify_settings
from .telegram import TelegramChannel
from .webhook import WebhookChannel

log = logging.getLogger(__name__)

SecretReader = Callable[[str], str]
REMOTE_CHANNELS = ("email", "telegram", "webhook")
RATE_WINDOW_S = 60
DIGEST_MAX = 100


@dataclass(frozen=True)
class _Broken:
    """A channel whose configuration cannot work (missing secret…): every send fails with the reason."""

    name: str
    reason: str

    def send(self, recipient: str, payload: Mapping[str, Any]) -> SendResult:
        return SendResult.failed(self.reason, kind="config")


def build_channel(name: str, settings: NotifySettings, secret: SecretReader) -> Channel:
    """The sender for channel `name` as configured now."""
    v = settings.values
    try:
        if name == "email":
            password = secret(v["notify.email.password_credential"]) if v.get("notify.email.password_credential") else ""
            return EmailChannel(host=str(v.get("notify.email.smtp_host") or ""), port=int(v["notify.email.smtp_port"]),
                                security=str(v["notify.email.security"]), username=str(v.get("notify.email.user") or ""),
                                password=password, sender=str(v.get("notify.email.from") or ""),
                                ca_file=str(v.get("notify.email.ca_file") or ""),
                                timeout_s=float(v.get("notify.email.timeout_s") or 20))
        if name == "telegram":
            return TelegramChannel(token=secret(str(v.get("notify.telegram.token_credential") or "")),
                                   api_base=str(v.get("notify.telegram.api_base") or "https://api.telegram.org"))
        if name == "webhook":
            return WebhookChannel(headers={str(k): str(x) for k, x in (v.get("notify.webhook.headers") or {}).items()})
    except CredentialError as err:
        return _Broken(name, str(err))
    raise ConfigError(_("unknown notification channel '{name}': use email, telegram, webhook or desktop")
                      .format(name=name))


class RateLimiter:
    """At most `per_minute` sends per channel in any 60 s (counted in this process)."""

    def __init__(self) -> None:
        self._sent: dict[str, deque[float]] = {}

    def _window(self, channel: str, now: float) -> deque[float]:
        stamps = self._sent.setdefault(channel, deque())
        while stamps and stamps[0] <= now - RATE_WINDOW_S:
            stamps.popleft()
        return stamps

    def remaining(self, channel: str, now: float, per_minute: int) -> int:
        return 1_000_000 if per_minute <= 0 else max(0, per_minute - len(self._window(channel, now)))

    def next_free(self, channel: str, now: float) -> int:
        stamps = self._window(channel, now)
        return int(stamps[0] + RATE_WINDOW_S) + 1 if stamps else int(now)

    def note(self, channel: str, now: float) -> None:
        self._window(channel, now).append(now)


@dataclass
class _Batch:
    recipient: str
    items: list[queue.Delivery]
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class DispatchStats:
    """What one pass did, per channel: sent, failed, deferred, dropped."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, channel: str, n: int = 1) -> None:
        bucket = self.sent if kind == "sent" else self.failed
        bucket[channel] = bucket.get(channel, 0) + n


class Dispatcher:
    """Drains the delivery queue; give it the alert manager to also run re-notification and escalation."""

    def __init__(self, store: Store, *, alerts: Any = None, secrets: SecretReader | None = None,
                 clock: Callable[[], float] = time.time, tick_s: float = 2.0, send_timeout_s: float = 60.0,
                 channels: Mapping[str, Channel] | None = None) -> None:
        self.store = store
        self.alerts = alerts
        self.clock = clock
        self.tick_s = tick_s
        self.send_timeout_s = send_timeout_s
        self.limiter = RateLimiter()
        self._secrets = secrets or self._store_secret
        self._fixed_channels = dict(channels or {})
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def _store_secret(self, name: str) -> str:
        from .secrets import read_secret

        return read_secret(self.store, name)

    def settings(self) -> NotifySettings:
        return load_notify_settings(self.store)

    def channel(self, name: str, settings: NotifySettings) -> Channel:
        return self._fixed_channels.get(name) or build_channel(name, settings, self._secrets)

    # -- planning (database thread) ---------------------------------------------------------------------
    def _plan(self, name: str, now: int, settings: NotifySettings) -> list[_Batch]:
        items = queue.due(self.store, now=now, channel=name, limit=1000)
        if not items:
            return []
        if not settings.enabled(name):
            queue.drop(self.store, [d.id for d in items], reason=f"channel {name} is switched off")
            return []
        items = self._drop_pointless(items)
        allowed = self.limiter.remaining(name, now, settings.rate_per_minute.get(name, 0))
        if len(items) <= allowed:
            return [_Batch(d.recipient, [d], d.payload) for d in items]
        by_recipient: dict[str, list[queue.Delivery]] = {}
        for d in items:
            by_recipient.setdefault(d.recipient, []).append(d)
        batches, held = [], []
        for recipient, group in by_recipient.items():
            if len(batches) < allowed:
                batches.append(self._digest(recipient, group[:DIGEST_MAX], settings))
                held += group[DIGEST_MAX:]
            else:
                held += group
        if held:
            queue.defer(self.store, [d.id for d in held], until=self.limiter.next_free(name, now),
                        reason=_("held back by the rate limit of {channel}").format(channel=name))
        return batches

    def _digest(self, recipient: str, group: list[queue.Delivery], settings: NotifySettings) -> _Batch:
        if len(group) == 1:
            return _Batch(recipient, group, group[0].payload)
        lang = str(group[0].payload.get("lang") or settings.language)
        msg = messages.digest([d.payload for d in group], lang)
        severity = "critical" if any(d.payload.get("severity") == "critical" for d in group) else "warning"
        return _Batch(recipient, group, msg.payload("digest", severity=severity))

    def _drop_pointless(self, items: list[queue.Delivery]) -> list[queue.Delivery]:
        """Skip what is moot (a problem folded into a root cause, or resolved while quiet hours held it back) and
        what must wait for an earlier message of the same alert to the same recipient (a recovery never
        overtakes its problem)."""
        keep = []
        for d in items:
            row = self.store.conn.execute("SELECT status, root_alert_id FROM alerts WHERE id = ?",
                                          (d.alert_id,)).fetchone() if d.alert_id else None
            problem = d.payload.get("kind") in ("problem", "update", "reminder", "escalation")
            if row is not None and problem and row["root_alert_id"] is not None:
                queue.drop(self.store, [d.id], reason=f"folded into root alert #{row['root_alert_id']}")
            elif row is not None and problem and row["status"] == "resolved" and d.payload.get("quiet_until"):
                queue.drop(self.store, [d.id], reason="resolved during the recipient's quiet hours")
            elif d.alert_id and self.store.conn.execute(
                    "SELECT 1 FROM deliveries WHERE alert_id = ? AND channel = ? AND recipient = ? AND status = 'queued' "
                    "AND id < ? LIMIT 1", (d.alert_id, d.channel, d.recipient, d.id)).fetchone():
                continue  # an earlier message of the same alert is still waiting (retrying): keep their order
            else:
                keep.append(d)
        return keep

    def _record(self, name: str, batch: _Batch, result: SendResult, now: int, settings: NotifySettings,
                stats: DispatchStats) -> None:
        ids = [d.id for d in batch.items]
        if result.ok:
            queue.mark_sent(self.store, ids, now=now)
            stats.add("sent", name, len(ids))
        else:
            queue.mark_failed(self.store, ids, error=result.error, now=now, base_s=settings.retry_base_s,
                              max_s=settings.retry_max_s, retry_after_s=result.retry_after_s)
            stats.add("failed", name, len(ids))
            log.warning("%s delivery to %s failed: %s", name, batch.recipient, result.error)

    def _safe_send(self, channel: Channel, batch: _Batch) -> SendResult:
        try:
            return channel.send(batch.recipient, batch.payload)
        except Exception as err:  # a bug in a sender must not stop the others
            log.exception("sender %s crashed", getattr(channel, "name", "?"))
            return SendResult.failed(f"internal error: {err!r}")

    # -- synchronous pass (CLI, tests) --------------------------------------------------------------------
    def run_once(self, now: float | None = None) -> DispatchStats:
        """Send everything due now, channel after channel (one failing channel does not stop the next)."""
        now_i = int(now if now is not None else self.clock())
        stats = DispatchStats()
        settings = self.settings()
        if self.alerts is not None:
            self.alerts.tick(now_i)
        expire_desktop(self.store, now=now_i)
        for name in queue.queued_channels(self.store, now=now_i):
            if name not in REMOTE_CHANNELS:
                continue
            channel = self.channel(name, settings)
            for batch in self._plan(name, now_i, settings):
                self.limiter.note(name, now_i)
                self._record(name, batch, self._safe_send(channel, batch), now_i, settings, stats)
        return stats

    # -- the engine's task ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Loop until `stop` is set: tick the alert manager, start a drain task per channel with work."""
        stop = stop or asyncio.Event()
        try:
            while not stop.is_set():
                self._tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.tick_s)
        finally:
            for task in self._tasks.values():
                task.cancel()
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def _tick(self) -> None:
        now = int(self.clock())
        try:
            if self.alerts is not None:
                self.alerts.tick(now)
            settings = self.settings()
            expire_desktop(self.store, now=now)
            channels = queue.queued_channels(self.store, now=now)
        except Exception:
            log.exception("notification tick failed")
            return
        for name in channels:
            task = self._tasks.get(name)
            if name in REMOTE_CHANNELS and (task is None or task.done()):
                self._tasks[name] = asyncio.get_running_loop().create_task(self._drain(name, now, settings))

    async def _drain(self, name: str, now: int, settings: NotifySettings) -> None:
        stats = DispatchStats()
        try:
            channel = self.channel(name, settings)
            for batch in self._plan(name, now, settings):
                self.limiter.note(name, now)
                try:
                    result = await asyncio.wait_for(asyncio.to_thread(self._safe_send, channel, batch),
                                                    self.send_timeout_s)
                except TimeoutError:
                    result = SendResult.failed(_("{channel}: no answer within {seconds} s").format(
                        channel=name, seconds=int(self.send_timeout_s)))
                self._record(name, batch, result, int(self.clock()), settings, stats)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("draining %s failed", name)

    # -- "Send test" -----------------------------------------------------------------------------------------
    def send_test(self, name: str, *, overrides: Mapping[str, Any] | None = None,
                  secrets: Mapping[str, str] | None = None) -> list[tuple[str, SendResult]]:
        """Send the test message on one channel to each of its recipients now; logged as deliveries.

        `overrides` are settings not saved yet and `secrets` secrets by credential name not stored yet (the
        settings dialog tests what is in its form); anything else comes from the store."""
        settings = load_notify_settings(self.store, overrides=overrides)
        now = int(self.clock())
        recipients = [r for r in settings.recipients if r.channel == name]
        if name not in (*REMOTE_CHANNELS, "desktop"):
            raise ConfigError(_("unknown notification channel '{name}': use email, telegram, webhook or desktop")
                              .format(name=name))
        if not recipients or (name != "desktop" and not any(r.address for r in recipients)):
            raise ConfigError(_("channel {channel} has no recipient configured (see the notify.{channel}.* settings)")
                              .format(channel=name))
        results = []
        for r in recipients:
            payload = messages.test_message(name, r.language or settings.language).payload("test", severity="info")
            ident = queue.enqueue(self.store, channel=name, recipient=r.address, payload=payload, now=now)
            if name == "desktop":
                results.append((r.address, SendResult(True)))
                continue
            result = self._safe_send(self._test_channel(name, settings, secrets or {}), _Batch(r.address, [], payload))
            if result.ok:
                queue.mark_sent(self.store, [ident], now=now)
            else:
                queue.mark_failed(self.store, [ident], error=result.error, now=now, permanent=True)
            results.append((r.address, result))
        return results

    def _test_channel(self, name: str, settings: NotifySettings, secrets: Mapping[str, str]) -> Channel:
        if name in self._fixed_channels:
            return self._fixed_channels[name]
        return build_channel(name, settings, lambda key: secrets[key] if secrets.get(key) else self._secrets(key))


def send_test(store: Store, channel: str, *, overrides: Mapping[str, Any] | None = None,
              secrets: Mapping[str, str] | None = None) -> list[tuple[str, SendResult]]:
    """`nocdesk notify test` and the settings dialog's "Send test": the test message on `channel`, now."""
    return Dispatcher(store).send_test(channel, overrides=overrides, secrets=secrets)
