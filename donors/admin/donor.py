"""Coordinator admin for donors: the list that defaults to donors needing action, the donor page with its
timeline, steps and audit trail, and each lifecycle action as one small form backed by donors.transitions.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from auditlog.signals import accessed
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from milkbank import roles
from milkbank.pagination import CappedFacetsMixin, IndexedSortChangeList, WorkListPaginator, capped_facets

from .. import forms_staff as f
from .. import transitions as t
from ..models import (
    Bloodwork,
    Donor,
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
    """One lifecycle action on the donor page: who may do it, when, with which form, through which service."""

    label: str
    form: type
    perm: str
    stages: tuple
    run: Any
    done: str
    danger: bool = False


def _open_questionnaire(donor):
    return donor.questionnaires.filter(
        number=donor.screening_round,
        status__in=[Questionnaire.Status.SUBMITTED, Questionnaire.Status.NEEDS_FOLLOW_UP],
    ).first()


def _open_bloodwork(donor):
    return donor.bloodwork_set.filter(status=Bloodwork.Status.ORDERED).order_by("-ordered_at").first()


def _review_rows(questionnaire):
    """Question text and answer pairs in the questionnaire's own question-set version, flags marked."""
    from .. import questions

    return questions.review_rows(questionnaire)


def _need(obj, what):
    if obj is None:
        raise t.TransitionRefused(f"There is no {what} to act on.", code="missing")
    return obj


ACTIONS: dict[str, Action] = {
    "phone-screen": Action(
        "Record the phone screen",
        f.PhoneScreenForm,
        "donors.add_phonescreen",
        (Stage.INQUIRY, Stage.PHONE_SCREEN_PASSED),
        lambda d, by, **kw: t.phone_screen_record(donor=d, by=by, **kw),
        "Phone screen recorded.",
    ),
    "send-questionnaire": Action(
        "Send the questionnaire link",
        f.ConfirmForm,
        "donors.change_donor",
        (Stage.PHONE_SCREEN_PASSED, Stage.QUESTIONNAIRE_SENT),
        lambda d, by: t.questionnaire_send(donor=d, by=by),
        "Questionnaire link emailed. Any older link no longer works.",
    ),
    "review": Action(
        "Review the questionnaire",
        f.ReviewForm,
        "donors.change_questionnaire",
        (Stage.QUESTIONNAIRE_SUBMITTED,),
        lambda d, by, **kw: t.questionnaire_review(
            questionnaire=_need(_open_questionnaire(d), "submitted questionnaire"), by=by, **kw
        ),
        "Review recorded.",
    ),
    "order-bloodwork": Action(
        "Order bloodwork",
        f.BloodworkOrderForm,
        "donors.add_bloodwork",
        (Stage.QUESTIONNAIRE_ACCEPTED, Stage.BLOODWORK_RESULTED),
        lambda d, by, **kw: t.bloodwork_order(donor=d, by=by, **kw),
        "Bloodwork ordered. Print the requisition from the bloodwork list below.",
    ),
    "record-results": Action(
        "Record bloodwork results",
        f.BloodworkResultsForm,
        "donors.change_bloodwork",
        (Stage.BLOODWORK_ORDERED, Stage.BLOODWORK_RESULTED, Stage.READY_FOR_SIGNOFF),
        lambda d, by, **kw: t.bloodwork_record_results(
            bloodwork=_need(_open_bloodwork(d), "ordered bloodwork"), by=by, **kw
        ),
        "Results recorded.",
    ),
    "sign-off": Action(
        "Sign off",
        f.SignOffForm,
        "donors.add_signoff",
        (Stage.READY_FOR_SIGNOFF,),
        lambda d, by, **kw: t.donor_sign_off(donor=d, by=by, **kw),
        "Sign-off recorded.",
    ),
    "defer": Action(
        "Defer for a while",
        f.DeferForm,
        "donors.change_donor",
        (*Stage.in_screening(), Stage.APPROVED),
        lambda d, by, **kw: t.donor_defer(donor=d, by=by, **kw),
        "Donor deferred.",
    ),
    "end-deferral": Action(
        "End the deferral",
        f.ConfirmForm,
        "donors.change_donor",
        (Stage.DEFERRED,),
        lambda d, by: t.deferral_end(donor=d, by=by),
        "Deferral ended; the donor is back at their step.",
    ),
    "research": Action(
        "Move to research only",
        f.ResearchForm,
        "donors.change_donor",
        (*Stage.in_screening(), Stage.DEFERRED),
        lambda d, by, **kw: t.donor_move_to_research(donor=d, by=by, **kw),
        "Donor moved to research only.",
    ),
    "status-link": Action(
        "Email the donor their status page link",
        f.ConfirmForm,
        "donors.change_donor",
        (*Stage.in_screening(), Stage.APPROVED, Stage.DEFERRED, Stage.RESEARCH_ONLY, Stage.INACTIVE),
        lambda d, by: t.status_link_send(donor=d, by=by),
        "Status page link emailed.",
    ),
    "finish": Action(
        "Finished donating",
        f.ConfirmForm,
        "donors.change_donor",
        (Stage.APPROVED, Stage.RESEARCH_ONLY),
        lambda d, by: t.donor_finish(donor=d, by=by),
        "Marked as finished. A thank-you was emailed.",
    ),
    "withdraw": Action(
        "Withdraw (the donor's choice)",
        f.OptionalReasonForm,
        "donors.change_donor",
        (*Stage.in_screening(), Stage.APPROVED, Stage.DEFERRED, Stage.RESEARCH_ONLY),
        lambda d, by, **kw: t.donor_withdraw(donor=d, by=by, **kw),
        "Donor withdrawn.",
        danger=True,
    ),
    "decline": Action(
        "Decline permanently",
        f.ReasonForm,
        "donors.change_donor",
        (*Stage.in_screening(), Stage.APPROVED, Stage.DEFERRED),
        lambda d, by, **kw: t.donor_decline(donor=d, by=by, **kw),
        "Donor declined.",
        danger=True,
    ),
}


