"""Assemble the monthly ReportModel from the store: summary by site and group, devices worst first, incidents,
daily availability, maintenance, bandwidth and config changes, in the report's own language."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from .availability import DOWN, UNREACHABLE, Availability, Rules, aggregate, day_bounds, month_bounds, split
from .errors import ConfigError
from .i18n import _ as _msg
from .locale_format import format_date, format_datetime, format_month, translator, zone_abbreviation
from .reportbandwidth import interface_bandwidth
from .reportdata import (
    Scope,
    Target,
    agency_timezone,
    backups_configured,
    compute_targets,
    config_changes,
    engine_gaps,
    load_alerts,
    load_targets,
    maintenance_windows,
    match_alert,
    names_by_id,
    window_applies,
)
from .reportmodel import (
    Column,
    Headline,
    ReportModel,
    Signer,
    Table,
    rules_text,
    target_cells,
    target_columns,
)
from .store import Store

Progress = Callable[[float, str], None]


class ReportCancelled(Exception):
    """The user cancelled a report run; nothing was written."""


def rules_from_settings(store: Store) -> Rules:
    """Counting rules from the 'report.rules' setting ({"unreachable": ..., "unknown": ...})."""
    value = store.get_setting("report.rules", {}) or {}
    return Rules(unreachable=value.get("unreachable", "excluded"), unknown=value.get("unknown", "excluded"))


def signers_from_settings(store: Store, _: Callable[[str], str]) -> list[Signer]:
    """The signature block from 'report.signers' (a list of {label, position, name, rank, nip})."""
    raw = store.get_setting("report.signers", None)
    if not raw:
        agency = store.get_setting("agency.name", "") or ""
        defaults = {"head": (_("Acknowledged by,"), _("Head of the agency") + (f"\n{agency}" if agency else "")),
                    "preparer": (_("Prepared by,"), _("Network administrator"))}
        signers = []
        for role, (label, position) in defaults.items():  # the settings dialog's flat fields, when filled in
            flat = {f: str(store.get_setting(f"report.signer_{role}_{f}", "") or "")
                    for f in ("name", "position", "rank", "nip")}
            signers.append(Signer(label, flat["position"] or position, flat["name"], flat["rank"], flat["nip"]))
        return signers
    return [Signer(**{k: str(v) for k, v in entry.items() if k in ("label", "position", "name", "rank", "nip")})
            for entry in raw]


def _mbps(bps: float | None) -> float | None:
    return None if bps is None else round(bps / 1e6, 2)


def _util(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _sorted_worst_first(targets: list[Target]) -> list[Target]:
    return sorted(targets, key=lambda t: (t.result.reported_pct is None, t.result.reported_pct or 0.0,
                                          -t.result.downtime_s, t.name.lower()))


def _target_table(key: str, title: str, short: str, name_title: str, targets: list[Target],
                  _: Callable[[str], str], *, with_site: bool) -> Table:
    columns = [Column("name", name_title, "text", 2.4)]
    if with_site:
        columns += [Column("address", _("Address"), "text", 1.5, in_pdf=False),
                    Column("site", _("Site"), "text", 1.6), Column("group", _("Group"), "text", 1.4, in_pdf=False)]
    columns += target_columns(_)
    rows = []
    for t in _sorted_worst_first(targets):
        row = [t.name] + ([t.address, t.site, t.group] if with_site else []) + target_cells(t.result)
        rows.append(row)
    return Table(key, title, columns, rows, short_title=short)


def _summary_tables(devices: list[Target], total: Availability, _: Callable[[str], str]) -> list[Table]:
    by_site: dict[str, list[Target]] = {}
    by_group: dict[str, list[Target]] = {}
    for d in devices:
        by_site.setdefault(d.site or _("(no site)"), []).append(d)
        by_group.setdefault(d.group or _("(no group)"), []).append(d)
    cols = [c if c.key not in ("longest_outage_s", "mtbf_s") else replace(c, in_pdf=False) for c in target_columns(_)]
    sites = Table("sites", _("Summary by site"), short_title=_("Sites"), columns=[
        Column("site", _("Site"), "text", 2.2), Column("zone", _("Zone"), "text", 0.8),
        Column("devices", _("Devices"), "int", 0.8)] + cols)
    for name in sorted(by_site, key=str.lower):
        members = by_site[name]
        sites.rows.append([name, zone_abbreviation(members[0].tz), len(members)]
                          + target_cells(aggregate(t.result for t in members)))
    sites.total = [_("All devices"), "", len(devices)] + target_cells(total)
    groups = Table("groups", _("Summary by group and SLA"), short_title=_("Groups"), columns=[
        Column("group", _("Group"), "text", 2.2), Column("devices", _("Devices"), "int", 0.8),
        Column("sla_target_pct", _("SLA target (%)"), "pct", 1.0),
        Column("availability_pct", _("Availability (%)"), "pct", 1.1),
        Column("sla_status", _("SLA"), "text", 0.9),
        Column("devices_meeting_sla", _("Devices meeting SLA"), "int", 1.1),
        Column("downtime_s", _("Downtime"), "duration", 1.1), Column("outages", _("Outages"), "int", 0.8),
        Column("mttr_s", _("MTTR"), "duration", 1.0)])
    for name in sorted(by_group, key=str.lower):
        members = by_group[name]
        result = aggregate(t.result for t in members)
        target = members[0].sla_target_pct
        pct = result.reported_pct
        status = "" if target is None or pct is None else (_("met") if pct >= target else _("missed"))
        meeting = None if target is None else sum(
            1 for t in members if t.result.reported_pct is not None and t.result.reported_pct >= target)
        cells = target_cells(result)
        groups.rows.append([name, len(members), target, pct, status, meeting, result.downtime_s, result.outages,
                            cells[4]])
    return [sites, groups]


def _daily_table(devices: list[Target], year: int, month: int, _: Callable[[str], str], rules: Rules) -> Table:
    days = calendar.monthrange(year, month)[1]
    per_day: list[list[Availability]] = [[] for _day in range(days)]
    for d in devices:
        for i, part in enumerate(split(d.result, day_bounds(year, month, d.tz), rules)):
            per_day[i].append(part)
    table = Table("daily", _("Daily availability"), short_title=_("Daily"), columns=[
        Column("date", _("Date"), "date", 1.4), Column("availability_pct", _("Availability (%)"), "pct", 1.1),
        Column("downtime_s", _("Downtime"), "duration", 1.1), Column("unreachable_s", _("Unreachable"), "duration", 1.1),
        Column("unknown_s", _("Unknown"), "duration", 1.1), Column("maintenance_s", _("Maintenance"), "duration", 1.1)])
    for i, parts in enumerate(per_day):
        total = aggregate(parts)
        table.rows.append([datetime(year, month, i + 1).date(), total.reported_pct, total.downtime_s,
                           total.unreachable_s, total.unknown_s, total.maintenance_s])
    return table


def _cause_text(inc, names: dict[str, dict[int, str]], _: Callable[[str], str]) -> str:
    if inc.cause_type and inc.cause_id is not None:
        name = names.get(inc.cause_type, {}).get(inc.cause_id, f"#{inc.cause_id}")
        template = {"device": _("device {name} down"), "link": _("link {name} down"),
                    "interface": _("interface {name} down"), "service": _("service {name} down")}
        return template.get(inc.cause_type, "{name}").format(name=name)
    return inc.reason or ""


def _incident_table(targets: list[Target], names, alerts, _: Callable[[str], str]) -> Table:
    table = Table("incidents", _("Incidents"), short_title=_("Incidents"), columns=[
        Column("start", _("Start"), "datetime", 1.5), Column("end", _("End"), "datetime", 1.5, none_text=_("ongoing")),
        Column("zone", _("Zone"), "text", 0.6, in_pdf=False),
        Column("duration_s", _("Duration in period"), "duration", 1.1),
        Column("counted_s", _("Counted downtime"), "duration", 1.1),
        Column("target_type", _("Type"), "text", 0.9, in_pdf=False), Column("target", _("Device or link"), "text", 2.0),
        Column("state", _("State"), "text", 1.1), Column("root_cause", _("Root cause"), "text", 2.0),
        Column("acked_by", _("Acknowledged by"), "text", 1.3), Column("comment", _("Comment"), "text", 2.0)],
        empty_text=_("No incidents in this period."))
    type_text = {"device": _("device"), "link": _("link"), "service": _("service")}
    state_text = {DOWN: _("down"), UNREACHABLE: _("unreachable")}
    entries = []
    for t in targets:
        zone = ZoneInfo(t.tz)
        for inc in t.result.incidents:
            keys = [(t.type, t.id)] + ([(inc.cause_type, inc.cause_id)] if inc.cause_type else [])
            alert = match_alert(alerts, keys, inc.start, inc.end)
            entries.append((inc.start, t.name, [
                datetime.fromtimestamp(inc.start, zone),
                None if inc.end is None else datetime.fromtimestamp(inc.end, zone),
                zone_abbreviation(zone), inc.in_period_s, inc.counted_s, type_text[t.type], t.name,
                state_text[inc.state], _cause_text(inc, names, _), alert.acked_by if alert else "",
                alert.ack_comment if alert else ""]))
    table.rows = [row for _start, _name, row in sorted(entries, key=lambda e: (e[0], e[1].lower()))]
    return table


def _maintenance_table(windows, targets: list[Target], devices_by_id, names, _: Callable[[str], str], tz: str) -> Table:
    table = Table("maintenance", _("Maintenance windows"), short_title=_("Maintenance"), columns=[
        Column("name", _("Maintenance"), "text", 2.0), Column("applies_to", _("Applies to"), "text", 2.0),
        Column("start", _("Start"), "datetime", 1.5), Column("end", _("End"), "datetime", 1.5),
        Column("duration_s", _("Duration"), "duration", 1.0), Column("comment", _("Comment"), "text", 2.2)],
        empty_text=_("No maintenance in this period."))
    applies = {"all": _("all devices"), "device": _("device {name}"), "site": _("site {name}"),
               "group": _("group {name}"), "link": _("link {name}")}
    for w in windows:
        if not any(w.end > t.bounds[0] and w.start < t.bounds[1] and window_applies(w, t, devices_by_id.get(t.device_id))
                   for t in targets):
            continue
        name = names.get(w.target_type, {}).get(w.target_id, f"#{w.target_id}")
        zone = ZoneInfo(w.tz or tz)
        table.rows.append([w.name, applies[w.target_type].format(name=name), datetime.fromtimestamp(w.start, zone),
                           datetime.fromtimestamp(w.end, zone), w.end - w.start, w.comment])
    return table


def _bandwidth_table(store: Store, devices: list[Target], _: Callable[[str], str]) -> Table:
    table = Table("bandwidth", _("Bandwidth per interface and link (Mbps)"), short_title=_("Bandwidth"), columns=[
        Column("device", _("Device"), "text", 1.8), Column("interface", _("Interface"), "text", 1.4),
        Column("link", _("Link"), "text", 1.8, in_pdf=False), Column("speed_mbps", _("Speed"), "mbps", 0.9),
        Column("in_avg_mbps", _("In avg"), "mbps", 0.9), Column("in_p95_mbps", _("In 95th"), "mbps", 0.9),
        Column("in_peak_mbps", _("In peak"), "mbps", 0.9), Column("out_avg_mbps", _("Out avg"), "mbps", 0.9),
        Column("out_p95_mbps", _("Out 95th"), "mbps", 0.9), Column("out_peak_mbps", _("Out peak"), "mbps", 0.9),
        Column("util_avg_pct", _("Util. avg (%)"), "number", 0.9, in_pdf=False),
        Column("util_p95_pct", _("Util. 95th (%)"), "number", 0.9),
        Column("util_peak_pct", _("Util. peak (%)"), "number", 0.9)],
        empty_text=_("No traffic measurements (in_bps/out_bps) in this period."))
    rows = interface_bandwidth(store, {d.id: d.bounds for d in devices}, {d.id: d.name for d in devices})
    for bw in sorted(rows, key=lambda b: (-(b.util_pct("p95_bps") or -1), b.device.lower(), b.interface)):
        stat = {s: (getattr(bw.rx, s) if bw.rx else None, getattr(bw.tx, s) if bw.tx else None)
                for s in ("avg_bps", "p95_bps", "peak_bps")}
        table.rows.append([bw.device, bw.interface, bw.link, _mbps(bw.speed_bps),
                           _mbps(stat["avg_bps"][0]), _mbps(stat["p95_bps"][0]), _mbps(stat["peak_bps"][0]),
                           _mbps(stat["avg_bps"][1]), _mbps(stat["p95_bps"][1]), _mbps(stat["peak_bps"][1]),
                           _util(bw.util_pct("avg_bps")), _util(bw.util_pct("p95_bps")), _util(bw.util_pct("peak_bps"))])
    return table


def _config_table(store: Store, devices: list[Target], _: Callable[[str], str]) -> Table:
    configured = backups_configured(store)
    table = Table("config_changes", _("Configuration changes"), short_title=_("Config changes"), columns=[
        Column("time", _("Time"), "datetime", 1.5), Column("device", _("Device"), "text", 2.0),
        Column("change", _("Change"), "text", 1.2), Column("summary", _("Summary"), "text", 2.5),
        Column("size_bytes", _("Size (bytes)"), "int", 1.0)],
        empty_text=_("No configuration changes in this period.") if configured
        else _("Configuration backup is not set up, so changes are not tracked."))
    for c in config_changes(store, devices):
        dev = c["device"]
        table.rows.append([datetime.fromtimestamp(c["ts"], ZoneInfo(dev.tz)), dev.name,
                           _("first backup") if c["first"] else _("changed"), c["summary"], c["size"]])
    return table


def build_report(store: Store, *, year: int, month: int, lang: str = "id", scope: Scope | None = None,
                 rules: Rules | None = None, now: int | None = None, progress: Progress | None = None,
                 cancel: Callable[[], bool] | None = None) -> ReportModel:
    """Read the store and compute everything for the month; raise ReportCancelled when cancel() says so."""
    _ = translator(lang)
    scope = scope or Scope()
    rules = rules or rules_from_settings(store)
    now = int(time.time()) if now is None else int(now)
    tz = agency_timezone(store)
    if not 1 <= month <= 12:
        raise ConfigError(_msg("month {month} is not 1-12").format(month=month))
    if month_bounds(year, month, "Asia/Jayapura")[0] > now:
        raise ConfigError(_msg("{year}-{month:02d} has not started yet; choose a past or the current month")
                          .format(year=year, month=month))

    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            raise ReportCancelled(_msg("report cancelled"))
        if progress is not None:
            progress(fraction, message)

    step(0.02, _("Reading devices"))
    devices, links, services = load_targets(store, scope)
    devices_by_id = {d.id: d for d in devices}
    lo, hi = month_bounds(year, month, "Asia/Jayapura")[0], month_bounds(year, month, "Asia/Jakarta")[1] + 86400
    windows = maintenance_windows(store, lo - 86400, hi)
    gaps = engine_gaps(store, lo - 86400, min(hi, now))
    step(0.08, _("Computing availability"))
    for targets in (devices, links, services):
        compute_targets(store, targets, year=year, month=month, now=now, windows=windows, gaps=gaps, rules=rules,
                        devices_by_id=devices_by_id)
    step(0.25, _("Collecting incidents"))
    total = aggregate(d.result for d in devices)
    names = names_by_id(store)
    alerts = load_alerts(store, lo, hi)
    tables = _summary_tables(devices, total, _)
    tables.append(_daily_table(devices, year, month, _, rules))
    tables.append(_target_table("devices", _("Availability per device (worst first)"), _("Devices"), _("Device"), devices, _,
                                with_site=True))
    if links:
        tables.append(_target_table("links", _("Availability per link"), _("Links"), _("Link"), links, _, with_site=False))
    if services:
        tables.append(_target_table("services", _("Availability per service"), _("Services"), _("Service"), services, _,
                                    with_site=False))
    tables.append(_incident_table(devices + links + services, names, alerts, _))
    tables.append(_maintenance_table(windows, devices + links, devices_by_id, names, _, tz))
    step(0.35, _("Summarising bandwidth"))
    tables.append(_bandwidth_table(store, devices, _))
    tables.append(_config_table(store, devices, _))
    step(0.45, _("Preparing the report"))

    groups = tables[1]
    with_target = [r for r in groups.rows if r[2] is not None]
    met = sum(1 for r in with_target if r[4] == _("met"))
    zones = sorted({zone_abbreviation(d.tz) for d in devices} or {zone_abbreviation(tz)})
    days = calendar.monthrange(year, month)[1]
    generated = datetime.fromtimestamp(now, ZoneInfo(tz))
    period = f"1–{days} {format_month(year, month, lang)}"
    if month_bounds(year, month, tz)[1] > now:
        period += " " + _("(until {time})").format(time=format_datetime(generated, lang))
    scope_text = {"all": _("Whole agency"), "site": _("Site: {name}"), "group": _("Group: {name}")}[scope.kind]
    city = store.get_setting("report.city", "") or ""
    sla = store.get_setting("report.sla_target_pct", None)
    return ReportModel(
        lang=lang, year=year, month=month, title=_("Network Availability Report"),
        subtitle=_("Monthly report on the availability of the network and services"),
        period_text=period, scope_text=scope_text.format(name=scope.name),
        agency_name=store.get_setting("agency.name", "") or "", agency_parent=store.get_setting("agency.parent", "") or "",
        agency_unit=store.get_setting("agency.unit", "") or "",
        agency_address=store.get_setting("agency.address", "") or "",
        logo_path=store.get_setting("agency.logo_path", None) or None, generated_at=generated,
        place_date_text=(f"{city}, " if city else "") + format_date(generated, lang), signers=signers_from_settings(store, _),
        rules=rules, rules_text=rules_text(rules, _, zones=", ".join(zones)),
        headline=[
            Headline(_("Availability"), total.reported_pct, "pct"),
            Headline(_("Devices"), len(devices), "int"),
            Headline(_("Outages"), total.outages, "int"),
            Headline(_("Total downtime"), total.downtime_s, "duration_long"),
            Headline(_("MTTR"), None if total.mttr_s is None else round(total.mttr_s), "duration_long"),
            Headline(_("Groups meeting SLA"), f"{met} / {len(with_target)}" if with_target else "—", "text"),
            Headline(_("Unreachable time"), total.unreachable_s, "duration_long"),
            Headline(_("Unknown time"), total.unknown_s, "duration_long"),
        ],
        tables=tables, sla_target_pct=float(sla) if sla is not None else None,
        labels={"page": _("Page {page} of {pages}"), "generated": _("Generated by nocdesk on {time}"),
                "rules": _("Counting rules"), "chart": _("Daily availability (%)"), "period": _("Period"), "scope": _("Scope"), "nip": _("NIP"),
                "sla_line": _("SLA target"), "met": _("met"), "info": _("Info"), "chart_note": _("Dashed line: SLA target {target}; days below it are drawn in red.")},
    )
