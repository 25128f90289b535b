"""Vendor profile loading (strict, file + field in every error) and matching by sysObjectID/sysDescr."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from nocdesk.collectors import vendor
from nocdesk.collectors.profiles import default_profile_dir, load_profiles, match_profile
from nocdesk.errors import ProfileError

REQUIRED = {"entity_sensor", "cisco_ios", "cisco_nxos", "mikrotik_routeros", "huawei_vrp", "h3c_comware",
            "juniper_junos", "ruijie_os", "netsnmp_linux"}
GOOD = """\
description: Test OS
match:
  sys_object_id: [1.3.6.1.4.1.99999]
snmp:
  optical:
    rx:
      value: 1.3.6.1.4.1.99999.1.1   # TEST-MIB::rx
      scale: 0.01
"""


def test_every_shipped_profile_loads():
    profiles = load_profiles()
    assert REQUIRED <= set(profiles)
    assert [p.name for p in profiles.values() if p.fallback] == ["entity_sensor"]


def test_shipped_profiles_say_where_each_oid_comes_from():
    # Every OID line carries a "# MIB::symbol" comment (or sits under a commented block).
    for path in default_profile_dir().glob("*.yaml"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b\d+(\.\d+){5,}\b", line) and not line.lstrip().startswith("#"):
                assert "#" in line or "column:" in line, f"{path.name}:{number} has an OID without its symbol"


def test_no_vendor_name_in_python():
    collectors = Path(vendor.__file__).parent
    ours = ["snmp.py", "snmp_pysnmp.py", "snmp_fast.py", "system.py", "ifmib.py", "hostres.py", "vendor.py", "profiles.py"]
    for source in [collectors / name for name in ours] + [collectors.parent / "nocdesk" / "counters.py"]:
        text = source.read_text().replace("KeyExpansion.Cisco", "").lower()  # a library's enum name
        for name in ("huawei", "mikrotik", "juniper", "h3c", "ruijie", "cisco", "comware"):
            assert name not in text, f"{source.name} mentions {name}: vendor knowledge belongs in a profile"


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("scale: 0.01", "scael: 0.01"), "bad.yaml: snmp.optical.rx.scael: unknown key"),
    (GOOD.replace("rx:", "rx_power:"), "bad.yaml: snmp.optical.rx_power: unknown key"),
    (GOOD.replace("value: 1.3.6.1.4.1.99999.1.1", "value: TEST-MIB::rx"), "bad.yaml: snmp.optical.rx.value: "),
    (GOOD.replace("scale: 0.01", "scale: small"), "bad.yaml: snmp.optical.rx.scale: expected a number"),
    (GOOD.replace("scale: 0.01", "unit: dBW"), "bad.yaml: snmp.optical.rx.unit: 'dBW' is not one of"),
    (GOOD.replace("scale: 0.01", "if_index: port"), "bad.yaml: snmp.optical.rx.if_index: 'port' is not one of"),
    (GOOD.replace("description: Test OS\n", ""), "bad.yaml: description: missing required key"),
    (GOOD.replace("[1.3.6.1.4.1.99999]", "[1.3.6.1.4.1.99999]\n  sys_descr: '(unclosed'"),
     "bad.yaml: match.sys_descr: invalid regular expression"),
    (GOOD + "ssh:\n  device_type: linux\n  enable: yes please\n", "bad.yaml: ssh.enable: expected true or false"),
    (GOOD + "ssh:\n  backup_commands: [show run]\n", "bad.yaml: ssh.device_type: missing required key"),
    (GOOD + "  memory:\n    used: 1.3.6.1.4.1.99999.2\n", "bad.yaml: snmp.memory: give percent"),
    ("description: x\nmatch: {}\n", "bad.yaml: match: needs sys_object_id"),
    ("description: [unclosed\n", "bad.yaml: not valid YAML"),
])
def test_bad_profile_fails_at_start_up_naming_file_and_field(tmp_path, text, message):
    with pytest.raises(ProfileError) as caught:
        load_profiles(write(tmp_path, "bad.yaml", text))
    assert message in str(caught.value)


def test_defaults_are_applied(tmp_path):
    profile = load_profiles(write(tmp_path, "test_os.yaml", GOOD))["test_os"]
    rx = profile.optical["rx"]
    assert (rx.unit, rx.scale, rx.if_index, rx.scalar, rx.absent, rx.valid) == ("dbm", 0.01, "none", False, (), None)
    assert profile.ssh is None and profile.cpu is None and not profile.fallback


def test_two_fallbacks_are_refused(tmp_path):
    fallback = "description: x\nmatch:\n  fallback: true\n"
    write(tmp_path, "a.yaml", fallback)
    write(tmp_path, "b.yaml", fallback)
    with pytest.raises(ProfileError, match=r"a\.yaml, b\.yaml: match\.fallback"):
        load_profiles(tmp_path)


def test_a_new_vendor_is_a_new_file(tmp_path):
    for path in default_profile_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    write(tmp_path, "test_os.yaml", GOOD)
    profiles = load_profiles(tmp_path)
    assert match_profile(profiles, "1.3.6.1.4.1.99999.3.7", "whatever").name == "test_os"


@pytest.mark.parametrize(("sys_object_id", "sys_descr", "expected"), [
    ("1.3.6.1.4.1.9.1.2694", "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software", "cisco_ios"),
    (".1.3.6.1.4.1.9.1.1745", "Cisco IOS Software, C3900 Software", "cisco_ios"),
    ("1.3.6.1.4.1.9.12.3.1.3.1812", "Cisco NX-OS(tm) nxos.9.3.10.bin", "cisco_nxos"),
    ("1.3.6.1.4.1.14988.1", "RouterOS CCR2004-1G-12S+2XS", "mikrotik_routeros"),
    ("1.3.6.1.4.1.2011.2.23.457", "Huawei Versatile Routing Platform Software VRP (R) software", "huawei_vrp"),
    ("1.3.6.1.4.1.25506.11.1.239", "H3C Comware Platform Software", "h3c_comware"),
    ("1.3.6.1.4.1.2636.1.1.1.2.63", "Juniper Networks, Inc. ex4300-48t", "juniper_junos"),
    ("1.3.6.1.4.1.4881.1.1.10.1.265", "Ruijie Full Layer 3 Switch", "ruijie_os"),
    ("1.3.6.1.4.1.8072.3.2.10", "Linux srv-simpeg 5.10.0-28-amd64", "netsnmp_linux"),
    ("1.3.6.1.4.1.30065.1.3011.7050", "Arista Networks EOS", "entity_sensor"),
    ("1.3.6.1.4.1.20858", "", "entity_sensor"),
    ("1.3.6.1.4.1.90", "Cisco IOS", "entity_sensor"),  # 1.3.6.1.4.1.90 is not under Cisco's .9
])
def test_profile_matching(sys_object_id, sys_descr, expected):
    assert match_profile(load_profiles(), sys_object_id, sys_descr).name == expected
