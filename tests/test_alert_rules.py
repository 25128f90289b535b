"""Threshold rules, Rx-power drift, scopes, root cause and config changes through a real store, the real alert
manager and dispatcher, and real peers (a local HTTP server standing in for a webhook gateway)."""

from __future__ import annotations

import pytest
from alert_helpers import T0, build_lab, channel_settings
from alert_rules_helpers import add_port, every_minute, feed
from notify_peers import http_server

from nocdesk import alertrules, ruleeval
from nocdesk.alerts import acknowledge, get_alert, list_alerts
from nocdesk.errors import ConfigError
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.rollups import run_rollups
from nocdesk.ruleeval import RuleEvaluator
from nocdesk.samples import Ingest, SensorKey
from nocdesk.states import Outcome, StateConfig, StateMachine

WARNINGS_OUT = {"notify.min_severity": "warning"}


def rule_alerts(lab, rule=None):
    return [a for a in list_alerts(lab.store) if a.rule == (rule or a.rule) and a.target_type in
            ("sensor", "device") and a.rule in alertrules.RULES]


def test_utilisation_above_80_for_15_minutes_gives_one_alert_and_one_recovery(tmp_path):
    with http_server(lambda r: (200, {})) as hook:
        lab = build_lab(tmp_path, settings=channel_settings(webhook_url=hook.base + "/wa", **WARNINGS_OUT))
        port = add_port(lab.store, lab.ids["kec1"], name="Gi0/24", alias="uplink kantor camat")
        ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
        key = SensorKey(lab.ids["kec1"], "util_in_pct", interface_id=port)
        feed(lab.store, ingest, key, every_minute(T0 - 3600, T0, 40.0))
        assert rules.evaluate(T0).opened == []
        for minute in range(1, 16):  # busy from T0+60 on: 15 minutes pass at T0+960
            ts = T0 + 60 * minute
            feed(lab.store, ingest, key, [(ts, 93.5)])
            stats = rules.evaluate(ts)
            assert stats.opened == [], f"opened after only {minute} min"
        ts = T0 + 960
        feed(lab.store, ingest, key, [(ts, 91.0)])
        (alert_id,) = rules.evaluate(ts).opened
        for minute in range(17, 20):  # still busy: no second alert
            feed(lab.store, ingest, key, [(T0 + 60 * minute, 95.0)])
            assert rules.evaluate(T0 + 60 * minute).opened == []
        alert = get_alert(lab.store, alert_id)
        assert (alert.rule, alert.severity, alert.status) == ("util_high", "warning", "open")
        assert alert.message == "Inbound utilisation of kec1 Gi0/24 (uplink kantor camat) at 91% for 15 min " \
                                "(threshold 80%)"
        lab.send(ts)
        (problem,) = hook.requests
        assert problem.json()["kind"] == "problem" and "kec1 Gi0/24" in problem.json()["text"]
        assert problem.json()["subject"].startswith("[nocdesk] ALERT: Inbound utilisation of kec1")

        feed(lab.store, ingest, key, [(T0 + 1260, 35.0)])
        assert rules.evaluate(T0 + 1260).closed == [alert_id]
        assert get_alert(lab.store, alert_id).status == "resolved"
        lab.send(T0 + 1260)
        assert len(hook.requests) == 2
        recovery = hook.requests[1].json()
        assert recovery["kind"] == "recovery" and "back to normal (35%)" in recovery["text"]
        assert len(rule_alerts(lab, "util_high")) == 1


def test_short_burst_does_not_alert(tmp_path):
    lab = build_lab(tmp_path)
    port = add_port(lab.store, lab.ids["kec1"])
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    key = SensorKey(lab.ids["kec1"], "util_out_pct", interface_id=port)
    feed(lab.store, ingest, key, every_minute(T0 - 1800, T0, 30.0) + every_minute(T0 + 60, T0 + 600, 99.0)
         + [(T0 + 660, 20.0)] + every_minute(T0 + 720, T0 + 1200, 99.0))
    assert rules.evaluate(T0 + 1200).opened == []  # 10 + 8 busy minutes with a quiet one between: no 15 min run


