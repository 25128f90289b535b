"""The texts of notifications, in Indonesian or English, built from an alert's facts.

Facts are a plain dict kept in the alert's `details` (rule, title, medium, affected_names, device, address,
site, timezone, reason, started_at…), so a reminder or an escalation days later renders the same way, in the
language of whoever receives it. Every sentence goes through gettext (`_ = translator(lang)`; msgids are the
English texts, extracted like any `_()` call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..alertrules import RULES, rule_title
from ..locale_format import format_datetime, format_duration, translator

MAX_NAMES = 30  # more than this and the list says "and N more"


@dataclass(frozen=True)
class Message:
    """A rendered notification: subject (e-mail), summary (one line), text (the whole message)."""

    subject: str
    summary: str
    text: str
    lang: str

    def payload(self, kind: str, *, severity: str = "critical", alert_id: int | None = None,
                facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What a delivery row carries: everything a channel needs without reading the store again."""
        return {"kind": kind, "subject": self.subject, "summary": self.summary, "text": self.text,
                "lang": self.lang, "severity": severity, "alert_id": alert_id, "facts": dict(facts or {})}


def _medium(_: Callable[[str], str], medium: str) -> str:
    return {"fiber": _("Fiber link"), "copper": _("Copper link"), "wireless": _("Wireless link"),
            "provider": _("Provider link")}.get(medium, _("Link"))


