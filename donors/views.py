"""Donor-domain pages: inquiry and questionnaire, the status page, and the data-rights pages."""

import functools
import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from milkbank.access import EXPORT, record_access, staff_permission

from . import links, notify, privacy, questions, transitions
from .forms import InquiryForm, SectionForm, SelfCheckForm, SubmitForm, inquiry_language
from .links import LinkProblem, link_resolve
from .milk import services as milk_services
from .models import AccessLink, Donor, Questionnaire
from .transitions import TransitionRefused, donor_create_inquiry, questionnaire_save, questionnaire_submit

logger = logging.getLogger(__name__)

# Posts of the contact form per IP address. The cache is shared in production, so the limit holds across
# app processes.
INQUIRY_RATE = "5/h"
LINK_PROBLEM_STATUS = {"forged": 404, "expired": 410, "revoked": 410}


def keep_private(response, *, referrer="no-referrer"):
    """Private pages are never cached, indexed, or named in another site's Referer.

    A page that posts a form must say "same-origin": under "no-referrer" Chromium posts `Origin: null`, which
    Django's CSRF check refuses (the 403 donors met on "Email me a new link"). "same-origin" still sends other
    sites nothing at all, so no private token in this site's addresses ever reaches them; pages without a
    form keep "no-referrer", so their tokens are not even sent back to us.
    """
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def private(referrer="no-referrer"):
    """Keep a private page out of caches, search engines and other sites' referrer logs.

    Pages that post a form use "same-origin" instead of "no-referrer": under "no-referrer" browsers send
    `Origin: null` with the post, which Django's CSRF check (rightly) refuses. "same-origin" still sends
    nothing at all to any other site, so the token in the address never leaves this one.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return keep_private(view(request, *args, **kwargs), referrer=referrer)

        return wrapped

    return decorate


posts_forms = private(referrer="same-origin")


# --- Become a donor -----------------------------------------------------------------------------------


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry(request):
    check = SelfCheckForm()
    form = InquiryForm(initial={"language": inquiry_language(request)})
    context = {}
    status = 200
    if request.method == "POST" and "self_check" in request.POST:
        check = SelfCheckForm(request.POST)
        context["check_notes"] = check.notes() if check.is_valid() else []
        context["checked"] = True
    elif request.method == "POST":
        if is_ratelimited(
            request, group="donors.inquiry", key="ip", rate=INQUIRY_RATE, method="POST", increment=True
        ):
            return render(request, "donors/inquiry_limited.html", status=429)
        form = InquiryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                donor = donor_create_inquiry(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    best_time_to_call=data["best_time_to_call"],
                    preferred_contact=data["preferred_contact"],
                    bereaved=data["bereaved"],
                    contact_consent=data["contact_consent"],
                    research_interest=data["research_interest"],
                    language=data["language"],
                )
            except TransitionRefused as refused:
                form.add_error(None, refused)
            else:
                _tell_coordinators("coordinator_new_inquiry", donor)
                return _to_thanks(request, bereaved=data["bereaved"])
        elif form.bot_suspected or form.form_expired:
            # Refuse quietly: nothing saved, no hint of why to a bot, and a person keeps what they typed.
            context["refused"] = "expired" if form.form_expired and not form.bot_suspected else "refused"
            keep = {k: request.POST.get(k) for k in form.fields if k not in ("website", "started")}
            form = InquiryForm(initial=keep)
    context.update(check=check, form=form, all_notes=SelfCheckForm.all_notes())
    return render(request, "donors/inquiry.html", context, status=status)


def _tell_coordinators(name, donor):
    """Email the coordinators a link to the donor's admin page (a mail failure is logged, never fatal)."""
    notify.email_coordinators(name=name, context={"donor": donor})


# The thanks page speaks to a loss when the donor told us of one. Kept in the session, never in the address.
THANKS_BEREAVED = "donors.inquiry_bereaved"


