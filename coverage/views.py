"""Dashboard pages. Every view requires login and the permission to read coverage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from . import matrix
from .forms import ARTICLE_FIELDS, FilterError, StatementFilterForm, compare_filter, overview_filter, statement_filter
from .highlight import segments
from .models import Article, Event, Frame, Outlet, SourceType, Statement, StatementKind, StatementStatus, Tone, Topic

_ACCEPTED = Q(articles__statements__status=StatementStatus.ACCEPTED)


def dashboard_view(view):
    """Login first (anonymous visitors go to the login page), then the read permission (403)."""
    return login_required(permission_required("coverage.view_event", raise_exception=True)(view))


def bad_filter(request: HttpRequest, error: FilterError) -> HttpResponse:
    """400 page naming each invalid filter parameter and what was wrong with it."""
    return render(request, "coverage/bad_filter.html", {"errors": error.errors}, status=400)


@require_GET
@dashboard_view
def event_list(request: HttpRequest) -> HttpResponse:
    """Events with how many outlets, articles and accepted statements each has."""
    events = Event.objects.annotate(
        outlet_count=Count("articles__outlet", distinct=True),
        article_count=Count("articles", distinct=True),
        statement_count=Count("articles__statements", filter=_ACCEPTED, distinct=True),
    )
    return render(request, "coverage/event_list.html", {"events": events})


@require_GET
@vary_on_headers("HX-Request")
@dashboard_view
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One event's framing matrix, narrowed by the filters in the URL; its articles below."""
    event = get_object_or_404(Event.objects.select_related("codebook"), slug=slug)
    try:
        form = statement_filter(request.GET, event=event)
    except FilterError as error:
        return bad_filter(request, error)
    articles = list(
        _articles_in_range(event, form)
        .select_related("outlet")
        .annotate(statement_count=Count("statements", filter=Q(statements__status=StatementStatus.ACCEPTED)))
        .order_by("outlet__name", "published_at")
    )
    ctx = {"event": event, "form": form, "articles": articles, "matrix": _event_matrix(event, form, articles)}
    return _htmx_render(request, "coverage/event_detail.html", "matrix-panel", ctx, form.querystring())


@require_GET
@dashboard_view
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One article's text with its accepted statements highlighted by tone."""
    statements = Statement.objects.accepted().select_related("source", "topic", "frame")
    article = get_object_or_404(
        Article.objects.select_related("event", "outlet").prefetch_related(
            Prefetch("statements", queryset=statements, to_attr="accepted_statements")
        ),
        pk=pk,
    )
    ctx = {
        "article": article,
        "event": article.event,
        "statements": article.accepted_statements,
        "segments": segments(article.body, article.accepted_statements),
    }
    return render(request, "coverage/article_detail.html", ctx)


# Framing matrix (issue 3): the matrix's parts, its drill-down, the side-by-side reader and
# the outlets overview. htmx requests get the page's swappable partial; a history restore
# (htmx found no snapshot) gets the full page.


def _htmx_render(
    request: HttpRequest, template: str, partial: str, ctx: dict, query: str | None = None
) -> HttpResponse:
    """Render the page, or only its `partial` for htmx.

    With a `query`, htmx pushes the canonical URL (path and that query string) rather than
    the form's raw serialisation, so the address bar is always the shareable state.
    """
    is_partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, f"{template}#{partial}" if is_partial else template, {**ctx, "full_page": not is_partial})
    if is_partial and query is not None:
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return response


def _articles_in_range(event: Event, form: StatementFilterForm):
    articles = event.articles.all()
    if form.cleaned_data.get("date_from"):
        articles = articles.filter(published_at__date__gte=form.cleaned_data["date_from"])
    if form.cleaned_data.get("date_to"):
        articles = articles.filter(published_at__date__lte=form.cleaned_data["date_to"])
    return articles


def _event_matrix(event: Event, form: StatementFilterForm, articles: list[Article]) -> matrix.Matrix:
    """The matrix from one query per kind of row, whatever the number of outlets or topics."""
    statements = Statement.objects.accepted().for_event(event)
    matching = statements.filter_by(form)
    chosen = form.cleaned_data.get("outlet")
    return matrix.build_matrix(
        articles=articles,
        topics=list(form.cleaned_data.get("topic") or event.topics.all()),
        frames=Frame.objects.filter(codebook_id=event.codebook_id),
        source_type_labels=dict(SourceType.choices),
        tone_rows=matching.outlet_tone_rows(),
        topic_rows=matching.outlet_topic_rows(),
        coverage_rows=statements.filter_by(form, only=ARTICLE_FIELDS).outlet_coverage_rows(),
        source_type_rows=matching.outlet_source_type_rows(),
        expert_rows=matching.outlet_source_rows(source_type=SourceType.EXPERT),
        frame_rows=matching.outlet_frame_rows(),
        shown_outlet_ids={o.pk for o in chosen} if chosen else None,
        links=matrix.CellLinks(reverse("coverage:event_statements", args=[event.slug]), form.query_params()),
        article_fields=ARTICLE_FIELDS,
    )


