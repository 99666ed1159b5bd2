"""Cross-app wiring. `donors` knows nothing of `memorials`: here the donor page learns to show butterflies,
a donor's data export includes them, and anonymizing a donor reaches the family's contact details on them.
`resources` knows neither: here its search learns of the public depots."""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def depot_documents():
    """Each public depot as a search document, linking to the depot list for its region."""
    from donors.models import Depot

    for depot in Depot.objects.public().only("name", "city", "region", "hours"):
        yield {
            "key": str(depot.pk),
            "url": f"{reverse('donors:depots')}?{urlencode({'region': depot.region})}",
            "kind": _("Milk depot"),
            "title": depot.name,
            "summary": _("A milk depot in %(city)s, %(region)s.")
            % {"city": depot.city, "region": depot.region},
            "keywords": f"{depot.city} {depot.region}",
            "body": depot.hours,
        }


def butterflies_per_month(first, end) -> dict:
    """Butterflies being made (not a request still to review, nor declined), by the month they were asked
    for: a count for the donor report, never a name."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from memorials.models import Butterfly

    rows = (
        Butterfly.objects.filter(
            status__in=Butterfly.Status.accepted(), requested_on__gte=first, requested_on__lt=end
        )
        .annotate(month=TruncMonth("requested_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def connect_apps():
    from donors.admin import DonorAdmin
    from donors.signals import donor_anonymized, donor_exporting
    from memorials.admin import DonorButterflyInline
    from memorials.services import donor_butterflies_export, forget_donor_family

    if DonorButterflyInline not in DonorAdmin.inlines:
        DonorAdmin.inlines = [*DonorAdmin.inlines, DonorButterflyInline]
    donor_anonymized.connect(forget_donor_family, dispatch_uid="memorials.forget_donor_family")
    donor_exporting.connect(donor_butterflies_export, dispatch_uid="memorials.donor_butterflies_export")

    from donors.reports.milk import register_monthly_count

    register_monthly_count("butterflies", "Butterflies", butterflies_per_month)

    from donors.models import Depot
    from resources.search import rebuild_index, register_source

    register_source("depot", depot_documents)
    post_save.connect(rebuild_index, sender=Depot, dispatch_uid="resources.index.save.depot")
    post_delete.connect(rebuild_index, sender=Depot, dispatch_uid="resources.index.delete.depot")
