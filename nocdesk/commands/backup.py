"""`nocdesk backup run|list|diff|export|accept-key`: switch configuration backups over SSH.

Nothing here ever changes a device: backups only read. Diffs and exports hide secrets unless --no-redact.
Ctrl-C during `backup run` stops devices not yet started; the ones already talking finish and are kept.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..cli import db_path
from ..configbackup import (
    DEFAULT_PARALLEL,
    accept_host_key,
    diff_device,
    host_key,
    recent_runs,
    run_backups,
    version_for_export,
)
from ..configversions import export_text, list_versions
from ..credentials import MASTER_PASSWORD_ENV, needs_master_password
from ..errors import ConfigError, CredentialError
from ..i18n import _, current_language
from ..inventory import find_device
from ..locale_format import format_datetime
from ..store import Store, open_store

EXIT_SOME_FAILED = 1


def _when(store: Store, ts: int) -> str:
    zone = ZoneInfo(store.get_setting("ui.timezone", "Asia/Jakarta") or "Asia/Jakarta")
    return format_datetime(datetime.fromtimestamp(ts, zone), current_language(), seconds=True)


def _master_password(store: Store) -> str | None:
    if not needs_master_password(store):
        return None
    if not sys.stdin.isatty():
        raise CredentialError(_("the SSH passwords are in the encrypted secrets file: set {env} (or run the command "
                                "in a terminal to be asked for it).").format(env=MASTER_PASSWORD_ENV))
    return getpass.getpass(_("Master password for the nocdesk secrets file: "))


def _run(args: argparse.Namespace) -> int:
    cancel = threading.Event()

    def interrupted(*_args: object) -> None:
        if not cancel.is_set():
            print(_("Cancelling: devices already connected finish first..."), file=sys.stderr, flush=True)
        cancel.set()

    def progress(done: int, total: int, text: str) -> None:
        print(f"[{done}/{total}] {text}", flush=True)

    with open_store(db_path(args)) as store:
        master = _master_password(store)
        previous = signal.signal(signal.SIGINT, interrupted)
        try:
            run = run_backups(store, devices=args.device, group=args.group, parallel=args.parallel, progress=progress,
                              cancel=cancel, master_password=master)
        finally:
            signal.signal(signal.SIGINT, previous)
    counts = {k: v for k, v in run.counts().items() if v}
    print(_("Backed up {n} device(s) in {seconds:.1f} s: {counts}.").format(
        n=len(run.results), seconds=run.duration_s,
        counts=", ".join(f"{v} {k}" for k, v in counts.items()) or _("nothing to do")))
    if run.cancelled:
        print(_("Cancelled before they started: {names}").format(names=", ".join(run.cancelled)))
    if run.git_commit:
        print(_("Git export: commit {commit}").format(commit=run.git_commit[:10]))
    if run.git_error:
        print(_("Git export failed: {error}").format(error=run.git_error), file=sys.stderr)
    return EXIT_SOME_FAILED if counts.get("failed") or counts.get("blocked") or run.git_error else 0


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        device = find_device(store, args.name)
        key = host_key(store, device["id"])
        if key is None:
            print(_("SSH host key: not seen yet (trusted on first contact)"))
        else:
            print(_("SSH host key: {type} {fingerprint} (trusted since {when})").format(
                type=key["key_type"], fingerprint=key["fingerprint"], when=_when(store, key["first_seen"])))
            if key["pending_fingerprint"]:
                print(_("WARNING: the device now shows another host key, {fingerprint}; backups are blocked. If the "
                        "device was replaced or re-keyed on purpose: nocdesk backup accept-key {name}").format(
                            fingerprint=key["pending_fingerprint"], name=device["name"]))
        versions = list_versions(store, device["id"])
        print()
        if not versions:
            print(_("No stored configuration yet: nocdesk backup run --device {name}").format(name=device["name"]))
        for version in versions:
            print(f"{version.id:>6}  {_when(store, version.ts)}  {version.size:>8} B  {version.summary}")
        runs = recent_runs(store, device["id"])
        if runs:
            print()
            print(_("Last runs:"))
        for run in runs:
            print(f"  {_when(store, run['ts'])}  {run['result']:<9}  {run['reason']}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    if len(args.versions) not in (0, 2):
        raise ConfigError(_("give two version numbers (see 'nocdesk backup list {name}'), or none for the "
                                "previous and the latest").format(name=args.name))
    old, new = (args.versions + [None, None])[:2]
    with open_store(db_path(args)) as store:
        text = diff_device(store, args.name, old, new, raw=args.raw, redact=not args.no_redact)
    sys.stdout.write(text or _("No difference.") + "\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        text = version_for_export(store, args.name, args.version, redact=not args.no_redact)
    if args.out:
        path = export_text(text, Path(args.out))
        print(_("Wrote {path}{note}").format(path=path, note="" if args.no_redact else _(" (secrets redacted)")),
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _accept_key(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        fingerprint = accept_host_key(store, args.name)
    print(_("Accepted the new SSH host key {fingerprint} for {name}; the next backup uses it.").format(
        fingerprint=fingerprint, name=args.name))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `backup` command group."""
    backup = subparsers.add_parser("backup", help=_("back up switch configurations over SSH; list, diff and export "
                                                    "the versions"))
    sub = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    p = sub.add_parser("run", help=_("back up now: one device, a group, or every device with an SSH credential"))
    which = p.add_mutually_exclusive_group()
    which.add_argument("--device", action="append", metavar="NAME", help=_("a device (repeat for more)"))
    which.add_argument("--group", metavar="GROUP", help=_("every enabled device of a device group"))
    p.add_argument("--parallel", type=int, default=DEFAULT_PARALLEL, metavar="N",
                   help=_("devices backed up at the same time (default {n})").format(n=DEFAULT_PARALLEL))
    p.set_defaults(func=_run)
    p = sub.add_parser("list", help=_("a device's stored versions, host key and last results"))
    p.add_argument("name")
    p.set_defaults(func=_list)
    p = sub.add_parser("diff", help=_("unified diff of two versions (default: the previous and the latest)"))
    p.add_argument("name")
    p.add_argument("versions", nargs="*", type=int, metavar="V", help=_("two version numbers from 'backup list'"))
    p.add_argument("--raw", action="store_true", help=_("include the lines the profile ignores (timestamps...)"))
    p.add_argument("--no-redact", action="store_true", help=_("show secrets instead of <redacted>"))
    p.set_defaults(func=_diff)
    p = sub.add_parser("export", help=_("write a version to a file (or standard output)"))
    p.add_argument("name")
    p.add_argument("--version", type=int, metavar="V", help=_("version number (default: the latest)"))
    p.add_argument("--out", metavar="FILE", help=_("file to write (default: standard output)"))
    p.add_argument("--no-redact", action="store_true", help=_("keep passwords and communities in the file"))
    p.set_defaults(func=_export)
    p = sub.add_parser("accept-key", help=_("trust a device's changed SSH host key (after checking why it changed)"))
    p.add_argument("name")
    p.set_defaults(func=_accept_key)
