"""Public content: pages, the grief-resource and milk-bank lists, and visitors' feedback."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

# Paths this app (or the project) answers itself; a page with one of these slugs could never be reached.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "butterflies",
        "en",
        "es",
        "fr",
        "donate",
        "feedback",
        "healthz",
        "media",
        "pumping-plan",
        "search",
        "static",
    }
)

# Pages whose text is the introduction of a list page: they are shown there, not at /<slug>/.
LIST_INTRO_SLUGS = {
    "grief-resources": "resources:grief_resources",
    "other-milk-banks": "resources:milk_banks",
}

# Each section's start page: breadcrumbs lead to it and the navigation links it.
SECTION_HUBS = {
    "after_loss": "lactation-after-loss",
    "donating": "donating-after-loss",
    "professionals": "for-professionals",
}

# The page the keepsake makers are listed on.
KEEPSAKE_SLUG = "memorializing-milk"

# Slugs the navigation, handout and plan link to: editors may change their words, not their address.
KEY_SLUGS = frozenset({*SECTION_HUBS.values(), "suppressing-your-supply", KEEPSAKE_SLUG, *LIST_INTRO_SLUGS})


# Donors' private links (questionnaire, status) carry their token in the path; feedback keeps only the prefix.
PRIVATE_LINK_PREFIXES = ("/donate/q/", "/donate/s/")
# The same links under the Spanish and French prefixes (/es/donate/s/...): never stored either.
PREFIXED_PRIVATE_LINKS = tuple(
    f"/{code}{prefix}" for code in ("es", "fr") for prefix in PRIVATE_LINK_PREFIXES
)


def _no_private_link() -> Q:
    """Feedback's path is a private link's bare prefix, or no private link at all, in any language."""
    starts = Q()
    for prefix in (*PRIVATE_LINK_PREFIXES, *PREFIXED_PRIVATE_LINKS):
        starts |= Q(path__startswith=prefix)
    return Q(path__in=PRIVATE_LINK_PREFIXES) | ~starts


def validate_not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is already used by another part of the site. Please choose another address.",
            code="reserved",
            params={"slug": value},
        )


class TranslationReview(models.Model):
    """Whether the Spanish and French texts still wait for someone at the bank to check them.

    Starter translations arrive ticked (resources/migrations/0004), and the admin ticks a language again
    when the English words it translates change; an editor unticks it after reading it. The texts
    themselves are the modeltranslation fields listed in resources/translation.py.
    """

    review_es = models.BooleanField(
        "Spanish text needs review",
        default=False,
        help_text=(
            "Ticked for our starter translations, and again when the English text changes. Untick it once "
            "someone at the bank who reads Spanish has checked the Spanish text."
        ),
    )
    review_fr = models.BooleanField(
        "French text needs review",
        default=False,
        help_text=(
            "Ticked for our starter translations, and again when the English text changes. Untick it once "
            "someone at the bank who reads French has checked the French text."
        ),
    )

    class Meta:
        abstract = True


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_index(self):
        """What lists and navigation need: everything but the body."""
        return self.published().only("slug", "title", "summary", "section", "order", "updated_at")


class Page(TranslationReview):
    class Section(models.TextChoices):
        AFTER_LOSS = "after_loss", _("Lactation after loss")
        DONATING = "donating", _("Donating after loss")
        PROFESSIONALS = "professionals", _("For healthcare professionals")

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_not_reserved],
        help_text="The web address, e.g. “continuing-to-express”: lowercase letters, numbers and dashes.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences, shown in search results, on the home page and to search engines.",
    )
    body = models.TextField(
        blank=True,
        default="",
        help_text=(
            "Markdown: “## Heading”, “**bold**”, “- list item”, “[link text](https://example.org)”. "
            "HTML and scripts are removed when the page is shown."
        ),
    )
    section = models.CharField(max_length=20, choices=Section)
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Smaller numbers come first in the section. The first page is the section's start.",
    )
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="last updated")

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug in LIST_INTRO_SLUGS:
            return reverse(LIST_INTRO_SLUGS[self.slug])
        return reverse("resources:page", args=[self.slug])


class ListEntry(TranslationReview):
    """One row of an admin-edited public list."""

    class Region(models.TextChoices):
        NATIONAL = "national", _("National")
        STATE = "state", _("State or province")
        REGIONAL = "regional", _("Regional")

    name = models.CharField(max_length=150)
    description = models.TextField(
        max_length=600, blank=True, default="", help_text="Two or three plain sentences; no Markdown."
    )
    phone = models.CharField(max_length=60, blank=True, default="")
    website = models.URLField(blank=True, default="")
    region = models.CharField(max_length=10, choices=Region)
    area = models.CharField(
        "where",
        max_length=150,
        blank=True,
        default="",
        help_text="Country, state or province served; separate several with commas: “Alberta, Manitoba”.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="last updated")

    class Meta:
        abstract = True
        ordering = ["region", "area", "order", "name"]

    def __str__(self):
        return self.name

    def areas(self) -> list[str]:
        return [part.strip() for part in self.area.split(",") if part.strip()]


class GriefResource(ListEntry):
    class Category(models.TextChoices):
        CRISIS = "crisis", _("Crisis and help lines")
        PEER = "peer", _("Peer support and groups")
        COUNSELING = "counseling", _("Counseling and mental health")
        ORGANIZATION = "organization", _("Pregnancy and infant loss organizations")
        READING = "reading", _("Reading and online support")

    category = models.CharField(max_length=20, choices=Category)

    class Meta(ListEntry.Meta):
        verbose_name = "grief resource"

    def get_absolute_url(self):
        return reverse("resources:grief_resources")


class MilkBank(ListEntry):
    class Category(models.TextChoices):
        BANK = "bank", _("Nonprofit milk bank")
        HOSPITAL = "hospital", _("Hospital milk bank")
        ASSOCIATION = "association", _("Association of milk banks")

    category = models.CharField(max_length=20, choices=Category)

    class Meta(ListEntry.Meta):
        verbose_name = "milk bank"

    def get_absolute_url(self):
        return reverse("resources:milk_banks")


class KeepsakeMaker(TranslationReview):
    """A maker of keepsakes from milk, listed on the memorializing page. Edited by content editors."""

    name = models.CharField(max_length=150)
    description = models.TextField(
        max_length=400, blank=True, default="", help_text="One or two plain sentences; no Markdown."
    )
    website = models.URLField(blank=True, default="")
    area = models.CharField(
        "ships to",
        max_length=150,
        blank=True,
        default="",
        help_text="Where they send keepsakes, e.g. “Canada, United States”.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="last updated")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "keepsake maker"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:page", args=[KEEPSAKE_SLUG])


class SearchSynonym(models.Model):
    """Words parents use, and the words our pages use for the same thing. Search looks for either."""

    phrase = models.CharField(
        max_length=80,
        unique=True,
        help_text="What someone might type, e.g. “dry up” or “stop my milk”. Lowercase; one or more words.",
    )
    means = models.CharField(
        max_length=200,
        help_text="Words our pages use for it, separated by spaces, e.g. “suppressing supply”.",
    )

    class Meta:
        ordering = ["phrase"]
        verbose_name = "search synonym"

    def __str__(self):
        return f"{self.phrase} → {self.means}"

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('resources:search')}?{urlencode({'q': self.phrase})}"


class SearchDocument(models.Model):
    """One searchable public page or list entry in one language, copied from its source by
    `resources.search.rebuild_index`.

    Pages, tools, list entries and other apps' public pages (depots, Forever Butterflies) all land here, so
    one ranked query searches them together. Never edited by hand.
    """

    source = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    language = models.CharField(
        max_length=10, default="en", help_text="Each page is indexed once per language of the site."
    )
    in_english = models.BooleanField(
        default=False, help_text="Its text is the English one: not translated into this language yet."
    )
    url = models.CharField(max_length=300)
    kind = models.CharField(max_length=60, help_text="Shown with the result, e.g. “Grief resource”.")
    title = models.CharField(max_length=200)
    keywords = models.CharField(max_length=300, blank=True, default="")
    summary = models.CharField(max_length=400, blank=True, default="")
    body = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "source", "key"],
                name="resources_searchdocument_unique_language_source_key",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url


class Feedback(models.Model):
    """A visitor's answer to “Was this helpful?” or an error report. Holds no personal data by design."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Was this helpful?"
        ERROR = "error", "Error report"

    kind = models.CharField(max_length=10, choices=Kind)
    helpful = models.BooleanField(null=True, blank=True, help_text="The visitor's yes or no.")
    comment = models.TextField(max_length=2000, blank=True, default="")
    path = models.CharField(
        "page",
        max_length=300,
        help_text="The page it is about (private donor links are cut to their prefix).",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="helpful", helpful__isnull=False) | Q(kind="error", helpful__isnull=True),
                name="resources_feedback_helpful_answer_matches_kind",
                violation_error_message="Answer yes or no for “Was this helpful?”, and only there.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="error") | ~Q(comment=""),
                name="resources_feedback_error_has_comment",
                violation_error_message="Please tell us what is wrong.",
            ),
            models.CheckConstraint(
                condition=Q(path__startswith="/"),
                name="resources_feedback_path_is_local",
                violation_error_message="Feedback must be about a page on this site.",
            ),
            models.CheckConstraint(
                condition=_no_private_link(),
                name="resources_feedback_no_private_link",
                violation_error_message="A donor's private link is never stored, only its prefix.",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.ERROR:
            return f"Error report on {self.path}"
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.path}"

    def get_absolute_url(self):
        return reverse("admin:resources_feedback_change", args=[self.pk])
