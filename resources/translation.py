"""The editors' texts families read, in each of settings.LANGUAGES (django-modeltranslation).

Each field listed here gets one column per language (title_en, title_es, title_fr). Reading `page.title`
gives the active language's text, or the English one while that is empty; `in_english` tells which fields
fell back, so the page can say so and mark them lang="en". The original column (`title`) keeps the
English text too: the admin is always in English, and it edits English through the original field.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import build_localized_fieldname, get_language

from .models import GriefResource, KeepsakeMaker, MilkBank, Page

# The languages editors translate into: every language of the site but the default (English).
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register([GriefResource, MilkBank])
class ListEntryTranslation(TranslationOptions):
    # The phone too: it may carry words ("988 (call or text)").
    fields = ("name", "description", "phone")


@register(KeepsakeMaker)
class KeepsakeMakerTranslation(TranslationOptions):
    fields = ("name", "description")


def in_english(obj, fields) -> dict[str, bool]:
    """{field: True} for each of `fields` shown in English because it has no text in the active language."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return {}
    default = settings.LANGUAGE_CODE
    return {
        field: True
        for field in fields
        if not getattr(obj, build_localized_fieldname(field, language))
        and getattr(obj, build_localized_fieldname(field, default))
    }
