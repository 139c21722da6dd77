"""Dashboard pages. Every view requires login and the permission to read coverage.

Each page reads its numbers from the one read model (`coverage.readmodel`): the dimensions
of its scope, the filters validated against them, then `read_figures` with the parts it
shows. Pure modules turn the figures into the matrix, the charts and the downloads.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from . import charts, claim_reads, matrix, readmodel
from .alignment import Trimming
from .charts import Chart
from .exports import KINDS, chart_csv, figure_json, overview_csv
from .forms import FilterError, ShareLinkForm, StatementFilterForm, compare_filter, overview_filter, statement_filter
from .highlight import segments
from .models import (
    SHARE_LINK_DEFAULT_DAYS,
    SHARE_LINK_MAX_DAYS,
    Article,
    ChartKind,
    Event,
    ShareLink,
    SourceType,
    Statement,
)
from .rows import COVERAGE, EVENTS, EventInfo, Figures, ToneCounts

STATEMENTS_PER_PAGE = 50
EVENTS_PER_PAGE = 24


def dashboard_view(view):
    """Login first (anonymous visitors go to the login page), then the read permission (403)."""
    return login_required(permission_required("coverage.view_event", raise_exception=True)(view))


def bad_filter(request: HttpRequest, error: FilterError) -> HttpResponse:
    """400 page naming each invalid filter parameter and what was wrong with it."""
    return render(request, "coverage/bad_filter.html", {"errors": error.errors}, status=400)


def _page_number(request: HttpRequest) -> int:
    """The `page` parameter: a whole number from 1; FilterError otherwise."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 10**6:
        raise FilterError({"page": [f"A page is a whole number from 1 (got “{raw[:50]}”)."]})
    return int(raw)


def _htmx_render(
    request: HttpRequest, template: str, partial: str, ctx: dict, query: str | None = None
) -> HttpResponse:
    """Render the page, or only its `partial` for htmx.

    With a `query`, htmx pushes the canonical URL (path and that query string) rather than
    the form's raw serialisation, so the address bar is always the shareable state.
    """
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's middleware
    is_partial = bool(htmx) and not htmx.history_restore_request
    response = render(
        request, f"{template}#{partial}" if is_partial else template, {**ctx, "full_page": not is_partial}
    )
    if is_partial and query is not None:
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return response


def _event_dims(slug: str, *, frames: bool = True) -> readmodel.Dimensions:
    event = get_object_or_404(Event.objects.select_related("codebook"), slug=slug)
    return readmodel.event_dimensions(event, frames=frames)


def _event_id(dims: readmodel.Dimensions) -> int:
    """The event of one event's dimensions (those of `_event_dims` always have one)."""
    if dims.event is None:
        raise ValueError("dimensions across events have no event")
    return dims.event.id


@require_safe
@dashboard_view
def event_list(request: HttpRequest) -> HttpResponse:
    """Events as cards: their outlets, the topics some outlet left out, the tone spread, the tagging state."""
    try:
        number = _page_number(request)
    except FilterError as error:
        return bad_filter(request, error)
    listed = Event.objects.order_by("-date", "name", "pk").values_list("id", "name", "slug", "date")
    page = Paginator(listed, EVENTS_PER_PAGE).get_page(number)
    events = [EventInfo(*row) for row in page.object_list]
    figures = readmodel.read_figures(
        readmodel.global_dimensions(frames=False), readmodel.NO_FILTERS, {COVERAGE, EVENTS}, [e.id for e in events]
    )
    ctx = {"cards": matrix.build_event_cards(figures, events), "page": page}
    return render(request, "coverage/event_list.html", ctx)


@require_safe
@vary_on_headers("HX-Request")
@dashboard_view
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One event's framing matrix and charts, narrowed by the filters in the URL; its articles below."""
    dims = _event_dims(slug)
    try:
        form = statement_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    figures = readmodel.read_figures(dims, form.filters(), readmodel.MATRIX_PARTS)
    form.source_options((n.source_id, n.label) for n in figures.named_sources)
    links = matrix.CellLinks(reverse("coverage:event_statements", args=[slug]), form.query_params())
    claim_lists = matrix.CellLinks(reverse("coverage:event_claims", args=[slug]), {})
    subtitle = _subtitle(figures, form)
    ctx = {
        "event": dims.event,
        "codebook": dims.codebook,
        "form": form,
        "figures": figures,
        "articles": _articles_by_outlet(figures),
        "matrix": matrix.build_matrix(figures, links, dict(SourceType.choices), claim_lists),
        "charts": [charts.build(kind, figures, subtitle) for kind in ChartKind.per_event()],
        "querystring": form.querystring(),
        # Topics belong to one event: the same charts across events keep every other filter.
        "across_query": form.querystring(without=("topic",)),
        "across_kinds": ChartKind.choices,
    }
    return _htmx_render(request, "coverage/event_detail.html", "matrix-panel", ctx, form.querystring())


