"""`nocdesk credential add-snmp|add-ssh|list|remove`: secrets are typed at a prompt or piped in, never in argv."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from ..cli import db_path
from ..credentials import (
    MASTER_PASSWORD_ENV,
    default_backend_name,
    delete_credential,
    list_credentials,
    needs_master_password,
    save_snmp_credential,
    save_ssh_credential,
    secret_file_exists,
)
from ..errors import ConfigError, CredentialError
from ..i18n import _
from ..store import Store, open_store


class _Secrets:
    """Reads secrets one by one: from the terminal without echo, or one per line from stdin (--stdin)."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin
        self.lines = sys.stdin.read().splitlines() if from_stdin else []

    def ask(self, prompt: str, *, required: bool) -> str:
        if self.from_stdin:
            value = self.lines.pop(0) if self.lines else ""
        else:
            value = getpass.getpass(prompt)
        if required and not value:
            raise ConfigError(_("{what} is empty; nothing was saved.").format(what=prompt.rstrip(": ")))
        return value


def _master_password(args: argparse.Namespace, store: Store | None = None, name: str | None = None) -> str | None:
    """Ask for the master password when the encrypted secrets file is used and the environment has none."""
    if not needs_master_password(store, name):
        return None
    if getattr(args, "stdin", False) or not sys.stdin.isatty():
        raise CredentialError(_("this computer has no OS keyring, so secrets go to an encrypted file: set {env} "
                                "(or run the command in a terminal to be asked for it).").format(env=MASTER_PASSWORD_ENV))
    password = getpass.getpass(_("Master password for the nocdesk secrets file: "))
    if not secret_file_exists():
        if getpass.getpass(_("Same master password again: ")) != password:
            raise CredentialError(_("the two master passwords differ; nothing was saved."))
    return password


def _refuse_existing(store: Store, name: str, replace: bool) -> None:
    row = store.conn.execute("SELECT kind FROM credentials WHERE name = ?", (name,)).fetchone()
    if row and not replace:
        raise ConfigError(_("credential '{name}' already exists; add --replace to overwrite it.").format(name=name))


def _add_snmp(args: argparse.Namespace) -> int:
    version = args.version
    with open_store(db_path(args)) as store:
        _refuse_existing(store, args.name, args.replace)
        master = _master_password(args)
        secrets = _Secrets(args.stdin)
        values: dict[str, str | None] = {}
        if version in ("1", "2c"):
            values["community"] = secrets.ask(_("Community: "), required=True)
        else:
            if (args.auth_protocol or "none").lower() != "none":
                values["auth_key"] = secrets.ask(_("Authentication password: "), required=True)
            if (args.priv_protocol or "none").lower() != "none":
                values["priv_key"] = secrets.ask(_("Privacy password: "), required=True)
        save_snmp_credential(store, args.name, version=version, user=args.user, auth_protocol=args.auth_protocol,
                             priv_protocol=args.priv_protocol, port=args.port, timeout_s=args.timeout,
                             retries=args.retries, master_password=master, **values)
    print(_("Saved SNMP credential '{name}' (secrets in the {where}).").format(name=args.name, where=_where()))
    return 0


def _add_ssh(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        _refuse_existing(store, args.name, args.replace)
        master = _master_password(args)
        secrets = _Secrets(args.stdin)
        password = secrets.ask(_("Password (empty for key-based login): "), required=False)
        enable = secrets.ask(_("Enable secret: "), required=True) if args.enable_secret else None
        save_ssh_credential(store, args.name, username=args.username, password=password or None,
                            enable_secret=enable, port=args.port, master_password=master)
    print(_("Saved SSH credential '{name}' (secrets in the {where}).").format(name=args.name, where=_where()))
    return 0


def _where() -> str:
    return _("OS keyring") if default_backend_name() == "keyring" else _("encrypted secrets file")


def _list(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        creds = list_credentials(store)
    if args.format == "json":
        print(json.dumps([{"name": c.name, "kind": c.kind, "params": c.params, "used_by": list(c.used_by)}
                          for c in creds], indent=2, ensure_ascii=False))
        return 0
    if not creds:
        print(_("No credentials yet. Add one with 'nocdesk credential add-snmp NAME --version 2c'."))
        return 0
    for c in creds:
        p = c.params
        if c.kind == "snmp":
            detail = f"v{p['version']}" + (f" user={p['user']} {p['security_level']}" if p["version"] == "3" else "")
            if p["version"] == "3" and p.get("auth_protocol", "none") != "none":
                detail += f" auth={p['auth_protocol']}"
            if p["version"] == "3" and p.get("priv_protocol", "none") != "none":
                detail += f" priv={p['priv_protocol']}"
            detail += f" port={p['port']}"
        else:
            detail = f"user={p['username']} port={p['port']}"
        used = _("used by {count}").format(count=len(c.used_by)) if c.used_by else _("unused")
        print(f"{c.name:<20} {c.kind.upper():<5} {detail}  ({used})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    with open_store(db_path(args)) as store:
        master = _master_password(args, store, args.name)
        detached = delete_credential(store, args.name, force=args.force, master_password=master)
    print(_("Removed credential '{name}' and its secrets.").format(name=args.name))
    if detached:
        print(_("  These devices now have no credential of that kind: {devices}").format(devices=", ".join(detached)))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `credential` command group."""
    cred = subparsers.add_parser("credential", help=_("named SNMP and SSH credentials (secrets kept outside the database)"),
                                 epilog=_("Secrets are asked for without echo, or read one per line from standard input "
                                          "with --stdin. Without an OS keyring they go to an encrypted file protected by "
                                          "a master password ({env}).").format(env=MASTER_PASSWORD_ENV))
    sub = cred.add_subparsers(dest="credential_command", required=True, metavar="ACTION")
    p = sub.add_parser("add-snmp", help=_("add an SNMP credential (asks for the community or the v3 passwords)"))
    p.add_argument("name")
    p.add_argument("--version", required=True, choices=["1", "2c", "3"])
    p.add_argument("--user", help=_("SNMPv3 user name"))
    p.add_argument("--auth-protocol", help=_("SNMPv3: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512 (default none)"))
    p.add_argument("--priv-protocol", help=_("SNMPv3: DES, AES, AES192, AES256, AES192C, AES256C (default none)"))
    p.add_argument("--port", type=int, default=161)
    p.add_argument("--timeout", type=float, default=2.0, metavar="SECONDS")
    p.add_argument("--retries", type=int, default=1)
    p.add_argument("--stdin", action="store_true",
                   help=_("read secrets from standard input, one per line: the community, or the auth then privacy password"))
    p.add_argument("--replace", action="store_true", help=_("overwrite a credential of the same name"))
    p.set_defaults(func=_add_snmp)
    p = sub.add_parser("add-ssh", help=_("add an SSH credential (asks for the password)"))
    p.add_argument("name")
    p.add_argument("--username", required=True)
    p.add_argument("--port", type=int, default=22)
    p.add_argument("--enable-secret", action="store_true", help=_("also ask for an enable secret"))
    p.add_argument("--stdin", action="store_true",
                   help=_("read secrets from standard input, one per line: the password, then the enable secret"))
    p.add_argument("--replace", action="store_true", help=_("overwrite a credential of the same name"))
    p.set_defaults(func=_add_ssh)
    p = sub.add_parser("list", help=_("list credentials (names and settings, never secrets)"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_list)
    p = sub.add_parser("remove", help=_("remove a credential and its secrets"))
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help=_("also when devices use it (they are left without one)"))
    p.set_defaults(func=_remove)
