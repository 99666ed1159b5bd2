"""The memorial registry in the Django admin: quilts, butterflies, and one page per step of a butterfly's way.

Status, quilt place, keepsake and approval are read-only on the butterfly form; each step has its own small
page (linked from the butterfly's page) that calls memorials.services, so every change follows the same rules.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from . import services
from .forms import ButterflyAdminForm, KeepsakeForm, PlaceOnQuiltForm, SewingForm
from .models import Butterfly, Quilt, donors_for_butterflies


@admin.register(Quilt)
class QuiltAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "capacity",
        "filled",
        "started_on",
        "completed_on",
        "on_display_since",
        "location",
    ]
    search_fields = ["name", "location"]
    readonly_fields = ["places_link"]
    fields = ["name", "capacity", "started_on", "completed_on", "on_display_since", "location", "places_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(filled_count=Count("butterflies"))

    @admin.display(description="butterflies on it", ordering="filled_count")
    def filled(self, obj):
        return obj.filled_count

    @admin.display(description="places")
    def places_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">See which places are filled</a>', obj.get_absolute_url())


class DonorSearchView(AutocompleteJsonView):
    """What the donor box on the add form finds: the donors that form may choose, by name, with the baby's
    name and birth date to fill in. Django's admin search for donors needs a donors permission that memorial
    staff do not hold, so this keeps its paging and JSON and swaps in our scope and permission."""

    def process_request(self, request):
        source = self.admin_site._registry[Butterfly]  # its paginator serves the pages of results
        return request.GET.get("term", "").strip(), source, Butterfly._meta.get_field("donor"), "id"

    def has_perm(self, request, obj=None):
        return request.user.has_perm("memorials.add_butterfly")

    def get_queryset(self):
        donors = donors_for_butterflies()
        for word in self.term.split()[:5]:
            donors = donors.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return donors

    def serialize_result(self, obj, to_field_name):
        birth = obj.baby_birth_date.isoformat() if obj.baby_birth_date else ""
        return {
            "id": str(obj.pk),
            "text": obj.display_name,
            "baby_first_name": obj.baby_first_name,
            "baby_birth_date": birth,
        }


class KeepsakeFilter(admin.SimpleListFilter):
    title = "keepsake"
    parameter_name = "keepsake"

    def lookups(self, request, model_admin):
        return [("to_make", "Not yet made"), ("to_send", "Made, not yet sent"), ("sent", "Given or mailed")]

    def queryset(self, request, queryset):
        if self.value() == "to_make":
            return queryset.filter(keepsake_made_on__isnull=True)
        if self.value() == "to_send":
            return queryset.filter(keepsake_made_on__isnull=False, keepsake_sent_on__isnull=True)
        if self.value() == "sent":
            return queryset.filter(keepsake_sent_on__isnull=False)
        return queryset


@admin.register(Butterfly)
class ButterflyAdmin(admin.ModelAdmin):
    form = ButterflyAdminForm
    change_form_template = "memorials/admin/butterfly_change_form.html"
    view_on_site = False  # a butterfly's own page is this one; the wall shows it by name only
    # Seven short columns, so the list and its approval column fit a 1280 px screen beside the admin's menu
    # and filters (tests/memorials/test_browser.py).
    list_display = [
        "name",
        "born",
        "family",
        "where",
        "keepsake",
        "name_online",
        "staff_approved",
    ]
    list_filter = ["status", KeepsakeFilter, "show_name_consent", "approved", "source", "quilt"]
    search_fields = ["first_name", "family_name", "donor__first_name", "donor__last_name"]
    list_select_related = ["donor", "quilt"]
    date_hierarchy = "requested_on"
    show_full_result_count = False
    actions = ["start_sewing", "approve_for_wall", "withdraw_approval"]
    readonly_fields = [
        "family",
        "keepsake_address_display",
        "status",
        "sewing_started_on",
        "place",
        "placed_on",
        "keepsake_made_on",
        "keepsake_sent_on",
        "keepsake_method",
        "wall",
        "approved_by",
        "approved_at",
    ]

    class Media:
        js = ["memorials/donor-choice.js"]
        css = {"all": ["memorials/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        family = ["donor"] if obj is None else (["family"] if obj.donor_id else [])
        family += ["family_name", "mailing_address", "contact_email", "contact_phone"]
        if obj is not None:
            family.append("keepsake_address_display")
        fieldsets = [
            (None, {"fields": ["first_name", "birth_date", "requested_on", "source"]}),
            ("The family", {"fields": family}),
            (
                "The memorial wall",
                {
                    "fields": ["show_name_consent"]
                    + (["wall", "approved_by", "approved_at"] if obj is not None else []),
                    "description": "A name shows on the public wall only when the family agrees AND staff "
                    "approve. Approval is its own step, on the button above.",
                },
            ),
        ]
        if obj is not None:
            fieldsets += [
                ("Sewing and the quilt", {"fields": ["status", "sewing_started_on", "place", "placed_on"]}),
                ("Keepsake", {"fields": ["keepsake_made_on", "keepsake_sent_on", "keepsake_method"]}),
            ]
        fieldsets.append(("Notes", {"fields": ["notes"]}))
        return fieldsets

    def get_changeform_initial_data(self, request):
        """`?donor=<id>` starts a butterfly from that bereaved donor's record, name and date filled in."""
        initial = super().get_changeform_initial_data(request)
        donor_id = request.GET.get("donor", "")
        if donor_id.isdigit():
            donor = ButterflyAdminForm.base_fields["donor"].queryset.filter(pk=donor_id).first()
            if donor is not None:
                initial.update(
                    donor=donor.pk, first_name=donor.baby_first_name, birth_date=donor.baby_birth_date
                )
        return initial

    @admin.display(description="family")
    def family(self, obj):
        return obj.family_display

    @admin.display(description="keepsake goes to")
    def keepsake_address_display(self, obj):
        return obj.keepsake_address or "No mailing address yet"

    @admin.display(description="place", ordering="position")
    def place(self, obj):
        if obj.quilt_id is None:
            return "-"
        return f"{obj.quilt.name}, place {obj.position}"

    @admin.display(description="keepsake")
    def keepsake(self, obj):
        return obj.keepsake_label

    @admin.display(description="name", ordering="first_name")
    def name(self, obj):
        return obj.first_name

    @admin.display(description="born", ordering="birth_date")
    def born(self, obj):
        return date_format(obj.birth_date, "SHORT_DATE_FORMAT")

    @admin.display(description="status", ordering="status")
    def where(self, obj):
        """The status, or the butterfly's place once it is on a quilt."""
        if obj.quilt_id is None:
            return obj.get_status_display()
        return f"{obj.quilt.name}, place {obj.position}"

    @admin.display(description="name online", boolean=True, ordering="show_name_consent")
    def name_online(self, obj):
        return obj.show_name_consent

    @admin.display(description="approved", boolean=True, ordering="approved")
    def staff_approved(self, obj):
        return obj.approved

    @admin.display(description="on the public wall", boolean=True)
    def wall(self, obj):
        return obj.on_wall

    # --- Bulk steps ---------------------------------------------------------------------------------------

    def get_actions(self, request):
        """No bulk delete: each butterfly is a family's memorial, removed one at a time if ever."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _bulk(self, request, queryset, step, done):
        changed, refused = 0, []
        for butterfly in queryset:
            try:
                step(butterfly)
                changed += 1
            except ValidationError as exc:
                refused.append(f"{butterfly.first_name}: {' '.join(exc.messages)}")
        if changed:
            self.message_user(request, f"{done}: {changed}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Start sewing the selected butterflies", permissions=["change"])
    def start_sewing(self, request, queryset):
        self._bulk(
            request, queryset, lambda b: services.butterfly_start_sewing(butterfly=b), "Sewing started"
        )

    @admin.action(description="Approve the selected names for the wall", permissions=["change"])
    def approve_for_wall(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda b: services.butterfly_set_approval(butterfly=b, approved=True, by=request.user),
            "Approved (shown once the family has agreed too)",
        )

    @admin.action(description="Withdraw approval for the wall", permissions=["change"])
    def withdraw_approval(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda b: services.butterfly_set_approval(butterfly=b, approved=False, by=request.user),
            "Approval withdrawn",
        )

    # --- One page per step --------------------------------------------------------------------------------

    def get_urls(self):
        steps = [
            ("sewing", self.sewing_view),
            ("place", self.place_view),
            ("keepsake", self.keepsake_view),
            ("approval", self.approval_view),
        ]
        search = path(
            "donor-search/",
            self.admin_site.admin_view(DonorSearchView.as_view(admin_site=self.admin_site)),
            name="memorials_butterfly_donor_search",
        )
        return (
            [search]
            + [
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"memorials_butterfly_{name}",
                )
                for name, view in steps
            ]
            + super().get_urls()
        )

    def _step_object(self, request, object_id):
        if not object_id.isdigit():
            raise Http404
        butterfly = get_object_or_404(
            self.get_queryset(request).select_related("donor", "quilt"), pk=object_id
        )
        if not self.has_change_permission(request, butterfly):
            raise PermissionDenied
        return butterfly

    def _step_page(self, request, butterfly, *, title, form, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "butterfly": butterfly,
            "form": form,
            "intro": intro,
            "submit": submit,
            "change_url": reverse("admin:memorials_butterfly_change", args=[butterfly.pk]),
        }
        return TemplateResponse(request, "memorials/admin/butterfly_step.html", context)

    def _done(self, request, butterfly, message):
        self.log_change(request, butterfly, message)
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:memorials_butterfly_change", args=[butterfly.pk]))

    def _run(self, form, step):
        """Run a service step; a refusal becomes a form error and nothing is saved."""
        try:
            with transaction.atomic():
                return step()
        except ValidationError as exc:
            form.add_error(None, exc)
            return None

    def sewing_view(self, request, object_id):
        butterfly = self._step_object(request, object_id)
        form = SewingForm(request.POST or None, initial={"on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            done = self._run(
                form, lambda: services.butterfly_start_sewing(butterfly=butterfly, on=form.cleaned_data["on"])
            )
            if done:
                return self._done(request, done, "Sewing started.")
        return self._step_page(
            request,
            butterfly,
            title="Start sewing",
            form=form,
            intro="The quilters sew two butterflies: one for the quilt and one keepsake for the family.",
            submit="Start sewing",
        )

    def place_view(self, request, object_id):
        butterfly = self._step_object(request, object_id)
        initial = {"on": timezone.localdate(), "quilt": butterfly.quilt_id, "position": butterfly.position}
        intro = "Each place on a quilt holds one butterfly. The quilt's page shows which places are open."
        suggestion = Quilt.objects.next_open_place()
        if suggestion is None:
            intro += "\nEvery quilt being filled is full: add a new quilt first, or choose a place yourself."
        else:
            intro += f"\nThe next open place is {suggestion[0].name}, place {suggestion[1]}."
            if butterfly.quilt_id is None:
                initial.update(quilt=suggestion[0].pk, position=suggestion[1])
                intro += " It is filled in below."
        form = PlaceOnQuiltForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            done = self._run(
                form,
                lambda: services.butterfly_place_on_quilt(
                    butterfly=butterfly,
                    quilt=form.cleaned_data["quilt"],
                    position=form.cleaned_data["position"],
                    on=form.cleaned_data["on"],
                    onto_completed=form.cleaned_data.get("onto_completed", False),
                ),
            )
            if done:
                return self._done(request, done, f"Placed on {done.quilt.name}, place {done.position}.")
        return self._step_page(
            request, butterfly, title="Place on a quilt", form=form, intro=intro, submit="Save the place"
        )

    def keepsake_view(self, request, object_id):
        butterfly = self._step_object(request, object_id)
        initial = {
            "made_on": butterfly.keepsake_made_on,
            "sent_on": butterfly.keepsake_sent_on,
            "method": butterfly.keepsake_method,
        }
        form = KeepsakeForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data

            def step():
                result = butterfly
                if data["made_on"] and data["made_on"] != butterfly.keepsake_made_on:
                    result = services.keepsake_record_made(butterfly=result, on=data["made_on"])
                if data["sent_on"]:
                    result = services.keepsake_record_sent(
                        butterfly=result, method=data["method"], on=data["sent_on"]
                    )
                return result

            done = self._run(form, step)
            if done:
                return self._done(request, done, f"Keepsake: {done.keepsake_label}.")
        return self._step_page(
            request,
            butterfly,
            title="Keepsake butterfly",
            form=form,
            intro=f"Goes to: {butterfly.keepsake_address or 'no mailing address yet'}",
            submit="Save the keepsake",
        )

    def approval_view(self, request, object_id):
        butterfly = self._step_object(request, object_id)
        if request.method == "POST":
            approve = request.POST.get("approve") == "yes"
            try:
                done = services.butterfly_set_approval(butterfly=butterfly, approved=approve, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:memorials_butterfly_change", args=[butterfly.pk]))
            message = "Approved for the wall." if approve else "Approval withdrawn."
            if approve and not done.show_name_consent:
                message += " The name stays off the wall until the family agrees."
            return self._done(request, done, message)
        consent = "has" if butterfly.show_name_consent else "has not"
        return self._step_page(
            request,
            butterfly,
            title="Approve for the memorial wall",
            form=None,
            intro=f"The family {consent} agreed to show the name online. The wall shows only the first name "
            "and birth date, and only when the family agrees and staff approve.",
            submit="",
        )


class DonorButterflyInline(admin.TabularInline):
    """A donor's butterflies on the donor's admin page, read-only, for coordinators (attached by donors)."""

    model = Butterfly
    fk_name = "donor"
    fields = ["first_name", "status", "keepsake_sent"]
    readonly_fields = ["first_name", "status", "keepsake_sent"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name = "Forever Butterflies butterfly"
    verbose_name_plural = "Forever Butterflies"

    @admin.display(description="keepsake sent")
    def keepsake_sent(self, obj):
        return obj.keepsake_label

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
