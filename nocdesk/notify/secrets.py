"""The one place notification secrets (SMTP password, Telegram bot token) are read and written.

nocdesk.credentials keeps SNMP and SSH credentials; it has no API for a bare secret yet, so this module keeps
notification secrets in the same secret store (OS keyring or the encrypted file) under the key
"<scope>:notify:<name>". When credentials.py grows `load_secret`/`save_secret`, only this file changes.
"""

from __future__ import annotations

import os

from .. import credentials
from ..errors import CredentialError
from ..i18n import _
from ..store import Store


def _key(store: Store, name: str) -> str:
    return f"{credentials._scope(store)}:notify:{name}"


def read_secret(store: Store, name: str, *, master_password: str | None = None) -> str:
    """The secret stored under `name`; CredentialError saying how to set it when it is missing."""
    if hasattr(credentials, "load_secret"):
        return credentials.load_secret(store, name, master_password=master_password)
    if not name:
        raise CredentialError(_("no credential name is set for this channel; set the *_credential setting and store "
                                "the secret with 'nocdesk notify set-secret NAME'."))
    password = master_password or os.environ.get(credentials.MASTER_PASSWORD_ENV)
    value = credentials._secret_store(credentials.default_backend_name(), password).get(_key(store, name))
    if value is None:
        raise CredentialError(_("the secret '{name}' is not stored on this computer; store it with "
                                "'nocdesk notify set-secret {name}'.").format(name=name))
    return value


def save_secret(store: Store, name: str, value: str, *, master_password: str | None = None) -> None:
    """Store (or replace) a notification secret."""
    if hasattr(credentials, "save_secret"):
        credentials.save_secret(store, name, value, master_password=master_password)
        return
    credentials._check_name(name)
    password = master_password or os.environ.get(credentials.MASTER_PASSWORD_ENV)
    credentials._secret_store(credentials.default_backend_name(), password).set(_key(store, name), value)
