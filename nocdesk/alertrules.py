"""Alert rules beyond up/down: thresholds on measured sensors, TLS certificates, configuration changes.

The rules are data: RULES below holds each rule's sensor kinds, direction and default values, so alerting works
with no configuration at all. Overrides live in the `settings` table, one JSON row per scope
(`rules.all`, `rules.site.<id>`, `rules.group.<id>`, `rules.device.<id>`, each {rule: {param: value}}), and the
value used for a device is the first found in: device > group > site > all > the default here. `enabled: false`
in any scope switches a rule off there (and a closer scope may switch it on again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .i18n import _
from .store import Store

SEVERITIES = ("info", "warning", "critical")
SCOPE_KINDS = ("device", "group", "site", "all")
SETTING_PREFIX = "rules."


@dataclass(frozen=True)
class RuleDef:
    """One rule: what it watches, which way is bad, and its default parameters."""

    key: str
    kinds: tuple[str, ...]            # sensor kinds it reads; () for event rules
    above: bool = True                # True: a value above the threshold is bad; False: below
    threshold: float = 0.0
    unit: str = ""
    for_minutes: int = 0              # the condition must hold this long before an alert opens
    severity: str = "warning"
    extra: Mapping[str, Any] = field(default_factory=dict)  # rule-specific parameters and their defaults

    def defaults(self) -> dict[str, Any]:
        out: dict[str, Any] = {"enabled": True, "severity": self.severity}
        if self.kinds:
            out |= {"threshold": self.threshold, "for_minutes": self.for_minutes}
        return out | dict(self.extra)

    @property
    def title(self) -> str:
        return rule_title(self.key)


# Defaults chosen for a Pemda network: 1000BASE-LX receivers are specified down to about -20 dBm and start
# dropping frames a few dB lower, so -24 dBm is "about to fail"; a fall of 3 dB from the link's own median
# usually means a bent patch cord, a dirty connector or a fibre under stress, well before it breaks.
RULES: dict[str, RuleDef] = {r.key: r for r in (
    RuleDef("rx_power_low", ("rx_dbm",), above=False, threshold=-24.0, unit="dBm", for_minutes=5,
            severity="critical"),
    RuleDef("rx_power_drop", ("rx_dbm",), above=False, threshold=3.0, unit="dB", for_minutes=10,
            extra={"baseline_days": 30, "min_history_days": 3}),
    RuleDef("util_high", ("util_in_pct", "util_out_pct"), threshold=80.0, unit="%", for_minutes=15),
    RuleDef("if_errors", ("in_errors_ps", "out_errors_ps"), threshold=1.0, unit="/s", for_minutes=10),
    RuleDef("rtt_high", ("rtt_ms",), threshold=200.0, unit="ms", for_minutes=5),
    RuleDef("loss_high", ("loss_pct",), threshold=20.0, unit="%", for_minutes=5),
    RuleDef("jitter_high", ("jitter_ms",), threshold=50.0, unit="ms", for_minutes=5),
    RuleDef("cpu_high", ("cpu_pct",), threshold=90.0, unit="%", for_minutes=10),
    RuleDef("mem_high", ("mem_pct",), threshold=90.0, unit="%", for_minutes=15),
    RuleDef("disk_high", ("disk_pct",), threshold=90.0, unit="%", for_minutes=5),
    RuleDef("temp_high", ("temp_c",), threshold=70.0, unit="°C", for_minutes=5),
    RuleDef("cert_expiring", ("cert_days",), above=False, threshold=14.0, unit="d", for_minutes=0),
    # A configuration change is a notice, not a condition: critical so it reaches the remote channels with the
    # default notify.min_severity, never repeated, and closed by itself after auto_resolve_hours.
    RuleDef("config_changed", (), severity="critical", extra={"auto_resolve_hours": 24}),
)}
EVENT_RULES = ("config_changed",)


def rule_title(key: str, _: Callable[[str], str] = _) -> str:
    """A rule's name for people (pass a translator to render it in another language than the current one)."""
    return {
        "rx_power_low": _("Optical Rx power low"), "rx_power_drop": _("Optical Rx power dropping (vs. median)"),
        "util_high": _("Interface utilisation high"), "if_errors": _("Interface errors"),
        "rtt_high": _("Round-trip time high"), "loss_high": _("Packet loss high"), "jitter_high": _("Jitter high"),
        "cpu_high": _("CPU load high"), "mem_high": _("Memory use high"), "disk_high": _("Disk use high"),
        "temp_high": _("Temperature high"), "cert_expiring": _("TLS certificate expiring"),
        "config_changed": _("Configuration changed"),
    }.get(key, key)


# -- scopes -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Where an override applies: a device, a group, a site, or all devices (kind 'all', id 0)."""

    kind: str
    id: int = 0
    name: str = ""

    @property
    def setting_key(self) -> str:
        return SETTING_PREFIX + ("all" if self.kind == "all" else f"{self.kind}.{self.id}")

    def describe(self) -> str:
        return _("all devices") if self.kind == "all" else f"{self.kind} {self.name}"


