"""Coordinator admin for donors: the list that defaults to donors needing action, the donor page with its
timeline, steps and audit trail, and each lifecycle action as one small form backed by donors.transitions.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language_info

from milkbank import roles
from milkbank.access import PRINT, VIEW, record_access
from milkbank.pagination import CappedFacetsMixin, IndexedSortChangeList, WorkListPaginator, capped_facets

from . import forms as f
from . import transitions as t
from .milk.services import milk_tiles
from .models import (
    Bloodwork,
    Donor,
    LabReport,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
    Task,
    TimelineEvent,
)

Stage = Donor.Stage


@dataclass(frozen=True)
class Action:
    """One lifecycle action on the donor page: who may do it, with which form, through which service. When it
    may happen is donors.transitions.STEPS (the label comes from there too); `done` turns the service's
    result into the message that says what happened and what comes next."""

    form: type
    perm: str
    run: Any
    done: Any
    danger: bool = False
    form_kwargs: Any = None
    # The step that usually follows, opened straight away when it is open to this person (one page load
    # instead of two): `then(donor, result)` returns its slug, or None to go back to the donor page.
    then: Any = None

    def message(self, donor, result):
        return self.done(donor, result) if callable(self.done) else self.done


def _open_questionnaire(donor):
    return donor.questionnaires.filter(
        number=donor.screening_round,
        status__in=[Questionnaire.Status.SUBMITTED, Questionnaire.Status.NEEDS_FOLLOW_UP],
    ).first()


def _open_bloodwork(donor):
    return donor.bloodwork_set.filter(status=Bloodwork.Status.ORDERED).order_by("-ordered_at").first()


def _review_rows(questionnaire):
    """Question text and answer pairs in the questionnaire's own question-set version, flags marked.

    Always the English wording (the staff site's), with the donor's own wording beside it when they answered
    in another language; `questionnaire.answered_in` names that language for the page ("Spanish").
    """
    from . import questions

    questionnaire.answered_in_code = questions.answered_in(questionnaire)
    questionnaire.answered_in = language_name(questionnaire.answered_in_code)
    return questions.review_rows(questionnaire)


def language_name(code: str) -> str:
    """A language's name in English for the staff site ("Spanish"), whatever the donor reads."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def _need(obj, what):
    if obj is None:
        raise t.TransitionRefused(f"There is no {what} to act on.", code="missing")
    return obj


def _screened(donor, screen):
    donor.refresh_from_db()
    if screen.outcome == PhoneScreen.Outcome.PASSED:
        return "Phone screen recorded: passed. Next: send the questionnaire link."
    if screen.outcome == PhoneScreen.Outcome.NOT_ELIGIBLE:
        return "Phone screen recorded: the donor is declined, with the reason on the timeline."
    if screen.outcome == PhoneScreen.Outcome.DEFERRED:
        return f"Phone screen recorded: deferred until {donor.deferred_until:%Y-%m-%d}."
    return "Phone screen recorded: the call-back task stays open, so someone calls again."


def _link_done(what):
    def done(donor, given):
        if given.emailed:
            return f"{what} emailed. Any older link no longer works."
        return f"{what} ready to {'text' if given.given_by == t.GivenBy.TEXT else 'read out'}."

    return done


def _reviewed(donor, _):
    donor.refresh_from_db()
    if donor.stage == Stage.QUESTIONNAIRE_ACCEPTED:
        return "Review recorded: accepted. Next: order bloodwork."
    if donor.stage == Stage.DECLINED:
        return "Review recorded: the donor is declined, with the reason on the timeline."
    return "Review recorded: needs follow-up. Call the donor, then review again."


def _resulted(donor, bloodwork):
    donor.refresh_from_db()
    if bloodwork.status == Bloodwork.Status.REACTIVE:
        return (
            "Results recorded: confirmed reactive. The donor is declined; a task asks you to tell "
            "their provider."
        )
    if bloodwork.status == Bloodwork.Status.INDETERMINATE:
        return "Results recorded: not clear. Next: order a repeat test or a full redraw."
    if donor.stage == Stage.READY_FOR_SIGNOFF:
        return "Results recorded: all negative. Every step is done: ready for sign-off."
    missing = t.missing_for_signoff(donor)
    return "Results recorded: all negative." + (f" Still needed: {'; '.join(missing)}." if missing else "")


def _signed(donor, approved):
    donor.refresh_from_db()
    if not approved:
        return "Sign-off recorded. A second, different staff member must sign off."
    told = "the donor was emailed" if donor.email else "the donor has no email address: call with the news"
    return f"Approved: donor number {donor.number_label}; {told}."


def _deferral_ended(donor, back_to):
    return f"Deferral ended; the donor is back at their step (“{Stage(back_to).label}”)."


def _link_form_kwargs(donor):
    return {"has_email": bool(donor.email)}


def _results_form_kwargs(donor):
    bloodwork = _open_bloodwork(donor)
    return {"tests": [test.test for test in bloodwork.tests.all()] if bloodwork else None}


def _repeat_form_kwargs(donor):
    panel = t.unclear_bloodwork(donor)
    return {"unclear": t.unresolved_tests(panel) if panel else []}


ACTIONS: dict[str, Action] = {
    "phone-screen": Action(
        f.PhoneScreenForm,
        "donors.add_phonescreen",
        lambda d, by, **kw: t.phone_screen_record(donor=d, by=by, **kw),
        _screened,
        then=lambda d, screen: "send-questionnaire" if screen.outcome == PhoneScreen.Outcome.PASSED else None,
    ),
    "send-questionnaire": Action(
        f.LinkForm,
        "donors.change_donor",
        lambda d, by, **kw: t.questionnaire_send(donor=d, by=by, **kw),
        _link_done("Questionnaire link and status page link"),
        form_kwargs=_link_form_kwargs,
    ),
    "review": Action(
        f.ReviewForm,
        "donors.change_questionnaire",
        lambda d, by, **kw: t.questionnaire_review(
            questionnaire=_need(_open_questionnaire(d), "submitted questionnaire"), by=by, **kw
        ),
        _reviewed,
        then=lambda d, _: "order-bloodwork",
    ),
    "order-bloodwork": Action(
        f.BloodworkOrderForm,
        "donors.add_bloodwork",
        lambda d, by, **kw: t.bloodwork_order(donor=d, by=by, **kw),
        "Bloodwork ordered. Print the requisition from the bloodwork list below.",
        form_kwargs=lambda donor: {"needs_date_of_birth": donor.date_of_birth is None},
    ),
    "order-repeat": Action(
        f.BloodworkRepeatForm,
        "donors.add_bloodwork",
        lambda d, by, **kw: t.bloodwork_order_repeat(donor=d, by=by, **kw),
        "Repeat ordered. Print its requisition from the bloodwork list below, then record the result.",
        form_kwargs=_repeat_form_kwargs,
    ),
    "record-results": Action(
        f.BloodworkResultsForm,
        "donors.change_bloodwork",
        lambda d, by, **kw: t.bloodwork_record_results(
            bloodwork=_need(_open_bloodwork(d), "ordered bloodwork"), by=by, **kw
        ),
        _resulted,
        form_kwargs=_results_form_kwargs,
        then=lambda d, _: "sign-off",
    ),
    "sign-off": Action(
        f.SignOffForm,
        "donors.add_signoff",
        lambda d, by, **kw: t.donor_sign_off(donor=d, by=by, **kw),
        _signed,
    ),
    "defer": Action(
        f.DeferForm,
        "donors.change_donor",
        lambda d, by, **kw: t.donor_defer(donor=d, by=by, **kw),
        "Donor deferred. The daily job brings them back to their step when the deferral ends.",
    ),
    "end-deferral": Action(
        f.ConfirmForm,
        "donors.change_donor",
        lambda d, by: t.deferral_end(donor=d, by=by),
        _deferral_ended,
    ),
    "research": Action(
        f.ResearchForm,
        "donors.change_donor",
        lambda d, by, **kw: t.donor_move_to_research(donor=d, by=by, **kw),
        "Donor moved to research only.",
    ),
    "status-link": Action(
        f.LinkForm,
        "donors.change_donor",
        lambda d, by, **kw: t.status_link_send(donor=d, by=by, **kw),
        _link_done("Status page link"),
        form_kwargs=_link_form_kwargs,
    ),
    "revoke-links": Action(
        f.ConfirmForm,
        "donors.change_donor",
        lambda d, by: t.links_revoke(donor=d, by=by),
        "The donor's private links no longer open. Give a new one when needed.",
        danger=True,
    ),
    "finish": Action(
        f.ConfirmForm,
        "donors.change_donor",
        lambda d, by: t.donor_finish(donor=d, by=by),
        lambda donor, _: (
            "Marked as finished. "
            + (
                "A thank-you was emailed."
                if donor.email
                else "The donor has no email address: please call to say thank you."
            )
        ),
    ),
    "withdraw": Action(
        f.OptionalReasonForm,
        "donors.change_donor",
        lambda d, by, **kw: t.donor_withdraw(donor=d, by=by, **kw),
        "Donor withdrawn.",
        danger=True,
    ),
    "decline": Action(
        f.DeclineForm,
        "donors.change_donor",
        lambda d, by, **kw: t.donor_decline(donor=d, by=by, **kw),
        "Donor declined.",
        danger=True,
    ),
}


def _release_initial(donor, release):
    """A release's provider, filled from the donor's questionnaire answers when the release has none yet."""
    if release.provider_name:
        return {}
    questionnaire = (
        donor.questionnaires.exclude(status=Questionnaire.Status.DRAFT).order_by("-number").first()
    )
    answers = questionnaire.answers if questionnaire else {}
    keys = (
        ("provider_name", "provider_phone")
        if release.kind == Release.Kind.DONOR_PROVIDER
        else ("infant_provider", "infant_provider_phone")
    )
    filled = {"provider_name": answers.get(keys[0]), "provider_phone": answers.get(keys[1])}
    return {name: v.strip()[:200] for name, v in filled.items() if isinstance(v, str) and v.strip()}


def lifecycle_actions(donor, user):
    """The donor page's buttons: the steps the lifecycle table allows now, that this person may take."""
    return [
        (slug, t.STEPS[slug], ACTIONS[slug])
        for slug in t.steps_open(donor, by=user)
        if slug in ACTIONS and user.has_perm(ACTIONS[slug].perm)
    ]


class ShowFilter(admin.SimpleListFilter):
    """What coordinators work on now is the default; "All donors" is one click away. A search looks through
    every donor unless a list was chosen: the donor a coordinator names may well not be waiting on us."""

    title = "show"
    parameter_name = "show"
    DEFAULT = "action"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = "all" if request.GET.get(SEARCH_VAR, "").strip() else self.DEFAULT

    def lookups(self, request, model_admin):
        return [
            ("action", "Needing action"),
            ("overdue", "Overdue"),
            ("signoff", "Ready for sign-off"),
            ("deferral_ending", "Deferral ending within 7 days"),
            ("all", "All donors"),
        ]

    def choices(self, changelist):
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        today = timezone.localdate()
        if value == "action":
            return queryset.needing_action()
        if value == "overdue":
            return queryset.overdue()
        if value == "signoff":
            return queryset.filter(stage=Stage.READY_FOR_SIGNOFF)
        if value == "deferral_ending":
            return queryset.filter(
                stage=Stage.DEFERRED, deferred_until__lte=today + datetime.timedelta(days=7)
            )
        return queryset


class CoordinatorFilter(CappedFacetsMixin, admin.SimpleListFilter):
    facet_cap = WorkListPaginator.max_exact_count

    title = "coordinator"
    parameter_name = "coordinator"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        users = (
            get_user_model().objects.filter(groups__name=roles.COORDINATOR).order_by("first_name", "username")
        )
        return [("none", "Nobody yet"), *[(str(u.pk), u.get_full_name() or u.username) for u in users]]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(coordinator__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(coordinator_id=int(self.value()))
        return queryset


class DonorAdminForm(forms.ModelForm):
    """The donor edit form, refusing a save when someone else saved the donor since this form was opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Donor
        # Stage, pathway and numbers change only through donors.transitions, never by editing.
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "email",
            "phone",
            "best_time_to_call",
            "preferred_contact",
            "language",
            "contact_consent",
            "reminders_opt_out",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "date_of_birth",
            "bereaved",
            "baby_first_name",
            "baby_birth_date",
            "research_consent",
            "coordinator",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "seen_version" in cleaned:
            # The admin saves inside a transaction: this lock holds until the save commits, so of two
            # editors who opened the same version, the second waits, then sees the new version.
            current = (
                Donor.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            if current.first() != cleaned["seen_version"]:
                raise forms.ValidationError(
                    "This record changed since you opened it. Please reload the page, check the changes, "
                    "and make yours again.",
                    code="stale",
                )
        return cleaned


@admin.register(Donor)
class DonorAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = (
        "name_col",
        "stage_col",
        "pathway",
        "coordinator",
        "waiting_col",
        "number_col",
        "language_col",
    )
    list_filter = (
        ShowFilter,
        ("stage", capped_facets(admin.ChoicesFieldListFilter, WorkListPaginator.max_exact_count)),
        ("bereaved", capped_facets(admin.BooleanFieldListFilter, WorkListPaginator.max_exact_count)),
        ("pathway", capped_facets(admin.ChoicesFieldListFilter, WorkListPaginator.max_exact_count)),
        CoordinatorFilter,
    )
    # Searched by Donor.objects.search() (see get_search_results): prefixes of folded names and phone
    # digits, each served by an index. These fields only make the admin show its search box.
    search_fields = ("^search_first_name", "^search_last_name", "=email", "^search_phone")
    search_help_text = (
        "Search by the start of a name (accents and capitals do not matter) or phone number (written any "
        "way), a whole email address, or a donor number."
    )
    list_select_related = ("coordinator",)
    list_per_page = 50
    paginator = WorkListPaginator
    show_full_result_count = False
    raw_id_fields = ("coordinator",)
    readonly_fields = (
        "pathway",
        "stage",
        "donor_number_label",
        "approved_on",
        "deferred_until",
        "stage_changed_at",
        "created_at",
        "exit_reason",
        "decline_reason",
    )
    fieldsets = (
        ("Name", {"fields": ("first_name", "last_name", "preferred_name", "seen_version")}),
        (
            "Contact",
            {
                "fields": (
                    "email",
                    "phone",
                    "best_time_to_call",
                    "preferred_contact",
                    "language",
                    "contact_consent",
                    "reminders_opt_out",
                )
            },
        ),
        (
            "Address",
            {"fields": ("address_line1", "address_line2", "city", "region", "postal_code", "date_of_birth")},
        ),
        (
            "After a loss",
            {
                "fields": ("bereaved", "baby_first_name", "baby_birth_date"),
                "description": "If the donor's baby has died. Messages then never assume a living baby.",
            },
        ),
        ("Pathway", {"fields": ("pathway", "research_consent", "coordinator")}),
        (
            "Screening",
            {
                "fields": (
                    "stage",
                    "donor_number_label",
                    "approved_on",
                    "deferred_until",
                    "exit_reason",
                    "decline_reason",
                    "stage_changed_at",
                    "created_at",
                )
            },
        ),
    )
    change_form_template = "admin/donors/donor/change_form.html"
    form = DonorAdminForm

    # --- list ---------------------------------------------------------------------------------------

    @admin.display(description="Donor", ordering="last_name")
    def name_col(self, obj):
        if obj.bereaved:
            return format_html(
                '{} <span class="bereaved-marker" title="After a loss">after a loss</span>', obj.display_name
            )
        return obj.display_name

    @admin.display(description="Stage", ordering="stage")
    def stage_col(self, obj):
        if obj.stage == Stage.DEFERRED and obj.deferred_until:
            return f"Deferred until {obj.deferred_until:%Y-%m-%d}"
        return obj.get_stage_display()

    @admin.display(description="Waiting since", ordering="stage_changed_at")
    def waiting_col(self, obj):
        days = (timezone.now() - obj.stage_changed_at).days
        overdue = obj.stage in Stage.in_screening() and days >= settings.MILKBANK["REMINDER_AFTER_DAYS"]
        text = f"{days} day{'s' if days != 1 else ''}"
        return format_html('<strong class="overdue">{} (overdue)</strong>', text) if overdue else text

    @admin.display(description="Language", ordering="language")
    def language_col(self, obj):
        return language_name(obj.language)

    @admin.display(description="Donor number", ordering="donor_number")
    def number_col(self, obj):
        return obj.number_label or "—"

    @admin.display(description="Donor number")
    def donor_number_label(self, obj):
        return obj.number_label or "Not yet assigned"

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        """ "Zoe" finds Zoë, "(612) 555-0142" finds 612-555-0142, "D000123" the donor numbered 123."""
        return queryset.search(search_term), False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).for_admin_list()
        if request.resolver_match and request.resolver_match.url_name == "donors_donor_changelist":
            # For the "Next step" column: whether this person already signed this round (one subquery, so
            # the list's query count stays fixed).
            queryset = queryset.annotate(
                signed_by_me=Exists(
                    SignOff.objects.filter(
                        donor=OuterRef("pk"), screening_round=OuterRef("screening_round"), by=request.user
                    )
                )
            )
        return queryset

    def get_list_display(self, request):
        return (*self.list_display, self._next_step_column(request))

    def _next_step_column(self, request):
        """The stage's one obvious step (donors.transitions.NEXT_STEP), linked straight to its form when this
        person may take it: one page load instead of two. The form's own GET applies the full rule."""
        allowed = {slug for slug in t.NEXT_STEP.values() if request.user.has_perm(ACTIONS[slug].perm)}

        @admin.display(description="Next step")
        def next_step(obj):
            slug = t.NEXT_STEP.get(obj.stage)
            if slug not in allowed or (slug == "sign-off" and getattr(obj, "signed_by_me", False)):
                return "—"
            # The row (the donor's name first) gives the link its context.
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:donors_donor_action", args=[obj.pk, slug]),
                t.STEPS[slug].label,
            )

        return next_step

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["seen_version"] + 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # donor records are withdrawn, declined or anonymised, never deleted

    # --- donor page ---------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        donor = self.get_object(request, unquote(object_id))
        if donor is None:
            raise Http404("No such donor.")
        if not self.has_view_permission(request, donor):
            raise PermissionDenied
        record_access(donor, how=VIEW)  # the access log: who opened this donor's health record
        extra_context = {**(extra_context or {}), **self._donor_page_context(request, donor)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _donor_page_context(self, request, donor):
        questionnaires = list(donor.questionnaires.select_related("reviewed_by"))
        for q in questionnaires:
            q.review_rows = _review_rows(q)
        bloodwork = list(
            donor.bloodwork_set.prefetch_related("tests", "reports").select_related("ordered_by", "repeat_of")
        )
        related = {
            PhoneScreen: list(donor.phone_screens.select_related("screened_by")),
            Questionnaire: questionnaires,
            Bloodwork: bloodwork,
            Release: list(donor.releases.all()),
            SignOff: list(donor.signoffs.select_related("by")),
        }
        audit_filter = Q(content_type=ContentType.objects.get_for_model(Donor), object_pk=str(donor.pk))
        for model, objects in related.items():
            if objects:
                audit_filter |= Q(
                    content_type=ContentType.objects.get_for_model(model),
                    object_pk__in=[str(o.pk) for o in objects],
                )
        # Readings (the access log) and the donor's own autosaves drown out the changes staff look for:
        # hidden unless asked for with ?audit=all.
        show_all_audit = request.GET.get("audit") == "all"
        audit = LogEntry.objects.filter(audit_filter)
        if not show_all_audit:
            autosave = (
                Q(content_type=ContentType.objects.get_for_model(Questionnaire))
                & Q(action=LogEntry.Action.UPDATE)
                & Q(changes__has_key="last_saved_at")
                & ~Q(changes__has_key="status")
            )
            audit = audit.exclude(action=LogEntry.Action.ACCESS).exclude(autosave)
        audit = audit.select_related("actor", "content_type").order_by("-timestamp")[:30]
        actions = lifecycle_actions(donor, request.user)
        return {
            "donor": donor,
            "donor_language": language_name(donor.language),
            "phone_screens": related[PhoneScreen],
            "questionnaires": questionnaires,
            "bloodwork_list": bloodwork,
            "releases": related[Release],
            "signoffs": related[SignOff],
            "deferrals": list(donor.deferrals.all()),
            "tasks": list(donor.tasks.filter(done_at__isnull=True)),
            "timeline": list(donor.timeline.select_related("by")[:50]),
            "audit_entries": audit,
            "show_all_audit": show_all_audit,
            "lifecycle_actions": actions,
            "missing_for_signoff": t.missing_for_signoff(donor)
            if donor.stage in Stage.in_screening()
            else [],
            "bloodwork_valid_until": donor.bloodwork_valid_until(),
            "total_ml": t.donor_total_ml(donor),
            "infant_release_needed": donor.infant_release_needed(),
        }

    # --- actions ------------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="donors_donor_dashboard"),
            path("<int:donor_id>/do/<slug:action>/", wrap(self.action_view), name="donors_donor_action"),
            path(
                "<int:donor_id>/release/<int:release_id>/",
                wrap(self.release_view),
                name="donors_donor_release",
            ),
            path(
                "<int:donor_id>/release/<int:release_id>/received/",
                wrap(self.release_received_view),
                name="donors_donor_release_received",
            ),
            path(
                "<int:donor_id>/release/<int:release_id>/print/",
                wrap(self.release_print_view),
                name="donors_donor_release_print",
            ),
            path(
                "<int:donor_id>/bloodwork/<int:bloodwork_id>/requisition/",
                wrap(self.requisition_view),
                name="donors_donor_requisition",
            ),
            path(
                "<int:donor_id>/bloodwork/<int:bloodwork_id>/report/",
                wrap(self.lab_report_add_view),
                name="donors_donor_lab_report_add",
            ),
            path(
                "<int:donor_id>/lab-report/<int:report_id>/",
                wrap(self.lab_report_view),
                name="donors_donor_lab_report",
            ),
            path(
                "<int:donor_id>/task/<int:task_id>/done/",
                wrap(self.task_done_view),
                name="donors_donor_task_done",
            ),
            *super().get_urls(),
        ]

    def _donor_or_404(self, request, donor_id):
        donor = self.get_queryset(request).filter(pk=donor_id).first()
        if donor is None or not self.has_view_permission(request, donor):
            raise Http404("No such donor.")
        return donor

    def _page(self, request, donor, template, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.model._meta, "donor": donor, **context},
        )

    def _back(self, donor):
        return HttpResponseRedirect(reverse("admin:donors_donor_change", args=[donor.pk]))

    def _onward(self, request, donor, following):
        """After a step: straight to the step that follows when it is open to this person, else the donor
        page. The result message shows on either."""
        if (
            following
            and request.user.has_perm(ACTIONS[following].perm)
            and t.step_refusal(donor, following, by=request.user) is None
        ):
            return HttpResponseRedirect(reverse("admin:donors_donor_action", args=[donor.pk, following]))
        return self._back(donor)

    def action_view(self, request, donor_id, action):
        spec = ACTIONS.get(action)
        donor = self._donor_or_404(request, donor_id)
        if spec is None:
            raise Http404("No such action.")
        if not request.user.has_perm(spec.perm):
            raise PermissionDenied
        step = t.STEPS[action]
        refused = t.step_refusal(donor, action, by=request.user)
        if refused is not None and request.method != "POST":
            # The same rule the service applies on POST: say why, on the donor page, rather than a dead form.
            self.message_user(request, refused.message, messages.WARNING)
            return self._back(donor)
        kwargs = spec.form_kwargs(donor) if spec.form_kwargs else {}
        # An empty POST is still a POST: bind it, so a form with nothing chosen says what is missing.
        form = spec.form(request.POST if request.method == "POST" else None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                result = spec.run(donor, request.user, **form.service_kwargs())
            except t.TransitionRefused as refused:
                form.add_error(None, refused)
            else:
                if isinstance(result, t.LinkGiven) and not result.emailed:
                    # Shown once, in this answer, and stored nowhere: the page carries a live link.
                    return self._page(
                        request,
                        donor,
                        "admin/donors/donor/link_given.html",
                        title="Give the donor the link",
                        given=result,
                        how=t.GivenBy.SAID[result.given_by],
                    )
                self.message_user(request, spec.message(donor, result), messages.SUCCESS)
                return self._onward(request, donor, spec.then(donor, result) if spec.then else None)
        extra = {}
        if action == "sign-off":
            extra["signoff_checks"] = {
                "missing": t.missing_for_signoff(donor),
                "valid_until": donor.bloodwork_valid_until(),
                "releases": list(donor.releases.all()),
                "signoffs": list(
                    donor.signoffs.filter(screening_round=donor.screening_round).select_related("by")
                ),
            }
        if action == "record-results" and request.method == "GET":
            bloodwork = _open_bloodwork(donor)
            if bloodwork is not None:
                record_access(bloodwork, how=VIEW)
        if action == "review":
            q = _open_questionnaire(donor)
            if q is not None:
                record_access(q, how=VIEW)
                extra["review_rows"] = _review_rows(q)
                extra["answered_in"] = q.answered_in
                extra["answered_in_code"] = q.answered_in_code
        return self._page(
            request,
            donor,
            "admin/donors/donor/action.html",
            form=form,
            action=spec,
            title=step.label,
            **extra,
        )

    def release_view(self, request, donor_id, release_id):
        if not request.user.has_perm("donors.change_release"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        release = get_object_or_404(Release, pk=release_id, donor=donor)
        form = f.ReleaseForm(request.POST or None, instance=release, initial=_release_initial(donor, release))
        if request.method == "POST" and form.is_valid():
            try:
                data = form.service_kwargs()
                t.release_update(
                    release=release,
                    by=request.user,
                    status=data.pop("status"),
                    sent_on=data.pop("sent_on"),
                    received_on=data.pop("received_on"),
                    **data,
                )
            except t.TransitionRefused as refused:
                form.add_error(None, refused)
            else:
                donor.refresh_from_db()
                after = (
                    " Every step is done: ready for sign-off."
                    if donor.stage == Stage.READY_FOR_SIGNOFF
                    else ""
                )
                self.message_user(request, f"Release updated.{after}", messages.SUCCESS)
                return self._back(donor)
        return self._page(
            request,
            donor,
            "admin/donors/donor/action.html",
            form=form,
            action=Action(f.ReleaseForm, "", None, ""),
            title=f"{release.get_kind_display()} release",
        )

    def release_received_view(self, request, donor_id, release_id):
        """One click from the donor page: the release came back today (the provider filled from the
        questionnaire when the release names none)."""
        if request.method != "POST":
            raise Http404
        if not request.user.has_perm("donors.change_release"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        release = get_object_or_404(Release, pk=release_id, donor=donor)
        try:
            t.release_update(
                release=release,
                by=request.user,
                status=Release.Status.RECEIVED,
                received_on=timezone.localdate(),
                **_release_initial(donor, release),
            )
        except t.TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return self._back(donor)
        donor.refresh_from_db()
        after = " Every step is done: ready for sign-off." if donor.stage == Stage.READY_FOR_SIGNOFF else ""
        self.message_user(request, f"{release.get_kind_display()} release received.{after}", messages.SUCCESS)
        return self._onward(request, donor, "sign-off")

    def lab_report_add_view(self, request, donor_id, bloodwork_id):
        if not request.user.has_perm("donors.add_labreport"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        bloodwork = get_object_or_404(Bloodwork, pk=bloodwork_id, donor=donor)
        form = f.LabReportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                t.lab_report_attach(bloodwork=bloodwork, by=request.user, **form.service_kwargs())
            except t.TransitionRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
                return self._back(donor)
            self.message_user(request, "Lab report attached.", messages.SUCCESS)
            return self._back(donor)
        return self._page(
            request,
            donor,
            "admin/donors/donor/action.html",
            form=form,
            action=Action(f.LabReportForm, "", None, ""),
            title="Attach the lab's report",
            multipart=True,
        )

    def lab_report_view(self, request, donor_id, report_id):
        """The report itself, to coordinators only, each opening in the access log. Never cached."""
        if not request.user.has_perm("donors.view_labreport"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        report = get_object_or_404(LabReport, pk=report_id, bloodwork__donor=donor)
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing.") from None
        record_access(report, how=VIEW)
        extension = t.LAB_REPORT_EXTENSIONS[report.content_type]
        response = FileResponse(
            handle, content_type=report.content_type, filename=f"lab-report-{report.pk}.{extension}"
        )
        response["X-Content-Type-Options"] = "nosniff"  # the type was told by the file's content
        add_never_cache_headers(response)
        return response

    def release_print_view(self, request, donor_id, release_id):
        donor = self._donor_or_404(request, donor_id)
        release = get_object_or_404(Release, pk=release_id, donor=donor)
        record_access(release, how=PRINT)
        return self._page(
            request, donor, "donors/print/release.html", release=release, today=timezone.localdate()
        )

    def requisition_view(self, request, donor_id, bloodwork_id):
        donor = self._donor_or_404(request, donor_id)
        bloodwork = get_object_or_404(
            Bloodwork.objects.prefetch_related("tests"), pk=bloodwork_id, donor=donor
        )
        record_access(bloodwork, how=PRINT)
        return self._page(request, donor, "donors/print/requisition.html", bloodwork=bloodwork)

    def task_done_view(self, request, donor_id, task_id):
        if request.method != "POST":
            raise Http404
        if not request.user.has_perm("donors.change_task"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        task = get_object_or_404(Task, pk=task_id, donor=donor, done_at__isnull=True)
        task.done_at = timezone.now()
        task.done_by = request.user
        task.save(update_fields=["done_at", "done_by"])
        TimelineEvent.objects.create(
            donor=donor, by=request.user, kind=TimelineEvent.Kind.NOTE, summary=f"Task done: {task.title}"
        )
        self.message_user(request, "Task marked done.", messages.SUCCESS)
        return self._back(donor)

    # --- dashboard ----------------------------------------------------------------------------------

    DASHBOARD_SECONDS = 60

    def _stage_counts(self, days):
        """Donors per stage with the oldest and overdue counts: one GROUP BY over every donor, so the result
        is shared by all coordinators for a minute rather than recomputed on each view."""
        key = f"donors:dashboard:{days}"
        cached = cache.get(key)
        if cached is None:
            cutoff = timezone.now() - datetime.timedelta(days=days)
            rows = {
                r["stage"]: r
                for r in Donor.objects.values("stage").annotate(
                    n=Count("id"),
                    oldest=Min("stage_changed_at"),
                    overdue=Count("id", filter=Q(stage_changed_at__lt=cutoff)),
                )
            }
            cached = (rows, timezone.now())
            cache.set(key, cached, self.DASHBOARD_SECONDS)
        return cached

    def dashboard_view(self, request):
        """Donors per stage, the oldest waiting in each, what is overdue, and open tasks. Fixed queries."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = settings.MILKBANK["REMINDER_AFTER_DAYS"]
        rows, as_of = self._stage_counts(days)
        stages = []
        for value, label in Stage.choices:
            row = rows.get(value, {})
            waiting = row.get("oldest")
            stages.append(
                {
                    "value": value,
                    "label": label,
                    "count": row.get("n", 0),
                    "oldest_days": (timezone.now() - waiting).days if waiting else None,
                    "overdue": row.get("overdue", 0) if value in Stage.in_screening() else 0,
                }
            )
        tasks = list(
            Task.objects.filter(done_at__isnull=True).select_related("donor").order_by("due_on", "id")[:25]
        )
        milk = milk_tiles(user=request.user) if request.user.has_perm("donors.view_dropoff") else None
        return TemplateResponse(
            request,
            "admin/donors/donor/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Coordinator dashboard",
                "stages": stages,
                "overdue_total": sum(s["overdue"] for s in stages),
                "tasks": tasks,
                "milk": milk,
                "today": timezone.localdate(),
                "reminder_days": days,
                "as_of": as_of,
            },
        )


# The milk domain's ModelAdmins (depots, freezer checks, drop-offs, shipments) register when imported.
from .milk import admin as milk_admin  # noqa: E402, F401
