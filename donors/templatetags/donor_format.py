"""`{% load donor_format %}`: `{{ day|long_date }}` and `{{ total_ml|volume }}` in the page's (or email's)
language; see donors.formatting."""

from django import template

from donors import formatting

register = template.Library()

# expects_localtime: a moment is shown as the bank's local day, as the `date` filter does.
register.filter("long_date", formatting.long_date, expects_localtime=True)
register.filter("volume", formatting.volume)
