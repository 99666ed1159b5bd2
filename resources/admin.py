from django.contrib import admin
from django.db import models
from django.utils.text import Truncator

from .models import KEY_SLUGS, Feedback, GriefResource, KeepsakeMaker, MilkBank, Page, SearchSynonym


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["section", "published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Where it appears", {"fields": ["section", "order", "published"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The navigation, the handout and the list pages link to these addresses.
        if obj is not None and obj.slug in KEY_SLUGS:
            return [*self.readonly_fields, "slug"]
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.slug in KEY_SLUGS:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.slug in KEY_SLUGS:
            return False
        return super().has_delete_permission(request, obj)


class ListEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "area", "category", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["region", "category", "published"]
    search_fields = ["name", "area", "description"]
    readonly_fields = ["updated_at"]
    fields = ["name", "description", "phone", "website", "region", "area", "category", "order", "published"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


admin.site.register(GriefResource, ListEntryAdmin)
admin.site.register(MilkBank, ListEntryAdmin)


@admin.register(KeepsakeMaker)
class KeepsakeMakerAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["published"]
    search_fields = ["name", "description", "area"]
    readonly_fields = ["updated_at"]
    fields = ["name", "description", "website", "area", "order", "published", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["phrase", "means"]
    search_fields = ["phrase", "means"]
    fields = ["phrase", "means"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "helpful", "path", "short_comment", "reviewed"]
    list_filter = ["reviewed", "kind", "helpful"]
    search_fields = ["path", "comment"]
    date_hierarchy = "created_at"
    readonly_fields = ["kind", "helpful", "comment", "path", "created_at"]
    fields = ["created_at", "kind", "helpful", "path", "comment", "reviewed"]
    actions = ["mark_reviewed"]
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # feedback comes from visitors only

    @admin.display(description="comment")
    def short_comment(self, feedback):
        return Truncator(feedback.comment).chars(80)

    @admin.action(description="Mark as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = queryset.filter(reviewed=False).update(reviewed=True)
        self.message_user(request, f"{count} marked as reviewed.")
