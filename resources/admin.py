from django.contrib import admin
from django.db import models
from django.utils.text import Truncator
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .models import KEY_SLUGS, Feedback, GriefResource, KeepsakeMaker, MilkBank, Page, SearchSynonym
from .translation import OTHER_LANGUAGES

LANGUAGE_NAMES = {"es": "Spanish", "fr": "French"}


class TranslatedAdmin(admin.ModelAdmin):
    """English in the model's own fields (the admin is always in English, so `title` is the English title),
    then one group per other language: its translated fields and its "needs review" box.

    A plain ModelAdmin rather than modeltranslation's TranslationAdmin: the English form fields keep their
    names (title, summary...), and the groups are ours, without JavaScript tabs (strict CSP, no CDN).
    """

    def translated_fields(self):
        return translator.get_options_for_model(self.model).fields

    def language_fieldsets(self):
        return [
            (
                f"{LANGUAGE_NAMES[language]} ({language})",
                {
                    "fields": [
                        *(build_localized_fieldname(field, language) for field in self.translated_fields()),
                        f"review_{language}",
                    ],
                    "description": (
                        f"What families reading {LANGUAGE_NAMES[language]} see. Leave a box empty and they "
                        "see the English text, with a note saying it is not translated yet."
                    ),
                },
            )
            for language in OTHER_LANGUAGES
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is not None and original is not None and db_field.language in LANGUAGE_NAMES:
            field.label = f"{original.verbose_name.capitalize()} in {LANGUAGE_NAMES[db_field.language]}"
            field.help_text = ""  # the English field above says what to write
            field.required = False
        return field

    def save_model(self, request, obj, form, change):
        # A translation of English words that have just changed may no longer say the same: it waits for
        # review again, unless the editor changed that language's words too or set its box themselves.
        # Only a change of words counts (the form trims the text, so a trailing line break is not an edit).
        def reworded(name):
            before, after = form.initial.get(name) or "", form.cleaned_data.get(name) or ""
            return name in form.changed_data and before.split() != after.split()

        for language in OTHER_LANGUAGES:
            if f"review_{language}" in form.changed_data:
                continue
            stale = [
                field
                for field in self.translated_fields()
                if reworded(field)
                and getattr(obj, build_localized_fieldname(field, language))
                and not reworded(build_localized_fieldname(field, language))
            ]
            if stale:
                setattr(obj, f"review_{language}", True)
        super().save_model(request, obj, form, change)

    @admin.display(description="translations to review")
    def to_review(self, obj):
        waiting = [
            LANGUAGE_NAMES[language] for language in OTHER_LANGUAGES if getattr(obj, f"review_{language}")
        ]
        return ", ".join(waiting) or "—"


@admin.register(Page)
class PageAdmin(TranslatedAdmin):
    list_display = ["title", "section", "order", "published", "to_review", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["section", "published", "review_es", "review_fr"]
    search_fields = ["title", "summary", "body", "title_es", "title_fr"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]

    def get_fieldsets(self, request, obj=None):
        return [
            ("English", {"fields": ["title", "slug", "summary", "body"]}),
            *self.language_fieldsets(),
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


class ListEntryAdmin(TranslatedAdmin):
    list_display = ["name", "region", "area", "category", "order", "published", "to_review", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["region", "category", "published", "review_es", "review_fr"]
    search_fields = ["name", "area", "description", "name_es", "name_fr"]
    readonly_fields = ["updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        return [
            ("English", {"fields": ["name", "description", "phone"]}),
            *self.language_fieldsets(),
            ("Details", {"fields": ["website", "region", "area", "category", "order", "published"]}),
        ]


admin.site.register(GriefResource, ListEntryAdmin)
admin.site.register(MilkBank, ListEntryAdmin)


@admin.register(KeepsakeMaker)
class KeepsakeMakerAdmin(TranslatedAdmin):
    list_display = ["name", "area", "order", "published", "to_review", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["published", "review_es", "review_fr"]
    search_fields = ["name", "description", "area", "name_es", "name_fr"]
    readonly_fields = ["updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        return [
            ("English", {"fields": ["name", "description"]}),
            *self.language_fieldsets(),
            ("Details", {"fields": ["website", "area", "order", "published", "updated_at"]}),
        ]


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
