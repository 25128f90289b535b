"""Dates, numbers, percentages and durations written the Indonesian or English way, for reports and messages.

Indonesian follows PUEBI and government practice: "23 November 2026", "1.234,5", "99,95%", "14.05 WIB".
No dependency on the process locale, so a report looks the same on every workstation.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from importlib import resources
from zoneinfo import ZoneInfo

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
MONTHS_SHORT = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
DURATION_UNITS = {
    "id": (("hari", "hari"), ("jam", "jam"), ("menit", "menit"), ("detik", "detik")),
    "en": (("day", "days"), ("h", "h"), ("min", "min"), ("s", "s")),
}
DASH = "—"
LANGS = ("id", "en")


def _lang(lang: str) -> str:
    return "id" if lang.lower().startswith("id") else "en"


def translator(lang: str) -> Callable[[str], str]:
    """gettext for one language without touching the process-wide language (a report may differ from the UI)."""
    locale_dir = str(resources.files("nocdesk.resources") / "locale")
    return gettext.translation("nocdesk", locale_dir, languages=[_lang(lang)], fallback=True).gettext


def zone_abbreviation(tz: tzinfo | str, when: datetime | None = None) -> str:
    """'WIB', 'WITA', 'WIT' for Indonesia's zones; the zone's own abbreviation otherwise."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return (when or datetime(2000, 1, 1)).replace(tzinfo=zone).tzname() or str(zone)


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (id) or '1,234.5' (en); None -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    text = f"{value:,.{decimals}f}"
    if _lang(lang) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(value: float | None, lang: str, decimals: int = 2) -> str:
    """99.95 -> '99,95%' (id) or '99.95%' (en); the value is already in percent."""
    return DASH if value is None else format_number(value, lang, decimals) + "%"


def format_month(year: int, month: int, lang: str) -> str:
    """'Oktober 2026' / 'October 2026'."""
    return f"{MONTHS[_lang(lang)][month - 1]} {year}"


def format_date(value: date | datetime, lang: str, *, short: bool = False) -> str:
    """'23 November 2026' (short: '23 Nov 2026'); the same day-month-year order in both languages."""
    names = (MONTHS_SHORT if short else MONTHS)[_lang(lang)]
    return f"{value.day} {names[value.month - 1]} {value.year}"


def format_time(value: datetime, lang: str, *, seconds: bool = False) -> str:
    """'14.05' (id, PUEBI) or '14:05' (en)."""
    sep = "." if _lang(lang) == "id" else ":"
    text = f"{value.hour:02d}{sep}{value.minute:02d}"
    return text + (f"{sep}{value.second:02d}" if seconds else "")


def format_datetime(value: datetime | None, lang: str, *, zone: bool = True, seconds: bool = False) -> str:
    """'3 Okt 2026 14.05 WIB' for an aware datetime (shown in its own zone); None -> '—'."""
    if value is None:
        return DASH
    text = f"{format_date(value, lang, short=True)} {format_time(value, lang, seconds=seconds)}"
    if zone and value.tzinfo is not None:
        text += f" {value.tzname()}"
    return text


def format_duration(seconds: float | int | None, lang: str, *, clock: bool = False, max_units: int = 4) -> str:
    """3723 -> '1 jam 2 menit 3 detik' / '1 h 2 min 3 s'; clock=True -> '1:02:03' (hours may exceed 24).

    max_units keeps only the largest units (truncating, never rounding up): 2 -> '1 jam 2 menit'."""
    if seconds is None:
        return DASH
    total = int(round(seconds))
    if clock:
        hours, rest = divmod(total, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if total == 0:
        return "0 " + DURATION_UNITS[_lang(lang)][3][1]
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts: list[str] = []
    for amount, (singular, plural) in zip((days, hours, minutes, secs), DURATION_UNITS[_lang(lang)], strict=True):
        if parts and len(parts) >= max_units:
            break
        if amount:
            parts.append(f"{amount} {singular if amount == 1 else plural}")
        elif parts:
            parts.append("")  # a zero unit between two others still uses up a place
    return " ".join(p for p in parts if p)


def format_bits_per_second(bps: float | None, lang: str) -> str:
    """1_250_000 -> '1,25 Mbps' with the unit chosen to keep 1-3 integer digits."""
    if bps is None:
        return DASH
    for unit, scale in (("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)):
        if abs(bps) >= scale:
            return f"{format_number(bps / scale, lang, 2)} {unit}"
    return f"{format_number(bps, lang, 0)} bps"
