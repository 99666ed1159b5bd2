"""The donor's private status page (no account) and the form to have its link emailed again."""

import logging

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from .. import links, milk_services, transitions
from ..models import AccessLink, Donor

logger = logging.getLogger(__name__)
Stage = Donor.Stage

# Where each stage sits among the three screening steps: (phone screen, questionnaire, bloodwork), each
# "done", "now" (the donor's or our current step) or "" (not yet).
STEPS = {
    Stage.INQUIRY: ("now", "", ""),
    Stage.PHONE_SCREEN_PASSED: ("done", "now", ""),
    Stage.QUESTIONNAIRE_SENT: ("done", "now", ""),
    Stage.QUESTIONNAIRE_SUBMITTED: ("done", "now", ""),
    Stage.QUESTIONNAIRE_ACCEPTED: ("done", "done", "now"),
    Stage.BLOODWORK_ORDERED: ("done", "done", "now"),
    Stage.BLOODWORK_RESULTED: ("done", "done", "done"),
    Stage.READY_FOR_SIGNOFF: ("done", "done", "done"),
    Stage.APPROVED: ("done", "done", "done"),
    Stage.INACTIVE: ("done", "done", "done"),
}


def private(response, *, referrer="no-referrer"):
    """Private pages are never cached, indexed, or named in another site's Referer.

    A page that posts a form must say "same-origin": under "no-referrer" Chromium posts `Origin: null`, which
    Django's CSRF check refuses (the 403 donors met on "Email me a new link"). "same-origin" still sends other
    sites nothing at all, so no private token in this site's addresses ever reaches them; pages without a
    form keep "no-referrer", so their tokens are not even sent back to us. See public.private() too.
    """
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def status(request, token):
    try:
        link = links.link_resolve(token, purpose=AccessLink.Purpose.STATUS)
    except links.LinkProblem as problem:
        return private(render(request, "donors/status/problem.html", {"reason": problem.reason}, status=404))
    donor = link.donor
    context = {
        "donor": donor,
        "steps": STEPS.get(donor.stage),
        "total_ml": transitions.donor_total_ml(donor),
        "depots": None,
    }
    if donor.stage == Stage.APPROVED or donor.stage == Stage.RESEARCH_ONLY:
        # Street addresses go only to donors who bring milk: approved donors, and research-only donors (whose
        # milk also comes through the depots). Their own region first.
        depots = list(milk_services.depots_for_approved_donor())
        depots.sort(key=lambda d: (d.region != donor.region, d.region, d.city, d.name))
        context["depots"] = depots
        context["bloodwork_valid_until"] = donor.bloodwork_valid_until()
    return private(render(request, "donors/status/status.html", context))


class ResendForm(forms.Form):
    email = forms.EmailField(
        label="Your email address", max_length=254, help_text="The address you gave us when you signed up."
    )


@require_http_methods(["GET", "POST"])
def resend(request):
    """Email a fresh status link. The answer is the same whether or not we know the address."""
    form = ResendForm(request.POST or None)
    sent = False
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="donors.status_resend", key="ip", rate="5/h", method="POST", increment=True
        )
        if limited:
            form.add_error(None, "Too many tries from here. Please wait an hour, or call us.")
        elif form.is_valid():
            email = form.cleaned_data["email"]
            for donor in Donor.objects.filter(email__iexact=email).exclude(
                stage__in=[Stage.DECLINED, Stage.WITHDRAWN]
            )[:3]:
                transitions.status_link_send(donor=donor)
            logger.info("status link requested")
            sent = True
    response = render(
        request,
        "donors/status/resend.html",
        {"form": form, "sent": sent, "phone": settings.MILKBANK["COORDINATOR_PHONE"]},
    )
    return private(response, referrer="same-origin")
