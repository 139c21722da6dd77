"""Dashboard pages. Every view requires login and the permission to read coverage."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from . import charts, matrix
from .charts import Chart, FrameInfo, OutletInfo, TopicInfo
from .exports import chart_csv, figure_json
from .forms import (
    ARTICLE_FIELDS,
    FilterError,
    ShareLinkForm,
    StatementFilterForm,
    compare_filter,
    overview_filter,
    statement_filter,
)
from .highlight import segments
from .models import (
    SHARE_LINK_DEFAULT_DAYS,
    SHARE_LINK_MAX_DAYS,
    Article,
    ChartKind,
    Event,
    Frame,
    Outlet,
    ShareLink,
    SourceType,
    Statement,
    StatementKind,
    StatementStatus,
    Tone,
    Topic,
)

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
    shared_rows: dict = {}
    ctx = {
        "event": event,
        "form": form,
        "articles": articles,
        "matrix": _event_matrix(event, form, articles, shared_rows),
        "charts": charts_for_event(event, form, shared_rows),
    }
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
    response = render(
        request, f"{template}#{partial}" if is_partial else template, {**ctx, "full_page": not is_partial}
    )
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


def _event_matrix(
    event: Event, form: StatementFilterForm, articles: list[Article], shared_rows: dict | None = None
) -> matrix.Matrix:
    """The matrix from one query per kind of row, whatever the number of outlets or topics.

    The aggregate rows it reads are left in `shared_rows`, by QuerySet method name, so the
    event page's charts draw from the same rows instead of asking again.
    """
    statements = Statement.objects.accepted().for_event(event)
    matching = statements.filter_by(form)
    rows = {} if shared_rows is None else shared_rows
    for aggregate in ("outlet_tone_rows", "outlet_topic_rows", "outlet_source_type_rows", "outlet_frame_rows"):
        rows[aggregate] = list(getattr(matching, aggregate)())
    chosen = form.cleaned_data.get("outlet")
    return matrix.build_matrix(
        articles=articles,
        topics=list(form.cleaned_data.get("topic") or event.topics.all()),
        frames=Frame.objects.filter(codebook_id=event.codebook_id),
        source_type_labels=dict(SourceType.choices),
        tone_rows=rows["outlet_tone_rows"],
        topic_rows=rows["outlet_topic_rows"],
        coverage_rows=statements.filter_by(form, only=ARTICLE_FIELDS).outlet_coverage_rows(),
        source_type_rows=rows["outlet_source_type_rows"],
        expert_rows=matching.outlet_source_rows(source_type=SourceType.EXPERT),
        frame_rows=rows["outlet_frame_rows"],
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
        ctx["topics"] = matrix.compare_topics(
            left.pk, right.pk, coverage.outlet_coverage_rows(), list(event.topics.all())
        )
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


# Charts and share links (issue 4) ---------------------------------------------------------
#
# A chart is named by its kind and, for the per-event charts, its event; its filters are
# the matrix's (`statement_filter`). `build_chart` is the one place that reads the database
# for a chart; the figure itself comes from a pure builder in coverage/charts.py.


def _outlet_infos(outlets, form: StatementFilterForm) -> list[OutletInfo]:
    chosen = form.cleaned_data.get("outlet")
    if chosen:
        outlets = outlets.filter(pk__in=[outlet.pk for outlet in chosen])
    rows = outlets.order_by("name", "pk").values("id", "name", "colour").distinct()
    return [OutletInfo(row["id"], row["name"], row["colour"]) for row in rows]


def _topic_infos(event: Event, form: StatementFilterForm) -> list[TopicInfo]:
    topics = event.topics.order_by("number", "name", "pk")
    if form.cleaned_data.get("topic"):
        topics = topics.filter(pk__in=[topic.pk for topic in form.cleaned_data["topic"]])
    return [TopicInfo(t["id"], t["name"], t["is_key"]) for t in topics.values("id", "name", "is_key")]


def _chart_filter_summary(form: StatementFilterForm) -> str:
    """The active filters in words, for the figure's subtitle (so a PNG says what it shows)."""
    parts = [f"{label.lower()}: {words}" for label, words in _filter_summary(form)]
    return "filtered by " + "; ".join(parts) if parts else "all accepted statements"


def _subtitle(event: Event | None, form: StatementFilterForm) -> str:
    where = event.name if event else "All events"
    return f"{where} · {_chart_filter_summary(form)}"