def find_scope(store: Store, *, device: str | None = None, group: str | None = None,
               site: str | None = None) -> Scope:
    """The scope named on the command line or in the dialog (none given: all devices)."""
    given = [(k, v) for k, v in (("device", device), ("group", group), ("site", site)) if v]
    if len(given) > 1:
        raise ConfigError(_("choose one scope: --device, --group or --site, not several"))
    if not given:
        return Scope("all")
    kind, name = given[0]
    table = {"device": "devices", "group": "device_groups", "site": "sites"}[kind]
    row = store.conn.execute(f"SELECT id, name FROM {table} WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    if row is None:
        raise ConfigError(_("there is no {kind} named '{name}' (check the spelling, or list them)")
                          .format(kind=kind, name=name))
    return Scope(kind, int(row[0]), row[1])


def scope_chain(store: Store, scope: Scope) -> list[Scope]:
    """The scopes whose overrides apply inside `scope`, closest first (for a device: device, group, site, all)."""
    if scope.kind != "device":
        return [scope] + ([Scope("all")] if scope.kind != "all" else [])
    row = store.conn.execute(
        "SELECT d.group_id, g.name AS gname, d.site_id, s.name AS sname FROM devices d "
        "LEFT JOIN device_groups g ON g.id = d.group_id LEFT JOIN sites s ON s.id = d.site_id WHERE d.id = ?",
        (scope.id,)).fetchone()
    chain = [scope]
    if row is not None and row["group_id"] is not None:
        chain.append(Scope("group", row["group_id"], row["gname"]))
    if row is not None and row["site_id"] is not None:
        chain.append(Scope("site", row["site_id"], row["sname"]))
    return chain + [Scope("all")]


# -- overrides ----------------------------------------------------------------------------------------------

def _coerce(rule: RuleDef, param: str, value: Any) -> Any:
    """Check and convert one parameter value (text from the CLI or a number/bool from the dialog)."""
    defaults = rule.defaults()
    if param not in defaults:
        raise ConfigError(_("rule {rule} has no setting '{param}' (it has: {params})")
                          .format(rule=rule.key, param=param, params=", ".join(defaults)))
    default = defaults[param]
    text = str(value).strip().lower()
    if param == "severity":
        if text not in SEVERITIES:
            raise ConfigError(_("{rule}.severity: choose info, warning or critical, not '{value}'")
                              .format(rule=rule.key, value=value))
        return text
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if text in ("1", "true", "yes", "on", "ya"):
            return True
        if text in ("0", "false", "no", "off", "tidak"):
            return False
        raise ConfigError(_("{rule}.{param}: say true or false, not '{value}'")
                          .format(rule=rule.key, param=param, value=value))
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ConfigError(_("{rule}.{param}: '{value}' is not a number").format(rule=rule.key, param=param,
                                                                               value=value)) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ConfigError(_("{rule}.{param}: '{value}' is not a number").format(rule=rule.key, param=param,
                                                                               value=value))
    if isinstance(default, int):
        if number < 0 or number != int(number):
            raise ConfigError(_("{rule}.{param}: must be a whole number of 0 or more, not '{value}'")
                              .format(rule=rule.key, param=param, value=value))
        return int(number)
    return number


def split_key(key: str) -> tuple[RuleDef, str]:
    """'cpu_high' (its threshold) or 'cpu_high.for_minutes' → (rule, parameter)."""
    name, _dot, param = key.strip().partition(".")
    rule = RULES.get(name)
    if rule is None:
        raise ConfigError(_("there is no alert rule '{name}' (see 'nocdesk rules list')").format(name=name))
    if not param:
        param = "threshold" if rule.kinds else "severity"
    return rule, param


def scope_overrides(store: Store, scope: Scope) -> dict[str, dict[str, Any]]:
    """The overrides stored for exactly this scope."""
    value = store.get_setting(scope.setting_key, {}) or {}
    return {str(k): dict(v) for k, v in value.items() if isinstance(v, Mapping)}


def save_overrides(store: Store, scope: Scope, changes: Mapping[str, Mapping[str, Any]]) -> None:
    """Apply {rule: {param: value or None}} to one scope (None removes the override) in one transaction."""
    with store.transaction():
        current = scope_overrides(store, scope)
        for name, params in changes.items():
            rule = RULES.get(name)
            if rule is None:
                raise ConfigError(_("there is no alert rule '{name}' (see 'nocdesk rules list')").format(name=name))
            mine = current.setdefault(name, {})
            for param, value in params.items():
                if value is None:
                    mine.pop(param, None)
                else:
                    mine[param] = _coerce(rule, param, value)
            if not mine:
                current.pop(name)
        if current:
            store.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                               "value = excluded.value", (scope.setting_key, json.dumps(current, ensure_ascii=False)))
        else:
            store.conn.execute("DELETE FROM settings WHERE key = ?", (scope.setting_key,))


