"""Translations from the Babel message catalogs under service/locale (Dutch first)."""

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from models.errors import DomainError

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en", "fr")
DEFAULT_LANGUAGE = "nl"


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the catalog for a language, compiled in memory from its .po file."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po_file.exists():
        return gettext.NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def error_message(error: DomainError, language: str = DEFAULT_LANGUAGE) -> str:
    """Translate a refusal into the reader's language, filling in its parameters."""
    message = translations(language).gettext(error.msgid)
    return message % error.params if error.params else message