def _optics(lab, ingest):
    steady = SensorKey(lab.ids["kec1"], "rx_dbm", interface_id=add_port(lab.store, lab.ids["kec1"], 25, "Te1/1"))
    falling = SensorKey(lab.ids["cam1"], "rx_dbm", interface_id=add_port(lab.store, lab.ids["cam1"], 1, "sfp1"))
    month = [T0 - 30 * 86400 + h * 3600 for h in range(30 * 24)]
    feed(lab.store, ingest, steady, [(ts, -20.0 + (0.1 if ts % 7200 else -0.1)) for ts in month])
    feed(lab.store, ingest, falling, [(ts, -16.0 + (0.1 if ts % 7200 else -0.1)) for ts in month])
    run_rollups(lab.store, T0)  # the hourly rollups the median is taken from
    return steady, falling


def test_rx_power_falling_4_db_below_its_median_alerts_a_steady_low_link_does_not(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0})
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    steady, falling = _optics(lab, ingest)
    feed(lab.store, ingest, steady, every_minute(T0, T0 + 900, -20.0))
    feed(lab.store, ingest, falling, every_minute(T0, T0 + 900, -20.0))  # the same level, 4 dB below its median
    stats = rules.evaluate(T0 + 900)
    (alert,) = [get_alert(lab.store, i) for i in stats.opened]
    assert alert.rule == "rx_power_drop" and alert.device_id == lab.ids["cam1"]
    assert alert.details["median"] == pytest.approx(-16.0, abs=0.15)
    assert "cam1 sfp1 fell to -20 dBm, 4 dB below its 30-day median of -16 dBm" in alert.message
    # The absolute threshold (-24 dBm) is not crossed by either, and the steady link has nothing to report.
    assert not [a for a in rule_alerts(lab) if a.device_id == lab.ids["kec1"] or a.rule == "rx_power_low"]


def test_rx_power_below_absolute_threshold_alerts_even_on_a_new_link(tmp_path):
    lab = build_lab(tmp_path)
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    key = SensorKey(lab.ids["kec1"], "rx_dbm", interface_id=add_port(lab.store, lab.ids["kec1"]))
    feed(lab.store, ingest, key, every_minute(T0, T0 + 300, -26.3))
    (alert_id,) = rules.evaluate(T0 + 300).opened
    alert = get_alert(lab.store, alert_id)
    assert (alert.rule, alert.severity) == ("rx_power_low", "critical")  # no history yet: no drop rule
    assert alert.message == "Optical Rx power on kec1 Gi0/1 is -26.3 dBm, below -24 dBm"


def test_device_override_beats_site_and_site_beats_default(tmp_path):
    lab = build_lab(tmp_path)
    store = lab.store
    site = alertrules.find_scope(store, site="Kec. Sukamaju")
    alertrules.set_value(store, site, "cpu_high", "95")
    alertrules.set_value(store, alertrules.find_scope(store, device="cam2"), "cpu_high", "60")
    alertrules.set_value(store, site, "cpu_high.for_minutes", "0")
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    for name in ("cam1", "cam2", "srv1"):  # cam1, cam2 in the site; srv1 elsewhere (default 90 % for 10 min)
        feed(store, ingest, SensorKey(lab.ids[name], "cpu_pct"), [(T0, 92.0)])
    opened = [get_alert(store, i) for i in rules.evaluate(T0).opened]
    assert [a.device_id for a in opened] == [lab.ids["cam2"]]
    assert "threshold 60%" in opened[0].message
    eff = {(e.rule, e.param): e for e in alertrules.effective(store, alertrules.find_scope(store, device="cam2"))}
    assert (eff["cpu_high", "threshold"].value, eff["cpu_high", "threshold"].origin) == (60.0, "device cam2")
    assert (eff["cpu_high", "for_minutes"].value, eff["cpu_high", "for_minutes"].origin) == (0, "site Kec. Sukamaju")
    assert eff["mem_high", "threshold"].origin == "default"


