"""The parts of the tagging admin that are not declarations: forms, a paginator, a filter, bulk writes.

`coverage/admin.py` declares one admin per model and uses these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import smart_split, unescape_string_literal
from simple_history.utils import bulk_update_with_history

from .admin_inputs import parse_id
from .claims import MATCHING_FIELDS, schedule_matching
from .edit_conflicts import VersionedModelForm
from .models import Article, Frame, Source, Statement, StatementStatus, TaggingStatus, Tone, Topic
from .roles import EDITORS, TAGGERS
from .suggest import source_named
from .tallies import refresh_for_articles

BULK_BATCH = 1000


def can_open_admin(request: HttpRequest) -> bool:
    """Active staff, except those whose only role is Editors (they read the dashboard, never admin)."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    roles = set(user.groups.values_list("name", flat=True))
    return not (EDITORS in roles and TAGGERS not in roles)


def safe_next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


# ---------------------------------------------------------------- the statement form


def tagging_article(request: HttpRequest) -> Article | None:
    """The article a statement form is for: set by the article page, posted, in the query, or the statement's."""
    if hasattr(request, "_tagging_article"):
        return request._tagging_article
    article = None
    article_id = parse_id(request.POST.get("article") or request.GET.get("article") or "")
    if article_id is not None:
        article = Article.objects.select_related("event").filter(pk=article_id).first()
    elif request.resolver_match and request.resolver_match.url_name == "coverage_statement_change":
        object_id = parse_id(request.resolver_match.kwargs.get("object_id", ""))
        if object_id is not None:
            article = Article.objects.select_related("event").filter(statements__pk=object_id).first()
    request._tagging_article = article  # type: ignore[attr-defined]  # remembered for this request
    return article


