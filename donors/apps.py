from django.apps import AppConfig


class DonorsConfig(AppConfig):
    name = "donors"
    verbose_name = "Donors and milk"

    def ready(self):
        from . import audit  # noqa: F401 - registers health-data models with django-auditlog
