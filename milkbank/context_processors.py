from django.conf import settings

from resources.hours import current_status


def bank(request):
    """The bank's name, phone and hours for every page, and whether its line is open now (header, footer)."""
    return {"bank": settings.MILKBANK, "bank_time_zone": settings.TIME_ZONE, "phone_line": current_status()}
