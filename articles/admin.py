"""The Django admin: the editors' curation tool."""

from django.contrib import admin

from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Office,
    PendingIndexUpdate,
    Person,
    Quote,
    Source,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "start_date", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["title", "city", "country", "slug"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["city", "start_date"]}


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "needs_review"]
    list_filter = ["needs_review"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline]


class ArticleMeetingInline(admin.TabularInline):
    model = ArticleMeeting
    extra = 0
    autocomplete_fields = ["meeting"]


class ArticlePersonInline(admin.TabularInline):
    model = ArticlePerson
    extra = 0
    autocomplete_fields = ["person"]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "source", "published_on", "language"]
    list_filter = ["status", "language", "source"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["source", "near_duplicate_of"]
    inlines = [ArticleMeetingInline, ArticlePersonInline, QuoteInline]
    readonly_fields = ["content_hash", "imported_at", "importer_version", "original_filename"]


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(admin.ModelAdmin):
    list_display = ["article_id", "queued_at", "attempts", "last_error"]