def _filter_summary(form: StatementFilterForm) -> list[tuple[str, str]]:
    """(label, values) for each active filter, in words, to title a drill-down."""
    names = {"tone": dict(Tone.choices), "kind": dict(StatementKind.choices), "source_type": dict(SourceType.choices)}
    summary = []
    for name in form.FIELDS:
        value = form.cleaned_data.get(name)
        if not value:
            continue
        values = list(value) if isinstance(value, (list, tuple, QuerySet)) else [value]
        words = [str(names[name].get(v, v)) if name in names else str(v) for v in values]
        summary.append((str(form.fields[name].label or name.replace("_", " ").capitalize()), ", ".join(words)))
    return summary


@require_GET
@vary_on_headers("HX-Request")
@dashboard_view
def event_statements(request: HttpRequest, slug: str) -> HttpResponse:
    """The statements behind a matrix cell: the event's statements narrowed by the filters."""
    event = get_object_or_404(Event, slug=slug)
    try:
        form = statement_filter(request.GET, event=event)
    except FilterError as error:
        return bad_filter(request, error)
    statements = (
        Statement.objects.accepted()
        .for_event(event)
        .filter_by(form)
        .select_related("article__outlet", "source", "topic", "frame")
        .order_by("article__outlet__name", "article_id", "start")
    )
    ctx = {"event": event, "form": form, "statements": statements, "summary": _filter_summary(form)}
    # A drill-down opens in place without changing the address: the matrix stays the state.
    return _htmx_render(request, "coverage/event_statements.html", "statements-panel", ctx)


@require_GET
@vary_on_headers("HX-Request")
@dashboard_view
def event_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two outlets' articles on one event side by side, with what each covers and the other omits."""
    event = get_object_or_404(Event, slug=slug)
    try:
        form = compare_filter(request.GET, event)
    except FilterError as error:
        return bad_filter(request, error)
    outlets = list(form.fields["a"].queryset)
    left = form.cleaned_data["a"] or (outlets[0] if outlets else None)
    right = form.cleaned_data["b"] or next((o for o in outlets if o != left), None)
    ctx = {"event": event, "form": form, "outlets": outlets, "left": left, "right": right, "columns": []}
    if left and right:
        ctx["columns"] = _compare_columns(event, left, right)
        coverage = Statement.objects.accepted().for_event(event).filter(article__outlet__in=[left, right])
        ctx["topics"] = matrix.compare_topics(left.pk, right.pk, coverage.outlet_coverage_rows(), list(event.topics.all()))
    query = f"a={left.slug}&b={right.slug}" if left and right else ""
    return _htmx_render(request, "coverage/event_compare.html", "compare-panel", ctx, query)


def _compare_columns(event: Event, left: Outlet, right: Outlet) -> list[dict]:
    statements = Statement.objects.accepted().select_related("source", "topic", "frame")
    articles = (
        event.articles.filter(outlet__in=[left, right])
        .select_related("outlet")
        .prefetch_related(Prefetch("statements", queryset=statements, to_attr="accepted_statements"))
        .order_by("published_at", "pk")
    )
    columns = [{"outlet": outlet, "articles": [], "sources": {}} for outlet in (left, right)]
    for article in articles:
        column = columns[0] if article.outlet_id == left.pk else columns[1]
        column["articles"].append({"article": article, "segments": segments(article.body, article.accepted_statements)})
        for s in article.accepted_statements:
            if s.source:
                column["sources"].setdefault(s.source, []).append(s)
    for column in columns:
        column["sources"] = sorted(column["sources"].items(), key=lambda item: (-len(item[1]), item[0].name))
    return columns


@require_GET
@vary_on_headers("HX-Request")
@dashboard_view
def outlet_overview(request: HttpRequest) -> HttpResponse:
    """Every outlet across events: events covered, mean tone, omission rate, expert and official shares."""
    try:
        form = overview_filter(request.GET)
    except FilterError as error:
        return bad_filter(request, error)
    data = form.cleaned_data
    events = Event.objects.all()
    if data.get("date_from"):
        events = events.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        events = events.filter(date__lte=data["date_to"])
    outlets = Outlet.objects.filter(country=data["country"]) if data.get("country") else Outlet.objects.all()
    statements = Statement.objects.accepted().filter(article__event__in=events, article__outlet__in=outlets)
    rows = matrix.build_overview(
        outlets=outlets,
        event_outlets=Article.objects.filter(event__in=events).values("event_id", "outlet_id").distinct(),
        topics=Topic.objects.filter(event__in=events).values("id", "event_id", "is_key"),
        coverage_rows=Statement.objects.accepted().filter(article__event__in=events).outlet_coverage_rows(),
        tone_rows=statements.outlet_tone_rows(),
        source_type_rows=statements.outlet_source_type_rows(),
    )
    sort = data.get("sort") or "name"
    ctx = {
        "form": form,
        "rows": matrix.sort_overview([r for r in rows if r.events], sort),
        "columns": _sort_columns(form, sort),
    }
    return _htmx_render(request, "coverage/outlet_overview.html", "outlets-panel", ctx, form.querystring())


def _sort_columns(form, sort: str) -> list[dict]:
    """Header links: a column sorts ascending first (descending for numbers), and flips when sorted."""
    columns = []
    for key, label in form.SORTS.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        if current:
            next_sort = key if descending else f"-{key}"
        else:
            next_sort = key if key == "name" else f"-{key}"
        aria = ("descending" if descending else "ascending") if current else None
        columns.append({"key": key, "label": label, "query": form.querystring(sort=next_sort), "aria_sort": aria})
    return columns
