"""Staff pages for data rights: a donor's data as JSON or as a printable page, and anonymization.

Each view declares its permission once (`donors.export_donor`, `donors.anonymize_donor`: coordinators).
Every export is written to the access log.
"""

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from milkbank.access import EXPORT, record_access, staff_permission

from .. import privacy
from ..models import Donor
from ..transitions import TransitionRefused

EXPORT_PERMISSION = "donors.export_donor"
ANONYMIZE_PERMISSION = "donors.anonymize_donor"


@staff_permission(EXPORT_PERMISSION)
@require_safe
def export_json(request, donor_id):
    donor = get_object_or_404(Donor, pk=donor_id)
    record_access(donor, how=EXPORT)
    data = privacy.donor_export(donor=donor)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    # A file name with the record number only: no name in a download folder or a proxy log.
    response["Content-Disposition"] = f'attachment; filename="donor-{donor.pk}-data.json"'
    return response


@staff_permission(EXPORT_PERMISSION)
@require_safe
def export_page(request, donor_id):
    donor = get_object_or_404(Donor, pk=donor_id)
    record_access(donor, how=EXPORT)
    context = {
        "donor": donor,
        "data": privacy.donor_export(donor=donor),
        "title": "Everything we hold about this donor",
    }
    return render(request, "donors/privacy/export.html", context)


class AnonymizeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this removes this donor's name, contact details and health answers for good.",
        error_messages={"required": "Tick the box to confirm. Nothing has been changed."},
    )


@staff_permission(ANONYMIZE_PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def anonymize(request, donor_id):
    donor = get_object_or_404(Donor, pk=donor_id)
    form = AnonymizeForm(request.POST if request.method == "POST" else None)
    problem = privacy.anonymize_refusal(donor)
    status = 200
    if request.method == "POST":
        if problem:
            status = 409
        elif form.is_valid():
            try:
                privacy.donor_anonymize(donor=donor, by=request.user)
            except TransitionRefused as refused:
                problem = refused.message
                status = 409
            else:
                messages.success(request, "The donor's personal details and health answers were removed.")
                return redirect("admin:donors_donor_change", donor.pk)
        else:
            status = 400
    context = {
        "donor": donor,
        "form": form,
        "problem": problem,
        "retention_years": privacy.retention_years(),
        "title": "Anonymize this donor",
    }
    return render(request, "donors/privacy/anonymize.html", context, status=status)
