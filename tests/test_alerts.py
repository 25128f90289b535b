"""Alert lifecycle end to end through a real store and real peers: grouping, delivery, recovery, refusal and
retry, acknowledgement, re-notification, escalation, quiet hours, maintenance, flapping, monitor offline."""

from __future__ import annotations

import pytest
from alert_helpers import SECRETS, T0, build_lab, channel_settings
from notify_peers import http_server, smtp_server

from nocdesk.alerts import acknowledge, get_alert, list_alerts, resolve
from nocdesk.errors import ConfigError
from nocdesk.notify.desktop import take_desktop
from nocdesk.states import Transition


def test_fiber_cut_gives_one_message_per_channel_and_one_recovery(tmp_path):
    with smtp_server() as (smtp, port), http_server() as telegram, http_server(lambda r: (200, {})) as hook:
        lab = build_lab(tmp_path, settings=channel_settings(smtp_port=port, api_base=telegram.base,
                                                            webhook_url=hook.base + "/wa"))
        lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", "cam2", cause="kec1"))
        (alert,) = list_alerts(lab.store)
        assert (alert.rule, alert.status, alert.target_type) == ("link_down", "open", "link")
        lab.send()  # still inside the group wait: nothing goes out yet
        assert smtp.mails == [] and telegram.requests == []
        lab.send(T0 + 11)
        (mail,) = smtp.mails
        assert "Fiber link core ↔ kec1 down: 3 devices unreachable (kec1, cam1, cam2)" in mail.subject
        assert "Kec. Sukamaju" in mail.body
        (request,) = telegram.requests
        assert request.path == f"/bot{SECRETS['bot']}/sendMessage"
        body = request.json()
        assert body["chat_id"] == "-100777" and all(n in body["text"] for n in ("kec1", "cam1", "cam2"))
        assert len(hook.requests) == 1 and hook.requests[0].json()["alert_id"] == alert.id
        assert [n.title for n in take_desktop(lab.store, now=T0 + 11)] == [mail.subject.removeprefix("[nocdesk] ")]

        lab.clock.now = T0 + 754
        lab.alerts.on_transitions(lab.up("kec1") + lab.up("cam1", "cam2", previous="unreachable"))
        lab.send()
        assert len(smtp.mails) == 2 and len(telegram.requests) == 2 and len(hook.requests) == 2
        assert "back up after 13 min" in smtp.mails[1].subject and "3 devices reachable again" in smtp.mails[1].subject
        assert "13 min" in telegram.requests[1].json()["text"]
        assert get_alert(lab.store, alert.id).status == "resolved"


def test_refusing_smtp_delays_delivery_loses_nothing_and_keeps_order(tmp_path):
    with smtp_server(refuse="451 4.3.0 mailbox busy, try later") as (smtp, port), http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(smtp_port=port, api_base=telegram.base,
                                                            **{"notify.group_wait_s": 0}))
        lab.alerts.on_transitions(lab.down("srv1"))
        lab.send()
        assert len(telegram.requests) == 1 and smtp.attempts == 1 and smtp.mails == []
        (email,) = lab.deliveries(channel="email")
        assert email["status"] == "queued" and email["attempts"] == 1 and "451" in email["last_error"]
        assert email["next_attempt_at"] == T0 + 30
        lab.send(T0 + 20)  # back-off not over: no new try
        assert smtp.attempts == 1
        lab.clock.now = T0 + 25
        lab.alerts.on_transitions(lab.up("srv1"))  # recovered while mail is still refused
        lab.send(T0 + 31)
        assert smtp.attempts == 2 and len(telegram.requests) == 2  # Telegram got the recovery meanwhile
        smtp.refuse = None
        lab.send(T0 + 31 + 60)  # the problem goes first…
        lab.send()  # …and the recovery, queued behind it, on the next pass
        assert [("DOWN" in m.subject, "UP" in m.subject) for m in smtp.mails] == [(True, False), (False, True)]
        assert {d["status"] for d in lab.deliveries() if d["channel"] != "desktop"} == {"sent"}


