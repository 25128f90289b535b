"""Profiles for the equipment of Indonesian local-government networks, and the loader features they need.

Each profile also has tests/recordings/<name>.snmprec + .expected.yaml, read over SNMP by
tests/test_snmp_vendors.py (found by name); this file checks matching and the conversions without a network.
"""

from __future__ import annotations

import pytest
import yaml

from nocdesk.collectors.profiles import load_profiles, match_profile, parse_profile
from nocdesk.collectors.vendor import build_readings
from nocdesk.errors import ProfileError

PROFILES = load_profiles()
NEW = {"fortinet_fortigate", "hpe_arubaos_switch", "ubiquiti_edgeswitch", "ubiquiti_airos", "zte_zxr10",
       "tplink_jetstream", "dlink_dgs", "allied_awplus", "cisco_sb"}


def test_new_profiles_ship():
    assert NEW <= set(PROFILES)


@pytest.mark.parametrize(("sys_object_id", "sys_descr", "expected"), [
    ("1.3.6.1.4.1.12356.101.1.1041", "FortiGate-100F v7.2.8,build1639", "fortinet_fortigate"),
    ("1.3.6.1.4.1.11.2.3.7.11.181", "Aruba JL256A 2930F-48G-PoE+-4SFP+ Switch, revision WC.16.11", "hpe_arubaos_switch"),
    ("1.3.6.1.4.1.4413", "EdgeSwitch 24-Port Lite, 1.9.3", "ubiquiti_edgeswitch"),
    ("1.3.6.1.4.1.4413", "USW-24-PoE, 4.3.13.11253", "ubiquiti_edgeswitch"),
    ("1.3.6.1.4.1.4413", "Broadcom FASTPATH Switching", "entity_sensor"),  # another FASTPATH vendor
    ("1.3.6.1.4.1.10002.1", "Linux 2.6.32.68 #1 mips", "ubiquiti_airos"),
    ("1.3.6.1.4.1.3902.3.100.23", "ZXR10 5250 Software, Version V2.05", "zte_zxr10"),
    ("1.3.6.1.4.1.11863.1.1.3", "JetStream 24-Port Gigabit L2 Managed Switch", "tplink_jetstream"),
    ("1.3.6.1.4.1.171.10.133.3.1", "DGS-3000-28SC Gigabit Ethernet Switch", "dlink_dgs"),
    ("1.3.6.1.4.1.207.1.14.190", "Allied Telesis router/switch, AW+ v5.5.2", "allied_awplus"),
    ("1.3.6.1.4.1.9.6.1.95.24.6", "CBS350-24FP-4G 24-Port Gigabit PoE Managed Switch", "cisco_sb"),
    ("1.3.6.1.4.1.9.1.2694", "Cisco IOS Software, Catalyst L3 Switch Software", "cisco_ios"),  # still IOS
    ("1.3.6.1.4.1.674.11000.5000.100.2.1.7", "Dell EMC Networking OS10 Enterprise", "entity_sensor"),
])
def test_new_vendors_match(sys_object_id, sys_descr, expected):
    assert match_profile(PROFILES, sys_object_id, sys_descr).name == expected


def profile(snmp: str):  # noqa: ANN201
    text = f"description: t\nmatch: {{sys_object_id: [1.3.6.1.4.1.99999]}}\nsnmp:\n{snmp}"
    return parse_profile("t", yaml.safe_load(text), file="t.yaml")


def test_string_values_with_units_or_patterns_are_numbers():
    rx = "1.3.6.1.4.1.99999.1"
    columns = {rx: {"1": b"-3.2 dBm", "2": b"N/A", "3": b"-2.75", "4": b"garbage", "5": b"-1.0 furlongs"}}
    scalars = {"1.3.6.1.4.1.99999.2.0": b"    5 Secs ( 96.3%)   60 Secs ( 12.5%)  300 Secs ( 25.2%)"}
    p = profile("  optical:\n    rx: {value: 1.3.6.1.4.1.99999.1, absent: ['N/A']}\n"
                "  cpu: {value: 1.3.6.1.4.1.99999.2.0, scalar: true, pattern: '60 Secs \\(\\s*([\\d.]+)%\\)'}\n")
    readings = build_readings(p, columns, scalars)
    got = {r.index: (r.status, r.value) for r in readings.of_kind("optical_rx")}
    assert got == {"1": ("ok", -3.2), "2": ("absent", None), "3": ("ok", -2.75), "4": ("invalid", None),
                   "5": ("invalid", None)}
    assert readings.cpu_pct == 12.5


