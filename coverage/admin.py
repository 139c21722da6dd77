"""Admin for taggers and admins: one declaration per model."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from .importers.admin_views import import_articles_view
from .models import Article, Codebook, Event, Frame, Outlet, Source, Statement, StatementStatus, Topic

admin.site.site_header = "Framescope admin"
admin.site.site_title = "Framescope admin"
admin.site.index_title = "Tagging and data"


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "language", "ownership", "colour", "website", "article_count"]
    list_filter = ["ownership", "country", "language"]
    search_fields = ["name", "website"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj: Outlet) -> int:
        return obj.article_count


class FrameInline(admin.TabularInline):
    model = Frame
    extra = 0
    fields = ["number", "name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Codebook)
class CodebookAdmin(admin.ModelAdmin):
    list_display = ["name", "frame_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FrameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(frame_count=Count("frames"))

    @admin.display(ordering="frame_count", description="frames")
    def frame_count(self, obj: Codebook) -> int:
        return obj.frame_count


@admin.register(Frame)
class FrameAdmin(admin.ModelAdmin):
    list_display = ["name", "codebook", "number"]
    list_filter = ["codebook"]
    list_select_related = ["codebook"]
    search_fields = ["name", "description", "codebook__name"]
    autocomplete_fields = ["codebook"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["number", "name", "slug", "is_key", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "codebook", "article_count"]
    list_filter = ["codebook", "date"]
    list_select_related = ["codebook"]
    search_fields = ["name", "description"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["codebook"]
    inlines = [TopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj: Event) -> int:
        return obj.article_count


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "is_key", "number"]
    list_filter = ["is_key", "event"]
    list_select_related = ["event"]
    search_fields = ["name", "slug", "description", "event__name"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "affiliation", "statement_count"]
    list_filter = ["type"]
    search_fields = ["name", "affiliation", "aliases"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, obj: Source) -> int:
        return obj.statement_count


class StatementInline(admin.StackedInline):
    model = Statement
    extra = 0
    fields = [("start", "end"), "text", ("kind", "status"), ("source", "topic", "frame"), ("tone", "target")]
    autocomplete_fields = ["source", "topic", "frame"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "outlet", "event", "published_at", "statement_count"]
    list_filter = ["event", "outlet", "published_at"]
    list_select_related = ["outlet", "event"]
    search_fields = ["headline", "url", "byline", "outlet__name"]
    autocomplete_fields = ["event", "outlet"]
    date_hierarchy = "published_at"
    readonly_fields = ["body_hash", "created_at"]
    inlines = [StatementInline]

    def get_queryset(self, request):
        accepted = Q(statements__status=StatementStatus.ACCEPTED)
        return super().get_queryset(request).annotate(statement_count=Count("statements", filter=accepted))

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, obj: Article) -> int:
        return obj.statement_count

    # Importing files (issue 6): a page of its own, linked from the changelist.
    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_articles_view(request, self))
        return [path("import/", view, name="coverage_article_import"), *super().get_urls()]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "article", "kind", "source", "topic", "frame", "tone", "status", "tagged_by"]
    list_filter = ["status", "kind", "tone", "source__type", "article__event", "article__outlet"]
    list_select_related = ["article__outlet", "source", "topic", "frame", "tagged_by"]
    search_fields = ["text", "source__name", "target"]
    autocomplete_fields = ["article", "source", "topic", "frame"]
    readonly_fields = ["tagged_by", "tagged_at"]

    def save_model(self, request, obj: Statement, form, change: bool) -> None:
        if not change:
            obj.tagged_by = request.user
        super().save_model(request, obj, form, change)