def test_a_storm_over_the_rate_limit_becomes_one_digest(tmp_path):
    from nocdesk.notify import queue

    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base, **{
            "notify.rate_limit_per_minute": {"telegram": 5}}))
        for i in range(30):
            queue.enqueue(lab.store, channel="telegram", recipient="-100777", now=T0,
                          payload={"kind": "problem", "summary": f"device {i} down", "text": f"device {i} down"})
        lab.send()
        (request,) = telegram.requests
        assert "30 notifications" in request.json()["text"] and "device 29 down" in request.json()["text"]
        assert {d["status"] for d in lab.deliveries() if d["channel"] != "desktop"} == {"sent"}
        for i in range(6):
            queue.enqueue(lab.store, channel="telegram", recipient="-100777", now=T0,
                          payload={"kind": "problem", "summary": f"late {i}", "text": f"late {i}"})
        lab.send()
        assert len(telegram.requests) == 2 and "6 notifications" in telegram.requests[1].json()["text"]
        for i in range(3):
            queue.enqueue(lab.store, channel="telegram", recipient="-100777", now=T0, payload={"text": f"x{i}"})
        lab.send()  # 2 of 5 used in this minute: three single messages fit
        assert [r.json()["text"] for r in telegram.requests[2:]] == ["x0", "x1", "x2"]


def test_acknowledging_stops_renotification(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base, **{
            "notify.renotify_minutes": 30, "notify.group_wait_s": 0}))
        lab.alerts.on_transitions(lab.down("srv1"))
        lab.send()
        lab.send(T0 + 29 * 60)
        assert len(telegram.requests) == 1
        lab.send(T0 + 30 * 60)
        assert len(telegram.requests) == 2 and "Still not acknowledged after 30 min" in telegram.requests[1].json()["text"]
        (alert,) = list_alerts(lab.store)
        acked = acknowledge(lab.store, alert.id, user="budi", comment="PLN outage, genset on the way", now=T0 + 31 * 60)
        assert (acked.status, acked.acked_by, acked.ack_comment) == ("acknowledged", "budi",
                                                                    "PLN outage, genset on the way")
        lab.send(T0 + 61 * 60)
        lab.send(T0 + 300 * 60)
        assert len(telegram.requests) == 2
        with pytest.raises(ConfigError, match="not open any more"):
            acknowledge(lab.store, alert.id, user="sari")
        lab.clock.now = T0 + 301 * 60
        lab.alerts.on_transitions(lab.up("srv1"))  # the recovery still reaches whoever was told
        lab.send()
        assert len(telegram.requests) == 3 and "back up after 5 h 1 min" in telegram.requests[2].json()["text"]


def test_maintenance_window_suppresses_and_marks(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base))
        site = lab.store.conn.execute("SELECT site_id FROM devices WHERE name = 'kec1'").fetchone()[0]
        lab.store.conn.execute("INSERT INTO maintenance_windows(name, target_type, target_id, start_ts, end_ts) "
                               "VALUES ('fiber splice', 'site', ?, ?, ?)", (site, T0 - 60, T0 + 3600))
        lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", cause="kec1"))
        (alert,) = list_alerts(lab.store)
        assert alert.in_maintenance and alert.details["maintenance"] == "fiber splice"
        assert lab.deliveries() == []
        lab.clock.now = T0 + 1800
        lab.alerts.on_transitions(lab.up("kec1") + lab.up("cam1", previous="unreachable"))
        lab.send(T0 + 4 * 3600)
        assert telegram.requests == [] and lab.deliveries() == []
        assert get_alert(lab.store, alert.id).status == "resolved"


def test_escalation_reaches_the_second_contact_only_after_m_minutes(tmp_path):
    contacts = [{"name": "Budi", "telegram_chat_id": "111", "role": "primary"},
                {"name": "Kabid", "telegram_chat_id": "999", "role": "escalation", "language": "id"}]
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base, **{
            "notify.contacts": contacts, "notify.escalate_after_minutes": 15, "notify.renotify_minutes": 0,
            "notify.group_wait_s": 0}))
        lab.alerts.on_transitions(lab.down("srv1"))
        lab.send(T0 + 14 * 60)
        assert sorted(r.json()["chat_id"] for r in telegram.requests) == ["-100777", "111"]
        lab.send(T0 + 15 * 60)
        lab.send(T0 + 45 * 60)
        escalations = [r.json() for r in telegram.requests if r.json()["chat_id"] == "999"]
        assert len(escalations) == 1 and "srv1" in escalations[0]["text"]
        lab.clock.now = T0 + 50 * 60
        lab.alerts.on_transitions(lab.up("srv1"))
        lab.send()
        assert sorted(r.json()["chat_id"] for r in telegram.requests[-3:]) == ["-100777", "111", "999"]