def test_index_regex_picks_one_test_type_and_maps_the_port():
    p = profile("  optical:\n    rx: {value: 1.3.6.1.4.1.99999.1, index_regex: '^\\d+\\.9$', scale: 0.001, if_index: index}\n")
    columns = {"1.3.6.1.4.1.99999.1": {"49.5": 37, "49.8": -5515, "49.9": -3500, "1.4": 3}}
    rx = build_readings(p, columns, {}).of_kind("optical_rx")
    assert [(r.index, r.if_index, r.value) for r in rx] == [("49.9", 49, -3.5)]


def test_sessions_and_radio_signal_are_their_own_kinds():
    p = profile("  sessions: {value: 1.3.6.1.4.1.99999.3.0, scalar: true}\n"
                "  radio:\n    signal: {value: 1.3.6.1.4.1.99999.4, absent: [0], valid: [-110, -1]}\n")
    readings = build_readings(p, {"1.3.6.1.4.1.99999.4": {"1": -63, "2": 0}}, {"1.3.6.1.4.1.99999.3.0": 48213})
    assert [(r.value, r.unit) for r in readings.of_kind("sessions")] == [(48213.0, "")]
    assert [(r.status, r.value, r.unit) for r in readings.of_kind("radio_signal")] == [
        ("ok", -63.0, "dBm"), ("absent", None, "dBm")]
    assert readings.of_kind("optical_rx") == []  # a radio is never an optical alarm


@pytest.mark.parametrize(("snmp", "message"), [
    ("  cpu: {value: 1.3.6.1.4.1.99999.2, pattern: '(unclosed'}\n", "t.yaml: snmp.cpu.pattern: invalid regular"),
    ("  cpu: {value: 1.3.6.1.4.1.99999.2, index_regex: '['}\n", "t.yaml: snmp.cpu.index_regex: invalid regular"),
    ("  cpu: {value: 1.3.6.1.4.1.99999.2, absent: 5}\n", "t.yaml: snmp.cpu.absent: expected a list"),
    ("  radio: {noise: {value: 1.3.6.1.4.1.99999.2}}\n", "t.yaml: snmp.radio.noise: unknown key"),
    ("  sessions: {value: 1.3.6.1.4.1.99999.2, unit: sessions}\n", "t.yaml: snmp.sessions.unit: 'sessions' is not"),
])
def test_new_keys_are_checked_strictly(snmp, message):
    with pytest.raises(ProfileError) as caught:
        profile(snmp)
    assert message in str(caught.value)


def test_dell_os10_and_arista_dom_read_through_the_entity_sensor_fallback():
    # ENTITY-SENSOR rows as Dell OS10 / Arista EOS publish them: type dBm(14), scale units(9), precision 2,
    # sensor entity contained in the transceiver, which is contained in the port mapped to ifIndex 17.
    ent = "1.3.6.1.2.1.99.1.1.1"
    columns = {
        f"{ent}.1": {"1041": 14, "1042": 14, "1038": 8, "2042": 14},
        f"{ent}.2": {"1041": 9, "1042": 9, "1038": 9, "2042": 9},
        f"{ent}.3": {"1041": 2, "1042": 2, "1038": 1, "2042": 2},
        f"{ent}.4": {"1041": -210, "1042": -350, "1038": 352, "2042": -4000},
        f"{ent}.5": {"1041": 1, "1042": 1, "1038": 1, "2042": 2},  # 2042: unavailable(2), an empty cage
        "1.3.6.1.2.1.47.1.1.1.1.7": {"1041": b"Te1/0/1 Transmit Power Sensor", "1042": b"Te1/0/1 Receive Power Sensor",
                                     "1038": b"Te1/0/1 Temperature Sensor", "2042": b"Te1/0/2 Receive Power Sensor"},
        "1.3.6.1.2.1.47.1.1.1.1.4": {"1041": 1000, "1042": 1000, "1038": 1000, "1000": 999, "2042": 2000},
        "1.3.6.1.2.1.47.1.3.2.1.2": {"999.0": "1.3.6.1.2.1.2.2.1.1.17"},
    }
    readings = build_readings(PROFILES["entity_sensor"], columns, {})
    assert [(r.if_index, r.value) for r in readings.of_kind("optical_rx") if r.status == "ok"] == [(17, -3.5)]
    assert [(r.if_index, r.value) for r in readings.of_kind("optical_tx")] == [(17, -2.1)]
    assert [r.status for r in readings.of_kind("optical_rx") if r.index == "2042"] == ["absent"]
