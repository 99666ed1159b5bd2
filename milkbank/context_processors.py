from django.conf import settings


def bank(request):
    """The bank's name, phone and support hours for every page (header, footer, help lines)."""
    return {"bank": settings.MILKBANK, "bank_time_zone": settings.TIME_ZONE}
