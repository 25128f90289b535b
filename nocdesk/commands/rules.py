"""`nocdesk rules list|set|disable|enable|reset`: the alert rules beyond up/down, per device, group or site."""

from __future__ import annotations

import argparse

from .. import alertrules
from ..cli import db_path
from ..i18n import _
from ..store import open_store


def _scope(store: object, args: argparse.Namespace) -> alertrules.Scope:
    return alertrules.find_scope(store, device=args.device, group=args.group, site=args.site)  # type: ignore[arg-type]


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        scope = _scope(store, args)
        rows = alertrules.effective(store, scope)
    if args.format == "json":
        print(alertrules.as_json(rows))
        return 0
    print(_("Alert rules for {scope} (value, and where it comes from):").format(scope=scope.describe()))
    current = None
    for e in rows:
        if e.rule != current:
            current = e.rule
            print(f"\n{e.rule:<16} {alertrules.rule_title(e.rule)}")
        print(f"  {e.param:<20} {alertrules.describe_value(e.value):<10} {e.origin}")
    return 0


def _set(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        scope = _scope(store, args)
        rule, param, value = alertrules.set_value(store, scope, args.key, args.value)
    print(_("{rule}.{param} = {value} for {scope}").format(rule=rule, param=param,
                                                         value=alertrules.describe_value(value),
                                                         scope=scope.describe()))
    return 0


def _enable(args: argparse.Namespace, on: bool) -> int:
    with open_store(db_path(args)) as store:
        scope = _scope(store, args)
        alertrules.set_enabled(store, scope, args.rule, on)
    text = _("Rule {rule} is on for {scope}") if on else _("Rule {rule} is off for {scope}")
    print(text.format(rule=args.rule, scope=scope.describe()))
    return 0


def _reset(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        scope = _scope(store, args)
        alertrules.reset(store, scope, args.key)
    print(_("{key}: override removed for {scope}; the wider scope or the default applies again")
          .format(key=args.key, scope=scope.describe()))
    return 0


def _scope_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", metavar="NAME", help=_("one device (beats its group, site and the default)"))
    p.add_argument("--group", metavar="NAME", help=_("a device group"))
    p.add_argument("--site", metavar="NAME", help=_("a site"))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `rules` command."""
    rules = subparsers.add_parser("rules", help=_("alert rules: thresholds, certificates, config changes"),
                                  description=_("Without --device/--group/--site a change applies to all devices. "
                                                "A device's value comes from the device, else its group, else its "
                                                "site, else all devices, else the built-in default."))
    sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    p = sub.add_parser("list", help=_("the rules in effect and where each value comes from"))
    _scope_args(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_list)
    p = sub.add_parser("set", help=_("set a value: KEY is RULE (its threshold) or RULE.SETTING, e.g. "
                                     "util_high.for_minutes"))
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")
    _scope_args(p)
    p.set_defaults(func=_set)
    for verb, on, text in (("disable", False, _("switch a rule off")), ("enable", True, _("switch a rule on"))):
        p = sub.add_parser(verb, help=text)
        p.add_argument("rule", metavar="RULE")
        _scope_args(p)
        p.set_defaults(func=lambda args, on=on: _enable(args, on))
    p = sub.add_parser("reset", help=_("remove an override (RULE or RULE.SETTING) from a scope"))
    p.add_argument("key", metavar="KEY")
    _scope_args(p)
    p.set_defaults(func=_reset)
