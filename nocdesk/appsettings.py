"""The user-editable settings kept in the store's `settings` table: their keys, defaults and validation.

One key per value (JSON), dotted by area, so the engine, notifiers, reports and the UI read the same names.
Secrets (SMTP password, Telegram bot token) are not settings: they live in the credential store.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

from .errors import ConfigError
from .i18n import _
from .store import Store

TIMEZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
LANGUAGES = ("", "en", "id")  # "" = follow the system

DEFAULTS: dict[str, Any] = {
    "polling.interval_s": 60,
    "polling.timeout_ms": 1000,
    "polling.ping_count": 3,
    "polling.down_after_failures": 2,
    "polling.snmp_credential": "",
    "polling.snmp_concurrency": 64,
    "polling.service_concurrency": 32,
    "retention.raw_days": 7,
    "retention.rollup_5m_days": 90,
    "retention.rollup_1h_days": 1825,
    "retention.events_days": 365,
    "notify.desktop": True,
    "notify.sound": False,
    "notify.email.enabled": False,
    "notify.email.smtp_host": "",
    "notify.email.smtp_port": 587,
    "notify.email.security": "starttls",  # none | starttls | tls
    "notify.email.user": "",
    "notify.email.from": "",
    "notify.email.to": "",  # comma separated
    "notify.email.password_credential": "",  # credential-store name of the SMTP password
    "notify.telegram.enabled": False,
    "notify.telegram.chat_id": "",
    "notify.telegram.token_credential": "",  # credential-store name of the bot token
    "notify.webhook.enabled": False,
    "notify.webhook.url": "",
    "notify.min_severity": "critical",
    "ui.language": "",
    "ui.timezone": "Asia/Jakarta",
    "ui.close_to_tray": True,
    "map.util_warn_pct": 50,  # link utilisation drawn amber from here
    "map.util_crit_pct": 80,  # and red from here
    "agency.parent": "",
    "agency.name": "",
    "agency.unit": "",
    "agency.address": "",
    "agency.logo_path": "",
    "report.city": "",
    "report.lang": "id",
    "report.auto_enabled": True,
    "report.out_dir": "",  # "" = <data dir>/reports
    "report.email_to": "",  # comma separated; sent through the notify.email.* SMTP settings
    "report.signer_head_name": "",
    "report.signer_head_position": "",
    "report.signer_head_rank": "",
    "report.signer_head_nip": "",
    "report.signer_preparer_name": "",
    "report.signer_preparer_position": "",
    "report.signer_preparer_rank": "",
    "report.signer_preparer_nip": "",
    "config_backup_interval_h": 24,
    "config_backup_at": "",  # "HH:MM" local time for one run a day; "" = every config_backup_interval_h
    "config_keep_versions": 0,  # 0 = keep all
    "config_backup_parallel": 10,
    "config_git_path": "",
    "config_git_redact": True,
    "discovery.allowed_ranges": [],
}


def get(store: Store, key: str) -> Any:
    """A setting's value, or its default."""
    return store.get_setting(key, DEFAULTS.get(key))


def load(store: Store) -> dict[str, Any]:
    """Every known setting (stored value or default), plus any other stored keys."""
    return DEFAULTS | store.settings()


def check(values: dict[str, Any]) -> list[str]:
    """Problems with settings about to be saved; empty when they are fine."""
    problems = []
    for key in ("polling.interval_s", "polling.timeout_ms", "polling.ping_count", "polling.down_after_failures",
                "retention.raw_days", "retention.rollup_5m_days", "retention.rollup_1h_days"):
        if key in values and (not isinstance(values[key], int) or values[key] < 1):
            problems.append(_("{key}: must be a whole number of at least 1").format(key=key))
    if values.get("polling.interval_s", 60) < 10:
        problems.append(_("polling.interval_s: at least 10 seconds"))
    if "ui.timezone" in values and values["ui.timezone"] not in TIMEZONES:
        problems.append(_("ui.timezone: choose one of {zones}").format(zones=", ".join(TIMEZONES)))
    if values.get("report.lang", "id") not in ("id", "en"):
        problems.append(_("report.lang: choose id or en"))
    for key in ("config_backup_interval_h", "config_keep_versions"):
        if key in values and (not isinstance(values[key], int) or values[key] < 0):
            problems.append(_("{key}: must be a whole number, 0 or more").format(key=key))
    for key in ("polling.snmp_concurrency", "polling.service_concurrency", "config_backup_parallel"):
        if key in values and (not isinstance(values[key], int) or not 1 <= values[key] <= 1000):
            problems.append(_("{key}: must be a whole number from 1 to 1000").format(key=key))
    warn, crit = values.get("map.util_warn_pct", 50), values.get("map.util_crit_pct", 80)
    if not (isinstance(warn, int | float) and isinstance(crit, int | float) and 0 < warn < crit <= 100):
        problems.append(_("map: the amber threshold must be below the red one (both 1–100 %)"))
    at = str(values.get("config_backup_at") or "")
    if at and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", at):
        problems.append(_("config_backup_at: a time like 02:30, or empty"))
    if "ui.language" in values and values["ui.language"] not in LANGUAGES:
        problems.append(_("ui.language: choose en or id"))
    url = values.get("notify.webhook.url", "")
    if values.get("notify.webhook.enabled") and not str(url).startswith(("http://", "https://")):
        problems.append(_("notify.webhook.url: must start with http:// or https://"))
    if values.get("notify.email.enabled") and not values.get("notify.email.smtp_host"):
        problems.append(_("notify.email.smtp_host: needed when e-mail is on"))
    for cidr in values.get("discovery.allowed_ranges", []):
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            problems.append(_("discovery.allowed_ranges: '{cidr}' is not a CIDR range like 10.10.0.0/24")
                            .format(cidr=cidr))
    return problems


def save(store: Store, values: dict[str, Any]) -> None:
    """Validate and store several settings in one transaction; ConfigError lists every problem."""
    problems = check(values)
    if problems:
        raise ConfigError("; ".join(problems))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in values.items()])
