"""The interface languages the app supports (no Flask here, so services can use it too)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str  # in the language's own script, as its speakers write it
    english_name: str
    direction: str = "ltr"
    babel_locale: str = ""  # what Babel formats dates and numbers with, when not the code itself

    @property
    def locale(self) -> str:
        return self.babel_locale or self.code


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English", babel_locale="en_GB"),
        Language("cy", "Cymraeg", "Welsh"),
        Language("ar", "العربية", "Arabic", "rtl"),
    )
}
DEFAULT_LOCALE = "en"

# English names of languages the Unicode CLDR (and so Babel) does not name. The reader-facing, translated
# names are in referral_app.labels; this is the plain data the API and the search index use.
NAMES_MISSING_FROM_CLDR = {"bfi": "British Sign Language", "prs": "Dari", "ils": "International Sign"}
