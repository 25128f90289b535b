"""`nocdesk device add|list|show|edit|remove`, `nocdesk import FILE.csv` and `nocdesk export FILE.csv`."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..cli import db_path
from ..csvio import (
    ALL_OR_NOTHING,
    MODES,
    VALID_ONLY,
    ImportPlan,
    RowProblem,
    apply_import,
    export_devices,
    plan_import,
    write_devices,
)
from ..errors import ConfigError
from ..i18n import _, current_language, ngettext
from ..inventory import (
    KINDS,
    DeviceSpec,
    add_device,
    find_device,
    list_devices,
    normalise_kind,
    remove_device,
    spec_of,
    update_device,
)
from ..locale_format import format_datetime, format_duration
from ..store import Store, open_store

EXIT_REJECTED = 1
# CLI option -> DeviceSpec field, for add and edit alike.
_OPTIONS = (("--name", "name"), ("--address", "address"), ("--kind", "kind"), ("--site", "site"),
            ("--group", "group"), ("--parent", "parent"), ("--snmp-credential", "snmp_credential"),
            ("--ssh-credential", "ssh_credential"), ("--profile", "profile"), ("--tags", "tags"), ("--notes", "notes"),
            ("--interval", "interval_s"), ("--check-method", "check_method"))


def _tags(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,;|]", text) if t.strip()]


def _given(args: argparse.Namespace) -> dict[str, Any]:
    values = {f: getattr(args, f) for _opt, f in _OPTIONS if getattr(args, f) is not None}
    if "tags" in values:
        values["tags"] = _tags(values["tags"])
    if args.enabled is not None:
        values["enabled"] = args.enabled
    return values


def _warn_unknown_credentials(store: Store, spec: DeviceSpec) -> None:
    for ref in (spec.snmp_credential, spec.ssh_credential):
        if ref and store.conn.execute("SELECT 1 FROM credentials WHERE name = ?", (ref,)).fetchone() is None:
            print(_("note: credential '{name}' does not exist yet; add it with 'nocdesk credential add-snmp' or "
                    "'add-ssh' before polling.").format(name=ref), file=sys.stderr)


def _add(args: argparse.Namespace) -> int:
    values = _given(args)
    if not values.get("name") or not values.get("address"):
        raise ConfigError(_("device add needs --name and --address"))
    spec = DeviceSpec(**values)
    with open_store(db_path(args)) as store:
        add_device(store, spec)
        _warn_unknown_credentials(store, spec)
    print(_("Added {name} ({address}, {kind}).").format(name=spec.name.strip(), address=spec.address.strip(),
                                                      kind=normalise_kind(spec.kind)))
    return 0


def _edit(args: argparse.Namespace) -> int:
    changes = _given(args)
    if not changes:
        raise ConfigError(_("nothing to change: give at least one option, e.g. --address or --site"))
    with open_store(db_path(args)) as store:
        spec = update_device(store, args.device, **changes)
        _warn_unknown_credentials(store, spec)
    print(_("Updated {name}: {fields}.").format(name=spec.name, fields=", ".join(sorted(changes))))
    return 0


def _remove(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        for ref in args.devices:
            device = find_device(store, ref)
            orphans = [r[0] for r in store.conn.execute("SELECT name FROM devices WHERE parent_id = ? ORDER BY name",
                                                        (device["id"],))]
            remove_device(store, ref)
            print(_("Removed {name} ({address}, {kind}) and its history.").format(**device))
            if orphans:
                print(ngettext("  {devices} no longer has a parent.", "  {devices} no longer have a parent.",
                               len(orphans)).format(devices=", ".join(orphans)))
    return 0


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def _json_device(store: Store, d: dict[str, Any]) -> dict[str, Any]:
    spec = spec_of(store, d)
    live = {k: d[k] for k in ("id", "state", "state_since", "last_check_at", "last_rtt_ms", "last_loss_pct",
                              "sys_name", "sys_descr", "sys_object_id", "matched_profile", "uptime_s", "last_error",
                              "created_at", "updated_at")}
    return vars(spec) | live


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        if args.format == "csv":
            write_devices(store, sys.stdout, lineterminator="\n")
            return 0
        devices = list_devices(store)
        if args.format == "json":
            print(json.dumps([_json_device(store, d) for d in devices], indent=2, ensure_ascii=False))
            return 0
    if not devices:
        print(_("No devices yet. Add one with 'nocdesk device add --name NAME --address ADDRESS' or import a CSV "
                "file with 'nocdesk import FILE.csv'."))
        return 0
    header = [_("NAME"), _("ADDRESS"), _("KIND"), _("SITE"), _("GROUP"), _("PARENT"), _("STATE"), _("EVERY")]
    rows = [[d["name"], d["address"], d["kind"], d["site"] or "-", d["device_group"] or "-", d["parent"] or "-",
             d["state"] + ("" if d["enabled"] else _(" (disabled)")), f"{d['interval_s']} s"] for d in devices]
    print(_table(rows, header))
    return 0


def _when(ts: int | None, zone: str) -> str:
    if ts is None:
        return "-"
    return format_datetime(datetime.fromtimestamp(ts, ZoneInfo(zone)), current_language(), seconds=True)


def _show(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        d = find_device(store, args.device)
        if args.format == "json":
            print(json.dumps(_json_device(store, d), indent=2, ensure_ascii=False))
            return 0
        spec = spec_of(store, d)
        zone_row = store.conn.execute("SELECT timezone FROM sites WHERE id = ?", (d["site_id"],)).fetchone()
    zone = zone_row[0] if zone_row else "Asia/Jakarta"
    lang = current_language()
    since = _when(d["state_since"], zone)
    if d["state_since"] is not None:
        since += " (" + format_duration(max(0, int(datetime.now().timestamp()) - d["state_since"]), lang) + ")"
    fields = [
        (_("name"), spec.name), (_("address"), spec.address), (_("kind"), spec.kind), (_("site"), spec.site or "-"),
        (_("group"), spec.group or "-"), (_("parent"), (spec.parent or "-") + (_(" (set by hand)") if d["parent_pinned"] else "")),
        (_("SNMP credential"), spec.snmp_credential or "-"), (_("SSH credential"), spec.ssh_credential or "-"),
        (_("profile"), spec.profile or _("automatic") + (f" ({d['matched_profile']})" if d["matched_profile"] else "")),
        (_("tags"), ", ".join(spec.tags) or "-"), (_("notes"), spec.notes or "-"),
        (_("enabled"), _("yes") if spec.enabled else _("no")), (_("interval"), f"{spec.interval_s} s"),
        (_("check method"), spec.check_method),
        (_("state"), d["state"]), (_("state since"), since), (_("last check"), _when(d["last_check_at"], zone)),
        (_("round trip"), "-" if d["last_rtt_ms"] is None else f"{d['last_rtt_ms']:.1f} ms"),
        (_("loss"), "-" if d["last_loss_pct"] is None else f"{d['last_loss_pct']:.0f} %"),
        (_("last error"), d["last_error"] or "-"), (_("sysName"), d["sys_name"] or "-"),
        (_("sysDescr"), d["sys_descr"] or "-"), (_("sysObjectID"), d["sys_object_id"] or "-"),
        (_("uptime"), format_duration(d["uptime_s"], lang) if d["uptime_s"] is not None else "-"),
        (_("added"), _when(d["created_at"], zone)), (_("changed"), _when(d["updated_at"], zone)),
    ]
    width = max(len(k) for k, _v in fields)
    for key, value in fields:
        print(f"{key.ljust(width)}  {value}")
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        plan = plan_import(store, args.file)
        for note in plan.notes:
            print(_("note: {note}").format(note=note), file=sys.stderr)
        _print_problems(args.file, plan.rejected)
        if args.dry_run:
            return _report_dry_run(args, plan)
        result = apply_import(store, plan, args.mode)
    # Rows that became bad between the check and the import (another program added the same device).
    _print_problems(args.file, [p for p in result.rejected if p not in plan.rejected])
    if result.rejected and args.mode == ALL_OR_NOTHING:
        print(_("Nothing imported: {bad} of {total} rows have problems (listed above). Fix them, or import only the "
                "good rows with --mode valid-only.").format(bad=len(result.rejected), total=len(plan.rows)),
              file=sys.stderr)
        return EXIT_REJECTED
    print(_("Imported {count} device(s) from {file}.").format(count=len(result.imported), file=args.file))
    if result.rejected:
        print(_("Skipped {count} row(s) with problems (listed above).").format(count=len(result.rejected)))
    return 0


def _print_problems(file: str, problems: list[RowProblem]) -> None:
    for problem in problems:
        line = f"{file}:{problem.line}: {problem.name or '?'}: {'; '.join(problem.reasons)}"
        print(line.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)


def _report_dry_run(args: argparse.Namespace, plan: ImportPlan) -> int:
    print(_("Dry run: {ok} of {total} rows can be imported; {bad} have problems. Nothing was changed.")
          .format(ok=len(plan.accepted), total=len(plan.rows), bad=len(plan.rejected)))
    return EXIT_REJECTED if plan.rejected and args.mode == ALL_OR_NOTHING else 0


def _export(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        count = export_devices(store, args.file, delimiter="\t" if args.delimiter == "tab" else args.delimiter)
    if args.file != "-":
        print(_("Exported {count} device(s) to {file}.").format(count=count, file=args.file))
    return 0


def _add_spec_options(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument("--name", required=adding, help=_("unique device name, e.g. sw-kec-kutaraja"))
    p.add_argument("--address", required=adding, help=_("IP address or DNS name"))
    p.add_argument("--kind", help=_("one of: {kinds} (default: other)").format(kinds=", ".join(KINDS)))
    p.add_argument("--site", help=_("site name (created when new)"))
    p.add_argument("--group", help=_("device group name (created when new)"))
    p.add_argument("--parent", help=_("upstream device name (for root-cause alerts); '' clears it"))
    p.add_argument("--snmp-credential", dest="snmp_credential", metavar="NAME", help=_("SNMP credential name"))
    p.add_argument("--ssh-credential", dest="ssh_credential", metavar="NAME", help=_("SSH credential name"))
    p.add_argument("--profile", help=_("force a vendor profile (default: matched by sysObjectID)"))
    p.add_argument("--tags", help=_("tags separated by ',', ';' or '|'"))
    p.add_argument("--notes")
    p.add_argument("--interval", dest="interval_s", type=int, metavar="SECONDS", help=_("check interval (default 60)"))
    p.add_argument("--check-method", dest="check_method", metavar="METHOD",
                   help=_("how up/down is decided: icmp (default), snmp or tcp:PORT"))
    p.add_argument("--disabled", dest="enabled", action="store_const", const=False, default=None,
                   help=_("add or set it as not polled"))
    if not adding:
        p.add_argument("--enabled", dest="enabled", action="store_const", const=True, help=_("poll it again"))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `device`, `import` and `export` commands."""
    device = subparsers.add_parser("device", help=_("add, list, show, edit or remove devices"))
    sub = device.add_subparsers(dest="device_command", required=True, metavar="ACTION")
    p = sub.add_parser("add", help=_("add a device"))
    _add_spec_options(p, adding=True)
    p.set_defaults(func=_add)
    p = sub.add_parser("list", help=_("list all devices"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_list)
    p = sub.add_parser("show", help=_("show every field and the live state of one device"))
    p.add_argument("device", metavar="NAME_OR_ADDRESS")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_show)
    p = sub.add_parser("edit", help=_("change fields of a device (only the options given)"))
    p.add_argument("device", metavar="NAME_OR_ADDRESS")
    _add_spec_options(p, adding=False)
    p.set_defaults(func=_edit)
    p = sub.add_parser("remove", help=_("remove devices and their history (asks nothing)"))
    p.add_argument("devices", metavar="NAME_OR_ADDRESS", nargs="+")
    p.set_defaults(func=_remove)

    p = subparsers.add_parser("import", help=_("add devices from a CSV file (bad rows are listed by line)"))
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--mode", choices=MODES, default=ALL_OR_NOTHING,
                   help=_("{all}: import nothing if any row is bad (default); {valid}: import the good rows")
                   .format(all=ALL_OR_NOTHING, valid=VALID_ONLY))
    p.add_argument("--dry-run", action="store_true", help=_("check the file and report; change nothing"))
    p.set_defaults(func=_import)
    p = subparsers.add_parser("export", help=_("write all devices to a CSV file ('-' = standard output)"))
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--delimiter", choices=[",", ";", "tab"], default=",", metavar="{',',';',tab}",
                   help=_("';' for Excel with Indonesian regional settings"))
    p.set_defaults(func=_export)
