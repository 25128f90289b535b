"""The queue and the dispatcher: back-off, channel independence under a hanging server, settings validation,
quiet hours arithmetic, desktop notices."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from alert_helpers import T0, build_lab, channel_settings
from notify_peers import http_server

from nocdesk.errors import ConfigError
from nocdesk.notify import queue
from nocdesk.notify.desktop import take_desktop
from nocdesk.notify.settings import QuietHours, load_notify_settings


@pytest.mark.parametrize(("attempts", "delay_s"), [(1, 30), (2, 60), (3, 120), (6, 960), (8, 3600), (20, 3600)])
def test_backoff_doubles_up_to_an_hour(attempts, delay_s):
    assert queue.backoff_s(attempts, base_s=30, max_s=3600) == delay_s


def test_a_hanging_mail_server_never_delays_telegram(tmp_path):
    with socket.socket() as silent, http_server() as telegram:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # accepts the TCP connection, never says a word
        lab = build_lab(tmp_path, settings=channel_settings(smtp_port=silent.getsockname()[1], api_base=telegram.base,
                                                            **{"notify.email.timeout_s": 2}))
        for channel, recipient in (("email", "noc@pemda.example"), ("telegram", "-100777")):
            queue.enqueue(lab.store, channel=channel, recipient=recipient, now=int(time.time()),
                          payload={"kind": "problem", "summary": "srv1 down", "text": "srv1 down"})
        lab.dispatcher.tick_s = 0.1
        lab.dispatcher.clock = time.time

        async def scenario() -> tuple[float, int]:
            stop = asyncio.Event()
            task = asyncio.create_task(lab.dispatcher.run(stop))
            started = time.monotonic()
            while not telegram.requests and time.monotonic() - started < 10:
                await asyncio.sleep(0.02)
            took = time.monotonic() - started
            email_attempts = lab.deliveries(channel="email")[0]["attempts"]
            while lab.deliveries(channel="email")[0]["attempts"] == 0 and time.monotonic() - started < 10:
                await asyncio.sleep(0.05)
            stop.set()
            await task
            return took, email_attempts

        took, email_attempts_then = asyncio.run(scenario())
    assert len(telegram.requests) == 1 and took < 2
    assert email_attempts_then == 0  # Telegram went out while the mail server was still hanging
    (email,) = lab.deliveries(channel="email")
    assert email["status"] == "queued" and "did not answer within 2 s" in email["last_error"]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("notify.email.security", "tls1.3", "notify.email.security: 'tls1.3' is unknown"),
    ("notify.renotify_minutes", "often", "notify.renotify_minutes: 'often' is not a whole number"),
    ("notify.contacts", [{"name": "Budi", "quiet_hours": "late"}], "quiet hours 'late' of Budi"),
    ("notify.contacts", [{"name": "Budi", "role": "boss"}], "role 'boss' of Budi"),
])
def test_bad_settings_name_the_key(tmp_path, key, value, message):
    lab = build_lab(tmp_path, settings={key: value})
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_notify_settings(lab.store)


def test_security_names_of_the_settings_dialog_are_accepted(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.email.security": "tls"})
    assert load_notify_settings(lab.store).values["notify.email.security"] == "ssl"


@pytest.mark.parametrize(("local_hm", "active", "ends_hm"), [
    ((21, 59), False, (21, 59)), ((22, 0), True, (6, 0)), ((2, 30), True, (6, 0)), ((6, 0), False, (6, 0))])
def test_quiet_hours_across_midnight(local_hm, active, ends_hm):
    import datetime as dt
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Makassar")
    quiet = QuietHours.parse("22:00-06:00", "Asia/Makassar", who="Budi")
    ts = dt.datetime(2026, 1, 5, *local_hm, tzinfo=zone).timestamp()
    assert quiet.active(ts) is active
    end = dt.datetime.fromtimestamp(quiet.ends_after(ts), zone)
    assert (end.hour, end.minute) == ends_hm and end.timestamp() >= ts


def test_desktop_notices_are_taken_once_with_sound_and_stale_ones_dropped(tmp_path):
    lab = build_lab(tmp_path, settings={"notify.sound": True, "notify.group_wait_s": 0})
    queue.enqueue(lab.store, channel="desktop", now=T0 - 7200, payload={"kind": "problem", "summary": "old news"})
    lab.alerts.on_transitions(lab.down("srv1"))
    (notice,) = take_desktop(lab.store, now=T0)
    assert notice.text == "srv1 down" and notice.sound and notice.severity == "critical"
    assert take_desktop(lab.store, now=T0) == []
    statuses = [d["status"] for d in lab.deliveries(channel="desktop")]
    assert statuses == ["dropped", "sent"]
