"""Each delivery channel against a real peer on loopback: aiosmtpd (plain, STARTTLS, TLS, AUTH, refusals) and a
local HTTP server standing in for the Telegram Bot API and for a webhook gateway."""

from __future__ import annotations

import socket

import pytest
from notify_peers import free_port, http_server, self_signed_cert, smtp_server

from nocdesk.notify.email import EmailChannel
from nocdesk.notify.telegram import TelegramChannel
from nocdesk.notify.webhook import WebhookChannel

PAYLOAD = {"kind": "problem", "subject": "[nocdesk] DOWN: Fiber link core ↔ kec1 down",
           "summary": "Fiber link core ↔ kec1 down: 2 devices unreachable (kec1, cam1)",
           "text": "Fiber link core ↔ kec1 down: 2 devices unreachable (kec1, cam1)\nSite: Kec. Sukamaju",
           "severity": "critical", "alert_id": 7, "lang": "en", "facts": {"rule": "link_down"}}


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    return self_signed_cert(tmp_path_factory.mktemp("tls"))


def test_plain_smtp_delivers_exactly_the_expected_mail():
    with smtp_server() as (handler, port):
        result = EmailChannel("127.0.0.1", port, "plain", sender="nocdesk@pemda.example").send("noc@pemda.example",
                                                                                               PAYLOAD)
    assert result.ok, result.error
    (mail,) = handler.mails
    assert mail.rcpt_tos == ["noc@pemda.example"] and mail.mail_from == "nocdesk@pemda.example"
    assert mail.subject == PAYLOAD["subject"]
    assert "2 devices unreachable (kec1, cam1)" in mail.body and "Kec. Sukamaju" in mail.body
    assert mail.message["X-Nocdesk-Alert"] == "7"


def test_starttls_with_login_and_a_trusted_private_ca(cert):
    with smtp_server(starttls_cert=cert, users={"nocdesk": "s3cret"}) as (handler, port):
        channel = EmailChannel("127.0.0.1", port, "starttls", username="nocdesk", password="s3cret",
                               sender="nocdesk@pemda.example", ca_file=str(cert[0]))
        result = channel.send("noc@pemda.example", PAYLOAD)
    assert result.ok, result.error
    (mail,) = handler.mails
    assert mail.authenticated_as == "nocdesk"


def test_implicit_tls_port(cert):
    with smtp_server(implicit_tls_cert=cert) as (handler, port):
        result = EmailChannel("127.0.0.1", port, "ssl", ca_file=str(cert[0])).send("noc@pemda.example", PAYLOAD)
    assert result.ok, result.error
    assert len(handler.mails) == 1


def test_wrong_password_says_what_to_check(cert):
    with smtp_server(starttls_cert=cert, users={"nocdesk": "s3cret"}) as (handler, port):
        result = EmailChannel("127.0.0.1", port, "starttls", username="nocdesk", password="wrong",
                              ca_file=str(cert[0])).send("noc@pemda.example", PAYLOAD)
    assert not result.ok and handler.mails == []
    assert "refused the login of 'nocdesk'" in result.error and "password credential" in result.error
    assert "wrong" not in result.error


def test_untrusted_certificate_points_at_ca_file(cert):
    with smtp_server(starttls_cert=cert) as (handler, port):
        result = EmailChannel("127.0.0.1", port, "starttls").send("noc@pemda.example", PAYLOAD)
    assert not result.ok and handler.mails == []
    assert "not trusted" in result.error and "notify.email.ca_file" in result.error


@pytest.mark.parametrize("refusal", ["550 5.7.1 relaying denied", "451 4.3.0 try again later"])
def test_refused_mail_is_a_failure_naming_the_server_reply(refusal):
    with smtp_server(refuse=refusal) as (handler, port):
        result = EmailChannel("127.0.0.1", port, "plain").send("noc@pemda.example", PAYLOAD)
    assert not result.ok and handler.attempts == 1
    assert refusal.split()[0] in result.error and f"127.0.0.1:{port}" in result.error


def test_nothing_listening_names_host_and_port():
    port = free_port()
    result = EmailChannel("127.0.0.1", port, "plain", timeout_s=2).send("noc@pemda.example", PAYLOAD)
    assert not result.ok and f"127.0.0.1:{port}" in result.error


def test_starttls_against_a_silent_server_times_out_quickly():
    with socket.socket() as silent:  # accepts TCP (backlog) but never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]
        result = EmailChannel("127.0.0.1", port, "starttls", timeout_s=1).send("noc@pemda.example", PAYLOAD)
    assert not result.ok and "did not answer within 1 s" in result.error


def test_telegram_posts_send_message_with_chat_id_and_text():
    with http_server() as api:
        result = TelegramChannel("123456:ABC-token", api_base=api.base + "/").send("-1001234", PAYLOAD)
    assert result.ok, result.error
    (request,) = api.requests
    assert request.path == "/bot123456:ABC-token/sendMessage"
    body = request.json()
    assert body["chat_id"] == "-1001234" and "kec1, cam1" in body["text"] and "Kec. Sukamaju" in body["text"]


def test_telegram_rate_limit_answer_carries_retry_after():
    with http_server(lambda r: (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 17",
                                      "parameters": {"retry_after": 17}})) as api:
        result = TelegramChannel("1:x", api_base=api.base).send("42", PAYLOAD)
    assert not result.ok and result.retry_after_s == 17 and "429" in result.error


def test_telegram_bad_token_says_so_without_leaking_it():
    with http_server(lambda r: (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})) as api:
        result = TelegramChannel("1:supersecret", api_base=api.base).send("42", PAYLOAD)
    assert not result.ok and "token" in result.error and "supersecret" not in result.error


def test_telegram_long_text_is_cut_to_the_api_limit():
    with http_server() as api:
        TelegramChannel("1:x", api_base=api.base).send("42", PAYLOAD | {"text": "x" * 5000})
    assert len(api.requests[0].json()["text"]) == 4096


def test_webhook_posts_json_with_the_configured_headers():
    with http_server(lambda r: (202, {})) as hook:
        result = WebhookChannel(headers={"Authorization": "Bearer wa-gateway"}).send(hook.base + "/hooks/noc", PAYLOAD)
    assert result.ok, result.error
    (request,) = hook.requests
    assert request.path == "/hooks/noc" and request.headers["authorization"] == "Bearer wa-gateway"
    body = request.json()
    assert body["source"] == "nocdesk" and body["alert_id"] == 7 and "kec1, cam1" in body["text"]


def test_webhook_server_error_is_a_failure():
    with http_server(lambda r: (503, {"error": "busy"})) as hook:
        result = WebhookChannel().send(hook.base + "/x", PAYLOAD)
    assert not result.ok and "503" in result.error
