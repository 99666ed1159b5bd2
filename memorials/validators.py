"""Rules for what can be stitched on a butterfly, and for dates and free text families send us."""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Scripts whose conjuncts (consonant + virama + consonant) people read as one letter (Unicode 15.1, GB9c).
_CONJUNCT_BLOCKS = (
    (0x0900, 0x097F),  # Devanagari
    (0x0980, 0x09FF),  # Bengali
    (0x0A80, 0x0AFF),  # Gujarati
    (0x0B00, 0x0B7F),  # Oriya
    (0x0C00, 0x0C7F),  # Telugu
    (0x0D00, 0x0D7F),  # Malayalam
)
_ZWJ = "\u200d"
_ZWNJ = "\u200c"
# Punctuation that belongs in names: hyphens, apostrophes, a period, a middle dot, the Arabic and
# Hebrew marks people write inside names.
_NAME_PUNCTUATION = set("-'’‘.·\u05f3\u05f4\u060c\u2010\u2011") | {_ZWJ, _ZWNJ}
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
MARKUP_CHARACTERS = set("<>{}[]\\`")


def _extends(char: str) -> bool:
    """True when `char` belongs to the letter before it (an accent, a vowel sign, a joiner, a skin tone)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in (_ZWJ, _ZWNJ)
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0x1160 <= code <= 0x11FF  # Hangul jamo vowels and final consonants
        or 0xE0020 <= code <= 0xE007F  # emoji tag characters
    )


def _is_conjunct_virama(char: str) -> bool:
    code = ord(char)
    return unicodedata.combining(char) == 9 and any(low <= code <= high for low, high in _CONJUNCT_BLOCKS)


def grapheme_count(text: str) -> int:
    """Count letters as a person would: "Zoë" is 3 whether the ë is one code point or e plus an accent.

    A close reading of Unicode's extended grapheme clusters (UAX #29) for the cases names hit: combining
    accents and vowel signs, Indic conjuncts, joined emoji, flags. Python has no grapheme splitter built in,
    and this keeps us from adding a dependency for one count.
    """
    count = 0
    previous = ""
    regional_run = 0
    for char in text:
        code = ord(char)
        is_regional = 0x1F1E6 <= code <= 0x1F1FF
        joins = count > 0 and (
            _extends(char)
            or previous == _ZWJ
            or (_is_conjunct_virama(previous) and unicodedata.category(char) == "Lo")
            or (is_regional and regional_run % 2 == 1)
        )
        if not joins:
            count += 1
        regional_run = regional_run + 1 if is_regional else 0
        previous = char
    return count


def embroidery_name_max() -> int:
    return settings.MILKBANK.get("EMBROIDERY_NAME_MAX", 20)


def validate_embroidery_name(value: str) -> None:
    """A first name our quilters can stitch: not blank, short enough, letters rather than symbols."""
    if not value or not value.strip():
        raise ValidationError(_("Please write the name to stitch."), code="blank")
    for char in value:
        category = unicodedata.category(char)
        if category[0] in ("L", "M", "N") or category == "Zs" or char in _NAME_PUNCTUATION:
            continue
        raise ValidationError(
            _("Please use only letters, spaces, hyphens and apostrophes in the name."),
            code="symbols",
        )
    limit = embroidery_name_max()
    length = grapheme_count(value)
    if length > limit:
        raise ValidationError(
            _(
                "A butterfly has room for %(limit)d letters and spaces; this name has %(length)d. "
                "A shorter form or a nickname works well."
            ),
            code="too_long",
            params={"limit": limit, "length": length},
        )


def validate_not_future(value: datetime.date) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("The birth date cannot be in the future."), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Please check the year of the birth date."), code="too_early")


def validate_no_markup(value: str) -> None:
    """Refuse angle brackets and the like: nobody's name or address needs them, and pages never run them."""
    if value and any(char in MARKUP_CHARACTERS for char in value):
        raise ValidationError(
            _("Please leave out the characters < > { } [ ] \\ and `."),
            code="markup",
        )