def set_value(store: Store, scope: Scope, key: str, value: Any) -> tuple[str, str, Any]:
    """`rules set KEY VALUE`: returns (rule, parameter, stored value)."""
    rule, param = split_key(key)
    coerced = _coerce(rule, param, value)
    save_overrides(store, scope, {rule.key: {param: coerced}})
    return rule.key, param, coerced


def set_enabled(store: Store, scope: Scope, rule_key: str, enabled: bool) -> None:
    """Switch a rule on or off in one scope."""
    rule, _param = split_key(rule_key)
    save_overrides(store, scope, {rule.key: {"enabled": bool(enabled)}})


def reset(store: Store, scope: Scope, key: str) -> None:
    """Drop an override ('cpu_high.for_minutes') or every override of a rule ('cpu_high') in one scope."""
    name, _dot, param = key.strip().partition(".")
    rule, _p = split_key(name)
    params = [param] if param else list(scope_overrides(store, scope).get(rule.key, {}))
    save_overrides(store, scope, {rule.key: {p: None for p in params}})


# -- effective values -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Effective:
    """One parameter of one rule as it applies in a scope, and where the value comes from."""

    rule: str
    param: str
    value: Any
    origin: str          # 'default', 'all', 'site X', 'group Y', 'device Z'


def effective(store: Store, scope: Scope) -> list[Effective]:
    """Every parameter of every rule as it applies in `scope`."""
    chain = scope_chain(store, scope)
    layers = [(s, scope_overrides(store, s)) for s in chain]
    out = []
    for rule in RULES.values():
        for param, default in rule.defaults().items():
            value, origin = default, "default"
            for s, overrides in layers:
                if param in overrides.get(rule.key, {}):
                    value, origin = overrides[rule.key][param], ("all" if s.kind == "all" else f"{s.kind} {s.name}")
                    break
            out.append(Effective(rule.key, param, value, origin))
    return out


class RuleBook:
    """All overrides loaded once, answering 'which parameters apply to device D' fast (one evaluation pass)."""

    def __init__(self, store: Store) -> None:
        self.layers: dict[str, dict[str, dict[str, Any]]] = {}
        for key, value in store.settings().items():
            if key.startswith(SETTING_PREFIX) and isinstance(value, Mapping):
                self.layers[key.removeprefix(SETTING_PREFIX)] = {
                    str(k): dict(v) for k, v in value.items() if isinstance(v, Mapping)}
        self._cache: dict[tuple[int, int | None, int | None], dict[str, dict[str, Any]]] = {}

    def loosest(self, rule: RuleDef) -> float:
        """The threshold that lets the most values through as bad, over every scope (a pre-filter for SQL)."""
        values = [float(rule.threshold)] + [float(layer[rule.key]["threshold"]) for layer in self.layers.values()
                                            if "threshold" in layer.get(rule.key, {})]
        return min(values) if rule.above else max(values)

    def params(self, device_id: int, group_id: int | None, site_id: int | None) -> dict[str, dict[str, Any]]:
        """{rule: parameters} for one device."""
        cache_key = (device_id, group_id, site_id)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        names = [f"device.{device_id}", f"group.{group_id}" if group_id is not None else "",
                 f"site.{site_id}" if site_id is not None else "", "all"]
        layers = [self.layers[n] for n in names if n in self.layers]
        out = {}
        for rule in RULES.values():
            values = rule.defaults()
            for layer in reversed(layers):  # farthest first, so the closest scope wins
                values.update(layer.get(rule.key, {}))
            out[rule.key] = values
        self._cache[cache_key] = out
        return out


def describe_value(value: Any) -> str:
    """A parameter value as the CLI prints it."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def as_json(effs: list[Effective]) -> str:
    """The effective rules as JSON for scripts."""
    return json.dumps([e.__dict__ for e in effs], ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class RuleRow:
    """One rule as the rules dialog shows it in a scope: values in effect, where each comes from."""

    rule: str
    title: str
    unit: str
    values: dict[str, Any]
    origins: dict[str, str]
    here: tuple[str, ...]             # parameters overridden in this very scope


def rules_table(store: Store, scope: Scope) -> list[RuleRow]:
    """Every rule in `scope` for the dialog (one row per rule)."""
    here = scope_overrides(store, scope)
    rows: dict[str, RuleRow] = {}
    for e in effective(store, scope):
        row = rows.setdefault(e.rule, RuleRow(e.rule, rule_title(e.rule), RULES[e.rule].unit, {}, {},
                                              tuple(here.get(e.rule, {}))))
        row.values[e.param] = e.value
        row.origins[e.param] = e.origin
    return list(rows.values())


def scope_targets(store: Store) -> dict[str, list[tuple[int, str]]]:
    """(id, name) of every device, group and site, for a scope picker."""
    q = store.conn.execute
    return {kind: [(r[0], r[1]) for r in q(f"SELECT id, name FROM {table} ORDER BY name COLLATE NOCASE")]
            for kind, table in (("device", "devices"), ("group", "device_groups"), ("site", "sites"))}
