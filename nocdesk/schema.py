"""The database schema as a list of migrations; PRAGMA user_version is the number of migrations applied.

Append a new migration to MIGRATIONS to change the schema; never edit one that has shipped.
Timestamps are integer epoch seconds UTC. Secrets never live here: credential rows hold only names and
non-secret parameters, the secrets sit in the credential store (keyring or encrypted file).
"""

from __future__ import annotations

V1 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL DEFAULT 'site',           -- datacenter, kecamatan, opd, site
    timezone TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE device_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sla_target_pct REAL,                          -- e.g. 99.5
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE credentials (
    name TEXT PRIMARY KEY,                        -- what devices reference
    kind TEXT NOT NULL CHECK (kind IN ('snmp', 'ssh')),
    params TEXT NOT NULL DEFAULT '{}'             -- JSON, non-secret: version, user, protocols, port
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    address TEXT NOT NULL,
    kind TEXT NOT NULL,
    site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
    group_id INTEGER REFERENCES device_groups(id) ON DELETE SET NULL,
    parent_id INTEGER REFERENCES devices(id) ON DELETE SET NULL,
    parent_pinned INTEGER NOT NULL DEFAULT 0,     -- 1: set by hand, topology must not change it
    snmp_credential TEXT,
    ssh_credential TEXT,
    profile TEXT,                                 -- forced vendor profile; NULL = match sysObjectID
    tags TEXT NOT NULL DEFAULT '',                -- comma separated
    notes TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    interval_s INTEGER NOT NULL DEFAULT 60,
    check_method TEXT NOT NULL DEFAULT 'icmp',   -- how up/down is decided: icmp, snmp, tcp:PORT
    is_station INTEGER NOT NULL DEFAULT 0,        -- the monitoring workstation's attachment point
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- live state, written by the engine
    state TEXT NOT NULL DEFAULT 'unknown',
    state_since INTEGER,
    last_check_at INTEGER,
    last_rtt_ms REAL,
    last_loss_pct REAL,
    sys_name TEXT,
    sys_descr TEXT,
    sys_object_id TEXT,
    chassis_id TEXT,                              -- LLDP local chassis id (hex), to match neighbours
    matched_profile TEXT,
    uptime_s REAL,
    last_error TEXT
);
CREATE UNIQUE INDEX devices_address ON devices(address COLLATE NOCASE);
CREATE INDEX devices_site ON devices(site_id);
CREATE INDEX devices_parent ON devices(parent_id);

CREATE TABLE interfaces (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    if_index INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    alias TEXT NOT NULL DEFAULT '',
    descr TEXT NOT NULL DEFAULT '',
    if_type INTEGER,
    mac TEXT,
    speed_bps INTEGER,
    speed_override_bps INTEGER,
    admin_status TEXT,
    oper_status TEXT,
    monitored INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'unknown',
    state_since INTEGER,
    in_bps REAL,
    out_bps REAL,
    util_in_pct REAL,
    util_out_pct REAL,
    updated_at INTEGER,
    UNIQUE (device_id, if_index)
);

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    a_device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    a_interface_id INTEGER REFERENCES interfaces(id) ON DELETE SET NULL,
    b_device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    b_interface_id INTEGER REFERENCES interfaces(id) ON DELETE SET NULL,
    medium TEXT NOT NULL DEFAULT 'copper' CHECK (medium IN ('fiber', 'copper', 'wireless', 'provider')),
    capacity_bps INTEGER,
    source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('lldp', 'cdp', 'manual')),
    name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'unknown',
    state_since INTEGER,
    stale INTEGER NOT NULL DEFAULT 0,
    first_seen INTEGER,
    last_seen INTEGER,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX links_a ON links(a_device_id);
CREATE INDEX links_b ON links(b_device_id);

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('tcp', 'http')),
    name TEXT NOT NULL,
    port INTEGER,
    url TEXT,
    keyword TEXT,
    interval_s INTEGER NOT NULL DEFAULT 60,
    enabled INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'unknown',
    state_since INTEGER,
    last_error TEXT,
    UNIQUE (device_id, name)
);