def test_quiet_hours_hold_messages_until_morning(tmp_path):
    night = T0 + 13 * 3600  # 23:00 WIB
    contacts = [{"name": "Budi", "telegram_chat_id": "111", "quiet_hours": "22:00-06:00", "timezone": "Asia/Jakarta"}]
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base, **{
            "notify.contacts": contacts, "notify.group_wait_s": 0}))
        lab.clock.now = night
        lab.alerts.on_transitions(lab.down("srv1"))
        lab.send()
        assert [r.json()["chat_id"] for r in telegram.requests] == ["-100777"]  # the team chat has no quiet hours
        lab.clock.now = night + 2 * 3600
        lab.alerts.on_transitions(lab.up("srv1"))
        lab.send(night + 6 * 3600)  # 05:00: still quiet
        assert [r.json()["chat_id"] for r in telegram.requests] == ["-100777", "-100777"]
        lab.send(night + 7 * 3600)  # 06:00: Budi gets only the recovery, which says how long it lasted
        budi = [r.json()["text"] for r in telegram.requests if r.json()["chat_id"] == "111"]
        assert len(budi) == 1 and "back up after 2 h" in budi[0]


def test_child_alert_is_folded_when_its_parent_dies_moments_later(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, cameras=3, settings=channel_settings(api_base=telegram.base))
        # The camera looked alone at first: its parent switch had answered just before it died.
        lab.alerts.on_transitions(lab.down("cam1"))
        lab.send(T0 + 5)
        lab.clock.now = T0 + 8
        lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam2", "cam3", cause="kec1"))
        lab.send(T0 + 30)
        (request,) = telegram.requests
        assert "4 devices unreachable (kec1, cam1, cam2, cam3)" in request.json()["text"]
        folded, root = sorted(list_alerts(lab.store, limit=5), key=lambda a: a.id)
        assert folded.root_alert_id == root.id and root.status == "open"


def test_link_down_first_then_devices_behind_it_rewrites_the_unsent_message(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base))
        lab.store.conn.execute("UPDATE links SET state = 'down' WHERE id = ?", (lab.fiber_id,))
        lab.alerts.on_transitions([Transition("link", lab.fiber_id, T0, "down", "up", "linkDown trap")])
        lab.clock.now = T0 + 1
        lab.send(T0 + 5)  # held: kec1 and its cameras have no verdict yet
        assert telegram.requests == []
        lab.clock.now = T0 + 6
        lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", "cam2", cause="kec1"))
        lab.send(T0 + 11)
        (request,) = telegram.requests  # one message, already listing the devices
        assert "3 devices unreachable (kec1, cam1, cam2)" in request.json()["text"]


def test_flapping_target_gets_one_alert_until_it_settles(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base, **{"notify.group_wait_s": 0}))
        srv = lab.ids["srv1"]
        for i in range(6):
            state, previous = ("down", "up") if i % 2 == 0 else ("up", "down")
            lab.clock.now = T0 + i * 60
            lab.alerts.on_transitions([Transition("device", srv, lab.clock.now, state, previous, "", flapping=i >= 3)])
            lab.send()
        texts = [r.json()["text"].splitlines()[0] for r in telegram.requests]
        assert texts[:3] == ["srv1 down", "srv1 back up after 1 min", "srv1 down"]
        assert texts[3].startswith("srv1 is flapping") and len(texts) == 4
        lab.send(T0 + 5 * 60 + 601)
        assert telegram.requests[-1].json()["text"].startswith("srv1 stopped flapping; it is up now")
        assert len(telegram.requests) == 5


def test_monitor_offline_is_one_alert_not_one_per_device(tmp_path):
    with http_server() as telegram:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=telegram.base))
        lab.alerts.on_transitions(lab.down("core", "srv1", "kec1", "cam1", "cam2"))
        (alert,) = list_alerts(lab.store)
        assert alert.rule == "monitor_offline" and alert.target_type == "monitor"
        lab.send(T0 + 30)
        lab.clock.now = T0 + 300
        lab.alerts.on_transitions(lab.up("core", "srv1", "kec1", "cam1", "cam2"))
        lab.send()
        texts = [r.json()["text"] for r in telegram.requests]
        assert len(texts) == 2 and texts[0].startswith("Monitoring station offline: no device answers, not even the first hop core")
        assert texts[1].startswith("Monitoring station back online after 5 min")


def test_resolve_by_hand_and_errors_name_the_alert(tmp_path):
    lab = build_lab(tmp_path)
    lab.alerts.on_transitions(lab.down("srv1"))
    (alert,) = list_alerts(lab.store)
    assert resolve(lab.store, alert.id, user="budi", now=T0 + 5).status == "resolved"
    with pytest.raises(ConfigError, match="already resolved"):
        resolve(lab.store, alert.id)
    with pytest.raises(ConfigError, match="no alert 999"):
        acknowledge(lab.store, 999, user="budi")


def test_messages_follow_the_configured_language(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.language": "id", "notify.group_wait_s": 0})
    lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", cause="kec1"))
    (desktop,) = take_desktop(lab.store, now=T0)
    assert desktop.text.startswith("Link serat optik core ↔ kec1 putus")