def _event_chart(
    kind: str,
    event: Event,
    form: StatementFilterForm,
    outlets: list[OutletInfo],
    topics: list[TopicInfo] | None = None,
    cache: dict | None = None,
) -> Chart:
    """One per-event chart. `topics` are fetched when the chart needs them and none are given;
    `cache` lets the charts of one page share aggregate rows (each is still one query).
    """
    if topics is None and kind in (ChartKind.TOPIC_COVERAGE, ChartKind.TONE):
        topics = _topic_infos(event, form)
    cache = {} if cache is None else cache
    statements = Statement.objects.accepted().for_event(event).filter_by(form)

    def rows(aggregate: str) -> list[dict]:
        if aggregate not in cache:
            cache[aggregate] = list(getattr(statements, aggregate)())
        return cache[aggregate]

    subtitle = _subtitle(event, form)
    if kind == ChartKind.TOPIC_COVERAGE:
        totals = {row["outlet_id"]: row["statements"] for row in rows("outlet_tone_rows")}
        return charts.topic_coverage_chart(outlets, topics, rows("outlet_topic_rows"), totals, subtitle)
    if kind == ChartKind.TONE:
        return charts.tone_chart(outlets, topics, rows("outlet_topic_rows"), rows("outlet_tone_rows"), subtitle)
    if kind == ChartKind.SOURCES:
        return charts.sources_chart(outlets, rows("outlet_source_type_rows"), rows("outlet_source_rows"), subtitle)
    frames = Frame.objects.filter(codebook_id=event.codebook_id).order_by("number", "name", "pk")
    if form.cleaned_data.get("frame"):
        frames = frames.filter(pk__in=[frame.pk for frame in form.cleaned_data["frame"]])
    infos = [FrameInfo(f["id"], f["name"]) for f in frames.values("id", "name")]
    return charts.frames_chart(outlets, infos, rows("outlet_frame_rows"), event.codebook.name, subtitle)


def build_chart(kind: str, event: Event | None, form: StatementFilterForm) -> Chart:
    """One chart from the database: its descriptors and aggregate rows, then its pure builder."""
    if event is None:
        rows = list(Statement.objects.accepted().filter_by(form).outlet_day_tone_rows())
        outlets = _outlet_infos(Outlet.objects.filter(pk__in={row["outlet_id"] for row in rows}), form)
        return charts.tone_over_time_chart(outlets, rows, _subtitle(None, form))
    outlets = _outlet_infos(Outlet.objects.filter(articles__event=event), form)
    return _event_chart(kind, event, form, outlets)


def charts_for_event(event: Event, form: StatementFilterForm, cache: dict | None = None) -> list[Chart]:
    """Every per-event chart for the event page's charts panel (`coverage/_charts_panel.html`).

    `cache` may hold aggregate rows already read for this event and form (the matrix's).
    """
    outlets = _outlet_infos(Outlet.objects.filter(articles__event=event), form)
    topics = _topic_infos(event, form)
    cache = {} if cache is None else cache
    return [_event_chart(kind, event, form, outlets, topics, cache) for kind in ChartKind.per_event()]


def _chart_target(kind: str, slug: str | None) -> tuple[ChartKind, Event | None]:
    """The chart kind and its event; 404 for an unknown kind or a kind at the wrong address."""
    if kind not in ChartKind.values or (kind in ChartKind.per_event()) != (slug is not None):
        raise Http404("No such chart.")
    event = get_object_or_404(Event.objects.select_related("codebook"), slug=slug) if slug else None
    return ChartKind(kind), event


def chart_url(kind: str, event: Event | None, querystring: str = "", suffix: str = "") -> str:
    """The permalink of a chart (or its download when `suffix` names one), with its filters."""
    if event is None:
        url = reverse(f"coverage:chart_across_events{suffix}", args=[kind])
    else:
        url = reverse(f"coverage:chart{suffix}", args=[event.slug, kind])
    return f"{url}?{querystring}" if querystring else url


def _chart_page(request: HttpRequest, kind, event, form, share_form: ShareLinkForm, status: int = 200):
    chart = build_chart(kind, event, form)
    querystring = form.querystring()
    ctx = {
        "event": event,
        "chart": chart,
        "form": form,
        "querystring": querystring,
        "permalink": chart_url(kind, event, querystring),
        "csv_url": chart_url(kind, event, querystring, "_csv"),
        "json_url": chart_url(kind, event, querystring, "_json"),
        "share_url": chart_url(kind, event, querystring, "_share"),
        "share_form": share_form,
    }
    return render(request, "coverage/chart_detail.html", ctx, status=status)


