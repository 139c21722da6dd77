"""Dashboard pages. Every view requires login and the permission to read coverage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import FilterError
from .highlight import segments
from .models import Article, Event, Statement, StatementStatus

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
@dashboard_view
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One event: its articles grouped by outlet."""
    event = get_object_or_404(Event.objects.select_related("codebook"), slug=slug)
    articles = (
        event.articles.select_related("outlet")
        .annotate(statement_count=Count("statements", filter=Q(statements__status=StatementStatus.ACCEPTED)))
        .order_by("outlet__name", "published_at")
    )
    return render(request, "coverage/event_detail.html", {"event": event, "articles": articles})


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