def test_rule_disabled_for_a_group_is_silent_there_only(tmp_path):
    lab = build_lab(tmp_path)
    store = lab.store
    cctv = add_device(store, DeviceSpec("cam9", "198.18.1.99", "cctv", site="Kec. Sukamaju", group="CCTV",
                                        parent="kec1"))
    store.conn.execute("UPDATE devices SET state = 'up'")
    alertrules.set_enabled(store, alertrules.find_scope(store, group="CCTV"), "disk_high", False)
    ingest, rules = Ingest(store), RuleEvaluator(store, lab.alerts)
    for dev in (cctv, lab.ids["srv1"]):
        feed(store, ingest, SensorKey(dev, "disk_pct", label="/var"), every_minute(T0, T0 + 300, 97.0))
    (alert_id,) = rules.evaluate(T0 + 300).opened
    assert get_alert(store, alert_id).device_id == lab.ids["srv1"]
    assert get_alert(store, alert_id).message == "Disk use high on srv1 /var: 97% for 5 min (threshold 90%)"
    # Switching it off for srv1 as well closes the open alert quietly.
    alertrules.set_enabled(store, alertrules.find_scope(store, device="srv1"), "disk_high", False)
    assert rules.evaluate(T0 + 360).closed == [alert_id]


def test_a_down_device_gets_no_cpu_alert_until_it_is_back(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0})
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    srv = lab.ids["srv1"]
    feed(lab.store, ingest, SensorKey(srv, "cpu_pct"), every_minute(T0 - 900, T0, 99.0))
    lab.alerts.on_transitions(lab.down("srv1"))
    assert rules.evaluate(T0).opened == []
    assert [a.rule for a in list_alerts(lab.store)] == ["device_down"]
    lab.clock.now = T0 + 120
    lab.alerts.on_transitions(lab.up("srv1"))
    feed(lab.store, ingest, SensorKey(srv, "cpu_pct"), [(T0 + 60, 99.0), (T0 + 120, 99.0)])
    (alert_id,) = rules.evaluate(T0 + 120).opened
    assert get_alert(lab.store, alert_id).rule == "cpu_high"


def test_unreachable_children_and_down_ports_raise_nothing(tmp_path):
    lab = build_lab(tmp_path)
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", cause="kec1"))
    feed(lab.store, ingest, SensorKey(lab.ids["cam1"], "loss_pct"), every_minute(T0 - 600, T0, 100.0))
    port = add_port(lab.store, lab.ids["core"], 3, "Gi0/3")
    lab.store.conn.execute("UPDATE interfaces SET state = 'down' WHERE id = ?", (port,))
    feed(lab.store, ingest, SensorKey(lab.ids["core"], "rx_dbm", interface_id=port), every_minute(T0 - 600, T0, -40))
    assert rules.evaluate(T0).opened == []


def test_maintenance_marks_and_silences_a_threshold_alert(tmp_path):
    lab = build_lab(tmp_path)
    lab.store.conn.execute("INSERT INTO maintenance_windows(name, target_type, target_id, start_ts, end_ts) "
                           "VALUES ('ganti UPS', 'device', ?, ?, ?)", (lab.ids["srv1"], T0 - 60, T0 + 3600))
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    feed(lab.store, ingest, SensorKey(lab.ids["srv1"], "temp_c", label="CPU"), every_minute(T0 - 300, T0, 81.0))
    (alert_id,) = rules.evaluate(T0).opened
    assert get_alert(lab.store, alert_id).in_maintenance
    assert lab.deliveries() == []