ARTICLES_PER_OUTLET = 10


def _articles_by_outlet(figures: Figures) -> list[dict]:
    """The event's articles grouped by outlet (the first few of each), with each outlet's count."""
    outlets = {o.id: o for o in figures.outlets}
    groups: dict[int, list] = {}
    for article in figures.articles:
        groups.setdefault(article.outlet_id, []).append(article)
    return [
        {"outlet": outlets[o], "articles": items[:ARTICLES_PER_OUTLET], "more": len(items) - ARTICLES_PER_OUTLET}
        for o, items in groups.items()
        if o in outlets
    ]


@require_safe
@dashboard_view
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One article's text with its accepted statements highlighted by tone."""
    article = get_object_or_404(Article.objects.select_related("event", "outlet"), pk=pk)
    statements = list(Statement.objects.accepted().filter(article=article).select_related("source", "topic", "frame"))
    ctx = {
        "article": article,
        "event": article.event,
        "statements": statements,
        "segments": segments(article.body, statements),
    }
    return render(request, "coverage/article_detail.html", ctx)


@require_safe
@vary_on_headers("HX-Request")
@dashboard_view
def event_statements(request: HttpRequest, slug: str) -> HttpResponse:
    """The statements behind a matrix cell, 50 a page: the event's statements narrowed by the filters."""
    dims = _event_dims(slug)
    try:
        form = statement_filter(request.GET, dims)
        number = _page_number(request)
        missing = _missing_outlet(request, dims)
    except FilterError as error:
        return bad_filter(request, error)
    filters = form.filters()
    total = readmodel.read_figures(dims, filters, {EVENTS}).total().statements
    page = Paginator(range(total), STATEMENTS_PER_PAGE).get_page(number)
    outlets = {o.id: o for o in dims.outlets}
    cards = readmodel.statement_page(dims, filters, (page.number - 1) * STATEMENTS_PER_PAGE, STATEMENTS_PER_PAGE)

    def page_url(n: int) -> str:
        return f"{request.path}?{form.querystring(page=str(n), missing=missing.slug if missing else '')}"

    ctx = {
        "event": dims.event,
        "form": form,
        "total": total,
        "page": page,
        "cards": [(card, outlets[card.outlet_id]) for card in cards],
        "heading": _drilldown_heading(
            total,
            missing,
            [o.name for o in dims.outlets if o.id in filters.outlets],
            [t.name for t in dims.topics if t.id in filters.topics],
        ),  # fmt: skip
        "summary": form.summary(),
        "missing": missing,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
    }
    # A drill-down opens in place without changing the address: the matrix stays the state.
    return _htmx_render(request, "coverage/event_statements.html", "statements-panel", ctx)


def _drilldown_heading(total: int, missing, outlets: list[str], topics: list[str]) -> str:
    """ "12 statements", or for an omitted cell what the others said on what this outlet left out."""
    if missing is None:
        return f"{total} statement{'' if total == 1 else 's'}"
    said = ", ".join(outlets) or "the other outlets"
    return f"{missing.name} did not cover {', '.join(topics) or 'this topic'} — here is what {said} said"


def _missing_outlet(request: HttpRequest, dims: readmodel.Dimensions):
    """The outlet whose omission a drill-down explains (`missing`), or None."""
    slug = request.GET.get("missing")
    if not slug:
        return None
    outlet = next((o for o in dims.outlets if o.slug == slug), None)
    if outlet is None:
        raise FilterError({"missing": [f"No outlet on this event has the slug “{slug[:100]}”."]})
    return outlet


CLAIMS_PER_PAGE = 25
CLAIM_LISTS = {"only": "claims only here", "left_out": "claims others carried, left out here"}


