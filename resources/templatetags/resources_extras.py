import re

from django import template

register = template.Library()

# Plain names for the zones North American banks are in; anything else reads as "<city> time".
ZONE_NAMES = {
    "America/St_Johns": "Newfoundland time",
    "America/Halifax": "Atlantic time",
    "America/New_York": "Eastern time",
    "America/Detroit": "Eastern time",
    "America/Toronto": "Eastern time",
    "America/Chicago": "Central time",
    "America/Winnipeg": "Central time",
    "America/Regina": "Saskatchewan time",
    "America/Denver": "Mountain time",
    "America/Edmonton": "Mountain time",
    "America/Phoenix": "Arizona time",
    "America/Los_Angeles": "Pacific time",
    "America/Vancouver": "Pacific time",
    "America/Anchorage": "Alaska time",
    "Pacific/Honolulu": "Hawaii time",
}


@register.filter
def time_zone_name(zone: str) -> str:
    """'America/Chicago' -> 'Central time'; 'Europe/Oslo' -> 'Oslo time'."""
    if zone in ZONE_NAMES:
        return ZONE_NAMES[zone]
    city = (zone or "").rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time" if city else ""


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