def test_critical_rule_alert_is_repeated_until_acknowledged(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0, "notify.renotify_minutes": 30})
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    key = SensorKey(lab.ids["kec1"], "rx_dbm", interface_id=add_port(lab.store, lab.ids["kec1"]))
    feed(lab.store, ingest, key, every_minute(T0, T0 + 300, -30.0))
    (alert_id,) = rules.evaluate(T0 + 300).opened
    lab.send(T0 + 300)
    lab.send(T0 + 300 + 1801)
    assert [d["kind"] for d in lab.deliveries(channel="desktop")] == ["problem", "reminder"]
    acknowledge(lab.store, alert_id, user="budi")
    lab.send(T0 + 300 + 3700)
    assert [d["kind"] for d in lab.deliveries(channel="desktop")] == ["problem", "reminder"]


def test_certificate_expiring_alerts_on_the_service(tmp_path):
    lab = build_lab(tmp_path)
    svc = lab.store.conn.execute("INSERT INTO services(device_id, kind, name, url, state) VALUES (?, 'http', "
                                 "'SIMPEG', 'https://198.18.0.10/', 'up')", (lab.ids["srv1"],)).lastrowid
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    feed(lab.store, ingest, SensorKey(lab.ids["srv1"], "cert_days", service_id=svc), [(T0, 9.4)])
    (alert_id,) = rules.evaluate(T0).opened
    assert get_alert(lab.store, alert_id).message == \
        "TLS certificate of srv1 SIMPEG expires in 9.4 days (warning at 14 days)"


def test_flapping_from_the_real_state_machine_gives_one_alert_that_settles(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0})
    machine = StateMachine(StateConfig(down_after_failures=1, flap_changes=4, flap_window_s=600))
    key = ("device", lab.ids["srv1"])
    machine.track(key, state="up", since=T0 - 3600, device_id=lab.ids["srv1"])
    t = T0
    for ok in (False, True, False, True, False, True):
        t += 60
        lab.clock.now = t
        transitions = machine.apply([Outcome(key, t, "ok" if ok else "failed", "" if ok else "timeout")])
        for tr in transitions:
            lab.store.conn.execute("INSERT INTO state_changes(target_type, target_id, ts, state, previous) "
                                   "VALUES (?, ?, ?, ?, ?)", (tr.target_type, tr.target_id, tr.ts, tr.state,
                                                              tr.previous))
        lab.alerts.on_transitions(transitions)
    flapping = [a for a in list_alerts(lab.store) if a.rule == "flapping"]
    assert len(flapping) == 1 and flapping[0].status == "open"
    lab.alerts.tick(t + 601)
    assert get_alert(lab.store, flapping[0].id).status == "resolved"


def test_bad_values_are_refused_with_the_rule_and_setting_named(tmp_path):
    lab = build_lab(tmp_path)
    everywhere = alertrules.find_scope(lab.store)
    with pytest.raises(ConfigError, match="util_high.for_minutes: must be a whole number"):
        alertrules.set_value(lab.store, everywhere, "util_high.for_minutes", "-5")
    with pytest.raises(ConfigError, match="there is no alert rule 'cpu_hot'"):
        alertrules.set_value(lab.store, everywhere, "cpu_hot", "5")
    with pytest.raises(ConfigError, match="rule cpu_high has no setting 'colour'"):
        alertrules.set_value(lab.store, everywhere, "cpu_high.colour", "red")
    with pytest.raises(ConfigError, match="there is no device named 'sw-x'"):
        alertrules.find_scope(lab.store, device="sw-x")


def _backup(lab, name: str, text: str, ts: int):
    """Record a fetched configuration exactly as a backup run does (the SSH fetch itself is tested elsewhere)."""
    from nocdesk.collectors.profiles import load_profiles
    from nocdesk.collectors.ssh_backup import ConfigSnapshot
    from nocdesk.configbackup import _Job, _record
    from nocdesk.credentials import SshCredential

    device = dict(lab.store.conn.execute("SELECT * FROM devices WHERE name = ?", (name,)).fetchone())
    job = _Job(device, load_profiles()["cisco_ios"], SshCredential("backup"), None)
    return _record(lab.store, job, ConfigSnapshot(ok=True, text=text), ts, 0)


