"""The one place notification secrets (SMTP password, Telegram bot token) are read and written.

They live in the credential store (OS keyring or the encrypted file) through nocdesk.credentials'
save_secret/load_secret, under the key "notify:<name>" of this database.
"""

from __future__ import annotations

from .. import credentials
from ..errors import CredentialError
from ..i18n import _
from ..store import Store


def _key(name: str) -> str:
    return f"notify:{name}"


def read_secret(store: Store, name: str, *, master_password: str | None = None) -> str:
    """The secret stored under `name`; CredentialError saying how to set it when it is missing."""
    if not name:
        raise CredentialError(_("no credential name is set for this channel; set the *_credential setting and store "
                                "the secret with 'nocdesk notify set-secret NAME'."))
    value = credentials.load_secret(store, _key(name), master_password=master_password)
    if value is None:
        raise CredentialError(_("the secret '{name}' is not stored on this computer; store it with "
                                "'nocdesk notify set-secret {name}'.").format(name=name))
    return value


def save_secret(store: Store, name: str, value: str, *, master_password: str | None = None) -> None:
    """Store (or replace) a notification secret."""
    credentials._check_name(name)
    credentials.save_secret(store, _key(name), value, master_password=master_password)