@require_GET
@dashboard_view
def chart_detail(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    """A chart at its permalink: the URL carries the filters, so anyone logged in sees the same figure."""
    kind, event = _chart_target(kind, slug)
    try:
        form = statement_filter(request.GET, event=event)
    except FilterError as error:
        return bad_filter(request, error)
    return _chart_page(request, kind, event, form, ShareLinkForm())


def _download(chart: Chart, name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(chart_csv(chart), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(figure_json(chart), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@dashboard_view
def chart_download(request: HttpRequest, kind: str, fmt: str, slug: str | None = None) -> HttpResponse:
    """The chart's data table as CSV, or its Plotly figure as JSON, for the filters in the URL."""
    kind, event = _chart_target(kind, slug)
    try:
        form = statement_filter(request.GET, event=event)
    except FilterError as error:
        return bad_filter(request, error)
    name = f"framescope-{event.slug}-{kind}" if event else f"framescope-{kind}"
    return _download(build_chart(kind, event, form), name, fmt)


@require_POST
@dashboard_view
@permission_required("coverage.add_sharelink", raise_exception=True)
def share_link_create(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    """Freeze the chart's current filters in a new public link; its token is shown this once."""
    kind, event = _chart_target(kind, slug)
    try:
        form = statement_filter(request.GET, event=event)
    except FilterError as error:
        return bad_filter(request, error)
    share_form = ShareLinkForm(request.POST)
    if not share_form.is_valid():
        return _chart_page(request, kind, event, form, share_form, status=400)
    querystring = ShareLink.canonical_querystring(form.querystring())
    if problem := ShareLink.querystring_problem(querystring):
        return bad_filter(request, FilterError({"filters": [problem]}))
    link, token = ShareLink.create_for(
        kind=kind, event=event, querystring=querystring, user=request.user, days=share_form.cleaned_data["days"]
    )
    ctx = {
        "link": link,
        "event": event,
        "public_url": request.build_absolute_uri(reverse("coverage:share", args=[token])),
        "permalink": chart_url(kind, event, link.querystring),
    }
    response = render(request, "coverage/share_created.html", ctx, status=201)
    response["Cache-Control"] = "no-store"  # the token is in this page and nowhere else
    return response


@require_GET
@dashboard_view
@permission_required("coverage.view_sharelink", raise_exception=True)
def share_link_list(request: HttpRequest) -> HttpResponse:
    """The user's own share links, newest first, each with its state and a revoke button."""
    links = ShareLink.objects.filter(created_by=request.user).select_related("event")
    rows = [(link, chart_url(link.kind, link.event, link.querystring)) for link in links]
    ctx = {"rows": rows, "max_days": SHARE_LINK_MAX_DAYS, "default_days": SHARE_LINK_DEFAULT_DAYS}
    return render(request, "coverage/share_links.html", ctx)


@require_POST
@dashboard_view
@permission_required("coverage.change_sharelink", raise_exception=True)
def share_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own links (another user's link is a 404, as if it did not exist)."""
    link = get_object_or_404(ShareLink, pk=pk, created_by=request.user)
    link.revoke()
    messages.success(request, f"Revoked the share link for “{link.get_kind_display()}”. It now gives “not found”.")
    return redirect("coverage:share_links")


@require_POST
@dashboard_view
@permission_required("coverage.change_sharelink", raise_exception=True)
def share_link_expiry(request: HttpRequest, pk: int) -> HttpResponse:
    """Set how long one of the user's own open links stays open, counted from now (within the limit)."""
    link = get_object_or_404(ShareLink.objects.active(), pk=pk, created_by=request.user)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["days"]))
        return redirect("coverage:share_links")
    link.expires_at = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
    link.save(update_fields=["expires_at"])
    messages.success(
        request, f"The link for “{link.get_kind_display()}” now stays open until {link.expires_at:%d %B %Y, %H:%M} UTC."
    )
    return redirect("coverage:share_links")


def _public(response: HttpResponse) -> HttpResponse:
    """Headers of every public share response: not indexed, no referrer, not cached."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _shared_chart(token: str) -> tuple[ShareLink, Chart] | None:
    """The link's chart with its frozen filters, or None for any token that does not open."""
    if len(token) > 128:
        return None
    link = ShareLink.objects.active().for_token(token).select_related("event__codebook").first()
    if link is None:
        return None
    try:
        form = statement_filter(QueryDict(link.querystring), event=link.event)
    except FilterError:  # the data changed under a frozen filter (a topic was deleted, say)
        return None
    return link, build_chart(link.kind, link.event, form)


def _share_not_found(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, tampered, expired and revoked tokens: nothing tells them apart."""
    return _public(render(request, "coverage/share_not_found.html", status=404))


@require_GET
def share_chart(request: HttpRequest, token: str) -> HttpResponse:
    """Public, read-only: one chart and its data table. Query parameters are ignored."""
    shared = _shared_chart(token)
    if shared is None:
        return _share_not_found(request)
    link, chart = shared
    ctx = {
        "link": link,
        "chart": chart,
        "csv_url": reverse("coverage:share_download_csv", args=[token]),
        "json_url": reverse("coverage:share_download_json", args=[token]),
    }
    return _public(render(request, "coverage/share.html", ctx))


@require_GET
def share_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The shared chart's CSV or figure JSON, under the same token rules as the page."""
    shared = _shared_chart(token)
    if shared is None:
        return _share_not_found(request)
    link, chart = shared
    return _public(_download(chart, f"framescope-shared-{link.kind}", fmt))
