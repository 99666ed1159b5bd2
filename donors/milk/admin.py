"""Admin for depots, freezer checks, drop-offs and shipments (volunteers scoped to their own depots).

Every queryset goes through `for_user`, and an object outside it answers 404 (the admin's default is a
redirect with a message, which would confirm the record exists). New drop-offs, freezer checks and shipments
are made on the focused staff pages, which call donors.milk.services; the admin's "add" buttons lead there.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from milkbank.pagination import (
    CappedCountPaginator,
    CappedFacetsMixin,
    IndexedSortChangeList,
    capped_facets,
)

from ..models import Depot, DropOff, FreezerCheck, Shipment
from . import services as milk_services


class ScopedAdminMixin:
    """Check scope on per-object permissions (an object outside the user's queryset is not found, so its
    pages answer 404: milkbank.admin_site.MissingRecordIs404)."""

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class ScopedDepotFilter(CappedFacetsMixin, admin.SimpleListFilter):
    """Filter by depot, offering only the depots this user may see."""

    title = "depot"
    parameter_name = "depot"

    def lookups(self, request, model_admin):
        return list(Depot.objects.for_user(request.user).order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value is not None and str(value).isdigit():  # "Show counts" passes each choice's int pk
            return queryset.filter(depot_id=int(value))
        return queryset


def _add_redirect(url_name: str):
    """An add_view that sends staff to the focused page where the rules are applied."""

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise Http404("No such page.")
        return redirect(url_name)

    return add_view


@admin.register(Depot)
class DepotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "city",
        "region",
        "active",
        "listed_publicly",
        "lockable_freezer",
        "volunteer_count",
    ]
    list_filter = ["active", "listed_publicly", "region"]
    search_fields = ["name", "city", "region"]
    list_select_related = True
    filter_horizontal = ["volunteers"]
    show_full_result_count = False
    actions = ["list_publicly", "hide_from_directory"]
    fieldsets = [
        (None, {"fields": ["name", "active", "listed_publicly", "lockable_freezer"]}),
        (
            "Where and when",
            {"fields": ["address_line1", "address_line2", "city", "region", "postal_code", "hours"]},
        ),
        ("Contact", {"fields": ["contact_name", "phone"]}),
        ("Volunteers", {"fields": ["volunteers"], "description": "Volunteers see only their own depots."}),
    ]

    def get_queryset(self, request):
        return Depot.objects.for_user(request.user).annotate(
            volunteer_count=Count("volunteers", distinct=True)
        )

    @admin.display(description="volunteers", ordering="volunteer_count")
    def volunteer_count(self, obj):
        return obj.volunteer_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "volunteers":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description="List the chosen depots in the public directory", permissions=["change"])
    def list_publicly(self, request, queryset):
        count = queryset.update(listed_publicly=True)
        self.message_user(request, f"{count} depot(s) now listed in the public directory.", messages.SUCCESS)

    @admin.action(description="Hide the chosen depots from the public directory", permissions=["change"])
    def hide_from_directory(self, request, queryset):
        count = queryset.update(listed_publicly=False)
        self.message_user(request, f"{count} depot(s) hidden from the public directory.", messages.SUCCESS)


@admin.register(FreezerCheck)
class FreezerCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["checked_at", "depot", "temperature_c", "over_limit", "checked_by"]
    list_filter = [("over_limit", capped_facets(admin.BooleanFieldListFilter)), ScopedDepotFilter]
    list_select_related = ["depot", "checked_by"]
    search_fields = ["depot__name", "notes"]
    readonly_fields = ["depot", "checked_at", "temperature_c", "over_limit", "checked_by", "notes"]
    # Counting a million rows on every page view costs more than the page: estimate, or count at most 10k.
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 100
    add_view = _add_redirect("donors:freezer_check_new")

    def get_queryset(self, request):
        return FreezerCheck.objects.for_user(request.user).select_related("depot", "checked_by")


class DropOffInline(admin.TabularInline):
    model = DropOff
    fields = [
        "dropoff_link",
        "donor_number",
        "containers",
        "volume_ml",
        "expressed_from",
        "expressed_to",
        "use",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("donor")

    @admin.display(description="drop-off")
    def dropoff_link(self, obj):
        return format_html(
            '<a href="{}">#{}</a>', reverse("admin:donors_dropoff_change", args=[obj.pk]), obj.pk
        )

    @admin.display(description="donor number")
    def donor_number(self, obj):
        return obj.donor.number_label


@admin.register(DropOff)
class DropOffAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "received_at",
        "donor_number",
        "depot",
        "containers",
        "volume_ml",
        "use",
        "status",
        "shipment_link",
    ]
    list_display_links = ["id", "received_at"]
    # Each sortable column has an index (column, id) that serves its order both ways (IndexedSortChangeList);
    # depot, use and status are narrowed with the filters instead, and containers follow the volume.
    sortable_by = ["id", "received_at", "donor_number", "volume_ml", "shipment_link"]
    list_filter = [
        ("status", capped_facets(admin.ChoicesFieldListFilter)),
        ("use", capped_facets(admin.ChoicesFieldListFilter)),
        ("channel", capped_facets(admin.ChoicesFieldListFilter)),
        ScopedDepotFilter,
    ]
    list_select_related = ["donor", "depot"]
    search_fields = ["=id"]  # shows the search box; get_search_results does the lookups
    search_help_text = "A drop-off number (42) or a donor number (D000123)."
    # Counting a million rows on every page view costs more than the page: estimate, or count at most 10k.
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 100
    fields = [
        "donor_number",
        "channel",
        "depot",
        "received_at",
        "received_by",
        "containers",
        "volume_ml",
        "expressed_from",
        "expressed_to",
        "health_declaration",
        "use",
        "shipment",
        "status",
        "rejection_reason",
        "void_reason",
        "hold",
        "label_link",
    ]
    # Nothing is edited here: status and shipment move only through donors.milk.services (shipping,
    # receiving, voiding, corrections, hold decisions), which enforce the rules and write the history.
    readonly_fields = fields
    actions = ["print_labels"]
    add_view = _add_redirect("donors:dropoff_new")

    def get_queryset(self, request):
        return DropOff.objects.for_user(request.user).select_related(
            "donor", "depot", "received_by", "shipment"
        )

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        """A donor number ("D000123") or a drop-off number ("42" or "#42"), each through its index: the
        admin's own "=id" search compares id::text and reads every row."""
        number = milk_services.parse_donor_number(search_term)
        term = search_term.strip()
        if not term:
            return queryset, False
        if term[:1] in ("D", "d"):
            return queryset.filter(donor__donor_number=number) if number else queryset.none(), False
        term = term.removeprefix("#").replace(",", "")
        if term.isdigit() and len(term) <= 18:
            return queryset.filter(pk=int(term)), False
        return queryset.none(), False

    @admin.display(description="donor", ordering="donor__donor_number")
    def donor_number(self, obj):
        return obj.donor.number_label or "(no number)"

    @admin.display(description="shipment", ordering="shipment_id")
    def shipment_link(self, obj):
        if obj.shipment_id is None:
            return "—"
        url = reverse("admin:donors_shipment_change", args=[obj.shipment_id])
        return format_html('<a href="{}">#{}</a>', url, obj.shipment_id)

    @admin.display(description="label")
    def label_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">Print the label</a>', reverse("donors:dropoff_label", args=[obj.pk]))

    @admin.action(description="Print labels for the chosen drop-offs", permissions=["view"])
    def print_labels(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[:200])
        query = urlencode([("id", pk) for pk in ids])
        self.message_user(request, f"Opened {len(ids)} label(s) to print.", messages.INFO)
        return HttpResponseRedirect(f"{reverse('donors:dropoff_labels')}?{query}")


