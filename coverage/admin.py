"""Admin for taggers and admins: one declaration per model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from . import tallies
from .admin_inputs import parse_id
from .highlight import segments
from .importers.admin_views import import_articles_view
from .jobs import admin as _jobs_admin  # noqa: F401 - registers the background jobs' admin
from .jobs.tasks import suggest_now_or_later
from .merging import merge_sources
from .models import (
    Article,
    Codebook,
    Event,
    Frame,
    Outlet,
    Source,
    Statement,
    StatementStatus,
    TaggingStatus,
    Topic,
)

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Articles(TypedDict):
        article_count: int

    class _Frames(TypedDict):
        frame_count: int

    class _Statements(TypedDict):
        statement_count: int


from .tagging_admin import (
    ArticleAdminForm,
    EstimatedCountPaginator,
    MergeSourcesForm,
    SourceAdminForm,
    StatementAdminForm,
    StatementTopicFilter,
    bulk_set,
    bulk_set_form_class,
    review_statements,
    safe_next_url,
    search_statements,
    tagging_article,
    topic_widget_for_event,
)

# "Save and tag the next one" offers these of the saved statement for the next one.
CARRIED_OVER = ("source", "topic", "frame")

# The site itself (titles, who may open it, query strings it refuses) is coverage/admin_site.py.


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "language", "ownership", "colour", "website", "article_count"]
    list_filter = ["ownership", "country", "language"]
    search_fields = ["name", "website"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj: WithAnnotations[Outlet, _Articles]) -> int:  # annotated by get_queryset
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
    def frame_count(self, obj: WithAnnotations[Codebook, _Frames]) -> int:  # annotated by get_queryset
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
    def article_count(self, obj: WithAnnotations[Event, _Articles]) -> int:  # annotated by get_queryset
        return obj.article_count


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "is_key", "number"]
    list_filter = ["is_key", "event"]
    list_select_related = ["event"]
    search_fields = ["name", "slug", "description", "event__name"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        """The statement form's topic autocomplete sends `event`: offer only that event's topics."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        event = parse_id(request.GET.get("event", ""))
        if event is not None:
            queryset = queryset.filter(event_id=event)
        return queryset, may_have_duplicates


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "affiliation", "alias_summary", "statement_count"]
    list_filter = ["type"]
    search_fields = ["name", "affiliation", "aliases"]
    form = SourceAdminForm
    fields = ["name", "type", "affiliation", "aliases", "opened_version"]
    actions = ["merge_into"]
    ordering = ["name"]  # the count annotation groups rows, which drops Meta.ordering

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, obj: WithAnnotations[Source, _Statements]) -> int:  # annotated by get_queryset
        return obj.statement_count

    @admin.display(description="aliases")
    def alias_summary(self, obj: Source) -> str:
        return ", ".join(obj.alias_list())

    @admin.action(description="Merge selected sources into one…", permissions=["change"])
    def merge_into(self, request, queryset):
        """Pick the surviving source; every statement of the others moves to it (one transaction)."""
        sources = list(queryset.order_by("name"))
        if len(sources) < 2:
            self.message_user(request, "Select at least two sources to merge.", messages.WARNING)
            return None
        form = MergeSourcesForm(request.POST if "apply" in request.POST else None, sources=sources)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            others = [s for s in sources if s.pk != survivor.pk]
            with transaction.atomic():
                self.log_deletions(request, Source.objects.filter(pk__in=[s.pk for s in others]))
                moved = merge_sources(survivor, others, user=request.user)
                names = ", ".join(f"“{s.name}”" for s in others)
                self.log_change(request, survivor, f"Merged {names} into this source; moved {moved} statement(s).")
            self.message_user(
                request,
                f"Merged {names} into “{survivor}”: {moved} statement(s) moved, aliases kept.",
                messages.SUCCESS,
            )
            return None
        ctx = {
            **self.admin_site.each_context(request),
            "title": "Merge sources",
            "opts": self.opts,
            "form": form,
            "sources": sources,
            "action": "merge_into",
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/coverage/source/merge.html", ctx)


class StatementInline(admin.TabularInline):
    """The article's statements as a compact list; new ones come from selecting text above."""

    model = Statement
    extra = 0
    fields = readonly_fields = ("start", "end", "text", "kind", "status", "source", "topic", "frame", "tone")
    show_change_link = True
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "topic", "frame")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "outlet", "event", "published_at", "tagging_status", "statement_count"]
    list_filter = ["tagging_status", "event", "outlet", "published_at"]
    list_select_related = ["outlet", "event"]
    search_fields = ["headline", "url", "byline", "outlet__name"]
    autocomplete_fields = ["event", "outlet"]
    date_hierarchy = "published_at"
    readonly_fields = ["body_hash", "created_at"]
    inlines = [StatementInline]
    form = ArticleAdminForm
    change_form_template = "admin/coverage/article/change_form.html"
    actions = ["mark_not_started", "mark_in_progress", "mark_complete"]

    def delete_queryset(self, request, queryset) -> None:
        with tallies.batched():  # once per event and outlet, not once per statement
            super().delete_queryset(request, queryset)

    @admin.action(description="Set tagging status: not started", permissions=["change"])
    def mark_not_started(self, request, queryset) -> None:
        self._set_tagging_status(request, queryset, TaggingStatus.NOT_STARTED)

    @admin.action(description="Set tagging status: in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset) -> None:
        self._set_tagging_status(request, queryset, TaggingStatus.IN_PROGRESS)

    @admin.action(description="Set tagging status: complete (omissions may be claimed)", permissions=["change"])
    def mark_complete(self, request, queryset) -> None:
        self._set_tagging_status(request, queryset, TaggingStatus.COMPLETE)

    def _set_tagging_status(self, request, queryset, status: TaggingStatus) -> None:
        changed = queryset.exclude(tagging_status=status).update(tagging_status=status, version=F("version") + 1)
        self.message_user(request, f"{changed} article(s) now “{status.label}”.", messages.SUCCESS)

    def get_queryset(self, request):
        accepted = Q(statements__status=StatementStatus.ACCEPTED)
        return super().get_queryset(request).annotate(statement_count=Count("statements", filter=accepted))

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, obj: WithAnnotations[Article, _Statements]) -> int:  # annotated by get_queryset
        return obj.statement_count

    def save_related(self, request, form, formsets, change: bool) -> None:
        """After the article and its statements are saved, propose statements for its quotes and claims.

        A long body gets its suggestions from a background job instead, with a link to it.
        """
        with tallies.batched():  # the inline statements' summary rows are recomputed once
            super().save_related(request, form, formsets, change)
        suggesting = suggest_now_or_later(form.instance, request.user)
        if suggesting.created:
            self.message_user(
                request,
                f"{len(suggesting.created)} suggestion(s) proposed; review them under “Suggestions”.",
                messages.INFO,
            )
        if suggesting.job:
            link = format_html('<a href="{}">{}</a>', suggesting.job.get_absolute_url(), suggesting.job)
            self.message_user(
                request, format_html("This article is long: its suggestions are made in the background by {}.", link)
            )
        elif suggesting.note:
            self.message_user(request, suggesting.note, messages.WARNING)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(self._tagging_context(request, obj))
            extra = forms.Media(js=["coverage/tagging.js"], css={"all": ["coverage/tagging.css"]})
            tag_form = context["tagging"]["form"]
            context["media"] = context["media"] + (tag_form.media if tag_form else forms.Media()) + extra
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _tagging_context(self, request, article: Article) -> dict:
        """The body with its statements (accepted and suggested) and the form for a new statement."""
        shown = list(
            article.statements.exclude(status=StatementStatus.REJECTED).select_related("source", "topic", "frame")
        )
        statement_admin = self.admin_site._registry[Statement]
        tag_form = None
        if statement_admin.has_add_permission(request):
            request._tagging_article = article
            form_class = statement_admin.get_form(request, None)
            initial = {"article": article.pk, "status": StatementStatus.ACCEPTED, "kind": "quote", "tone": 0}
            for name in CARRIED_OVER:
                value = parse_id(request.GET.get(f"tag_{name}", ""))
                if value is not None:
                    initial[name] = value  # an id that is not a valid choice simply shows nothing
            tag_form = form_class(initial=initial, auto_id="tag_%s")
        return {
            "tagging": {
                "article": article,
                "segments": segments(article.body, shown),
                "suggestions": [s for s in shown if s.status == StatementStatus.SUGGESTED],
                "accepted_count": sum(s.status == StatementStatus.ACCEPTED for s in shown),
                "form": tag_form,
                "can_review": statement_admin.has_change_permission(request),
                "review_url": reverse("admin:coverage_statement_review"),
                "here": reverse("admin:coverage_article_change", args=[article.pk]),
            }
        }

    # Importing files (issue 6): a page of its own, linked from the changelist.
    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_articles_view(request, self))
        return [path("import/", view, name="coverage_article_import"), *super().get_urls()]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "article", "kind", "source", "topic", "frame", "tone", "status", "tagged_by"]
    list_filter = [
        "status",
        "kind",
        "tone",
        "source__type",
        "article__event",
        "article__outlet",
        StatementTopicFilter,
        "frame",
        "tagged_by",
    ]
    # What the columns show: the article column is "outlet: headline" (its body is deferred below).
    list_select_related = ["article__outlet", "source", "topic", "frame", "tagged_by"]
    search_fields = ["text", "source__name", "source__aliases", "target"]  # searched by search_statements()
    # Newest tagging first, served backwards by statement_tagged_at_idx; the model's own ordering
    # (article, then the article's event, outlet and date) would sort a join of four tables.
    ordering = ["-tagged_at", "-id"]
    # Sorting by a related column would sort the whole join again; these stay on one table.
    sortable_by = ["kind", "tone", "status"]
    autocomplete_fields = ["article", "source", "topic"]
    readonly_fields = ["tagged_by", "tagged_at"]
    # Tagging (issue 5): fast entry, validation as form errors, and a list that stays fast at a million rows.
    form = StatementAdminForm
    radio_fields = {"kind": admin.HORIZONTAL, "tone": admin.HORIZONTAL, "status": admin.HORIZONTAL}
    fields = [
        "article",
        ("start", "end"),
        "text",
        "kind",
        "source",
        "proposed_source_name",
        "topic",
        "frame",
        "tone",
        "target",
        "status",
        ("tagged_by", "tagged_at"),
        "opened_version",  # hidden: the version this form was opened at (edit_conflicts.py)
    ]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter choice is a full scan each at a million rows
    paginator = EstimatedCountPaginator
    list_per_page = 100
    actions = ["accept_suggestions", "reject_suggestions", "set_topic", "set_frame", "set_tone"]

    def delete_queryset(self, request, queryset) -> None:
        with tallies.batched():  # once per event and outlet, not once per statement
            super().delete_queryset(request, queryset)

    history_list_display = ["status", "source", "topic", "tone"]

    def get_queryset(self, request):
        # The list shows each article's outlet and headline: never read its body for that.
        return super().get_queryset(request).defer("article__body", "article__original_text")

    def get_search_results(self, request, queryset, search_term):
        """Each word in the text, target or source (name or alias), answered from trigram indexes."""
        return search_statements(queryset, search_term), False

    def save_model(self, request, obj: Statement, form, change: bool) -> None:
        if not change:
            obj.tagged_by = request.user
        elif "status" in form.changed_data and obj.status == StatementStatus.ACCEPTED and obj.tagged_by_id is None:
            obj.tagged_by = request.user  # whoever accepts a machine suggestion answers for it
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """With the article known, topics come from its event and frames from its event's codebook."""
        article = tagging_article(request)
        if article is not None and db_field.name == "topic":
            kwargs["queryset"] = Topic.objects.filter(event_id=article.event_id)
            kwargs["widget"] = topic_widget_for_event(db_field, self.admin_site, article.event_id)
        if db_field.name == "frame":
            frames = Frame.objects.select_related("codebook")
            if article is not None:
                codebook_id = article.event.codebook_id
                frames = frames.filter(codebook_id=codebook_id) if codebook_id is not None else frames.none()
            kwargs["queryset"] = frames
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _tag_next(self, request, obj: Statement):
        self.message_user(request, format_html("Saved {} — select the next statement in the text.", str(obj)))
        url = reverse("admin:coverage_article_change", args=[obj.article_id])
        # Consecutive statements often share speaker, topic and frame: offer them again (visibly).
        keep = {f"tag_{name}": getattr(obj, f"{name}_id") for name in CARRIED_OVER if getattr(obj, f"{name}_id")}
        query = f"?{urlencode(keep)}" if keep else ""
        return HttpResponseRedirect(f"{url}{query}#statement-{obj.pk}")

    def response_add(self, request, obj, post_url_continue=None):
        if "_tagnext" in request.POST:
            return self._tag_next(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_tagnext" in request.POST:
            return self._tag_next(request, obj)
        return super().response_change(request, obj)

    def get_urls(self):
        review = path("review/", self.admin_site.admin_view(self.review_view), name="coverage_statement_review")
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest):
        """Accept or reject the suggestions named in POST `ids` (buttons on the article page)."""
        return _review_view(self, request)

    @admin.action(description="Accept selected suggestions", permissions=["change"])
    def accept_suggestions(self, request, queryset):
        count = review_statements(queryset, StatementStatus.ACCEPTED, request.user)
        self.message_user(request, f"Accepted {count} suggestion(s).", messages.SUCCESS)

    @admin.action(description="Reject selected suggestions", permissions=["change"])
    def reject_suggestions(self, request, queryset):
        count = review_statements(queryset, StatementStatus.REJECTED, request.user)
        self.message_user(request, f"Rejected {count} suggestion(s).", messages.SUCCESS)

    @admin.action(description="Set the topic of selected statements…", permissions=["change"])
    def set_topic(self, request, queryset):
        return self._bulk_set(request, queryset, "topic")

    @admin.action(description="Set the frame of selected statements…", permissions=["change"])
    def set_frame(self, request, queryset):
        return self._bulk_set(request, queryset, "frame")

    @admin.action(description="Set the tone of selected statements…", permissions=["change"])
    def set_tone(self, request, queryset):
        return self._bulk_set(request, queryset, "tone")

    def _bulk_set(self, request, queryset, field: str):
        """An intermediate page asks for the value; applying it records history for every row."""
        form_class, problem = bulk_set_form_class(queryset, field)
        if problem or form_class is None:
            self.message_user(request, problem, messages.ERROR)
            return None
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            value = form.cleaned_data[field]
            count = bulk_set(queryset, field, value, request.user)
            self.message_user(request, f"Set {field} to “{value}” on {count} statement(s).", messages.SUCCESS)
            return None
        select_across = request.POST.get("select_across", "0") == "1"
        ctx = {
            **self.admin_site.each_context(request),
            "title": f"Set the {field} of {'all matching' if select_across else 'selected'} statements",
            "opts": self.opts,
            "form": form,
            "field": field,
            "action": request.POST.get("action", ""),
            "select_across": select_across,
            # Admin runs an action only when some row is posted, even with select_across.
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "count": queryset.count(),
        }
        return TemplateResponse(request, "admin/coverage/statement/bulk_set.html", ctx)


