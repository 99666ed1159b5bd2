"""Public pages. Content comes from `content` (cached, sanitized); forms validate; views only wire them."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from . import content
from .forms import DirectoryFilterForm, FeedbackForm, PlanForm, SearchForm, public_path
from .models import ListEntry, Page
from .plan import build_plan
from .search import search as search_everything
from .templatetags.resources_extras import root_url

# Flood limits for feedback: per visitor, and per page for everyone together. No site-wide cap: one that 30
# addresses could use up would silence every page for everyone.
FEEDBACK_RATE_PER_VISITOR = "10/h"
FEEDBACK_RATE_PER_PAGE = "60/h"


@require_safe
def home(request):
    return content.cached_response(
        request, lambda: render(request, "resources/home.html", {"sections": content.home_sections()})
    )


@require_safe
def page(request, slug):
    def build():
        found = content.page(slug)
        if found is None:
            raise Http404("No published page has this address.")
        return render(request, "resources/page.html", {"page": found})

    return content.cached_response(request, build)


def _directory(request, name: str, *, title: str, meta_description: str, empty: str, section: str):
    directory = content.directory(name)
    entries = directory["entries"]
    areas = sorted({area for entry in entries for area in entry["areas"]})
    form = DirectoryFilterForm(request.GET or None, areas=areas)
    filtered = form.is_bound and form.is_valid()
    matched = True
    if filtered:
        region, area = form.cleaned_data["region"], form.cleaned_data["area"]

        def matches(entry):
            return (not region or entry["region"] == region) and (not area or area in entry["areas"])

        matched = any(matches(entry) for entry in entries)
        # Crisis lines that answer anywhere, at any hour, stay on the list whatever place is chosen.
        entries = [entry for entry in entries if entry["always_listed"] or matches(entry)]
    groups = [
        {"label": label, "value": value, "entries": [e for e in entries if e["region"] == value]}
        for value, label in ListEntry.Region.choices
    ]
    return render(
        request,
        "resources/directory.html",
        {
            "intro": directory["intro"],
            "title": directory["intro"]["title"] if directory["intro"] else title,
            "meta_description": meta_description,
            "form": form,
            "groups": [group for group in groups if group["entries"]],
            "empty": empty,
            "matched": matched,
            "untranslated_entries": directory["untranslated_entries"],
            "kept_anyway": filtered and any(entry["always_listed"] for entry in entries),
            "updated_at": directory["updated_at"],
            "trail": content.section_trail(section),
        },
    )


@require_safe
def grief_resources(request):
    return _directory(
        request,
        "grief",
        title=gettext_lazy("Grief resources"),
        meta_description=gettext_lazy(
            "Support lines, groups and organizations for families after a baby dies."
        ),
        empty=gettext_lazy(
            "We have no resources listed for that region yet. Please call us and we will help you look."
        ),
        section=Page.Section.AFTER_LOSS,
    )


@require_safe
def milk_banks(request):
    return _directory(
        request,
        "banks",
        title=gettext_lazy("Other milk banks"),
        meta_description=gettext_lazy(
            "Nonprofit human milk banks in North America, for donating close to home."
        ),
        empty=gettext_lazy(
            "We have no milk banks listed for that region yet. HMBANA's directory lists every member bank."
        ),
        section=Page.Section.DONATING,
    )


@require_safe
def pumping_plan(request):
    asked = any(name in request.GET for name in PlanForm.base_fields)
    form = PlanForm(request.GET if asked else None)
    plan = None
    if asked and form.is_valid():
        plan = build_plan(
            sessions_now=form.cleaned_data["sessions"],
            days_per_step=form.cleaned_data["days_per_step"],
            start=form.cleaned_data["start"],
        )
    return render(
        request,
        "resources/plan.html",
        {"form": form, "plan": plan, "trail": content.section_trail(Page.Section.AFTER_LOSS)},
    )


@require_safe
def handout(request):
    return content.cached_response(
        request,
        lambda: render(
            request, "resources/handout.html", {"trail": content.section_trail(Page.Section.DONATING)}
        ),
    )


@require_safe
def search(request):
    form = SearchForm(request.GET)
    query, results = "", []
    if form.is_valid():
        query = form.cleaned_data["q"]
        results = search_everything(query, content.search_synonyms())
    return render(request, "resources/search.html", {"form": form, "query": query, "results": results})


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("\r", "")
    return f'"{escaped}"'


def served_at_root(view):
    """A file that is the same in every language lives only at the root; under /es/ or /fr/ it redirects."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if translation.get_language_from_path(request.path_info):
            target = root_url(request.resolver_match.view_name)
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
        return view(request, *args, **kwargs)

    return wrapper


sitemap = served_at_root(django_sitemap)


@served_at_root
@require_safe
@cache_control(public=True, max_age=3600)
def print_css(request):
    """Print rules that need the bank's own details: its name and phone at the foot of every printed page,
    and links to this site written out with the site's public address (SITE_URL)."""
    bank = settings.MILKBANK
    return render(
        request,
        "resources/print.css",
        {
            "page_foot": _css_string(f"{bank['NAME']} · {bank['COORDINATOR_PHONE']} · {settings.SITE_URL}"),
            "site_url": _css_string(settings.SITE_URL.rstrip("/")),
        },
        content_type="text/css; charset=utf-8",
    )


@served_at_root
@require_safe
def robots_txt(request):
    prefixes = ["", *(f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)]
    return render(
        request,
        "resources/robots.txt",
        {"sitemap_url": request.build_absolute_uri(root_url("resources:sitemap")), "prefixes": prefixes},
        content_type="text/plain; charset=utf-8",
    )


def _flooded(request) -> bool:
    per_visitor = is_ratelimited(
        request,
        group="resources.feedback",
        key="ip",  # the real visitor behind our proxies: milkbank.net.client_ip
        rate=FEEDBACK_RATE_PER_VISITOR,
        increment=True,
    )
    try:
        page = public_path(request.POST.get("path", ""))
    except ValidationError:
        return per_visitor  # not about a page on this site: refused below, nothing saved
    per_page = is_ratelimited(
        request,
        group="resources.feedback.page",
        key=lambda group, request: page,
        rate=FEEDBACK_RATE_PER_PAGE,
        increment=True,
    )
    return per_visitor or per_page


def _return_path(request) -> str:
    target = request.POST.get("next", "")
    # Only a path on this site: "/..." not "//host", never a bare word (redirect() takes it for a view).
    on_site = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target.startswith("/") and not target.startswith("//") and on_site:
        return target
    return reverse("resources:home")


# No CSRF token: feedback is anonymous, changes nothing a visitor could not change by posting it themselves,
# and is flood-limited; without a per-visitor token on every page, public pages can be cached whole.
@csrf_exempt
@require_POST
def feedback(request):
    back = _return_path(request)
    if _flooded(request):
        return render(request, "resources/feedback.html", {"flooded": True, "back": back}, status=429)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "resources/feedback.html", {"form": form, "back": back}, status=400)
    form.save()
    messages.success(request, _("Thank you. Your note reached our team."))
    return HttpResponseRedirect(back)
