"""Depot pages: the public directory, and the focused staff pages for depot work.

Staff pages declare their permission once (`staff_permission`), look every object up through the user's
depots (404 outside them), and leave the rules to donors.milk.services.
"""

import csv
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_safe

from milkbank.access import staff_permission

from ..models import Depot, DropOff, FreezerCheck, Shipment
from . import services as milk_services
from .forms import (
    CorrectionForm,
    DonorSearchForm,
    DropOffForm,
    FreezerCheckForm,
    NotUsedForm,
    RegionForm,
    ReportForm,
    ShipmentForm,
    ShipmentReceiveForm,
    VoidForm,
)

MAX_LABELS = 200


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it is about (or above the form)."""
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


# --- Public directory --------------------------------------------------------------------------------


@require_safe
def directory(request):
    """Open, listed depots by region: city, hours and phone. Street addresses are for approved donors only.

    Two queries whatever the number of depots: the regions for the filter, then the depots.
    """
    public = Depot.objects.public()
    regions = list(public.order_by("region").values_list("region", flat=True).distinct())
    form = RegionForm(request.GET or None, regions=regions)
    region = form.cleaned_data["region"] if form.is_bound and form.is_valid() else ""
    depots = public.only("name", "city", "region", "hours", "phone")
    if region:
        depots = depots.filter(region=region)
    return render(request, "donors/depots.html", {"form": form, "depots": depots, "region": region})


# --- Depot work --------------------------------------------------------------------------------------


@staff_permission("donors.view_depot")
@require_safe
def work(request):
    """The depots this person works with: freezer checks due, milk waiting, what to ship soon."""
    depots = [milk_services.depot_flags(d) for d in milk_services.depots_for_work(user=request.user)]
    on_the_way = (
        Shipment.objects.filter(received_at__isnull=True, depot__in=Depot.objects.for_user(request.user))
        .select_related("depot")
        .annotate(dropoff_count=Count("dropoffs"), total_ml=Coalesce(Sum("dropoffs__volume_ml"), 0))
        .order_by("shipped_at")[:50]
    )
    context = {
        "depots": depots,
        "overdue": [d for d in depots if d.freezer_overdue],
        "warm": [d for d in depots if d.freezer_warm],
        "held_total": sum(d.held_count for d in depots),
        "ship_soon": [d for d in depots if d.ship_soon],
        "on_the_way": on_the_way,
        "can_receive": request.user.has_perm("donors.change_shipment"),
        "can_export": milk_services.can_see_all_depots(request.user),
        "limit_c": settings.MILKBANK["FREEZER_LIMIT_C"],
        "ship_soon_days": milk_services.SHIP_SOON_DAYS,
        "recheck_minutes": settings.MILKBANK["FREEZER_RECHECK_MINUTES"],
    }
    return render(request, "donors/milk/work.html", context)


def _only_depot(user) -> int | None:
    """The depot a form starts on: the person's only open depot, if they help at just one."""
    depots = list(Depot.objects.for_user(user).filter(active=True).values_list("pk", flat=True)[:2])
    return depots[0] if len(depots) == 1 else None


