from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("pumping-plan/", views.pumping_plan, name="pumping_plan"),
    path("grief-resources/", views.grief_resources, name="grief_resources"),
    path("other-milk-banks/", views.milk_banks, name="milk_banks"),
    path("donating-after-loss/handout/", views.handout, name="handout"),
    path("feedback/", views.feedback, name="feedback"),
    # The same for every language: served at the root only (under /es/ or /fr/ they redirect there).
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("print.css", views.print_css, name="print_css"),
    # Last: any other single-segment address is a content page (see models.RESERVED_SLUGS).
    path("<slug:slug>/", views.page, name="page"),
]