@require_safe
@vary_on_headers("HX-Request")
@dashboard_view
def event_claims(request: HttpRequest, slug: str) -> HttpResponse:
    """The claims behind a matrix claim cell, 25 a page: one outlet's claims only it carried, or
    the claims other outlets carried that it left out (with each one's review state)."""
    dims = _event_dims(slug, frames=False)
    outlet = next((o for o in dims.outlets if o.slug == request.GET.get("outlet")), None)
    chosen = request.GET.get("list", "")
    try:
        number = _page_number(request)
        if outlet is None:
            raise FilterError({"outlet": ["Choose an outlet with an article on this event."]})
        if chosen not in CLAIM_LISTS:
            raise FilterError({"list": ["The list is “only” or “left_out”."]})
    except FilterError as error:
        return bad_filter(request, error)
    claims = claim_reads.claims_for_event(_event_id(dims), [outlet.id])
    mine = claims.outlets[outlet.id]
    if chosen == "only":
        listed = [(claim, "") for claim in mine.only_here]
    else:
        # Confirmed omissions first, then those to review; dismissed ones are not listed.
        order = {"confirmed": 0, "candidate": 1, "in_progress": 2}
        left_out = sorted((c for c in mine.left_out if c.state in order), key=lambda c: order[c.state])
        listed = [(claims.claims[c.claim_id], c.state) for c in left_out]
    page = Paginator(listed, CLAIMS_PER_PAGE).get_page(number)
    said = claim_reads.statements_by_id([s for claim, _ in page.object_list for s in claim.statement_ids])
    outlets = {o.id: o for o in dims.outlets}
    items = [
        {
            "claim": claim,
            "state": state,
            "statements": [(said[s], outlets.get(said[s].outlet_id)) for s in claim.statement_ids if s in said],
        }
        for claim, state in page.object_list
    ]

    def page_url(n: int) -> str:
        return f"{request.path}?outlet={outlet.slug}&list={chosen}&page={n}"

    ctx = {
        "event": dims.event,
        "outlet": outlet,
        "list": chosen,
        "heading": f"{outlet.name}: {len(listed)} {CLAIM_LISTS[chosen]}",
        "page": page,
        "items": items,
        "complete": all(a.complete for a in dims.articles if a.outlet_id == outlet.id),
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
    }
    return _htmx_render(request, "coverage/event_claims.html", "statements-panel", ctx)


@require_safe
@vary_on_headers("HX-Request")
@dashboard_view
def event_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two outlets' articles on one event side by side, with the topics one covers and the other omits."""
    dims = _event_dims(slug, frames=False)
    try:
        form = compare_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    data = form.cleaned_data
    outlets = {o.slug: o for o in dims.outlets}
    left, right = outlets.get(data["a"] or ""), outlets.get(data["b"] or "")
    ctx: dict = {"event": dims.event, "form": form, "outlets": dims.outlets, "left": left, "right": right}
    if left and right:
        figures = readmodel.read_figures(dims, readmodel.NO_FILTERS, {COVERAGE, EVENTS})
        links = claim_reads.claim_links(_event_id(dims), [left.id, right.id])
        ctx["topics"] = matrix.compare_topics(figures, left.id, right.id)
        ctx["columns"] = _compare_columns(figures, dims, [(left, data["la"]), (right, data["ra"])], links)
        ctx["trimmed"] = [_sides(pair, left.id) for pair in links.trimmed]
        ctx["swap_query"] = form.querystring(a=right.slug, b=left.slug, la=data["ra"], ra=data["la"])
    return _htmx_render(request, "coverage/event_compare.html", "compare-panel", ctx, form.querystring())


def _sides(pair: claim_reads.MatchedPair, left_id: int) -> dict:
    """A trimmed quote's two versions, the left outlet's first."""
    left, right = (pair.a, pair.b) if pair.a.outlet_id == left_id else (pair.b, pair.a)
    return {"pair": pair, "left": left, "right": right, "label": TRIMMING_LABELS.get(pair.trimming, pair.trimming)}


TRIMMING_LABELS = dict(Trimming.CHOICES)


