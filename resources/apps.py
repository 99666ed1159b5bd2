from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ResourcesConfig(AppConfig):
    verbose_name = "Public pages"
    name = "resources"

    def ready(self):
        from . import content
        from .models import GriefResource, KeepsakeMaker, MilkBank, Page

        # Any change to public content starts a new cache generation (see resources.content).
        for model in (Page, GriefResource, MilkBank, KeepsakeMaker):
            post_save.connect(
                content.invalidate, sender=model, dispatch_uid=f"resources.invalidate.save.{model}"
            )
            post_delete.connect(
                content.invalidate, sender=model, dispatch_uid=f"resources.invalidate.delete.{model}"
            )
        # Data migrations write through historical models, which send no signals to these receivers.
        post_migrate.connect(content.invalidate, sender=self, dispatch_uid="resources.invalidate.migrate")
