"""The donor's private status page (no account) and the form to have its link emailed again."""

import functools
import logging

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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


# Links a typed address may have sent it in an hour, whoever types it: enough for a donor who lost a
# message, too few to fill an inbox.
RESEND_RATE_PER_ADDRESS = "3/h"


@require_http_methods(["GET", "POST"])
def resend(request):
    """Email a fresh status link. The answer is the same, and as quick, whether or not we know the address:
    the page is sent first, and only then do we look the address up and send mail (see AfterResponse)."""
    form = ResendForm(request.POST or None)
    sent = False
    work = None
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="donors.status_resend", key="ip", rate="5/h", method="POST", increment=True
        )
        if limited:
            form.add_error(None, "Too many tries from here. Please wait an hour, or call us.")
        elif form.is_valid():
            email = form.cleaned_data["email"]
            # Counted for known and unknown addresses alike; over the limit, the same page and no mail.
            address_limited = is_ratelimited(
                request,
                group="donors.status_resend.address",
                key=lambda group, request: email.casefold(),
                rate=RESEND_RATE_PER_ADDRESS,
                increment=True,
            )
            if not address_limited:
                work = functools.partial(_send_status_links, email)
            logger.info("status link requested")
            sent = True
    context = {"form": form, "sent": sent, "phone": settings.MILKBANK["COORDINATOR_PHONE"]}
    content = render_to_string("donors/status/resend.html", context, request)
    response = AfterResponse(content, work=work) if work else HttpResponse(content)
    return private(response, referrer="same-origin")


def _send_status_links(email: str) -> None:
    """Send each open file with this address a new link, leaving the donor's current one open until the new
    one is used: whoever typed the address may not be the donor."""
    for donor in Donor.objects.filter(email__iexact=email).exclude(
        stage__in=[Stage.DECLINED, Stage.WITHDRAWN]
    )[:3]:
        try:
            transitions.status_link_send(donor=donor, keep_current=True)
        except transitions.TransitionRefused:
            continue  # a file closed since; nothing to send


class AfterResponse(HttpResponse):
    """A page that runs `work` once it has been sent: the WSGI server (gunicorn, runserver, the test
    client) calls close() after the last byte, so the visitor waits for none of it, and the time to answer
    does not depend on what the work finds. A failure is logged by type only (it may hold an address)."""

    def __init__(self, *args, work, **kwargs):
        super().__init__(*args, **kwargs)
        self._work = work

    def close(self):
        # Before super().close(): that sends request_finished, which closes the request's database
        # connection, and the work needs one.
        try:
            self._work()
        except Exception as error:  # noqa: BLE001 - the page is sent; nothing may escape into the server
            logger.error("work after the response failed: %s", type(error).__name__)
        finally:
            super().close()