def _compare_columns(
    figures: Figures, dims: readmodel.Dimensions, sides: list, links: claim_reads.ClaimLinks
) -> list[dict]:
    """Per side: the outlet, its articles to choose from, the chosen article's text with highlights.

    Each statement carries its claim links for the reader: `linked` (ids of the other
    outlet's statements of the same claim, which light up with it) or `only_in` (the
    outlet's name, when the other did not report the claim).
    """
    names = {outlet.id: outlet.name for outlet, _ in sides}
    outlet_of = {article_id: outlet.id for outlet, article_id in sides if article_id}
    article_ids = [article_id for _, article_id in sides if article_id]
    bodies = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "body"))
    said: dict[int, list] = {article_id: [] for article_id in article_ids}
    statements = (
        Statement.objects.accepted().filter(article_id__in=article_ids).select_related("source", "topic", "frame")
    )
    for statement in statements.order_by("article_id", "start"):
        statement.linked = " ".join(str(i) for i in links.linked.get(statement.pk, ()))
        statement.also_in = next((n for o, n in names.items() if o != outlet_of[statement.article_id]), "")
        only = links.only_in.get(statement.pk)
        statement.only_in = names.get(only, "") if only is not None else ""
        said[statement.article_id].append(statement)
    columns = []
    for outlet, article_id in sides:
        article = next((a for a in figures.articles if a.id == article_id), None)
        sources: dict = {}
        for statement in said.get(article_id, []):
            if statement.source:
                sources.setdefault(statement.source, []).append(statement)
        columns.append(
            {
                "outlet": outlet,
                "tagging": figures.coverage.get((dims.event.id, outlet.id)) if dims.event else None,
                "articles": [a for a in figures.articles if a.outlet_id == outlet.id],
                "article": article,
                "statements": said.get(article_id, []),
                "matched": sum(1 for s in said.get(article_id, []) if s.linked),
                "only_here": sum(1 for s in said.get(article_id, []) if s.only_in),
                "segments": segments(bodies.get(article_id, ""), said.get(article_id, [])),
                "sources": sorted(sources.items(), key=lambda item: (-len(item[1]), item[0].name)),
                "total": figures.outlet_total(outlet.id).statements,
            }
        )
    return columns


