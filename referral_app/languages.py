"""The interface languages the app supports (no Flask here, so services can use it too)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str  # in the language's own script, as its speakers write it
    english_name: str
    direction: str = "ltr"
    babel_locale: str = ""  # what Babel formats dates and numbers with, when not the code itself
    # A sign language has no written form: its pages keep the text of `text_language` and put video first.
    signed: bool = False
    text_language: str = ""

    @property
    def locale(self) -> str:
        return self.babel_locale or self.code

    @property
    def html_lang(self) -> str:
        """The language the page's text is written in (a signed language's pages are written in English)."""
        return self.text_language or self.code

    @property
    def has_catalogue(self) -> bool:
        """Whether the interface text has its own translation catalogue in `translations/`."""
        return not self.signed and self.code != DEFAULT_LOCALE


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        # English first, then BSL, then by script: Latin, Cyrillic, Arabic, Ethiopic, Gurmukhi, Bengali.
        Language("en", "English", "English", babel_locale="en_GB"),
        Language("bfi", "BSL", "British Sign Language", babel_locale="en_GB", signed=True, text_language="en"),
        Language("cy", "Cymraeg", "Welsh"),
        Language("cs", "Čeština", "Czech"),
        Language("es", "Español", "Spanish"),
        Language("pl", "Polski", "Polish"),
        Language("pt", "Português", "Portuguese"),
        Language("ro", "Română", "Romanian"),
        Language("sk", "Slovenčina", "Slovak"),
        Language("so", "Soomaali", "Somali"),
        Language("bg", "Български", "Bulgarian"),
        Language("uk", "Українська", "Ukrainian"),
        Language("ar", "العربية", "Arabic", "rtl"),
        Language("fa", "فارسی / دری", "Farsi and Dari", "rtl"),
        Language("ps", "پښتو", "Pashto", "rtl"),
        Language("ur", "اردو", "Urdu", "rtl"),
        Language("ckb", "کوردی سۆرانی", "Kurdish (Sorani)", "rtl"),
        Language("ti", "ትግርኛ", "Tigrinya"),
        Language("pa", "ਪੰਜਾਬੀ", "Punjabi (Gurmukhi)"),
        Language("bn", "বাংলা", "Bengali"),
    )
}
# The languages with their own interface catalogue (every one but English and BSL).
TRANSLATED = tuple(code for code, language in LANGUAGES.items() if language.has_catalogue)

# English names of languages the Unicode CLDR (and so Babel) does not name. The reader-facing, translated
# names are in referral_app.labels; this is the plain data the API and the search index use.
NAMES_MISSING_FROM_CLDR = {"bfi": "British Sign Language", "prs": "Dari", "ils": "International Sign"}