-- A sensor is one measured series: RTT of a device, in_bps of an interface, rx_dbm of an optic...
CREATE TABLE sensors (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    interface_id INTEGER REFERENCES interfaces(id) ON DELETE CASCADE,
    service_id INTEGER REFERENCES services(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,              -- rtt_ms, loss_pct, jitter_ms, in_bps, out_bps, in_errors_ps, cpu_pct, rx_dbm...
    label TEXT NOT NULL DEFAULT '',  -- e.g. storage name or sensor description
    unit TEXT NOT NULL DEFAULT '',
    last_value REAL,
    last_ts INTEGER
);
CREATE UNIQUE INDEX sensors_key ON sensors(device_id, IFNULL(interface_id, 0), IFNULL(service_id, 0), kind, label);

CREATE TABLE samples (
    sensor_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) WITHOUT ROWID;

CREATE TABLE rollup_5m (
    sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL,
    min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) WITHOUT ROWID;
CREATE TABLE rollup_1h (
    sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL,
    min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) WITHOUT ROWID;
CREATE TABLE rollup_1d (
    sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL,
    min REAL NOT NULL, avg REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) WITHOUT ROWID;

-- Every state transition of a device, interface, link or service; availability is computed from these.
CREATE TABLE state_changes (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('device', 'interface', 'link', 'service', 'engine')),
    target_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    state TEXT NOT NULL,             -- up, down, unreachable, degraded, unknown, maintenance
    previous TEXT,
    reason TEXT NOT NULL DEFAULT '',
    cause_type TEXT,                 -- for unreachable: what failed upstream
    cause_id INTEGER
);
CREATE INDEX state_changes_target ON state_changes(target_type, target_id, ts);
CREATE INDEX state_changes_ts ON state_changes(ts);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    severity TEXT NOT NULL DEFAULT 'info' CHECK (severity IN ('debug', 'info', 'warning', 'critical')),
    kind TEXT NOT NULL,              -- state, trap, link_appeared, link_vanished, config_changed, engine...
    device_id INTEGER REFERENCES devices(id) ON DELETE SET NULL,
    interface_id INTEGER REFERENCES interfaces(id) ON DELETE SET NULL,
    link_id INTEGER REFERENCES links(id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'  -- JSON
);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_device ON events(device_id, ts);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,              -- device_down, link_down, interface_down, rx_power_low, ...
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    device_id INTEGER REFERENCES devices(id) ON DELETE SET NULL,
    severity TEXT NOT NULL DEFAULT 'critical',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    message TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',  -- JSON: affected children, values
    opened_at INTEGER NOT NULL,
    resolved_at INTEGER,
    acked_by TEXT,
    acked_at INTEGER,
    ack_comment TEXT,
    root_alert_id INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
    in_maintenance INTEGER NOT NULL DEFAULT 0,
    last_notified_at INTEGER,
    escalated_at INTEGER
);
CREATE INDEX alerts_status ON alerts(status, opened_at);
CREATE INDEX alerts_target ON alerts(target_type, target_id, rule, status);

-- Outgoing notifications, queued so nothing is lost while a channel is down.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER REFERENCES alerts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,           -- email, telegram, webhook, desktop, sound
    recipient TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,           -- JSON
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);

CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT 'all' CHECK (target_type IN ('all', 'device', 'site', 'group', 'link')),
    target_id INTEGER,
    start_ts INTEGER,                -- one-off window
    end_ts INTEGER,
    weekdays TEXT,                   -- weekly window: e.g. '6' (Sunday=6, Monday=0) or '0,2,4'
    start_minute INTEGER,            -- minutes after local midnight
    duration_min INTEGER,
    timezone TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    comment TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE config_versions (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    text_hash TEXT NOT NULL,         -- sha256 of the filtered text (dedup key)
    content BLOB NOT NULL,           -- zlib-compressed raw text
    size INTEGER NOT NULL,
    summary TEXT NOT NULL DEFAULT '' -- e.g. '+3 -1 lines'
);
CREATE INDEX config_versions_device ON config_versions(device_id, ts);

CREATE TABLE backup_runs (
    id INTEGER PRIMARY KEY,
    device_id INTEGER REFERENCES devices(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('unchanged', 'changed', 'first', 'failed', 'blocked')),
    reason TEXT NOT NULL DEFAULT '',
    version_id INTEGER REFERENCES config_versions(id) ON DELETE SET NULL
);

CREATE TABLE ssh_host_keys (
    device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    key_type TEXT NOT NULL,
    key_base64 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    pending_key_base64 TEXT,         -- a changed key waiting for the admin to accept it
    pending_fingerprint TEXT
);

CREATE TABLE map_positions (
    map TEXT NOT NULL,               -- 'overview' or 'site:<id>'
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    x REAL NOT NULL,
    y REAL NOT NULL,
    PRIMARY KEY (map, device_id)
);

-- User intent for the engine (run backup now, rediscover, poll now), so the UI never calls a collector.
CREATE TABLE commands (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    verb TEXT NOT NULL,
    args TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    progress REAL,
    result TEXT,
    finished_at INTEGER
);

-- Engine heartbeats: gaps here are 'unknown' time in availability.
CREATE TABLE engine_runs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    last_beat_at INTEGER NOT NULL,
    stopped_at INTEGER,
    pid INTEGER,
    host TEXT,
    version TEXT,
    last_cycle_s REAL,
    lag_s REAL
);
"""

# V2: a change counter per table, kept by triggers, so the engine re-reads 12,000 interfaces only when one
# that matters to polling changed (not each time someone adds a device).
V2 = """
CREATE TABLE change_marks (
    tbl TEXT PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);
INSERT INTO change_marks(tbl, n) VALUES ('interfaces', 0);

CREATE TRIGGER interfaces_mark_insert AFTER INSERT ON interfaces BEGIN
    UPDATE change_marks SET n = n + 1 WHERE tbl = 'interfaces';
END;

CREATE TRIGGER interfaces_mark_delete AFTER DELETE ON interfaces BEGIN
    UPDATE change_marks SET n = n + 1 WHERE tbl = 'interfaces';
END;

CREATE TRIGGER interfaces_mark_update AFTER UPDATE OF device_id, if_index, name, monitored, speed_override_bps
ON interfaces
WHEN OLD.device_id IS NOT NEW.device_id OR OLD.if_index IS NOT NEW.if_index OR OLD.name IS NOT NEW.name
     OR OLD.monitored IS NOT NEW.monitored OR OLD.speed_override_bps IS NOT NEW.speed_override_bps
BEGIN
    UPDATE change_marks SET n = n + 1 WHERE tbl = 'interfaces';
END;
"""

MIGRATIONS: list[str] = [V1, V2]

SCHEMA_VERSION = len(MIGRATIONS)
