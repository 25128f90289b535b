"""Shared set-up for alerting tests: a small network in a real store, channel settings pointing at loopback
peers, and a hand-turned clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nocdesk.alerts import AlertManager
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.notify.dispatcher import Dispatcher
from nocdesk.states import Transition
from nocdesk.store import Store, open_store
from nocdesk.topology import add_manual_link

# Monday 5 January 2026, 10:00 WIB (03:00 UTC): office hours in Jakarta.
T0 = int(dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.timezone.utc).timestamp())
SECRETS = {"bot": "123456:TEST-token", "smtp": "s3cret"}


@dataclass
class Clock:
    now: int = T0

    def __call__(self) -> float:
        return self.now


@dataclass
class Lab:
    store: Store
    ids: dict[str, int]
    clock: Clock
    alerts: AlertManager
    dispatcher: Dispatcher
    fiber_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def down(self, *names: str, ts: int | None = None, cause: str | None = None) -> list[Transition]:
        ts = self.clock.now if ts is None else ts
        out = []
        for name in names:
            state = "unreachable" if cause else "down"
            out.append(Transition("device", self.ids[name], ts, state, "up", "no answer to 2 checks (timeout)",
                                  "device" if cause else None, self.ids[cause] if cause else None))
            self.store.conn.execute("UPDATE devices SET state = ?, state_since = ? WHERE id = ?",
                                    (state, ts, self.ids[name]))
        return out

    def up(self, *names: str, ts: int | None = None, previous: str = "down") -> list[Transition]:
        ts = self.clock.now if ts is None else ts
        for name in names:
            self.store.conn.execute("UPDATE devices SET state = 'up', state_since = ? WHERE id = ?", (ts, self.ids[name]))
        return [Transition("device", self.ids[n], ts, "up", previous, "answers") for n in names]

    def deliveries(self, **where: Any) -> list[dict[str, Any]]:
        sql = "SELECT *, json_extract(payload, '$.kind') AS kind FROM deliveries"
        if where:
            sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
        return [dict(r) for r in self.store.conn.execute(sql + " ORDER BY id", list(where.values()))]

    def send(self, at: int | None = None) -> Any:
        if at is not None:
            self.clock.now = at
        return self.dispatcher.run_once(self.clock.now)


def build_lab(tmp_path, *, cameras: int = 2, settings: dict[str, Any] | None = None) -> Lab:
    """core (the station's first hop) — fiber — kec1 — cam1..camN, plus srv1 beside the core."""
    store = open_store(tmp_path / "nocdesk.db")
    ids = {"core": add_device(store, DeviceSpec("core", "198.18.0.1", "router", site="Kantor Bupati"))}
    ids["srv1"] = add_device(store, DeviceSpec("srv1", "198.18.0.10", "server", site="Kantor Bupati", parent="core"))
    ids["kec1"] = add_device(store, DeviceSpec("kec1", "198.18.1.1", "switch", site="Kec. Sukamaju", parent="core"))
    for i in range(1, cameras + 1):
        ids[f"cam{i}"] = add_device(store, DeviceSpec(f"cam{i}", f"198.18.1.{10 + i}", "cctv", site="Kec. Sukamaju",
                                                      parent="kec1"))
    store.conn.execute("UPDATE devices SET is_station = 1 WHERE id = ?", (ids["core"],))
    store.conn.execute("UPDATE devices SET state = 'up'")
    fiber = add_manual_link(store, ids["core"], ids["kec1"], medium="fiber")
    store.conn.execute("UPDATE links SET state = 'up'")
    for key, value in (settings or {}).items():
        store.set_setting(key, value)
    clock = Clock()
    alerts = AlertManager(store, clock=clock)
    dispatcher = Dispatcher(store, alerts=alerts, secrets=SECRETS.__getitem__, clock=clock)
    return Lab(store, ids, clock, alerts, dispatcher, fiber)


def channel_settings(*, smtp_port: int | None = None, api_base: str | None = None, webhook_url: str | None = None,
                     **extra: Any) -> dict[str, Any]:
    """Settings turning on the channels whose peer is given."""
    values: dict[str, Any] = {"notify.group_wait_s": 10, "notify.desktop": True}
    if smtp_port:
        values.update({"notify.email.enabled": True, "notify.email.smtp_host": "127.0.0.1",
                       "notify.email.smtp_port": smtp_port, "notify.email.security": "plain",
                       "notify.email.from": "nocdesk@pemda.example", "notify.email.to": "noc@pemda.example"})
    if api_base:
        values.update({"notify.telegram.enabled": True, "notify.telegram.chat_id": "-100777",
                       "notify.telegram.api_base": api_base, "notify.telegram.token_credential": "bot"})
    if webhook_url:
        values.update({"notify.webhook.enabled": True, "notify.webhook.url": webhook_url})
    return values | extra
