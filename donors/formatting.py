"""Dates and volumes as a donor or family reads them, in the language that is active (Django's own number
and date formats for it: "1,234 mL" in English, "1 234 mL" in Spanish and French)."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext

from .milk.services import ML_PER_US_FL_OZ

# English keeps the month written out ("November 29, 2026"), as the donor pages always had; Spanish and
# French take Django's own long date for the language ("29 de noviembre de 2026", "29 novembre 2026").
_ENGLISH_LONG_DATE = "F j, Y"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    if value in (None, ""):
        return ""
    english = (get_language() or "en").split("-")[0] == "en"
    return date_format(value, _ENGLISH_LONG_DATE if english else "DATE_FORMAT")


def volume(ml) -> str:
    """Millilitres with their US fluid ounces beside them, e.g. "1,234 mL (41.7 oz)"."""
    if ml in (None, ""):
        return ""
    ml = Decimal(ml)
    ounces = ml / ML_PER_US_FL_OZ
    return gettext("%(ml)s mL (%(oz)s oz)") % {
        "ml": number_format(ml, 0 if ml == ml.to_integral_value() else 1, use_l10n=True, force_grouping=True),
        "oz": number_format(ounces, 1, use_l10n=True, force_grouping=True),
    }
