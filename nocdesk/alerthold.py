"""Hold a new root alert's first message until the devices behind it have a verdict, so it names them all.

A cut fiber is seen in stages: the near port goes oper-down at the next poll, the switch beyond it is declared
down after N failed checks, its children unreachable a check later. Sending at the first stage gives a
"link down" message and then updates; holding until every device behind the root is decided (or up to N
polling intervals plus the group wait) gives the one message a team of two wants. A port alert is held the
same way (the port may be the near end of that fiber, to be folded into its alert). A port reported by a trap
is urgent and is not held (the 5-second promise); the devices behind it follow as one update.
"""

from __future__ import annotations

import json

from . import appsettings
from .alertfacts import slowest_interval_s, subtree, undecided
from .notify import queue
from .rootcause import Incident, Tree
from .states import StateConfig
from .store import Store

RETRY_S = 2


def down_after_failures(store: Store) -> int:
    """N of 'down after N failed checks', read the way the engine reads it."""
    return StateConfig.from_settings(appsettings.load(store)).down_after_failures


def hold_limit_s(store: Store, tree: Tree, incident: Incident, group_wait_s: int) -> int:
    """How long the first message may wait at most for the devices behind `incident` (0: no hold)."""
    if incident.target_type not in ("device", "link", "interface") or incident.device_id is None:
        return 0
    behind = subtree(tree, incident.device_id)
    checks = down_after_failures(store)
    return group_wait_s + checks * slowest_interval_s(store, behind)


def waiting_for(store: Store, tree: Tree, alert_id: int) -> list[int]:
    """Devices behind an alert's root that are not decided yet."""
    row = store.conn.execute("SELECT target_type, device_id, details FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    if row is None or row["device_id"] is None:
        return []
    details = json.loads(row["details"] or "{}")
    behind = subtree(tree, row["device_id"])
    if row["target_type"] in ("device", "interface"):
        behind = behind[1:]  # the root's own device is decided (down, or answering about its port)
    return undecided(store, behind, since=int(details.get("started_at") or 0))


def hold_due_messages(store: Store, tree_loader: object, now: int) -> int:
    """Push back the untried first messages of held alerts whose devices are still undecided; returns how many."""
    rows = store.conn.execute(
        "SELECT a.id, json_extract(a.details, '$.hold_until') AS hold_until FROM alerts a "
        "WHERE a.status IN ('open', 'acknowledged') AND json_extract(a.details, '$.hold_until') > ? AND EXISTS "
        "(SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.status = 'queued' AND d.attempts = 0 "
        "AND d.next_attempt_at <= ? AND json_extract(d.payload, '$.kind') = 'problem')", (now, now)).fetchall()
    if not rows:
        return 0
    tree = tree_loader()  # type: ignore[operator]
    held = 0
    for row in rows:
        if not waiting_for(store, tree, row["id"]):
            continue
        ids = [d.id for d in queue.pending_for_alert(store, row["id"])
               if d.attempts == 0 and d.next_attempt_at <= now and d.payload.get("kind") == "problem"]
        queue.defer(store, ids, until=min(now + RETRY_S, int(row["hold_until"])))
        held += len(ids)
    return held
