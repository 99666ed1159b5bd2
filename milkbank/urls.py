from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import two_factor, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/two-step/", two_factor.setup, name="two_factor_setup"),
    path("admin/", admin.site.urls),
    # Public pages in each language: English at /, Spanish at /es/, French at /fr/.
    *i18n_patterns(
        path("donate/", include("donors.urls")),
        path("butterflies/", include("memorials.urls")),
        path("", include("resources.urls")),
        prefix_default_language=False,
    ),
]

handler404 = "milkbank.errors.not_found"
handler500 = "milkbank.errors.server_error"
