"""Plug alerting into a running engine: transitions → alerts, rules on measurements (after each flush), the
notification dispatcher, the trap listener.

    engine = Engine(db_path)
    attach_alerting(engine)          # before engine.run()

Everything runs on the engine's loop and its store connection. The trap listener starts only when the
setting traps.enabled is true; a listener that cannot start (port 162 without privileges, port in use) is
reported as an event and in the log, and the engine carries on polling.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from .alerts import AlertManager
from .collectors.traps import TrapListener, TrapListenerConfig, V3TrapUser
from .errors import ConfigError, CredentialError
from .i18n import _
from .notify.dispatcher import Dispatcher, SecretReader
from .ruleeval import RuleEvaluator
from .store import Store
from .trapsink import TrapSink

log = logging.getLogger(__name__)

TRAP_DEFAULTS: dict[str, Any] = {
    "traps.enabled": False,
    "traps.bind": "0.0.0.0",
    "traps.port": 162,
    "traps.credentials": [],        # SNMP credential names to accept; [] = every SNMP credential
    "traps.v3_engine_ids": {},      # {credential name: [engine id hex of each sending agent]}
}


def trap_config(store: Store) -> TrapListenerConfig:
    """The listener's configuration from the settings and the credential store."""
    from .credentials import list_credentials, load_snmp_credential

    values = TRAP_DEFAULTS | {k: v for k, v in store.settings().items() if k.startswith("traps.")}
    names = list(values["traps.credentials"]) or [c.name for c in list_credentials(store) if c.kind == "snmp"]
    communities, users = [], []
    for name in names:
        cred = load_snmp_credential(store, name)
        if cred.version in ("1", "2c"):
            communities.append(cred.community)
            continue
        engine_ids = values["traps.v3_engine_ids"].get(name) or []
        if not engine_ids:
            log.warning("traps: SNMPv3 credential %r has no engine id in traps.v3_engine_ids; its traps are dropped",
                        name)
        users += [V3TrapUser(cred, str(e)) for e in engine_ids]
    try:
        port = int(values["traps.port"])
    except (TypeError, ValueError) as err:
        raise ConfigError(_("traps.port: '{value}' is not a port number").format(value=values["traps.port"])) from err
    return TrapListenerConfig(bind=str(values["traps.bind"]), port=port, communities=tuple(dict.fromkeys(communities)),
                              v3_users=tuple(users))


@dataclass
class Alerting:
    """The alerting parts attached to one engine (created lazily: the engine opens its store in run())."""

    engine: Any
    secrets: SecretReader | None = None
    manager: AlertManager | None = None
    dispatcher: Dispatcher | None = None
    listener: TrapListener | None = None
    sink: TrapSink | None = None
    rules: RuleEvaluator | None = None

    def _manager(self) -> AlertManager:
        if self.manager is None:
            self.manager = AlertManager(self.engine.store, clock=self.engine.clock)
        return self.manager

    def on_transitions(self, transitions: list[Any]) -> None:
        self._manager().on_transitions(transitions)

    def evaluate_rules(self, store: Store, now: int) -> list[Any]:
        """engine.after_flush: threshold, certificate and config-change rules (nocdesk.ruleeval)."""
        if self.rules is None:
            self.rules = RuleEvaluator(store, self._manager())
        return self.rules.after_flush(store, now)

    async def run_dispatcher(self, stop: asyncio.Event) -> None:
        self.dispatcher = Dispatcher(self.engine.store, alerts=self._manager(), secrets=self.secrets,
                                     clock=self.engine.clock)
        await self.dispatcher.run(stop)

    # -- traps ---------------------------------------------------------------------------------------------
    def _apply_interface(self, interface_id: int, device_id: int, admin: str | None, oper: str, ts: int) -> None:
        from .polling import record_transitions

        engine = self.engine
        transitions = engine.machine.apply_interface(("interface", interface_id), admin_status=admin,
                                                     oper_status=oper, ts=ts)
        engine.batch.set_interface(interface_id, oper_status=oper, **({"admin_status": admin} if admin else {}))
        record_transitions(engine.batch, transitions, engine.config, engine.poller.if_by_id)

    def _recheck(self, device_id: int) -> None:
        from .polling import ICMP, SNMP

        now = self.engine.clock()
        for key in ((ICMP, device_id), (SNMP, device_id)):
            self.engine.scheduler.run_now(key, now=now)

    async def run_traps(self, stop: asyncio.Event) -> None:
        store: Store = self.engine.store
        if not store.get_setting("traps.enabled", TRAP_DEFAULTS["traps.enabled"]):
            return
        self.sink = TrapSink(store, apply_interface=self._apply_interface, recheck=self._recheck,
                             on_port_trap=self._manager().note_trap, clock=self.engine.clock)
        try:
            self.listener = TrapListener(trap_config(store), self.sink.handle)
            address = await self.listener.start()
        except (ConfigError, CredentialError) as err:
            log.error("%s", err)
            store.conn.execute("INSERT INTO events(ts, severity, kind, message, details) VALUES (?, 'warning', "
                               "'engine', ?, ?)", (int(time.time()), str(err), json.dumps({"component": "traps"})))
            return
        log.info("listening for SNMP traps on udp %s:%s", *address)
        try:
            await stop.wait()
        finally:
            await self.listener.stop()


def attach_alerting(engine: Any, *, secrets: SecretReader | None = None) -> Alerting:
    """Register alerting with an engine (before it runs); returns the handle for tests and the UI."""
    alerting = Alerting(engine, secrets)
    engine.on_transitions.append(alerting.on_transitions)
    engine.after_flush.append(alerting.evaluate_rules)
    engine.background.append(alerting.run_dispatcher)
    engine.background.append(alerting.run_traps)
    return alerting
