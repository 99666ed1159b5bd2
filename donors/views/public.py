"""Public donor pages: the inquiry form and the private questionnaire link (no account).

Private pages are never cached, indexed or sent as a referrer, and nothing personal goes into a URL or a log
line: the token is the only thing in the address, and logs name records by id.
"""

import functools
import logging

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from .. import notify, questions
from ..forms_public import InquiryForm, SectionForm, SelfCheckForm, SubmitForm
from ..links import LinkProblem, link_resolve
from ..models import AccessLink, Questionnaire
from ..transitions import TransitionRefused, donor_create_inquiry, questionnaire_save, questionnaire_submit

logger = logging.getLogger(__name__)

# Posts of the contact form per IP address. The cache is shared in production, so the limit holds across
# app processes.
INQUIRY_RATE = "5/h"
LINK_PROBLEM_STATUS = {"forged": 404, "expired": 410, "revoked": 410}


def private(referrer="no-referrer"):
    """Keep a private page out of caches, search engines and other sites' referrer logs.

    Pages that post a form use "same-origin" instead of "no-referrer": under "no-referrer" browsers send
    `Origin: null` with the post, which Django's CSRF check (rightly) refuses. "same-origin" still sends
    nothing at all to any other site, so the token in the address never leaves this one.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response["Referrer-Policy"] = referrer
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        return wrapped

    return decorate


posts_forms = private(referrer="same-origin")


# --- Become a donor -----------------------------------------------------------------------------------


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry(request):
    check = SelfCheckForm()
    form = InquiryForm()
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


def _context(questionnaire: Questionnaire, token: str, **extra) -> dict:
    donor = questionnaire.donor
    sections = questions.sections_for(questionnaire.question_set, bereaved=donor.bereaved)
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
def questionnaire(request, token):
    """The link from the email: a welcome the first time, then straight back to where the donor left off."""
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    context = _context(opened, token)
    if opened.is_frozen:
        return render(request, "donors/questionnaire/submitted.html", context)
    if opened.answers:
        messages.info(request, "Welcome back. Your answers are saved; carry on where you left off.")
        return redirect(_resume_url(token, context["sections"], opened.answers))
    return render(request, "donors/questionnaire/start.html", context)


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_section(request, token, number):
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    questionnaire = opened
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
def questionnaire_autosave(request, token):
    """Save what is typed in the current section (for static/donors/questionnaire.js); never asks for more."""
    opened = _open(request, token, as_json=True)
    if isinstance(opened, HttpResponse):
        return opened
    questionnaire = opened
    if questionnaire.is_frozen:
        return JsonResponse({"saved": False, "reason": "submitted"}, status=409)
    sections = questions.sections_for(questionnaire.question_set, bereaved=questionnaire.donor.bereaved)
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
            "saved_at": f"{timezone.localtime(questionnaire.last_saved_at):%-I:%M %p}",
            "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        }
    )


@posts_forms
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_review(request, token):
    """Every answer on one page, a link to change each section, and the Submit that freezes them."""
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    questionnaire = opened
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
        form.add_error(None, "A few questions still need an answer. Please finish the sections listed below.")
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
            questionnaire.question_set, answers, bereaved=questionnaire.donor.bereaved
        ),
    )
    return render(request, "donors/questionnaire/review.html", context)