class EventTopicAutocomplete(AutocompleteSelect):
    """Admin's topic autocomplete, asking only for one event's topics (TopicAdmin reads `event`)."""

    def __init__(self, field, admin_site, event_id: int, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.event_id = event_id

    def get_url(self) -> str:
        return f"{super().get_url()}?event={self.event_id}"


def topic_widget_for_event(db_field, admin_site, event_id: int) -> EventTopicAutocomplete:
    return EventTopicAutocomplete(db_field, admin_site, event_id)


class StatementAdminForm(VersionedModelForm):
    """Offsets are checked against the body (model clean); a duplicate span is a form error, not a 500.
    A statement saved by someone else since the form was opened is not overwritten (edit_conflicts.py)."""

    class Meta:
        model = Statement
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # A statement may start or end with a space only if the body does; never trim it here.
            cast(forms.CharField, self.fields["text"]).strip = False

    def clean(self):
        cleaned = super().clean()
        article, start, end, text = (cleaned.get(k) for k in ("article", "start", "end", "text"))
        if article and start is not None and end is not None and text:
            # Browsers send line breaks in form fields as CRLF; the body stores LF.
            if article.body[start:end] != text and article.body[start:end] == text.replace("\r\n", "\n"):
                cleaned["text"] = article.body[start:end]
        return cleaned

    def _duplicate(self) -> Statement | None:
        article, start, end = (self.cleaned_data.get(k) for k in ("article", "start", "end"))
        if not article or start is None or end is None:
            return None
        same = Statement.objects.filter(article=article, start=start, end=end)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        return same.first()

    def validate_constraints(self) -> None:
        duplicate = self._duplicate()
        if duplicate is not None:
            self.add_error(
                None,
                ValidationError(
                    "This exact span (%(start)s–%(end)s) is already tagged: %(existing)s, %(status)s. "
                    "Overlapping statements are fine, an exact duplicate is not: edit the existing one instead.",
                    code="duplicate_span",
                    params={
                        "start": duplicate.start,
                        "end": duplicate.end,
                        "existing": str(duplicate),
                        "status": duplicate.get_status_display().lower(),
                    },
                ),
            )
            return
        super().validate_constraints()


class ArticleAdminForm(VersionedModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tagging_status" in self.fields:
            # A form posted without the field (an older page, a script) keeps the article's status.
            self.fields["tagging_status"].required = False

    def clean_tagging_status(self) -> str:
        return self.cleaned_data.get("tagging_status") or self.instance.tagging_status or TaggingStatus.NOT_STARTED

    def clean_body(self) -> str:
        # Offsets count characters of the stored body; browsers post CRLF, the page shows LF.
        return self.cleaned_data["body"].replace("\r\n", "\n")


class SourceAdminForm(VersionedModelForm):
    class Meta:
        model = Source
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fields choose what is shown


# ---------------------------------------------------------------- the statement list


def estimated_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's planner estimate of an unfiltered table's rows; None elsewhere or when filtered."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except an unfiltered table past `exact_below` rows on PostgreSQL: that
    COUNT(*) reads the whole table, so the planner's estimate (kept by ANALYZE) stands in."""

    exact_below = 100_000

    @cached_property
    def count(self) -> int:
        estimate = estimated_rows(self.object_list) if isinstance(self.object_list, QuerySet) else None
        if estimate is not None and estimate >= self.exact_below:
            return estimate
        return super().count


def search_statements(queryset: QuerySet, search_term: str) -> QuerySet:
    """Statements whose text, target, source name or source alias contains every word of the term.

    The admin's own search would OR across a join to sources, which no index serves. Here each
    word is a condition on the statement table alone, so that PostgreSQL can answer it from the
    trigram indexes of migration 0014 (a bitmap OR of `UPPER(text)`, `UPPER(target)` and the
    source foreign key), with no duplicate rows. The matching sources are read first (one small
    query a word): as a subquery they would stop the planner from using the indexes.
    """
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if not bit:
            continue
        sources = list(
            Source.objects.filter(Q(name__icontains=bit) | Q(aliases__icontains=bit)).values_list("pk", flat=True)
        )
        queryset = queryset.filter(Q(text__icontains=bit) | Q(target__icontains=bit) | Q(source_id__in=sources))
    return queryset


class StatementTopicFilter(admin.SimpleListFilter):
    """Topics of the event chosen in the event filter, or every topic named with its event."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        topics = Topic.objects.select_related("event")
        event = parse_id(request.GET.get("article__event__id__exact", ""))
        if event is not None:
            return [(t.pk, t.name) for t in topics.filter(event_id=event)]
        return [(t.pk, f"{t.name} ({t.event.name})") for t in topics]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        topic = parse_id(value)
        if topic is None:
            raise admin.options.IncorrectLookupParameters(f"topic must be a topic's id, not “{value}”")
        return queryset.filter(topic_id=topic)


# ---------------------------------------------------------------- bulk writes with history


def _in_batches(queryset: QuerySet) -> Iterable[list[Statement]]:
    batch: list[Statement] = []
    for statement in queryset.order_by("pk").iterator(chunk_size=BULK_BATCH):
        batch.append(statement)
        if len(batch) == BULK_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def review_statements(queryset: QuerySet, status: str, user) -> int:
    """Accept or reject the suggestions in `queryset` (other rows are left alone); history names `user`."""
    count = 0
    reason = "Suggestion accepted" if status == StatementStatus.ACCEPTED else "Suggestion rejected"
    sources: list[Source] | None = None
    articles: set[int] = set()
    for batch in _in_batches(queryset.filter(status=StatementStatus.SUGGESTED)):
        articles.update(statement.article_id for statement in batch)
        for statement in batch:
            statement.status = status
            statement.version += 1  # an edit form opened before this review must not overwrite it
            if status != StatementStatus.ACCEPTED:
                continue
            if statement.tagged_by_id is None:
                statement.tagged_by = user
            if statement.source_id is None and statement.proposed_source_name:
                # The tagger may have created the proposed source since: attach it.
                sources = list(Source.objects.all()) if sources is None else sources
                statement.source = source_named(statement.proposed_source_name, sources)
        bulk_update_with_history(
            batch,
            Statement,
            ["status", "tagged_by", "source", "version"],
            default_user=user,
            default_change_reason=reason,
        )
        count += len(batch)
    if status == StatementStatus.ACCEPTED:
        refresh_for_articles(articles)  # bulk updates send no signals; accepted statements now count
        schedule_matching(article_ids=articles)  # accepted statements join the claim matching
    return count


def bulk_set(queryset: QuerySet, field: str, value, user) -> int:
    count = 0
    articles: set[int] = set()
    for batch in _in_batches(queryset):
        for statement in batch:
            setattr(statement, field, value)
            statement.version += 1
            articles.add(statement.article_id)
        bulk_update_with_history(
            batch, Statement, [field, "version"], default_user=user, default_change_reason=f"Bulk action: set {field}"
        )
        count += len(batch)
    refresh_for_articles(articles)  # bulk updates send no signals
    if field in MATCHING_FIELDS:
        schedule_matching(article_ids=articles)
    return count


def bulk_set_form_class(queryset: QuerySet, field: str) -> tuple[type[forms.Form] | None, str]:
    """The form asking for the new value, limited to what fits every selected statement; or why none can."""
    if field == "tone":
        tone = forms.TypedChoiceField(choices=Tone.choices, coerce=int, widget=forms.RadioSelect, label="Tone")
        return type("SetToneForm", (forms.Form,), {"tone": tone}), ""
    events = list(queryset.order_by().values_list("article__event_id", flat=True).distinct()[:2])
    if field == "topic":
        if len(events) != 1:
            return None, "Topics belong to one event: select statements of a single event to set their topic."
        choices = Topic.objects.filter(event_id=events[0])
        return type("SetTopicForm", (forms.Form,), {"topic": forms.ModelChoiceField(choices, label="Topic")}), ""
    codebooks = list(queryset.order_by().values_list("article__event__codebook_id", flat=True).distinct()[:2])
    if len(codebooks) != 1:
        return None, "Frames come from the event's codebook: select statements whose events share one codebook."
    frames = Frame.objects.filter(codebook_id=codebooks[0])
    return type("SetFrameForm", (forms.Form,), {"frame": forms.ModelChoiceField(frames, label="Frame")}), ""


# ---------------------------------------------------------------- sources


class MergeSourcesForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this source",
        help_text="Every statement of the other sources moves to it; their names become its aliases.",
    )

    def __init__(self, *args, sources: list[Source], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["survivor"]).queryset = Source.objects.filter(
            pk__in=[s.pk for s in sources]
        )