@staff_permission("donors.add_dropoff")
@require_http_methods(["GET", "HEAD", "POST"])
def dropoff_new(request):
    """Log a drop-off in one form; a name or number search above it shows only what a volunteer may see."""
    user = request.user
    # The name search is a POST, so a donor's name never lands in a URL (proxy logs, browser history).
    finding = request.method == "POST" and "find" in request.POST
    search = DonorSearchForm(request.POST if finding else None)
    found = finding and search.is_valid()
    cards = milk_services.donor_lookup(query=search.cleaned_data["q"]) if found else []
    if request.method == "POST" and not finding:
        form = DropOffForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dropoff = milk_services.dropoff_log(
                    donor=data["donor"],
                    by=user,
                    channel=data["channel"],
                    depot=data["depot"],
                    containers=data["containers"],
                    volume_ml=data["volume_ml"],
                    expressed_from=data["expressed_from"],
                    expressed_to=data["expressed_to"],
                    health_declaration=data["health_declaration"],
                    use=data["use"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Saved drop-off #{dropoff.pk}: {dropoff.volume_ml:,} mL from "
                    f"{data['donor'].number_label}. Thank you!",
                )
                return redirect(f"{reverse('donors:dropoff_new')}?saved={dropoff.pk}")
        chosen = None
    else:
        initial = {"depot": _only_depot(user)}
        number = milk_services.parse_donor_number(request.GET.get("donor", ""))
        chosen = None
        if number is not None:
            found = milk_services.donor_lookup(query=str(number), limit=1)
            chosen = found[0] if found else None
            if chosen:
                initial["donor"] = chosen.number_label
                if chosen.research_only:
                    initial["use"] = DropOff.Use.RESEARCH
        form = DropOffForm(initial=initial, user=user)
    saved = None
    saved_id = request.GET.get("saved", "")
    if saved_id.isdigit():
        saved = DropOff.objects.for_user(user).filter(pk=int(saved_id)).only("pk").first()
    # What this person logged in the last day and may still void: a few rows through the recent index.
    recent = (
        DropOff.objects.filter(
            received_by=user,
            status=DropOff.Status.AT_DEPOT,
            created_at__gte=timezone.now() - milk_services.VOID_WINDOW,
        )
        .select_related("donor", "depot")
        .only("pk", "received_at", "volume_ml", "containers", "donor__donor_number", "depot__name")
        .order_by("-received_at", "-pk")[:10]
    )
    context = {
        "form": form,
        "search": search,
        "cards": cards,
        "chosen": chosen,
        "saved": saved,
        "recent": recent,
    }
    return render(request, "donors/milk/dropoff_form.html", context)


def _dropoff_for_staff(request, pk):
    """A drop-off of the person's depots (404 outside them), with what its pages show."""
    return get_object_or_404(
        DropOff.objects.for_user(request.user).select_related("donor", "depot", "received_by", "shipment"),
        pk=pk,
    )


@staff_permission("donors.add_dropoff")
@require_http_methods(["GET", "HEAD", "POST"])
def dropoff_void(request, pk):
    """Void a drop-off logged by mistake (a volunteer: their own, within 24 hours), then log it again."""
    dropoff = _dropoff_for_staff(request, pk)
    refusal = milk_services.void_refusal(dropoff, request.user)
    form = VoidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            milk_services.dropoff_void(dropoff=dropoff, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Drop-off #{dropoff.pk} is voided and left out of every total. Log the milk again below: "
                "it gets a new label.",
            )
            number = dropoff.donor.number_label
            return redirect(
                f"{reverse('donors:dropoff_new')}?donor={number}" if number else "donors:dropoff_new"
            )
    context = {"dropoff": dropoff, "form": form, "refusal": refusal}
    return render(request, "donors/milk/dropoff_void.html", context)


@staff_permission("donors.change_dropoff")
@require_http_methods(["GET", "HEAD", "POST"])
def dropoff_correct(request, pk):
    """A coordinator's page for one drop-off: decide on held milk, mark it not used, or correct it."""
    dropoff = _dropoff_for_staff(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    facts = {field: getattr(dropoff, field) for field in milk_services.CORRECTABLE}
    correction = CorrectionForm(request.POST if action == "correct" else None, initial=facts, prefix="fix")
    not_used = NotUsedForm(request.POST if action == "not_used" else None, prefix="not-used")
    done = None
    try:
        if action == "use":
            milk_services.dropoff_decide(dropoff=dropoff, by=request.user, use=True)
            done = f"Drop-off #{dropoff.pk} is released for use."
        elif action == "not_used" and not_used.is_valid():
            reason = not_used.cleaned_data["reason"]
            milk_services.dropoff_decide(dropoff=dropoff, by=request.user, use=False, reason=reason)
            done = f"Drop-off #{dropoff.pk} is marked not used."
        elif action == "correct" and correction.is_valid():
            milk_services.dropoff_correct(dropoff=dropoff, by=request.user, **correction.cleaned_data)
            done = f"Drop-off #{dropoff.pk} is corrected. The old values stay in its history."
    except ValidationError as error:
        if action == "use":
            messages.error(request, " ".join(error.messages))
        else:
            _apply_errors(not_used if action == "not_used" else correction, error)
    if done:
        messages.success(request, done)
        # A decision on held milk goes back to the held list; a correction stays to show the new values.
        if action in ("use", "not_used") and dropoff.hold:
            return redirect("donors:dropoffs_held")
        return redirect("donors:dropoff_correct", dropoff.pk)
    context = {"dropoff": dropoff, "correction": correction, "not_used": not_used}
    return render(request, "donors/milk/dropoff_correct.html", context)


@staff_permission("donors.change_dropoff")
@require_safe
def dropoffs_held(request):
    """Milk held after a warm freezer or a thawed shipment, waiting for a coordinator. Fixed queries."""
    held = list(milk_services.held_dropoffs(user=request.user)[:200])
    return render(request, "donors/milk/held.html", {"held": held})


@staff_permission("donors.add_freezercheck")
@require_http_methods(["GET", "HEAD", "POST"])
def freezer_check_new(request):
    """Record today's freezer temperature; a reading above the limit warns here and emails coordinators."""
    user = request.user
    if request.method == "POST":
        form = FreezerCheckForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                check = milk_services.freezer_check_record(
                    depot=data["depot"], by=user, temperature_c=data["temperature_c"], notes=data["notes"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                limit = settings.MILKBANK["FREEZER_LIMIT_C"]
                if check.over_limit:
                    minutes = settings.MILKBANK["FREEZER_RECHECK_MINUTES"]
                    held = check.held_count
                    messages.warning(
                        request,
                        f"Saved, and flagged: {check.temperature_c} °C is warmer than the {limit:g} °C "
                        "limit. The coordinators have been emailed. Keep the freezer closed, check the "
                        "door seal and the plug, and check it again within "
                        f"{minutes} minutes. {held} drop-off{'s are' if held != 1 else ' is'} held until "
                        "a coordinator decides; call the coordinator if it does not cool down.",
                    )
                else:
                    messages.success(request, f"Saved: {check.temperature_c} °C at {data['depot'].name}.")
                return redirect("donors:depot_work")
    else:
        depot_id = request.GET.get("depot", "")
        initial = {"depot": int(depot_id) if depot_id.isdigit() else _only_depot(user)}
        form = FreezerCheckForm(initial=initial, user=user)
    recent = (
        FreezerCheck.objects.filter(depot__in=Depot.objects.for_user(user))
        .select_related("depot", "checked_by")
        .order_by("-checked_at")[:10]
    )
    return render(request, "donors/milk/freezer_form.html", {"form": form, "recent": recent})


@staff_permission("donors.add_shipment")
@require_http_methods(["GET", "HEAD", "POST"])
def shipment_new(request, depot_id):
    """Pack the drop-offs waiting at one depot into a shipment to the bank."""
    depot = get_object_or_404(Depot.objects.for_user(request.user), pk=depot_id)
    if request.method == "POST":
        form = ShipmentForm(request.POST, depot=depot)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shipment = milk_services.shipment_create(
                    depot=depot,
                    by=request.user,
                    dropoffs=data["dropoffs"],
                    carrier=data["carrier"],
                    tracking=data["tracking"],
                    coolant=data["coolant"],
                    containers=data["containers"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Shipment #{shipment.pk} is on its way with {len(data['dropoffs'])} drop-off(s).",
                )
                return redirect("donors:depot_work")
    else:
        form = ShipmentForm(depot=depot, initial={"coolant": Shipment.Coolant.DRY_ICE})
        form.initial["dropoffs"] = [d.pk for d in form.fields["dropoffs"].queryset]
    return render(request, "donors/milk/shipment_form.html", {"form": form, "depot": depot})


@staff_permission("donors.change_shipment")
@require_http_methods(["GET", "HEAD", "POST"])
def shipment_receive(request, pk):
    """Record a shipment's arrival at the bank: when, its condition, and who (the signed-in coordinator)."""
    shipment = get_object_or_404(
        Shipment.objects.filter(depot__in=Depot.objects.for_user(request.user))
        .select_related("depot", "shipped_by", "received_by")
        .annotate(dropoff_count=Count("dropoffs"), total_ml=Coalesce(Sum("dropoffs__volume_ml"), 0)),
        pk=pk,
    )
    if request.method == "POST" and shipment.received_at is None:
        form = ShipmentReceiveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                received = milk_services.shipment_receive(
                    shipment=shipment,
                    by=request.user,
                    condition=data["condition"],
                    received_at=data["received_at"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Shipment #{received.pk} received ({received.get_condition_display().lower()}) after "
                    f"{_duration(received.journey_time)} on the way.",
                )
                return redirect("donors:depot_work")
    else:
        form = ShipmentReceiveForm()
    context = {"shipment": shipment, "form": form, "journey": _duration(shipment.journey_time)}
    return render(request, "donors/milk/shipment_receive.html", context)


def _duration(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return ""
    hours = int(delta.total_seconds() // 3600)
    minutes = int(delta.total_seconds() % 3600 // 60)
    if hours >= 48:
        return f"{hours // 24} days {hours % 24} h"
    return f"{hours} h {minutes:02d} min"


# --- Labels ------------------------------------------------------------------------------------------


def barcode_svg(code: str) -> SafeString:
    """A Code 128 barcode as inline SVG, drawn from python-barcode's bar pattern.

    python-barcode's own SVG writer puts style="" on every bar, which a strict Content Security Policy
    blocks; bars drawn with the fill attribute are not affected. The code is only letters, digits and "-".
    """
    import barcode

    pattern = barcode.get("code128", code).build()[0]
    quiet = 10
    bars = []
    x = 0
    while x < len(pattern):
        if pattern[x] == "1":
            start = x
            while x < len(pattern) and pattern[x] == "1":
                x += 1
            bars.append((start + quiet, x - start))
        else:
            x += 1
    width = len(pattern) + 2 * quiet
    rects = format_html_join("", '<rect x="{}" y="0" width="{}" height="40"/>', bars)
    return format_html(
        '<svg class="milk-barcode" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 40" '
        'preserveAspectRatio="none" role="img" aria-label="Barcode {}"><g fill="#000">{}</g></svg>',
        width,
        code,
        rects,
    )


def _render_labels(request, dropoffs):
    labels = [{"dropoff": d, "code": d.label_code, "svg": barcode_svg(d.label_code)} for d in dropoffs]
    return render(request, "donors/milk/labels.html", {"labels": labels})


def _label_queryset(user):
    return (
        DropOff.objects.for_user(user)
        .select_related("donor", "depot")
        .only(*milk_services.DROPOFF_ROW_FIELDS)
    )


@staff_permission("donors.view_dropoff")
@require_safe
def dropoff_label(request, pk):
    """One printable label (4 x 2 in) with a Code 128 barcode."""
    dropoff = get_object_or_404(_label_queryset(request.user), pk=pk)
    return _render_labels(request, [dropoff])


@staff_permission("donors.view_dropoff")
@require_safe
def dropoff_labels(request):
    """Labels for several drop-offs (?id=1&id=2...), one per printed page; 404 if any is out of reach."""
    ids = {int(v) for v in request.GET.getlist("id") if v.isdigit()}
    if not ids or len(ids) > MAX_LABELS:
        raise Http404("Choose between 1 and 200 drop-offs.")
    dropoffs = list(_label_queryset(request.user).filter(pk__in=ids).order_by("pk"))
    if len(dropoffs) != len(ids):
        raise Http404("Some of these drop-offs are not yours to see.")
    return _render_labels(request, dropoffs)


# --- Totals, export ----------------------------------------------------------------------------------


@staff_permission("donors.view_dropoff")
@require_safe
def milk_report(request):
    """Millilitres per depot per month (clinical and research apart), for the depots this person may see,
    read live: one query for the table."""
    form = ReportForm(request.GET or None)
    months = form.cleaned_data["months"] if form.is_bound and form.is_valid() else 12
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = milk_services.depot_month_totals(user=request.user, since=first)
    clinical_ml = sum(r["clinical_ml"] for r in rows)
    research_ml = sum(r["research_ml"] for r in rows)
    context = {
        "form": form,
        "rows": rows,
        "since": first,
        "clinical_ml": clinical_ml,
        "research_ml": research_ml,
        "total_ml": clinical_ml + research_ml,
    }
    return render(request, "donors/milk/report.html", context)


class _Echo:
    def write(self, value):
        return value


@staff_permission("donors.view_all_depots")
@require_safe
def dropoff_export(request):
    """Every drop-off as CSV, streamed in chunks from one query: constant memory at a million rows.

    The last line says the file is complete and how many rows it holds (milk_services.EXPORT_COMPLETE).
    A million rows take longer than gunicorn's worker timeout: milkbank/gunicorn.conf.py's threaded
    workers stream it without being killed, and serve other requests meanwhile."""
    writer = csv.writer(_Echo())
    rows = milk_services.dropoff_export_rows(user=request.user)
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv")
    filename = f"dropoffs-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
