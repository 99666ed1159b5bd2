from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import LIST_INTRO_SLUGS, Page


class EachLanguage(Sitemap):
    """Every page once per language (/, /es/, /fr/), each entry naming the others and the English default."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(EachLanguage):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        # List introductions are listed with their list page below, even when an editor unpublishes them.
        return Page.objects.for_index().exclude(slug__in=LIST_INTRO_SLUGS).order_by("section", "order")

    def lastmod(self, page):
        return page.updated_at


class PublicPagesSitemap(EachLanguage):
    """Fixed public pages, this app's and the other apps' (linked by URL name only)."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            "resources:home",
            "resources:grief_resources",
            "resources:milk_banks",
            "resources:pumping_plan",
            "resources:handout",
            "donors:inquiry",
            "donors:depots",
            "memorials:home",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "public": PublicPagesSitemap}
