"""Notification settings read from the store: channels, contacts, quiet hours, timing, language.

The channel keys are the flat ones of nocdesk.appsettings (notify.email.smtp_host, notify.telegram.chat_id…);
the extra keys alerting needs are in EXTRA_DEFAULTS. Secrets are never settings: `*_credential` keys name an
entry in the credential store. Bad values raise ConfigError naming the key and what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..appsettings import DEFAULTS as APP_DEFAULTS
from ..errors import ConfigError
from ..i18n import _, current_language
from ..store import Store

CHANNELS = ("email", "telegram", "webhook", "desktop")
SECURITY_ALIASES = {"starttls": "starttls", "ssl": "ssl", "tls": "ssl", "plain": "plain", "none": "plain", "": "plain"}
SEVERITIES = {"info": 0, "warning": 1, "critical": 2}

EXTRA_DEFAULTS: dict[str, Any] = {
    "notify.email.password_credential": "",    # credential-store name of the SMTP password
    "notify.email.ca_file": "",                # PEM bundle to trust a private/self-signed SMTP server
    "notify.email.timeout_s": 20,
    "notify.telegram.api_base": "https://api.telegram.org",  # or a self-hosted Bot API server
    "notify.telegram.token_credential": "",    # credential-store name of the bot token
    "notify.webhook.headers": {},              # e.g. {"Authorization": "Bearer …"} for a WhatsApp gateway
    "notify.contacts": [],                     # see Contact
    "notify.renotify_minutes": 30,             # repeat an unacknowledged critical alert; 0 = never
    "notify.escalate_after_minutes": 30,       # tell the escalation contacts; 0 = never
    "notify.language": "",                     # "id" / "en"; "" = ui.language, else the system's
    "notify.group_wait_s": 10,                 # hold a leaf device's alert this long in case its parent fails
    "notify.rate_limit_per_minute": {"email": 10, "telegram": 20, "webhook": 30, "desktop": 60},
    "notify.retry_base_s": 30,
    "notify.retry_max_s": 3600,
}


@dataclass(frozen=True)
class QuietHours:
    """A daily span in local time (may cross midnight) when a contact gets nothing but is told afterwards."""

    start_minute: int
    end_minute: int
    timezone: str = "Asia/Jakarta"

    @classmethod
    def parse(cls, text: str, timezone: str, *, who: str) -> QuietHours:
        try:
            start, end = (part.strip() for part in text.split("-"))
            minutes = [int(p.split(":")[0]) * 60 + int(p.split(":")[1]) for p in (start, end)]
            if not all(0 <= m < 1440 for m in minutes):
                raise ValueError
            ZoneInfo(timezone)
        except (ValueError, IndexError, ZoneInfoNotFoundError) as err:
            raise ConfigError(_("notify.contacts: quiet hours '{text}' of {who} are not like 22:00-06:00 in a "
                                "known time zone ({tz})").format(text=text, who=who, tz=timezone)) from err
        return cls(minutes[0], minutes[1], timezone)

    def _local(self, ts: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(ts, ZoneInfo(self.timezone))

    def active(self, ts: float) -> bool:
        local = self._local(ts)
        minute = local.hour * 60 + local.minute
        if self.start_minute <= self.end_minute:
            return self.start_minute <= minute < self.end_minute
        return minute >= self.start_minute or minute < self.end_minute

    def ends_after(self, ts: float) -> int:
        """The first moment at or after `ts` outside the quiet hours (epoch seconds)."""
        if not self.active(ts):
            return int(ts)
        local = self._local(ts)
        end = local.replace(hour=self.end_minute // 60, minute=self.end_minute % 60, second=0, microsecond=0)
        if end <= local:
            end += dt.timedelta(days=1)
        return int(end.timestamp())


@dataclass(frozen=True)
class Recipient:
    """One address on one channel: who it is, whether it is for escalations, its quiet hours and language."""

    channel: str
    address: str
    name: str = ""
    role: str = "primary"  # primary | escalation
    quiet: QuietHours | None = None
    language: str = ""


@dataclass(frozen=True)
class NotifySettings:
    """Everything alerting needs from the settings table, validated."""

    values: Mapping[str, Any]
    recipients: tuple[Recipient, ...] = ()
    language: str = "en"
    renotify_s: int = 1800
    escalate_s: int = 1800
    group_wait_s: int = 10
    min_severity: str = "critical"
    rate_per_minute: Mapping[str, int] = field(default_factory=dict)
    retry_base_s: int = 30
    retry_max_s: int = 3600

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def enabled(self, channel: str) -> bool:
        if channel == "desktop":
            return bool(self.values.get("notify.desktop"))
        return bool(self.values.get(f"notify.{channel}.enabled"))

    def for_role(self, role: str) -> list[Recipient]:
        return [r for r in self.recipients if r.role == role and self.enabled(r.channel)]

    def severity_passes(self, severity: str, channel: str) -> bool:
        """Remote channels get alerts at or above notify.min_severity; the desktop gets warnings too."""
        floor = "warning" if channel == "desktop" else self.min_severity
        return SEVERITIES.get(severity, 2) >= SEVERITIES.get(floor, 2)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v).strip() for v in value or [] if str(v).strip()]


def _int(values: Mapping[str, Any], key: str) -> int:
    try:
        number = int(values[key])
    except (TypeError, ValueError) as err:
        raise ConfigError(_("{key}: '{value}' is not a whole number").format(key=key, value=values[key])) from err
    if number < 0:
        raise ConfigError(_("{key}: must not be negative").format(key=key))
    return number


def _contacts(values: Mapping[str, Any]) -> list[Recipient]:
    out = []
    for i, contact in enumerate(values.get("notify.contacts") or []):
        if not isinstance(contact, Mapping):
            raise ConfigError(_("notify.contacts: entry {n} is not an object with name, email, telegram_chat_id")
                              .format(n=i + 1))
        name = str(contact.get("name") or f"#{i + 1}")
        role = str(contact.get("role") or "primary")
        if role not in ("primary", "escalation"):
            raise ConfigError(_("notify.contacts: role '{role}' of {who} must be primary or escalation")
                              .format(role=role, who=name))
        tz = str(contact.get("timezone") or values.get("ui.timezone") or "Asia/Jakarta")
        quiet = QuietHours.parse(contact["quiet_hours"], tz, who=name) if contact.get("quiet_hours") else None
        lang = str(contact.get("language") or "")
        if contact.get("email"):
            out.append(Recipient("email", str(contact["email"]).strip(), name, role, quiet, lang))
        if contact.get("telegram_chat_id"):
            out.append(Recipient("telegram", str(contact["telegram_chat_id"]).strip(), name, role, quiet, lang))
    return out


def parse_contacts(contacts: Any, *, timezone: str = "Asia/Jakarta") -> list[Recipient]:
    """Check a notify.contacts value as alerting will read it (a list of objects with name, email,
    telegram_chat_id, role, quiet_hours, timezone, language); ConfigError with the reason when it is wrong."""
    if not isinstance(contacts, list | tuple):
        raise ConfigError(_("notify.contacts: must be a list of contacts"))
    return _contacts({"notify.contacts": contacts, "ui.timezone": timezone})


def load_notify_settings(store: Store, *, overrides: Mapping[str, Any] | None = None) -> NotifySettings:
    """Read and check the notification settings (defaults for anything unset); `overrides` are values not saved
    yet (the settings dialog's "Send test" uses what is in the form)."""
    values: dict[str, Any] = {**APP_DEFAULTS, **EXTRA_DEFAULTS, **store.settings(), **(overrides or {})}
    security = str(values.get("notify.email.security") or "").lower()
    if security not in SECURITY_ALIASES:
        raise ConfigError(_("notify.email.security: '{value}' is unknown; use starttls, ssl or plain")
                          .format(value=security))
    values["notify.email.security"] = SECURITY_ALIASES[security]
    recipients = [Recipient("email", a) for a in _as_list(values.get("notify.email.to"))]
    if values.get("notify.telegram.chat_id"):
        recipients.append(Recipient("telegram", str(values["notify.telegram.chat_id"]).strip()))
    if values.get("notify.webhook.url"):
        recipients.append(Recipient("webhook", str(values["notify.webhook.url"]).strip()))
    recipients.append(Recipient("desktop", ""))
    seen = {(r.channel, r.address.lower()) for r in recipients}
    for r in _contacts(values):
        if (r.channel, r.address.lower()) not in seen or r.role == "escalation":
            recipients.append(r)
            seen.add((r.channel, r.address.lower()))
    lang = str(values.get("notify.language") or values.get("ui.language") or current_language() or "en")
    rates = {**EXTRA_DEFAULTS["notify.rate_limit_per_minute"], **(values.get("notify.rate_limit_per_minute") or {})}
    return NotifySettings(
        values=values, recipients=tuple(recipients), language=lang if lang in ("en", "id") else "en",
        renotify_s=_int(values, "notify.renotify_minutes") * 60,
        escalate_s=_int(values, "notify.escalate_after_minutes") * 60,
        group_wait_s=_int(values, "notify.group_wait_s"),
        min_severity=str(values.get("notify.min_severity") or "critical"),
        rate_per_minute={k: int(v) for k, v in rates.items()},
        retry_base_s=max(1, _int(values, "notify.retry_base_s")),
        retry_max_s=max(1, _int(values, "notify.retry_max_s")),
    )