class ShowFilter(admin.SimpleListFilter):
    """What coordinators work on now is the default; "All donors" is one click away."""

    title = "show"
    parameter_name = "show"
    DEFAULT = "action"

    def lookups(self, request, model_admin):
        return [
            ("action", "Needing action"),
            ("overdue", "Overdue"),
            ("signoff", "Ready for sign-off"),
            ("deferral_ending", "Deferral ending within 7 days"),
            ("all", "All donors"),
        ]

    def choices(self, changelist):
        current = self.value() or self.DEFAULT
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.DEFAULT
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
    list_display = ("name_col", "stage_col", "pathway", "coordinator", "waiting_col", "number_col")
    list_filter = (
        ShowFilter,
        ("stage", capped_facets(admin.ChoicesFieldListFilter, WorkListPaginator.max_exact_count)),
        ("bereaved", capped_facets(admin.BooleanFieldListFilter, WorkListPaginator.max_exact_count)),
        ("pathway", capped_facets(admin.ChoicesFieldListFilter, WorkListPaginator.max_exact_count)),
        CoordinatorFilter,
    )
    # Prefix and exact matches use the upper() indexes of migration 0008 on PostgreSQL; "contains" would
    # read every donor. A donor number ("D000123" or "123") is looked up in get_search_results.
    search_fields = ("^first_name", "^last_name", "^preferred_name", "=email", "^phone")
    search_help_text = (
        "Search by the start of a name or phone number, a whole email address, or a donor number."
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

    @admin.display(description="Donor number", ordering="donor_number")
    def number_col(self, obj):
        return obj.number_label or "—"

    @admin.display(description="Donor number")
    def donor_number_label(self, obj):
        return obj.number_label or "Not yet assigned"

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        """Also find a donor by number: "D000123", "d123" or "123"."""
        term = search_term.strip()
        if term[:1] in ("D", "d") and term[1:].isdigit() and len(term) <= 10:
            return queryset.filter(donor_number=int(term[1:])), False
        if term.isdigit() and len(term) <= 9:
            by_phone = Q(phone__istartswith=term) if len(term) >= 4 else Q(pk__in=[])
            return queryset.filter(Q(donor_number=int(term)) | by_phone), False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

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
        accessed.send(Donor, instance=donor)  # the access log: who opened this donor's health record
        extra_context = {**(extra_context or {}), **self._donor_page_context(request, donor)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _donor_page_context(self, request, donor):
        questionnaires = list(donor.questionnaires.select_related("reviewed_by"))
        for q in questionnaires:
            q.review_rows = _review_rows(q)
        bloodwork = list(donor.bloodwork_set.prefetch_related("tests").select_related("ordered_by"))
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
        audit = (
            LogEntry.objects.filter(audit_filter)
            .select_related("actor", "content_type")
            .order_by("-timestamp")[:30]
        )
        actions = [
            (slug, action)
            for slug, action in ACTIONS.items()
            if donor.stage in action.stages and request.user.has_perm(action.perm)
        ]
        return {
            "donor": donor,
            "phone_screens": related[PhoneScreen],
            "questionnaires": questionnaires,
            "bloodwork_list": bloodwork,
            "releases": related[Release],
            "signoffs": related[SignOff],
            "deferrals": list(donor.deferrals.all()),
            "tasks": list(donor.tasks.filter(done_at__isnull=True)),
            "timeline": list(donor.timeline.select_related("by")[:50]),
            "audit_entries": audit,
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

    def action_view(self, request, donor_id, action):
        spec = ACTIONS.get(action)
        donor = self._donor_or_404(request, donor_id)
        if spec is None:
            raise Http404("No such action.")
        if not request.user.has_perm(spec.perm):
            raise PermissionDenied
        form = spec.form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                spec.run(donor, request.user, **form.service_kwargs())
            except t.TransitionRefused as refused:
                form.add_error(None, refused)
            else:
                self.message_user(request, spec.done, messages.SUCCESS)
                return self._back(donor)
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
        if action == "review":
            q = _open_questionnaire(donor)
            if q is not None:
                accessed.send(Questionnaire, instance=q)
                extra["review_rows"] = _review_rows(q)
        return self._page(
            request,
            donor,
            "admin/donors/donor/action.html",
            form=form,
            action=spec,
            title=spec.label,
            **extra,
        )

    def release_view(self, request, donor_id, release_id):
        if not request.user.has_perm("donors.change_release"):
            raise PermissionDenied
        donor = self._donor_or_404(request, donor_id)
        release = get_object_or_404(Release, pk=release_id, donor=donor)
        form = f.ReleaseForm(request.POST or None, instance=release)
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
                self.message_user(request, "Release updated.", messages.SUCCESS)
                return self._back(donor)
        return self._page(
            request,
            donor,
            "admin/donors/donor/action.html",
            form=form,
            action=Action(f"{release.get_kind_display()} release", f.ReleaseForm, "", (), None, ""),
            title=f"{release.get_kind_display()} release",
        )

    def release_print_view(self, request, donor_id, release_id):
        donor = self._donor_or_404(request, donor_id)
        release = get_object_or_404(Release, pk=release_id, donor=donor)
        return self._page(
            request, donor, "donors/print/release.html", release=release, today=timezone.localdate()
        )

    def requisition_view(self, request, donor_id, bloodwork_id):
        donor = self._donor_or_404(request, donor_id)
        bloodwork = get_object_or_404(
            Bloodwork.objects.prefetch_related("tests"), pk=bloodwork_id, donor=donor
        )
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
                "today": timezone.localdate(),
                "reminder_days": days,
                "as_of": as_of,
            },
        )
