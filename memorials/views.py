"""Forever Butterflies pages: the public page (the program, the request form, the memorial wall) and the
staff work lists (the sewing queue and its printable work order, the quilts, keepsakes still to send).
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from milkbank.access import staff_permission

from . import services
from .forms import ButterflyRequestForm, DeclineRequestForm, LinkDonorForm
from .models import Butterfly, Quilt
from .validators import embroidery_name_max

logger = logging.getLogger(__name__)

WALL_PAGE_SIZE = 60
STAFF_PAGE_SIZE = 50
# Generous enough for a hospital ward sharing one address, small enough to stop a flood.
REQUEST_RATE = "10/h"


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@require_http_methods(["GET", "HEAD", "POST"])
def home(request):
    form = ButterflyRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="memorials.request", key="ip", rate=REQUEST_RATE, method="POST", increment=True
        )
        if limited:
            form.add_error(
                None,
                _(
                    "We have had many requests from here in the last hour. Please try again later, or call "
                    "us and we will gladly write it down for you."
                ),
            )
            status = 429
        elif form.is_robot():
            # Say thank you and keep nothing: a robot learns nothing from the answer.
            logger.info("butterfly request: honeypot filled, nothing saved")
            return redirect("memorials:thanks")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.butterfly_request_for_family(
                    first_name=data["first_name"],
                    birth_date=data["birth_date"],
                    family_name=data["family_name"],
                    mailing_address=data["mailing_address"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    keepsake_wish=data["keepsake_wish"],
                    show_name_consent=data["show_name_consent"],
                    source=Butterfly.Source.FORM,
                    language=translation.get_language(),  # the page's: /fr/butterflies/ is French
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("memorials:thanks")
    wall = _page(request, Butterfly.objects.for_memorial_wall(), WALL_PAGE_SIZE)
    context = {"form": form, "wall": wall, "page_obj": wall, "name_max": embroidery_name_max()}
    return render(request, "memorials/home.html", context, status=status)


@require_safe
def thanks(request):
    return render(request, "memorials/thanks.html")


# --- Staff work lists ------------------------------------------------------------------------------------


def staff_view(perm, methods=("GET", "HEAD")):
    """A staff page: the staff gate with two-step sign-in (milkbank.access), then `perm`; GET only unless
    `methods` says otherwise."""

    def decorator(view):
        return staff_permission(perm)(require_http_methods(list(methods))(view))

    return decorator


@staff_view("memorials.view_butterfly")
def requests(request):
    """Requests from the website waiting for a person to look at them, oldest first."""
    page = _page(request, Butterfly.objects.for_review_list(), STAFF_PAGE_SIZE)
    return render(request, "memorials/staff/requests.html", {"page_obj": page})


def _request_to_review(pk):
    """A request still waiting for review; anything else (reviewed, staff-made, missing) answers 404."""
    return get_object_or_404(Butterfly.objects.to_review(), pk=pk)


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages))
    return redirect("memorials:requests")


@staff_view("memorials.change_butterfly", methods=("POST",))
def request_accept(request, pk):
    butterfly = _request_to_review(pk)
    try:
        services.butterfly_request_accept(butterfly=butterfly, by=request.user)
    except ValidationError as exc:
        return _refused(request, exc)
    messages.success(request, f"{butterfly.first_name}'s butterfly is accepted and joins the sewing queue.")
    return redirect("memorials:requests")


@staff_view("memorials.change_butterfly", methods=("GET", "HEAD", "POST"))
def request_decline(request, pk):
    butterfly = _request_to_review(pk)
    form = DeclineRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _, emailed = services.butterfly_request_decline(
                    butterfly=butterfly, by=request.user, note=form.cleaned_data["note"]
                )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            if emailed:
                messages.success(request, "Declined. We emailed the family your note.")
            else:
                phone = butterfly.contact_phone or "the number they gave"
                messages.warning(
                    request,
                    f"Declined. The family gave no email: please call them at {phone} with your note.",
                )
            return redirect("memorials:requests")
    return render(request, "memorials/staff/request_decline.html", {"butterfly": butterfly, "form": form})


@staff_view("memorials.change_butterfly", methods=("GET", "HEAD", "POST"))
def request_link(request, pk):
    butterfly = _request_to_review(pk)
    form = LinkDonorForm(request.POST or None, butterfly=butterfly)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.butterfly_request_link_donor(
                    butterfly=butterfly, donor=form.cleaned_data["donor"], by=request.user
                )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"{butterfly.first_name}'s request is linked to the donor's record.")
            return redirect("memorials:requests")
    return render(request, "memorials/staff/request_link.html", {"butterfly": butterfly, "form": form})


@staff_view("memorials.view_butterfly")
def sewing_queue(request):
    page = _page(request, Butterfly.objects.for_sewing_queue(), STAFF_PAGE_SIZE)
    return render(request, "memorials/staff/sewing_queue.html", {"page_obj": page})


@staff_view("memorials.view_butterfly")
def work_order(request):
    """The quilters' sheet: every butterfly in the queue, name and date exactly as to stitch."""
    butterflies = Butterfly.objects.for_work_order()
    return render(request, "memorials/staff/work_order.html", {"butterflies": butterflies})


@staff_view("memorials.view_quilt")
def quilts(request):
    return render(request, "memorials/staff/quilts.html", {"quilts": Quilt.objects.for_staff_list()})


@staff_view("memorials.view_quilt")
def quilt(request, pk):
    quilt = get_object_or_404(Quilt, pk=pk)
    by_position = {b.position: b for b in Butterfly.objects.for_quilt_places(quilt)}
    places = [(number, by_position.get(number)) for number in range(1, quilt.capacity + 1)]
    next_open = next((number for number, butterfly in places if butterfly is None), None)
    context = {"quilt": quilt, "places": places, "filled": len(by_position), "next_open": next_open}
    return render(request, "memorials/staff/quilt.html", context)


@staff_view("memorials.view_butterfly")
def keepsakes(request):
    page = _page(request, Butterfly.objects.keepsakes_to_send(), STAFF_PAGE_SIZE)
    return render(request, "memorials/staff/keepsakes.html", {"page_obj": page})