def _names(_: Callable[[str], str], names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + _("and {n} more").format(n=len(names) - MAX_NAMES)
    return shown


def duration_text(seconds: int | None, lang: str) -> str:
    """Outage durations rounded to the minute once they pass five minutes ('1 jam 5 menit')."""
    if seconds is not None and seconds >= 300:
        seconds = int(round(seconds / 60) * 60)
    return format_duration(seconds, lang)


def _when(ts: int | None, facts: Mapping[str, Any], lang: str) -> str:
    if ts is None:
        return ""
    try:
        zone = ZoneInfo(str(facts.get("timezone") or "Asia/Jakarta"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Jakarta")
    return format_datetime(dt.datetime.fromtimestamp(ts, zone), lang)


def _num(value: Any) -> str:
    try:
        return f"{float(value):.1f}".removesuffix(".0")
    except (TypeError, ValueError):
        return "?"


def _rule_line(_: Callable[[str], str], facts: Mapping[str, Any]) -> str:
    """One line about a threshold rule of nocdesk.alertrules: what, how much, against which limit, how long."""
    rule = str(facts.get("rule", ""))
    what = facts.get("title") or facts.get("device", "?")
    unit = str(facts.get("unit") or "")
    value, threshold, minutes = _num(facts.get("value")), _num(facts.get("threshold")), facts.get("for_minutes", 0)
    direction = {"in": _("inbound"), "out": _("outbound")}.get(str(facts.get("direction") or ""), "")
    if rule == "rx_power_low":
        return _("Optical Rx power on {what} is {value} dBm, below {threshold} dBm").format(
            what=what, value=value, threshold=threshold)
    if rule == "rx_power_drop":
        return _("Optical Rx power on {what} fell to {value} dBm, {drop} dB below its {days}-day median of "
                 "{median} dBm: check the fibre and connectors before it breaks").format(
            what=what, value=value, drop=_num(float(facts.get("median") or 0) - float(facts.get("value") or 0)),
            days=facts.get("baseline_days", 30), median=_num(facts.get("median")))
    if rule == "cert_expiring":
        return _("TLS certificate of {what} expires in {days} days (warning at {threshold} days)").format(
            what=what, days=_num(facts.get("value")), threshold=threshold)
    if rule == "util_high":
        head = {"in": _("Inbound utilisation of {what} at {value}%"),
                "out": _("Outbound utilisation of {what} at {value}%")}.get(
            str(facts.get("direction") or ""), _("Utilisation of {what} at {value}%")).format(what=what, value=value)
    elif rule == "if_errors":
        head = _("{what}: {value} {direction} errors per second").format(what=what, value=value,
                                                                          direction=direction)
    else:
        head = _("{rule} on {what}: {value} {unit}").format(rule=rule_title(rule, _), what=what, value=value,
                                                           unit=unit)
    limit = _("threshold {threshold} {unit}").format(threshold=threshold, unit=unit).replace(" %", "%")
    if minutes:
        return _("{head} for {minutes} min ({limit})").format(head=head.replace(" %", "%"), minutes=minutes,
                                                             limit=limit)
    return f"{head.replace(' %', '%')} ({limit})"


def problem_line(facts: Mapping[str, Any], lang: str) -> str:
    """One line saying what is broken and what it took down."""
    _ = translator(lang)
    rule = facts.get("rule", "")
    names = list(facts.get("affected_names") or [])
    n = len(names)
    unreachable = (_("{n} device unreachable") if n == 1 else _("{n} devices unreachable")).format(n=n)
    if rule == "link_down":
        head = _("{link} {title} down").format(link=_medium(_, facts.get("medium", "")), title=facts.get("title", ""))
        return f"{head}: {unreachable} ({_names(_, names)})" if n else head
    if rule == "device_down":
        head = _("{device} down").format(device=facts.get("title") or facts.get("device", ""))
        return f"{head}: {unreachable} ({_names(_, names)})" if n > 1 else head
    if rule == "monitor_offline":
        return _("Monitoring station offline: no device answers, not even the first hop {hop}; the station's own "
                 "connection or {hop} itself is down, and {n} devices cannot be checked (this is not {n} outages)"
                 ).format(n=n, hop=facts.get("first_hop") or "?")
    if rule == "interface_down":
        return _("Interface {interface} on {device} down").format(interface=facts.get("interface", "?"),
                                                                  device=facts.get("device", "?"))
    if rule == "service_down":
        return _("Service {service} on {device} down").format(service=facts.get("service", "?"),
                                                              device=facts.get("device", "?"))
    if rule == "flapping":
        return _("{target} is flapping: {n} state changes in {minutes} min; further changes are not sent until "
                 "it settles").format(target=facts.get("title", "?"), n=facts.get("changes", "?"),
                                      minutes=facts.get("window_min", "?"))
    if rule == "config_changed":
        return _("Configuration of {device} changed: {summary}").format(device=facts.get("device", "?"),
                                                                        summary=facts.get("summary") or "?")
    if rule in RULES:
        return _rule_line(_, facts)
    return str(facts.get("message") or rule)


def recovery_line(facts: Mapping[str, Any], lang: str, duration_s: int | None) -> str:
    """One line saying what is back and after how long."""
    _ = translator(lang)
    took = duration_text(duration_s, lang)
    rule = facts.get("rule", "")
    names = list(facts.get("affected_names") or [])
    if rule == "monitor_offline":
        return _("Monitoring station back online after {duration}").format(duration=took)
    if rule == "link_down":
        what = _("{link} {title}").format(link=_medium(_, facts.get("medium", "")), title=facts.get("title", ""))
    elif rule == "interface_down":
        what = _("Interface {interface} on {device}").format(interface=facts.get("interface", "?"),
                                                             device=facts.get("device", "?"))
    elif rule == "service_down":
        what = _("Service {service} on {device}").format(service=facts.get("service", "?"),
                                                         device=facts.get("device", "?"))
    elif rule == "flapping":
        return _("{target} stopped flapping; it is {state} now").format(target=facts.get("title", "?"),
                                                                       state=facts.get("state", "?"))
    elif rule in RULES:
        return _("{rule} on {what} back to normal ({value} {unit}) after {duration}").format(
            rule=rule_title(rule, _), what=facts.get("title") or facts.get("device", "?"),
            value=_num(facts.get("value")), unit=facts.get("unit", ""), duration=took).replace(" %)", "%)")
    else:
        what = str(facts.get("title") or facts.get("device") or "?")
    line = _("{what} back up after {duration}").format(what=what, duration=took)
    if len(names) > 1 or (names and rule == "link_down"):
        back = (_("{n} device reachable again") if len(names) == 1 else _("{n} devices reachable again"))
        line += f": {back.format(n=len(names))} ({_names(_, names)})"
    return line


def _detail_lines(_: Callable[[str], str], facts: Mapping[str, Any], lang: str, alert_id: int | None) -> list[str]:
    lines = []
    if facts.get("site"):
        lines.append(_("Site: {site}").format(site=facts["site"]))
    if facts.get("device") and facts.get("address"):
        lines.append(_("Device: {device} ({address})").format(device=facts["device"], address=facts["address"]))
    if facts.get("started_at"):
        lines.append(_("Since: {when}").format(when=_when(facts["started_at"], facts, lang)))
    if facts.get("reason"):
        lines.append(_("Reason: {reason}").format(reason=facts["reason"]))
    if facts.get("rule") == "rx_power_drop" and facts.get("median") is not None:
        lines.append(_("Median of the last {days} days: {median} dBm").format(days=facts.get("baseline_days", 30),
                                                                            median=_num(facts["median"])))
    if facts.get("diff_lines"):
        lines.append(_("Changed lines:"))
        lines += [f"  {line}" for line in facts["diff_lines"]]
    if alert_id is not None:
        lines.append(_("Alert #{id}: acknowledge with 'nocdesk alert ack {id} --by NAME'").format(id=alert_id))
    return lines


def render(kind: str, facts: Mapping[str, Any], lang: str, *, alert_id: int | None = None,
           duration_s: int | None = None, now: int | None = None) -> Message:
    """Render a notification of `kind`: problem, update, recovery, reminder, escalation."""
    _ = translator(lang)
    threshold_rule = facts.get("rule") in RULES
    if kind == "recovery":
        line = recovery_line(facts, lang, duration_s)
        tag = _("OK") if threshold_rule else _("UP")
        lines = [line]
        if facts.get("site"):
            lines.append(_("Site: {site}").format(site=facts["site"]))
        if now:
            lines.append(_("Back at: {when}").format(when=_when(now, facts, lang)))
        return Message(f"[nocdesk] {tag}: {line}", line, "\n".join(lines), lang)
    line = problem_line(facts, lang)
    first = _("CHANGE") if facts.get("rule") == "config_changed" else _("ALERT") if threshold_rule else _("DOWN")
    tag = {"problem": first, "update": _("UPDATE"), "reminder": _("REMINDER"),
           "escalation": _("ESCALATION")}.get(kind, first)
    lead = line
    if kind == "reminder":
        lead = _("Still not acknowledged after {duration}: {line}").format(duration=duration_text(duration_s, lang),
                                                                          line=line)
    elif kind == "escalation":
        lead = _("Escalated, nobody acknowledged it in {duration}: {line}").format(
            duration=duration_text(duration_s, lang), line=line)
    elif kind == "update":
        lead = _("Update: {line}").format(line=line)
    text = "\n".join([lead, *_detail_lines(_, facts, lang, alert_id)])
    return Message(f"[nocdesk] {tag}: {line}", lead, text, lang)


def test_message(channel: str, lang: str) -> Message:
    """The 'Send test' message of a channel."""
    _ = translator(lang)
    line = _("Test message from nocdesk via {channel}: if you read this, notifications on this channel work.") \
        .format(channel=channel)
    return Message(f"[nocdesk] {_('TEST')}: {channel}", line, line, lang)


def digest(messages: list[Mapping[str, Any]], lang: str) -> Message:
    """Several queued messages folded into one when a channel hits its rate limit (a storm)."""
    _ = translator(lang)
    head = _("{n} notifications held back by the rate limit:").format(n=len(messages))
    body = "\n".join(f"• {m.get('summary') or m.get('subject', '')}" for m in messages)
    return Message(f"[nocdesk] {head}", head, f"{head}\n{body}", lang)