CONFIG_V1 = "hostname kec1\n!\ninterface Gi0/1\n description uplink\n!\nend\n"
CONFIG_V2 = "hostname kec1\n!\ninterface Gi0/1\n description uplink\n shutdown\n!\nsnmp-server community x RO\nend\n"


def test_config_change_reaches_the_webhook_with_the_diff_summary(tmp_path):
    with http_server(lambda r: (200, {})) as hook:
        lab = build_lab(tmp_path, settings=channel_settings(webhook_url=hook.base + "/gateway"))
        rules = RuleEvaluator(lab.store, lab.alerts)
        assert _backup(lab, "kec1", CONFIG_V1, T0 - 86400).result == "first"
        rules.evaluate(T0 - 86400)
        assert _backup(lab, "kec1", CONFIG_V2, T0).result == "changed"
        (alert_id,) = rules.evaluate(T0 + 5).opened
        assert rules.evaluate(T0 + 20).opened == []  # the same event never alerts twice
        alert = get_alert(lab.store, alert_id)
        assert (alert.rule, alert.device_id, alert.severity) == ("config_changed", lab.ids["kec1"], "critical")
        lab.send(T0 + 5)
        (request,) = hook.requests
        body = request.json()
        assert body["subject"] == "[nocdesk] CHANGE: Configuration of kec1 changed: +2 -0 lines"
        assert "+ shutdown" in body["text"] and body["facts"]["summary"] == "+2 -0 lines"
        # A notice, not a condition: no reminder, and it closes by itself a day later without a message.
        lab.send(T0 + 2 * 3600)
        assert len(hook.requests) == 1
        rules.evaluate(T0 + 25 * 3600)
        assert get_alert(lab.store, alert_id).status == "resolved"
        lab.send(T0 + 25 * 3600)
        assert len(hook.requests) == 1


def test_config_change_alert_can_be_switched_off_for_a_site(tmp_path):
    lab = build_lab(tmp_path)
    rules = RuleEvaluator(lab.store, lab.alerts)
    alertrules.set_enabled(lab.store, alertrules.find_scope(lab.store, site="Kec. Sukamaju"), "config_changed", False)
    _backup(lab, "kec1", CONFIG_V1, T0 - 60)
    _backup(lab, "kec1", CONFIG_V2, T0)
    assert rules.evaluate(T0).opened == []
    events = lab.store.conn.execute("SELECT count(*) FROM events WHERE kind = 'config_changed'").fetchone()[0]
    assert events == 1  # still recorded as an event


def test_optic_medians_are_spread_over_passes_and_the_drop_still_alerts(tmp_path, monkeypatch):
    monkeypatch.setattr(ruleeval, "BASELINES_PER_PASS", 1)  # as 200 of 1,000 optics on a big network
    lab = build_lab(tmp_path, settings={"notify.group_wait_s": 0})
    ingest, rules = Ingest(lab.store), RuleEvaluator(lab.store, lab.alerts)
    steady, falling = _optics(lab, ingest)
    feed(lab.store, ingest, steady, every_minute(T0, T0 + 900, -20.0))
    feed(lab.store, ingest, falling, every_minute(T0, T0 + 960, -20.0))
    first = rules.evaluate(T0 + 900)
    assert len(rules._baselines) == 1  # one median per pass: the other optic waits
    second = rules.evaluate(T0 + 930)
    assert len(rules._baselines) == 2
    opened = [get_alert(lab.store, i) for i in first.opened + second.opened]
    assert [(a.rule, a.device_id) for a in opened] == [("rx_power_drop", lab.ids["cam1"])]
    assert rules.evaluate(T0 + 960).opened == []  # cached medians: no new reads, no second alert