def _to_thanks(request, *, bereaved: bool):
    request.session[THANKS_BEREAVED] = bool(bereaved)
    return redirect("donors:inquiry_thanks")


@posts_forms  # "Was this helpful?" is on it
@require_safe
def inquiry_thanks(request):
    return render(
        request, "donors/inquiry_thanks.html", {"bereaved": request.session.get(THANKS_BEREAVED, False)}
    )


# --- The questionnaire ----------------------------------------------------------------------------------


def _open(request, token, *, as_json=False):
    """The live link's questionnaire, or the response that explains kindly why the link can't be used."""
    try:
        link = link_resolve(token, purpose=AccessLink.Purpose.QUESTIONNAIRE)
        questionnaire = (
            link.donor.questionnaires.filter(link=link).first() or link.donor.questionnaires.first()
        )
        if questionnaire is None:
            raise LinkProblem("revoked", link)
    except LinkProblem as problem:
        status = LINK_PROBLEM_STATUS.get(problem.reason, 404)
        if as_json:
            return JsonResponse({"saved": False, "reason": problem.reason}, status=status)
        # The same page and context for every forged link: nothing hints whether anyone's record exists.
        return render(request, "donors/links/problem.html", {"reason": problem.reason}, status=status)
    AccessLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    questionnaire.donor = link.donor
    return questionnaire


