"""Translation of core messages (CLI, alerts, reports) with gettext; the UI uses Qt's tr() on top of this.

`_()` looks messages up in the active language's catalogue (resources/locale/<lang>/LC_MESSAGES/nocdesk.mo);
untranslated messages stay in English. The language comes from set_language(), else NOCDESK_LANG, else the
system locale.
"""

from __future__ import annotations

import argparse
import gettext
import locale
import os
from importlib import resources

_DOMAIN = "nocdesk"
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _locale_dir() -> str:
    return str(resources.files("nocdesk.resources") / "locale")


def system_language() -> str:
    """'id' when the system locale is Indonesian, else 'en'."""
    lang = os.environ.get("NOCDESK_LANG") or (locale.getlocale()[0] or os.environ.get("LANG", ""))
    return "id" if lang.lower().startswith(("id", "in_", "indonesia")) else "en"  # Windows: 'Indonesian_Indonesia'


def set_language(lang: str | None) -> str:
    """Switch core messages to `lang` ('id' or 'en'; None = system default) and return the language used."""
    global _translation, _language
    _language = lang or system_language()
    _translation = gettext.translation(_DOMAIN, _locale_dir(), languages=[_language], fallback=True)
    # argparse's own words ("usage:", "options", "error: ...") are in our catalogue too (extracted from it by
    # scripts/update_translations.py); it looks them up through its module-level gettext aliases.
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    return _language


def current_language() -> str:
    """The language core messages are currently rendered in."""
    return _language


def _(message: str) -> str:
    """Translate `message` into the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _translation.ngettext(singular, plural, n)