class ReceivedFilter(CappedFacetsMixin, admin.SimpleListFilter):
    title = "arrival"
    parameter_name = "arrival"

    def lookups(self, request, model_admin):
        return [("on_the_way", "On the way"), ("received", "Received")]

    def queryset(self, request, queryset):
        if self.value() == "on_the_way":
            return queryset.filter(received_at__isnull=True)
        if self.value() == "received":
            return queryset.filter(received_at__isnull=False)
        return queryset


@admin.register(Shipment)
class ShipmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "shipped_at",
        "depot",
        "carrier",
        "tracking",
        "coolant",
        "containers",
        "dropoff_count",
        "received_at",
        "condition",
        "journey",
    ]
    list_display_links = ["id", "shipped_at"]
    list_filter = [
        ReceivedFilter,
        ("condition", capped_facets(admin.ChoicesFieldListFilter)),
        ScopedDepotFilter,
    ]
    list_select_related = ["depot"]
    search_fields = ["=id", "tracking", "carrier"]
    # Counting a million rows on every page view costs more than the page: estimate, or count at most 10k.
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 100
    fields = [
        "depot",
        "shipped_at",
        "shipped_by",
        "carrier",
        "tracking",
        "coolant",
        "containers",
        "received_at",
        "received_by",
        "condition",
        "journey",
        "notes",
    ]
    # Arrival is recorded on the receive page (it moves the drop-offs along), never by editing fields.
    readonly_fields = [f for f in fields if f not in ("carrier", "tracking", "notes")]
    inlines = [DropOffInline]
    actions = ["receive_frozen_solid"]
    add_view = _add_redirect("donors:depot_work")

    def get_queryset(self, request):
        # Counted per shown row through the (shipment, id) index: a GROUP BY joined every shipment to its
        # drop-offs before the page's LIMIT (2 s, and again in the count, at 1M drop-offs).
        counted = (
            DropOff.objects.filter(shipment=OuterRef("pk"))
            .order_by()
            .values("shipment")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            Shipment.objects.for_user(request.user)
            .select_related("depot", "shipped_by", "received_by")
            .annotate(dropoff_count=Coalesce(Subquery(counted), 0))
        )

    @admin.display(description="drop-offs")  # not sortable: that would count every shipment's milk
    def dropoff_count(self, obj):
        return obj.dropoff_count

    @admin.display(description="journey time")
    def journey(self, obj):
        delta = obj.journey_time
        if delta is None:
            return "on the way"
        hours, rest = divmod(int(delta.total_seconds()), 3600)
        return f"{hours} h {rest // 60:02d} min"

    @admin.action(description="Received now, frozen solid", permissions=["change"])
    def receive_frozen_solid(self, request, queryset):
        done, refused = 0, []
        for shipment in queryset.filter(received_at__isnull=True):
            try:
                milk_services.shipment_receive(
                    shipment=shipment, by=request.user, condition=Shipment.Condition.FROZEN_SOLID
                )
                done += 1
            except ValidationError as error:
                refused.append(f"#{shipment.pk}: {' '.join(error.messages)}")
        self.message_user(request, f"{done} shipment(s) received, frozen solid.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not received: " + "; ".join(refused), messages.WARNING)
