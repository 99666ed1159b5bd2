from django.apps import AppConfig


class MemorialsConfig(AppConfig):
    verbose_name = "Forever Butterflies"
    name = "memorials"

    def ready(self):
        from . import audit  # noqa: F401 - registers quilts and butterflies with django-auditlog
