from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class MilkbankConfig(AppConfig):
    default = True
    name = "milkbank"
    verbose_name = "Milk bank"

    def ready(self):
        from django.conf import settings
        from django.contrib import admin

        from . import checks, middleware, roles  # noqa: F401 - checks registers; middleware connects a receiver

        name = settings.MILKBANK["NAME"]
        admin.site.site_header = f"{name} staff"
        admin.site.site_title = f"{name} staff"
        admin.site.index_title = "Today's work"
        admin.site.index_template = "admin/milkbank_index.html"
        # Permissions exist only after every app has migrated, so groups get theirs here, every time.
        post_migrate.connect(roles.sync_group_permissions, dispatch_uid="milkbank.roles.sync")

        from .wiring import connect_apps

        connect_apps()

        from .text import install

        install()  # every form's text fields drop control characters and bidi overrides


class MilkbankAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the bank's site (two-factor sign-in) as the default `admin.site`."""

    default = False

    default_site = "milkbank.admin_site.MilkbankAdminSite"
