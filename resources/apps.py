from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ResourcesConfig(AppConfig):
    verbose_name = "Public pages"
    name = "resources"

    def ready(self):
        from . import content, search
        from .models import GriefResource, KeepsakeMaker, MilkBank, Page, SearchSynonym

        # Any change to public content starts a new cache generation (see resources.content).
        for model in (Page, GriefResource, MilkBank, KeepsakeMaker, SearchSynonym):
            post_save.connect(
                content.invalidate, sender=model, dispatch_uid=f"resources.invalidate.save.{model}"
            )
            post_delete.connect(
                content.invalidate, sender=model, dispatch_uid=f"resources.invalidate.delete.{model}"
            )
        # The search index copies pages and list entries: rebuilt when they change.
        for model in (Page, GriefResource, MilkBank):
            post_save.connect(
                search.rebuild_index, sender=model, dispatch_uid=f"resources.index.save.{model}"
            )
            post_delete.connect(
                search.rebuild_index, sender=model, dispatch_uid=f"resources.index.delete.{model}"
            )
        # Data migrations write through historical models, which send no signals to these receivers.
        post_migrate.connect(content.invalidate, sender=self, dispatch_uid="resources.invalidate.migrate")
        post_migrate.connect(
            search.rebuild_after_migrate, sender=self, dispatch_uid="resources.index.migrate"
        )
