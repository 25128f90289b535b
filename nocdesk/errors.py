"""The error types of nocdesk: one base, a few meaningful kinds, each carrying a user-readable message."""

from __future__ import annotations


class NocdeskError(Exception):
    """Base of every error nocdesk reports to a user; str(err) is the one-line message to show."""


class ConfigError(NocdeskError):
    """Bad configuration or input from the user (a malformed CSV row, an unknown kind, a bad range)."""


class ProfileError(ConfigError):
    """A vendor profile file that does not load: names the file and the field."""


class StoreError(NocdeskError):
    """The database file cannot be used: corrupt, from a newer version, locked, unwritable."""


class CredentialError(NocdeskError):
    """A credential is missing, the secret store is locked, or the master password is wrong."""


class UnreachableError(NocdeskError):
    """A target did not answer at all (timeout, no route)."""


class AuthError(NocdeskError):
    """A target answered but refused our credentials (SNMPv3 auth failure, SSH auth failed)."""


class EngineLockedError(NocdeskError):
    """Another engine already polls this database."""
