"""How the app writes times, durations, rates and percentages: in the chosen zone (WIB/WITA/WIT) and language.

`configure()` is called at start-up and when settings change; the functions read that module state so
models and widgets stay free of settings plumbing.
"""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from nocdesk import locale_format as lf

_zone = ZoneInfo("Asia/Jakarta")
_lang = "en"
DASH = lf.DASH


def configure(*, timezone: str | None = None, language: str | None = None) -> None:
    """Set the display zone and language."""
    global _zone, _lang
    if timezone:
        _zone = ZoneInfo(timezone)
    if language:
        _lang = language


def zone() -> ZoneInfo:
    return _zone


def language() -> str:
    return _lang


def utc_offset_s(ts: float | None = None) -> int:
    """Seconds the display zone is ahead of UTC (25200 for WIB)."""
    when = datetime.fromtimestamp(ts if ts is not None else time.time(), _zone)
    off = when.utcoffset()
    return int(off.total_seconds()) if off else 0


def dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, _zone)


def when(ts: float | None, *, seconds: bool = False, zone_name: bool = False) -> str:
    """'23 Nov 2026 14.05' in the display zone; '—' for None."""
    return lf.format_datetime(dt(ts), _lang, zone=zone_name, seconds=seconds)


def clock(ts: float | None) -> str:
    """'14.05.09' (id) / '14:05:09' (en)."""
    value = dt(ts)
    return DASH if value is None else lf.format_time(value, _lang, seconds=True)


def ago(ts: float | None, now: float | None = None) -> str:
    """'3 min ago' style age of a timestamp."""
    if ts is None:
        return DASH
    secs = max(0, int((now or time.time()) - ts))
    if secs < 60:
        n, unit = secs, QCoreApplication.translate("fmt", "s")
    elif secs < 3600:
        n, unit = secs // 60, QCoreApplication.translate("fmt", "min")
    elif secs < 86400 * 2:
        n, unit = secs // 3600, QCoreApplication.translate("fmt", "h")
    else:
        n, unit = secs // 86400, QCoreApplication.translate("fmt", "d")
    return QCoreApplication.translate("fmt", "{n} {unit} ago").format(n=n, unit=unit)


def duration(seconds: float | None) -> str:
    return lf.format_duration(seconds, _lang)


def number(value: float | None, decimals: int = 0) -> str:
    return lf.format_number(value, _lang, decimals)


def percent(value: float | None, decimals: int = 2) -> str:
    return lf.format_percent(value, _lang, decimals)


def ms(value: float | None) -> str:
    return DASH if value is None else f"{lf.format_number(value, _lang, 1 if value < 100 else 0)} ms"


def bps(value: float | None) -> str:
    return lf.format_bits_per_second(value, _lang)


def speed(value: float | None) -> str:
    if not value:
        return DASH
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{lf.format_number(value / scale, _lang, 0 if value % scale == 0 else 1)} {unit}bit/s"
    return f"{int(value)} bit/s"


def value_with_unit(value: float | None, unit: str) -> str:
    """A sensor value with its unit, bit rates scaled."""
    if value is None:
        return DASH
    if unit in ("bit/s", "bps"):
        return bps(value)
    if unit == "%":
        return percent(value, 1)
    if unit == "ms":
        return ms(value)
    return f"{lf.format_number(value, _lang, 2 if abs(value) < 100 else 0)} {unit}".strip()


def state_name(state: str) -> str:
    """A state as the user reads it."""
    names = {
        "up": QCoreApplication.translate("state", "Up"),
        "down": QCoreApplication.translate("state", "Down"),
        "unreachable": QCoreApplication.translate("state", "Unreachable"),
        "degraded": QCoreApplication.translate("state", "Degraded"),
        "maintenance": QCoreApplication.translate("state", "Maintenance"),
        "unknown": QCoreApplication.translate("state", "Unknown"),
    }
    return names.get(state, state)


def kind_name(kind: str) -> str:
    """A device kind as the user reads it."""
    names = {
        "router": QCoreApplication.translate("kind", "Router"),
        "switch": QCoreApplication.translate("kind", "Switch"),
        "firewall": QCoreApplication.translate("kind", "Firewall"),
        "server": QCoreApplication.translate("kind", "Server"),
        "access_point": QCoreApplication.translate("kind", "Access point"),
        "wireless_bridge": QCoreApplication.translate("kind", "Wireless bridge"),
        "ups": QCoreApplication.translate("kind", "UPS"),
        "cctv": QCoreApplication.translate("kind", "CCTV camera"),
        "printer": QCoreApplication.translate("kind", "Printer"),
        "workstation": QCoreApplication.translate("kind", "Workstation"),
        "other": QCoreApplication.translate("kind", "Other"),
    }
    return names.get(kind, kind)


def severity_name(severity: str) -> str:
    names = {
        "critical": QCoreApplication.translate("severity", "Critical"),
        "warning": QCoreApplication.translate("severity", "Warning"),
        "info": QCoreApplication.translate("severity", "Info"),
        "debug": QCoreApplication.translate("severity", "Debug"),
    }
    return names.get(severity, severity)


def site_kind_name(kind: str) -> str:
    names = {
        "datacenter": QCoreApplication.translate("sitekind", "Data centers"),
        "kecamatan": QCoreApplication.translate("sitekind", "Kecamatan"),
        "opd": QCoreApplication.translate("sitekind", "OPD offices"),
        "site": QCoreApplication.translate("sitekind", "Other sites"),
    }
    return names.get(kind, kind.title())