def _review_view(statement_admin: StatementAdmin, request: HttpRequest):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not statement_admin.has_change_permission(request):
        raise PermissionDenied
    decision = request.POST.get("decision", "")
    statuses = {"accept": StatementStatus.ACCEPTED, "reject": StatementStatus.REJECTED}
    ids = [i for i in map(parse_id, request.POST.getlist("ids")) if i is not None]
    if decision not in statuses or not ids:
        statement_admin.message_user(
            request, f"Nothing to review: decision “{decision}” with {len(ids)} statement id(s).", messages.ERROR
        )
    else:
        count = review_statements(Statement.objects.filter(pk__in=ids), statuses[decision], request.user)
        verb = "Accepted" if decision == "accept" else "Rejected"
        statement_admin.message_user(request, f"{verb} {count} suggestion(s).", messages.SUCCESS)
    return HttpResponseRedirect(safe_next_url(request, reverse("admin:coverage_statement_changelist")))


# Public share links (issue 4): admins see every link and revoke any. Links are made only
# from a chart page, where the token is shown once to its creator, so admin cannot add them.
# Admins only: editors (and staff who are also editors) manage their own links on the dashboard.
from .models import ShareLink  # noqa: E402


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "event", "created_by", "created_at", "expires_at", "revoked_at", "state"]
    list_filter = ["kind", "revoked_at", "expires_at", "event"]
    list_select_related = ["event", "created_by"]
    search_fields = ["created_by__username", "event__name", "querystring"]
    readonly_fields = ["kind", "event", "querystring", "created_by", "created_at", "expires_at", "revoked_at"]
    exclude = ["token_hash"]
    date_hierarchy = "created_at"
    actions = ["revoke"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: ShareLink | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: ShareLink | None = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: ShareLink | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        opens = ShareLink.objects.active().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(opens=Exists(opens))

    @admin.display(description="state")
    def state(self, obj: ShareLink) -> str:
        if obj.status == "active" and not getattr(obj, "opens", True):  # annotated by get_queryset
            return "suspended (its creator may no longer share)"
        return obj.status

    @admin.action(description="Revoke selected share links", permissions=["change"])
    def revoke(self, request, queryset) -> None:
        from django.utils import timezone

        count = queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} share link(s).")


# Claims across outlets (issue 13): omission review, claims, matched statements.
from . import claim_admin  # noqa: E402, F401
