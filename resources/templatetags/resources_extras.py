import re

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resources.models import PRIVATE_LINK_PREFIXES

register = template.Library()

# Plain names for the zones North American banks are in; anything else reads as "<city> time".
ZONE_NAMES = {
    "America/St_Johns": _("Newfoundland time"),
    "America/Halifax": _("Atlantic time"),
    "America/New_York": _("Eastern time"),
    "America/Detroit": _("Eastern time"),
    "America/Toronto": _("Eastern time"),
    "America/Chicago": _("Central time"),
    "America/Winnipeg": _("Central time"),
    "America/Regina": _("Saskatchewan time"),
    "America/Denver": _("Mountain time"),
    "America/Edmonton": _("Mountain time"),
    "America/Phoenix": _("Arizona time"),
    "America/Los_Angeles": _("Pacific time"),
    "America/Vancouver": _("Pacific time"),
    "America/Anchorage": _("Alaska time"),
    "Pacific/Honolulu": _("Hawaii time"),
}


@register.filter
def time_zone_name(zone: str) -> str:
    """'America/Chicago' -> 'Central time'; 'Europe/Oslo' -> 'Oslo time'."""
    if zone in ZONE_NAMES:
        return str(ZONE_NAMES[zone])
    city = (zone or "").rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(city)s time") % {"city": city} if city else ""


def _unprefixed(path: str) -> str:
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in each language, for the switcher and the hreflang alternates.

    Each: code, name (in its own language), url (this address, query kept, in that language), absolute (the
    page's absolute address without the query, for alternates), current and default. Pages behind a donor's
    private link get no `absolute`: their token is never offered to search engines.
    """
    request = context.get("request")
    if request is None or "/staff/" in request.path_info:
        return []  # the staff pages are in English only (milkbank.middleware.StaffPagesInEnglish)
    current = translation.get_language()
    here = request.get_full_path()
    path = request.path
    private = _unprefixed(path).startswith(PRIVATE_LINK_PREFIXES)
    # A page not found, or a private link that did not open (its page names the `reason`): each language's
    # home page, so a forged link's page never echoes the token and is the same whatever the token.
    nowhere = context.get("page_not_found") or (private and context.get("reason"))
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(here, code)
        if nowhere or (url == here and code != current):
            with translation.override(code):
                url = reverse("resources:home")
        versions.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute": None
                if private
                else request.build_absolute_uri(translate_url(request.path, code)),
                "current": code == current,
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return versions


_EXTENSION = re.compile(r"(?:ext\.?|extension|x)\s*(\d+)", re.IGNORECASE)


@register.filter
def tel_href(number: str) -> str:
    """A tel: link for a number written for people, keeping its extension (RFC 3966).

    '604-875-2424, ext. 3743' -> 'tel:6048752424;ext=3743'; '988 (call or text)' -> 'tel:988'.
    """
    main = re.split(r"\(|,|ext|x\s*\d", number or "", maxsplit=1, flags=re.IGNORECASE)[0]
    digits = re.sub(r"[^\d+]", "", main)
    if not digits:
        return ""
    extension = _EXTENSION.search(number[len(main) :])
    return f"tel:{digits};ext={extension[1]}" if extension else f"tel:{digits}"


@register.simple_tag
def root_url(name: str) -> str:
    """The address of a file served once for every language (print.css): never under /es/ or /fr/."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name)
