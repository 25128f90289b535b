"""Root-cause grouping: tables of one cycle's transitions → the incidents a user would be told about."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from nocdesk.rootcause import MONITOR_KEY, Link, Node, OpenRoot, Tree, analyse, cause_of

CORE, SRV1, SRV2, KEC1, KEC2 = 1, 2, 3, 4, 5
CAMS = tuple(range(10, 17))  # seven devices behind kec1
FIBER_KEC1, FIBER_KEC2 = 100, 101
T0 = 1_700_000_000


@dataclass(frozen=True)
class T:
    """The shape the engine hands over (states.Transition); only the attributes matter."""

    target_type: str
    target_id: int
    ts: int
    state: str
    previous: str | None = "up"
    reason: str = ""
    cause: tuple[str, int] | None = None


def network(**states: str) -> Tree:
    nodes = [Node(CORE, "core", None, is_station=True), Node(SRV1, "srv1", CORE), Node(SRV2, "srv2", CORE),
             Node(KEC1, "kec1", CORE, site="Kec. Sukamaju"), Node(KEC2, "kec2", CORE)]
    nodes += [Node(c, f"cam{c - 9}", KEC1) for c in CAMS]
    nodes = [replace(n, state=states.get(n.name, "up")) for n in nodes]
    links = (Link(FIBER_KEC1, CORE, KEC1, "fiber", states.get("fiber1", "up"), 200, 300),
             Link(FIBER_KEC2, CORE, KEC2, "fiber", "up"))
    return Tree({n.id: n for n in nodes}, links, interface_device={200: CORE, 300: KEC1, 201: SRV1})


def cut_kec1(ts: int = T0) -> list[T]:
    out = [T("device", KEC1, ts, "down", reason="timeout")]
    out += [T("device", c, ts + 1, "unreachable", cause=("device", KEC1)) for c in CAMS]
    return out


def test_cut_fiber_gives_exactly_one_alert_listing_every_device_behind_it():
    incidents = analyse(cut_kec1(), network())
    assert len(incidents) == 1
    (inc,) = incidents
    assert (inc.kind, inc.rule, inc.key, inc.title, inc.medium) == ("problem", "link_down", ("link", FIBER_KEC1),
                                                                   "core ↔ kec1", "fiber")
    assert inc.affected == (KEC1, *CAMS) and len(inc.affected) - 1 == 7
    assert inc.affected_names == ("kec1", "cam1", "cam2", "cam3", "cam4", "cam5", "cam6", "cam7")
    assert inc.ts == T0 and inc.reason == "timeout"


def test_children_reported_down_instead_of_unreachable_are_still_grouped():
    # The engine may not have confirmed the parent before judging the children: the tree decides.
    transitions = [T("device", c, T0, "down") for c in CAMS] + [T("device", KEC1, T0 + 5, "down")]
    (inc,) = analyse(transitions, network())
    assert inc.key == ("link", FIBER_KEC1) and set(inc.affected) == {KEC1, *CAMS}
    assert inc.ts == T0  # back-dated to the first failure seen in the group


def test_parent_that_flapped_up_just_before_dying_still_gives_one_alert():
    transitions = [T("device", KEC1, T0, "up", previous="down"), T("device", KEC1, T0 + 20, "down", previous="up")]
    transitions += [T("device", c, T0 + 10, "down") for c in CAMS]
    incidents = analyse(transitions, network())
    assert [(i.kind, i.key) for i in incidents] == [("problem", ("link", FIBER_KEC1))]
    # …and with the root alert already open from before the flap, nothing new at all.
    opened = {("link", FIBER_KEC1): OpenRoot(T0 - 300, (KEC1, *CAMS))}
    assert analyse(transitions, network(), open_roots=opened) == []


def test_recovery_is_one_message_with_the_outage_duration():
    opened = {("link", FIBER_KEC1): OpenRoot(T0, (KEC1, *CAMS))}
    back = [T("device", KEC1, T0 + 754, "up", previous="down")]
    back += [T("device", c, T0 + 755, "up", previous="unreachable") for c in CAMS]
    incidents = analyse(back, network(), open_roots=opened)
    assert len(incidents) == 1
    (inc,) = incidents
    assert (inc.kind, inc.key, inc.duration_s) == ("recovery", ("link", FIBER_KEC1), 755)
    assert inc.affected_names[0] == "kec1" and len(inc.affected_names) == 8


def test_child_recovering_later_than_its_root_says_nothing():
    back = [T("device", CAMS[0], T0 + 900, "up", previous="unreachable")]
    assert analyse(back, network()) == []


def test_monitor_offline_when_everything_including_the_first_hop_fails_at_once():
    everything = [T("device", i, T0, "down") for i in (CORE, SRV1, SRV2, KEC1, KEC2, *CAMS)]
    incidents = analyse(everything, network())
    assert [(i.kind, i.rule) for i in incidents] == [("problem", "monitor_offline")]
    assert len(incidents[0].affected) == 12
    # While it lasts, more failures add nothing; when the station is back: one recovery, nothing else.
    opened = {MONITOR_KEY: OpenRoot(T0)}
    dark = network(**{n.name: "down" for n in network().nodes.values()})
    assert analyse([T("device", KEC2, T0 + 60, "down", previous="unreachable")], dark, open_roots=opened) == []
    back = [T("device", i, T0 + 600, "up", previous="down") for i in (CORE, SRV1, SRV2, KEC1, KEC2, *CAMS)]
    (rec,) = analyse(back, network(), open_roots=opened)
    assert (rec.kind, rec.rule, rec.duration_s) == ("recovery", "monitor_offline", 600)


def test_after_monitor_is_back_a_device_still_down_gets_its_own_alert():
    opened = {MONITOR_KEY: OpenRoot(T0)}
    back = [T("device", i, T0 + 600, "up", previous="down") for i in (CORE, SRV1, SRV2, KEC1, *CAMS)]
    incidents = analyse(back, network(kec2="down"), open_roots=opened)
    assert [(i.kind, i.rule, i.key) for i in incidents] == [("recovery", "monitor_offline", MONITOR_KEY),
                                                            ("problem", "link_down", ("link", FIBER_KEC2))]


def test_first_hop_down_alone_with_others_unknown_is_a_normal_root():
    tree = network(**{n: "unknown" for n in ("srv1", "srv2", "kec1", "kec2")}, **{f"cam{i}": "unknown" for i in range(1, 8)})
    (inc,) = analyse([T("device", CORE, T0, "down")], tree)
    assert (inc.rule, inc.key, inc.affected_names) == ("device_down", ("device", CORE), ("core",))


def test_link_down_first_then_devices_behind_it_stay_one_incident():
    # A linkDown trap marks the fiber down before the next poll finds kec1 and the cameras dead.
    (first,) = analyse([T("link", FIBER_KEC1, T0, "down")], network())
    assert (first.kind, first.key, first.affected) == ("problem", ("link", FIBER_KEC1), ())
    opened = {first.key: OpenRoot(T0, first.affected)}
    (upd,) = analyse(cut_kec1(T0 + 30), network(fiber1="down"), open_roots=opened)
    assert (upd.kind, upd.key, len(upd.affected)) == ("update", ("link", FIBER_KEC1), 8)


def test_device_without_a_known_uplink_is_named_itself():
    tree = network()
    tree = Tree(tree.nodes, (), tree.interface_device)
    (inc,) = analyse(cut_kec1(), tree)
    assert (inc.rule, inc.key, inc.title, inc.affected_names[:2]) == ("device_down", ("device", KEC1), "kec1",
                                                                      ("kec1", "cam1"))


@pytest.mark.parametrize(("transitions", "expected"), [
    # interface down on a device that is up: its own alert
    ([T("interface", 201, T0, "down")], [("problem", "interface_down", ("interface", 201))]),
    # the core's port of the cut fiber is part of the fiber incident, not a second alert
    ([T("interface", 200, T0, "down"), *cut_kec1()], [("problem", "link_down", ("link", FIBER_KEC1))]),
    # a service on a device that is down is covered by the device
    ([T("service", 7, T0, "down"), T("device", SRV1, T0, "down")], [("problem", "device_down", ("device", SRV1))]),
    # unknown and maintenance are not failures
    ([T("device", SRV1, T0, "unknown"), T("device", SRV2, T0, "maintenance")], []),
    # a single leaf down: one alert with just itself
    ([T("device", SRV2, T0, "down")], [("problem", "device_down", ("device", SRV2))]),
])
def test_grouping_table(transitions, expected):
    tree = network()
    tree = Tree(tree.nodes, tree.links, tree.interface_device, service_device={7: SRV1})
    assert [(i.kind, i.rule, i.key) for i in analyse(transitions, tree)] == expected


def test_port_down_at_the_live_end_of_a_link_without_known_ports_is_not_a_second_alert():
    tree = network()
    tree = Tree(tree.nodes, tuple(replace(lk, a_interface_id=None, b_interface_id=None) for lk in tree.links),
                {**tree.interface_device, 202: CORE})
    incidents = analyse([T("interface", 202, T0 + 3, "down"), *cut_kec1()], tree)
    assert [(i.kind, i.key) for i in incidents] == [("problem", ("link", FIBER_KEC1))]
    # without a failed device behind it, the same port is an alert of its own
    assert [i.key for i in analyse([T("interface", 202, T0, "down")], tree)] == [("interface", 202)]


def test_two_fibers_cut_in_one_cycle_are_two_alerts_not_twelve():
    transitions = cut_kec1() + [T("device", KEC2, T0, "down")]
    incidents = analyse(transitions, network())
    assert sorted(i.key for i in incidents) == [("link", FIBER_KEC1), ("link", FIBER_KEC2)]


@pytest.mark.parametrize("cause", [("device", 4), {"target_type": "device", "target_id": 4},
                                   T("device", 4, 0, "down")])
def test_cause_accepts_the_shapes_an_engine_may_use(cause):
    assert cause_of({"cause": cause}) == ("device", 4)
    assert cause_of({"cause_type": "device", "cause_id": 4}) == ("device", 4)