def opens_questionnaire(*, as_json=False):
    """Open the link's questionnaire and show it in the donor's own language, whatever the address's prefix.

    The donor chose a language on the inquiry form (or told a coordinator); the emailed link has no prefix or
    an old one, so the page follows the stored choice rather than the address. Links built on the page carry
    the donor's prefix. The wrapped view gets the questionnaire after the token.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, token, *args, **kwargs):
            opened = _open(request, token, as_json=as_json)
            if isinstance(opened, HttpResponse):
                return opened
            language = opened.donor.language
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE  # never expected: the field has choices
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = view(request, opened, token, *args, **kwargs)
            response.headers["Content-Language"] = language
            return response

        return wrapped

    return decorate


def _context(questionnaire: Questionnaire, token: str, **extra) -> dict:
    donor = questionnaire.donor
    sections = questions.sections_for(
        questionnaire.question_set, bereaved=donor.bereaved, language=translation.get_language()
    )
    return {
        "donor": donor,
        "questionnaire": questionnaire,
        "token": token,
        "sections": sections,
        "total": len(sections),
        "expires_at": questionnaire.link.expires_at if questionnaire.link else None,
        **extra,
    }


def _first_unfinished(sections, answers) -> int | None:
    for number, section in enumerate(sections, start=1):
        if not questions.section_finished(section, answers):
            return number
    return None


def _resume_url(token, sections, answers) -> str:
    number = _first_unfinished(sections, answers)
    if number is None:
        return reverse("donors:questionnaire_review", args=[token])
    return reverse("donors:questionnaire_section", args=[token, number])


@private()
@require_safe
@opens_questionnaire()
def questionnaire(request, opened, token):
    """The link from the email: a welcome the first time, then straight back to where the donor left off."""
    context = _context(opened, token)
    if opened.is_frozen:
        return render(request, "donors/questionnaire/submitted.html", context)
    if opened.answers:
        messages.info(request, gettext("Welcome back. Your answers are saved; carry on where you left off."))
        return redirect(_resume_url(token, context["sections"], opened.answers))
    return render(request, "donors/questionnaire/start.html", context)


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
@opens_questionnaire()
def questionnaire_section(request, questionnaire, token, number):
    context = _context(questionnaire, token)
    sections = context["sections"]
    if questionnaire.is_frozen or not 1 <= number <= len(sections):
        return redirect("donors:questionnaire", token)
    section = sections[number - 1]
    later = request.POST.get("action") == "later"
    if request.method == "POST":
        form = SectionForm(request.POST, section=section, saved=questionnaire.answers, complete=not later)
        valid = form.is_valid()
        answers = form.valid_answers()
        try:
            questionnaire_save(questionnaire=questionnaire, answers=answers)
        except TransitionRefused:
            return redirect("donors:questionnaire", token)
        if valid and later:
            return render(request, "donors/questionnaire/saved.html", context)
        if valid:
            if number < len(sections):
                return redirect("donors:questionnaire_section", token, number + 1)
            return redirect("donors:questionnaire_review", token)
        context["saved_others"] = any(value != "" for value in answers.values())
    else:
        form = SectionForm(section=section, saved=questionnaire.answers)
    context.update(
        form=form,
        section=section,
        number=number,
        previous_url=reverse("donors:questionnaire_section", args=[token, number - 1]) if number > 1 else "",
        autosave_url=reverse("donors:questionnaire_autosave", args=[token]),
    )
    return render(request, "donors/questionnaire/section.html", context)


@private()
@require_POST
@opens_questionnaire(as_json=True)
def questionnaire_autosave(request, questionnaire, token):
    """Save what is typed in the current section (for static/donors/questionnaire.js); never asks for more."""
    if questionnaire.is_frozen:
        return JsonResponse({"saved": False, "reason": "submitted"}, status=409)
    sections = questions.sections_for(
        questionnaire.question_set, bereaved=questionnaire.donor.bereaved, language=translation.get_language()
    )
    try:
        number = int(request.POST.get("section", ""))
    except ValueError:
        number = 0
    if not 1 <= number <= len(sections):
        return JsonResponse({"saved": False, "reason": "section"}, status=400)
    section = sections[number - 1]
    form = SectionForm(request.POST, section=section, saved=questionnaire.answers, complete=False)
    form.is_valid()
    try:
        questionnaire_save(questionnaire=questionnaire, answers=form.valid_answers())
    except TransitionRefused:
        return JsonResponse({"saved": False, "reason": "submitted"}, status=409)
    return JsonResponse(
        {
            "saved": True,
            # Translators: a time of day as the questionnaire's "Saved at ..." shows it (Django date format).
            "saved_at": dateformat.format(timezone.localtime(questionnaire.last_saved_at), gettext("g:i A")),
            "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        }
    )


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
@opens_questionnaire()
def questionnaire_review(request, questionnaire, token):
    """Every answer on one page, a link to change each section, and the Submit that freezes them."""
    if questionnaire.is_frozen:
        return redirect("donors:questionnaire", token)
    context = _context(questionnaire, token)
    answers = questionnaire.answers
    unfinished = [
        (number, section)
        for number, section in enumerate(context["sections"], start=1)
        if not questions.section_finished(section, answers)
    ]
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and unfinished:
        form.add_error(
            None, gettext("A few questions still need an answer. Please finish the sections listed below.")
        )
    elif request.method == "POST" and form.is_valid():
        try:
            questionnaire_submit(
                questionnaire=questionnaire,
                answers={},
                flags=questions.flags_for(questionnaire.question_set, answers),
            )
        except TransitionRefused as refused:
            form.add_error(None, refused)
        else:
            return redirect("donors:questionnaire", token)
    context.update(
        form=form,
        unfinished=unfinished,
        review=questions.answers_for_review(
            questionnaire.question_set,
            answers,
            bereaved=questionnaire.donor.bereaved,
            language=translation.get_language(),
        ),
    )
    return render(request, "donors/questionnaire/review.html", context)


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


@require_safe
def status(request, token):
    try:
        link = links.link_resolve(token, purpose=AccessLink.Purpose.STATUS)
    except links.LinkProblem as problem:
        return keep_private(
            render(request, "donors/status/problem.html", {"reason": problem.reason}, status=404)
        )
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
    return keep_private(render(request, "donors/status/status.html", context))


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
    return keep_private(response, referrer="same-origin")


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
