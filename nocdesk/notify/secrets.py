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


# The settings key naming each channel's secret, and the name used when the user types a secret in the app before
# any name was set (the CLI's `nocdesk notify set-secret NAME` lets them choose one).
SECRET_KEYS = {"email": "notify.email.password_credential", "telegram": "notify.telegram.token_credential"}
DEFAULT_NAMES = {"email": "smtp-password", "telegram": "telegram-bot-token"}


def secret_name(channel: str, current: str | None) -> str:
    """The credential name a channel's secret is (or will be) stored under: the configured one, else the default."""
    return (current or "").strip() or DEFAULT_NAMES[channel]


def secret_state(store: Store, name: str) -> str:
    """'saved', 'not set' or 'locked' (the encrypted secrets file needs its master password) for a secret name."""
    if not name:
        return "not set"
    try:
        return "saved" if credentials.load_secret(store, _key(name)) is not None else "not set"
    except CredentialError:
        return "locked"


def save_channel_secrets(store: Store, typed: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """Store the secrets typed for some channels ({"email": password, "telegram": token}; empty = unchanged) under
    their names (`names`: channel -> configured name, may be empty); returns the `*_credential` settings to save."""
    keys = {}
    for channel, value in typed.items():
        if not value:
            continue
        name = secret_name(channel, names.get(channel))
        save_secret(store, name, value)
        keys[SECRET_KEYS[channel]] = name
    return keys