@require_safe
@vary_on_headers("HX-Request")
@dashboard_view
def outlet_overview(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """Every outlet across events: events covered, statements by tone, frame, source type and kind,
    and the omission rate from the one rule; as a page or as a CSV with every cell, zeros included."""
    dims = readmodel.global_dimensions()
    try:
        form = overview_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    figures = readmodel.read_figures(dims, form.filters(), readmodel.OVERVIEW_PARTS)
    rows = matrix.sort_overview([r for r in matrix.build_overview(figures) if r.events], form.sort_order)
    frames = [f for f in figures.frames if any(f.id in r.by_frame for r in rows)]
    if fmt == "csv":
        response = HttpResponse(overview_csv(rows, figures), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="framescope-outlets.csv"'
        return response
    ctx = {
        "form": form,
        "figures": figures,
        "rows": rows,
        "columns": _sort_columns(form, form.sort_order),
        "csv_url": reverse("coverage:outlet_overview_csv") + (f"?{form.querystring()}" if form.querystring() else ""),
        "frames": frames,
        "choice_fields": [form[name] for name in ("outlet", "frame", "source_type", "tone", "kind")],
        "source_types": charts.SOURCE_TYPES,
        "kinds": KINDS,
        "breakdown": [
            {
                "outlet": r.outlet,
                "source_types": [r.source_type_count(t) for t, _ in charts.SOURCE_TYPES],
                "kinds": [r.kind_count(k) for k, _ in KINDS],
                "frames": [r.by_frame.get(f.id, ToneCounts()) for f in frames],
            }
            for r in rows
        ],
    }
    return _htmx_render(
        request,
        "coverage/outlet_overview.html",
        "outlets-panel",
        ctx,
        form.querystring(sort=form.cleaned_data.get("sort") or ""),
    )


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


# Charts and share links ------------------------------------------------------------------
#
# A chart is named by its kind and, on an event, the event; its filters are the matrix's.
# `build_chart` is the one place that reads a chart's numbers: the read model with the
# parts the chart draws, then its pure builder in coverage/charts.py.


def _subtitle(figures: Figures, form: StatementFilterForm) -> str:
    """Where and which statements, in words, for the figure's subtitle (so a PNG says what it shows)."""
    where = figures.event.name if figures.event else "All events"
    parts = [f"{label.lower()}: {words}" for label, words in form.summary()]
    return f"{where} · " + ("filtered by " + "; ".join(parts) if parts else "all accepted statements")


def _dims(event: Event | None) -> readmodel.Dimensions:
    return readmodel.event_dimensions(event) if event else readmodel.global_dimensions()


def build_chart(kind: str, dims: readmodel.Dimensions, form: StatementFilterForm) -> Chart:
    """One chart from the read model: the parts it draws, then its pure builder."""
    figures = readmodel.read_figures(dims, form.filters(), charts.CHART_PARTS[kind])
    return charts.build(kind, figures, _subtitle(figures, form))


def _chart_target(kind: str, slug: str | None) -> tuple[ChartKind, Event | None]:
    """The chart kind and its event; 404 for an unknown kind or event."""
    if kind not in ChartKind.values:
        raise Http404("No such chart.")
    event = get_object_or_404(Event.objects.select_related("codebook"), slug=slug) if slug else None
    return ChartKind(kind), event


def chart_url(kind: str, event: Event | EventInfo | None, querystring: str = "", suffix: str = "") -> str:
    """The permalink of a chart (or its download when `suffix` names one), with its filters."""
    if event is None:
        url = reverse(f"coverage:chart_across_events{suffix}", args=[kind])
    else:
        url = reverse(f"coverage:chart{suffix}", args=[event.slug, kind])
    return f"{url}?{querystring}" if querystring else url


def _chart_page(
    request: HttpRequest,
    kind: str,
    dims: readmodel.Dimensions,
    form: StatementFilterForm,
    share_form: ShareLinkForm,
    status: int = 200,
) -> HttpResponse:
    event = dims.event
    chart = build_chart(kind, dims, form)
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


@require_safe
@dashboard_view
def chart_detail(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    """A chart at its permalink: the URL carries the filters, so anyone logged in sees the same figure."""
    kind, event = _chart_target(kind, slug)
    dims = _dims(event)
    try:
        form = statement_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    return _chart_page(request, kind, dims, form, ShareLinkForm())


def _download(chart: Chart, name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(chart_csv(chart), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(figure_json(chart), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
@dashboard_view
def chart_download(request: HttpRequest, kind: str, fmt: str, slug: str | None = None) -> HttpResponse:
    """The chart's data table as CSV, or its Plotly figure as JSON, for the filters in the URL."""
    kind, event = _chart_target(kind, slug)
    dims = _dims(event)
    try:
        form = statement_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    name = f"framescope-{event.slug}-{kind}" if event else f"framescope-{kind}"
    return _download(build_chart(kind, dims, form), name, fmt)


@require_POST
@dashboard_view
@permission_required("coverage.add_sharelink", raise_exception=True)
def share_link_create(request: HttpRequest, kind: str, slug: str | None = None) -> HttpResponse:
    """Freeze the chart's current filters in a new public link; its token is shown this once."""
    kind, event = _chart_target(kind, slug)
    dims = _dims(event)
    try:
        form = statement_filter(request.GET, dims)
    except FilterError as error:
        return bad_filter(request, error)
    share_form = ShareLinkForm(request.POST)
    if not share_form.is_valid():
        return _chart_page(request, kind, dims, form, share_form, status=400)
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


@require_safe
@dashboard_view
@permission_required("coverage.view_sharelink", raise_exception=True)
def share_link_list(request: HttpRequest) -> HttpResponse:
    """The user's own share links, newest first, each with its state and a revoke button."""
    links = ShareLink.objects.filter(created_by_id=request.user.pk).select_related("event")
    rows = [(link, chart_url(link.kind, link.event, link.querystring)) for link in links]
    ctx = {"rows": rows, "max_days": SHARE_LINK_MAX_DAYS, "default_days": SHARE_LINK_DEFAULT_DAYS}
    return render(request, "coverage/share_links.html", ctx)


@require_POST
@dashboard_view
@permission_required("coverage.change_sharelink", raise_exception=True)
def share_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own links (another user's link is a 404, as if it did not exist)."""
    link = get_object_or_404(ShareLink, pk=pk, created_by_id=request.user.pk)
    link.revoke()
    messages.success(request, f"Revoked the share link for “{link.get_kind_display()}”. It now gives “not found”.")
    return redirect("coverage:share_links")


@require_POST
@dashboard_view
@permission_required("coverage.change_sharelink", raise_exception=True)
def share_link_expiry(request: HttpRequest, pk: int) -> HttpResponse:
    """Set how long one of the user's own open links stays open, counted from now (within the limit)."""
    link = get_object_or_404(ShareLink.objects.active(), pk=pk, created_by_id=request.user.pk)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(map(str, form.errors["days"])))
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
    dims = _dims(link.event)
    try:
        form = statement_filter(QueryDict(link.querystring), dims)
    except FilterError:  # the data changed under a frozen filter (a topic was deleted, say)
        return None
    return link, build_chart(link.kind, dims, form)


def _share_not_found(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, tampered, expired and revoked tokens: nothing tells them apart."""
    return _public(render(request, "coverage/share_not_found.html", status=404))


@require_safe
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


@require_safe
def share_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The shared chart's CSV or figure JSON, under the same token rules as the page."""
    shared = _shared_chart(token)
    if shared is None:
        return _share_not_found(request)
    link, chart = shared
    return _public(_download(chart, f"framescope-shared-{link.kind}", fmt))
