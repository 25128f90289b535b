"""Vendor profiles against snmpsim recordings: one recording and one expected-output file per profile.

A new vendor is a profile, tests/recordings/<profile>.snmprec and <profile>.expected.yaml — found by name.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from nocdesk.collectors import snmp
from nocdesk.collectors.profiles import load_profiles, match_profile
from nocdesk.collectors.system import read_system
from nocdesk.collectors.vendor import read_vendor

try:
    from snmp_agents import RECORDINGS, snmp_backend, snmpsim_agent  # noqa: F401
except ImportError:  # tests/ collected as a package
    from tests.snmp_agents import RECORDINGS, snmp_backend, snmpsim_agent  # noqa: F401

PROFILES = load_profiles()
HOST = "127.0.0.1"


def test_every_profile_has_a_recording_and_expected_output():
    for name in PROFILES:
        assert (RECORDINGS / f"{name}.snmprec").is_file(), f"profile {name} has no recording"
        assert (RECORDINGS / f"{name}.expected.yaml").is_file(), f"profile {name} has no expected output"
    for recording in RECORDINGS.glob("*.snmprec"):
        assert recording.stem in PROFILES, f"recording {recording.name} has no profile"


def _sensor_rows(readings) -> list[dict]:  # noqa: ANN001
    return sorted(({"kind": s.kind, "index": s.index, "if_index": s.if_index, "status": s.status,
                    "value": None if s.value is None else round(s.value, 2)} for s in readings.sensors),
                  key=lambda r: (r["kind"], r["index"]))


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_recording_reads_as_expected(snmpsim_agent, snmp_backend, name):  # noqa: F811
    expected = yaml.safe_load((RECORDINGS / f"{name}.expected.yaml").read_text())
    cred = snmpsim_agent.cred(name)

    async def poll():  # noqa: ANN202
        info = await read_system(HOST, cred, label=name)
        profile = match_profile(PROFILES, info.sys_object_id, info.sys_descr)
        return info, profile, await read_vendor(HOST, cred, profile, label=name)

    info, profile, readings = asyncio.run(poll())
    assert info.sys_name == expected["sys_name"]
    assert profile is not None and profile.name == expected["profile"]
    for field in ("cpu_pct", "memory_pct", "temperature_c"):
        got = getattr(readings, field)
        assert (got is None) == (expected[field] is None), field
        if got is not None:
            assert got == pytest.approx(expected[field], abs=0.01), field
    wanted = sorted(expected["sensors"], key=lambda r: (r["kind"], r["index"]))
    assert _sensor_rows(readings) == wanted


def test_sfp_at_minus_3_5_dbm_is_read_on_every_optical_profile(snmpsim_agent):  # noqa: F811
    # Each optical recording has one healthy SFP at -3.5 dBm Rx: a user's first check of a fiber link.
    optical = {name: profile for name, profile in PROFILES.items() if profile.optical}

    async def poll_all():  # noqa: ANN202 - one event loop, as in the engine
        return {name: await read_vendor(HOST, snmpsim_agent.cred(name), p) for name, p in optical.items()}

    for name, readings in asyncio.run(poll_all()).items():
        rx = [s.value for s in readings.of_kind("optical_rx") if s.status == "ok"]
        assert any(v == pytest.approx(-3.5, abs=0.01) for v in rx), name
    assert len(optical) >= 7


def test_oversized_responses_do_not_lose_rows(snmpsim_agent, snmp_backend):  # noqa: F811
    # 120 strings of ~1 kB: every bulk response is far over the fast path's ~4 kB limit.
    rows = asyncio.run(snmp.walk(HOST, snmpsim_agent.cred("big_strings"), "1.3.6.1.4.1.99999.1.1"))
    assert len(rows) == 120
    assert rows[-1] == ("1.3.6.1.4.1.99999.1.1.120", ("row120-" * 120).encode())


def test_recordings_are_sorted_and_well_formed():
    for recording in RECORDINGS.glob("*.snmprec"):
        keys = []
        for number, line in enumerate(recording.read_text().splitlines(), 1):
            oid, kind, _value = line.split("|", 2)
            assert kind in {"2", "4", "4x", "6", "65", "66", "67", "70"}, f"{recording.name}:{number}"
            keys.append(tuple(int(p) for p in oid.split(".")))
        assert keys == sorted(keys) and len(set(keys)) == len(keys), recording.name


def test_expected_files_name_known_kinds_and_statuses():
    for path in Path(RECORDINGS).glob("*.expected.yaml"):
        data = yaml.safe_load(path.read_text())
        for row in data["sensors"]:
            assert row["status"] in {"ok", "absent", "invalid", "no_signal"}, path.name
            assert (row["value"] is None) == (row["status"] != "ok"), path.name
