"""`nocdesk rules …` as a user types it, the engine hook, and the generic secret functions notify relies on."""

from __future__ import annotations

import json

import pytest
from alert_helpers import T0, build_lab
from alert_rules_helpers import every_minute, feed

import nocdesk.cli as cli
from nocdesk import credentials
from nocdesk.alerting import attach_alerting
from nocdesk.alerts import list_alerts
from nocdesk.engine import Engine
from nocdesk.notify.secrets import read_secret, save_secret
from nocdesk.samples import Ingest, SensorKey
from nocdesk.store import open_store


@pytest.fixture(autouse=True)
def rules_command(monkeypatch, tmp_path):
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    if "nocdesk.commands.rules" not in cli.COMMAND_MODULES:  # until the line is added to nocdesk/cli.py
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "nocdesk.commands.rules"])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_disable_and_list_with_origins(tmp_path, capsys):
    lab = build_lab(tmp_path)
    lab.store.close()
    db = str(tmp_path / "nocdesk.db")
    code, out, _ = run(capsys, "--db", db, "rules", "set", "util_high", "70", "--site", "Kec. Sukamaju")
    assert code == 0 and "util_high.threshold = 70 for site Kec. Sukamaju" in out
    code, out, _ = run(capsys, "--db", db, "rules", "set", "util_high.for_minutes", "5", "--device", "cam1")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "rules", "disable", "temp_high", "--device", "cam1")
    assert code == 0 and "Rule temp_high is off for device cam1" in out
    code, out, _ = run(capsys, "--db", db, "rules", "list", "--device", "cam1")
    lines = out.splitlines()
    assert code == 0 and "Alert rules for device cam1" in lines[0]
    util = lines[lines.index(next(x for x in lines if x.startswith("util_high"))):][:5]
    assert any("threshold" in x and "70" in x and "site Kec. Sukamaju" in x for x in util)
    assert any("for_minutes" in x and "5" in x and "device cam1" in x for x in util)
    code, out, _ = run(capsys, "--db", db, "rules", "list", "--device", "srv1", "--format", "json")
    rows = {(r["rule"], r["param"]): r for r in json.loads(out)}
    assert rows["util_high", "threshold"]["value"] == 80 and rows["util_high", "threshold"]["origin"] == "default"
    assert rows["temp_high", "enabled"]["value"] is True
    code, out, _ = run(capsys, "--db", db, "rules", "reset", "util_high", "--site", "Kec. Sukamaju")
    code, out, _ = run(capsys, "--db", db, "rules", "list", "--device", "cam1", "--format", "json")
    rows = {(r["rule"], r["param"]): r for r in json.loads(out)}
    assert rows["util_high", "threshold"]["origin"] == "default" and rows["temp_high", "enabled"]["value"] is False


def test_user_mistakes_give_one_line_and_exit_2(tmp_path, capsys):
    lab = build_lab(tmp_path)
    lab.store.close()
    db = str(tmp_path / "nocdesk.db")
    code, _, err = run(capsys, "--db", db, "rules", "set", "cpu_high", "lots", "--device", "cam1")
    assert code == 2 and "cpu_high.threshold: 'lots' is not a number" in err
    code, _, err = run(capsys, "--db", db, "rules", "set", "cpu_high", "95", "--device", "cam1", "--site", "X")
    assert code == 2 and "choose one scope" in err
    code, _, err = run(capsys, "--db", db, "rules", "disable", "cpu_high", "--group", "Nope")
    assert code == 2 and "there is no group named 'Nope'" in err


def test_engine_runs_the_rules_after_a_flush(tmp_path):
    lab = build_lab(tmp_path)
    feed(lab.store, Ingest(lab.store), SensorKey(lab.ids["srv1"], "mem_pct"), every_minute(T0 - 1200, T0, 97.0))
    engine = Engine(tmp_path / "nocdesk.db", clock=lab.clock)
    alerting = attach_alerting(engine)
    assert alerting.evaluate_rules in engine.after_flush
    engine.store = lab.store  # what Engine.run() sets up; the hook is then called with (store, now)
    assert alerting.evaluate_rules(lab.store, T0) == []
    assert alerting.evaluate_rules(lab.store, T0 + 1) == []  # within EVAL_EVERY_S: not evaluated again
    assert [a.rule for a in list_alerts(lab.store)] == ["mem_high"]


def test_generic_secrets_and_notify_secrets_share_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "correct horse battery")
    monkeypatch.setattr(credentials, "SCRYPT_N", 2**12)
    store = open_store(tmp_path / "a.db")
    assert credentials.load_secret(store, "report:smtp") is None
    credentials.save_secret(store, "report:smtp", "pa55")
    assert credentials.load_secret(store, "report:smtp") == "pa55"
    save_secret(store, "bot", "123:ABC")
    assert read_secret(store, "bot") == "123:ABC"
    # Same key as before the change: "<scope>:notify:<name>", so secrets stored by older versions still load.
    scope = credentials._scope(store)
    raw = credentials._secret_store("file", None).get(f"{scope}:notify:bot")
    assert raw == "123:ABC"
    other = open_store(tmp_path / "b.db")  # another database has its own scope
    assert credentials.load_secret(other, "report:smtp") is None
    credentials.delete_secret(store, "report:smtp")
    assert credentials.load_secret(store, "report:smtp") is None
    with pytest.raises(Exception, match="secret name"):
        credentials.save_secret(store, "bad key", "x")
    assert "pa55" not in (tmp_path / "data" / "secrets.enc").read_text()
