from django.conf import settings

from resources.hours import current_status, support_hours


def bank(request):
    """The bank's name, phone and hours for every page, and whether its line is open now (header, footer).
    The hours are in words in the page's language (resources.hours.support_hours)."""
    hours = support_hours()
    bank = (
        settings.MILKBANK
        if hours == settings.MILKBANK["SUPPORT_HOURS"]
        else {**settings.MILKBANK, "SUPPORT_HOURS": hours}
    )
    return {"bank": bank, "bank_time_zone": settings.TIME_ZONE, "phone_line": current_status()}
