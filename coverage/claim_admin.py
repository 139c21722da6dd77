"""Admin for claims across outlets (issue 13): reviewing claim omission candidates, reading claims and trimmed quotes.

Matching writes these rows; nobody adds or deletes them here. Taggers confirm or dismiss
omission candidates (change permission on claim omissions), from the list per event or on
a candidate's page, which shows the statements of the outlets that carried the claim.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .alignment import confirmation_problem
from .claim_models import Claim, ClaimOmission, ClaimOmissionStatus, ClaimStatement, StatementMatch


def _statement_list(members: Iterable[ClaimStatement]) -> str:
    """Statements as an HTML list: outlet, kind, source, text (linked to its article in admin)."""
    rows = (
        (
            m.statement.article.outlet.name,
            m.statement.get_kind_display(),
            m.statement.source.name if m.statement.source else "unattributed",
            reverse("admin:coverage_article_change", args=[m.statement.article_id]),
            m.statement.pk,
            m.statement.text,
        )
        for m in members
    )
    items = format_html_join("", '<li><strong>{}</strong> ({}, {}): <a href="{}#statement-{}">“{}”</a></li>', rows)
    return format_html("<ul>{}</ul>", items) if items else "—"


class ClaimOmissionForm(forms.ModelForm):
    class Meta:
        model = ClaimOmission
        fields = ["status"]
        widgets = {"status": forms.RadioSelect}

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        omission = self.instance
        if status == ClaimOmissionStatus.CONFIRMED and status != omission.status:
            in_progress = ClaimOmission.objects.with_tagging().values_list("in_progress", flat=True).get(pk=omission.pk)
            problem = confirmation_problem(omission.outlet.name, not in_progress, omission.current)
            if problem:
                raise forms.ValidationError(problem)
        return status


@admin.register(ClaimOmission)
class ClaimOmissionAdmin(SimpleHistoryAdmin):
    list_display = ["claim_text", "outlet", "event", "carried_by", "status", "current", "tagging", "decided_by"]
    list_filter = ["status", "current", "event", "outlet"]
    list_select_related = ["claim", "outlet", "event", "decided_by"]
    search_fields = ["claim__text", "outlet__name"]
    actions = ["confirm", "dismiss"]
    form = ClaimOmissionForm
    fields = ["claim_text", "outlet", "event", "tagging", "evidence", "status", "current", "decided_by", "decided_at"]
    readonly_fields = ["claim_text", "outlet", "event", "tagging", "evidence", "current", "decided_by", "decided_at"]
    history_list_display = ["status", "decided_by", "decided_at"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).with_tagging()

    def has_add_permission(self, request) -> bool:
        return False  # candidates come from matching

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a decision is dismissed, not deleted

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, obj: ClaimOmission) -> str:
        return str(obj.claim)

    @admin.display(description="carried by", ordering="claim__outlet_count")
    def carried_by(self, obj: ClaimOmission) -> str:
        return f"{obj.claim.outlet_count} outlet(s)"

    @admin.display(description="tagging")
    def tagging(self, obj: ClaimOmission) -> str:
        in_progress = getattr(obj, "in_progress", None)
        if in_progress is None:  # an object not read through get_queryset()
            in_progress = ClaimOmission.objects.with_tagging().values_list("in_progress", flat=True).get(pk=obj.pk)
        return "in progress: no omission is claimed yet" if in_progress else "complete"

    @admin.display(description="what the other outlets said")
    def evidence(self, obj: ClaimOmission) -> str:
        members = (
            ClaimStatement.objects.filter(claim_id=obj.claim_id)
            .exclude(outlet_id=obj.outlet_id)
            .select_related("statement__article__outlet", "statement__source")
            .order_by("outlet__name", "statement_id")
        )
        return _statement_list(members)

    def save_model(self, request, obj: ClaimOmission, form, change: bool) -> None:
        if "status" in form.changed_data:
            obj.decided_by, obj.decided_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Confirm selected omissions", permissions=["change"])
    def confirm(self, request, queryset) -> None:
        self._decide(request, queryset, ClaimOmissionStatus.CONFIRMED)

    @admin.action(description="Dismiss selected omissions", permissions=["change"])
    def dismiss(self, request, queryset) -> None:
        self._decide(request, queryset, ClaimOmissionStatus.DISMISSED)

    def _decide(self, request, queryset, status: ClaimOmissionStatus) -> None:
        count, refused = queryset.decide(status, request.user)
        verb = "Confirmed" if status == ClaimOmissionStatus.CONFIRMED else "Dismissed"
        self.message_user(request, f"{verb} {count} claim omission(s).", messages.SUCCESS)
        for problem in refused[:10]:
            self.message_user(request, f"Not changed: {problem}", messages.WARNING)
        if len(refused) > 10:
            self.message_user(request, f"…and {len(refused) - 10} more not changed.", messages.WARNING)


class ClaimStatementInline(admin.TabularInline):
    model = ClaimStatement
    fields = readonly_fields = (
        "outlet",
        "statement",
    )
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet", "statement")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Claims as matching left them: read only."""

    list_display = ["__str__", "event", "outlet_count", "matched_at"]
    list_filter = ["event", "outlet_count"]
    list_select_related = ["event"]
    search_fields = ["text"]
    fields = readonly_fields = (
        "event",
        "text",
        "outlet_count",
        "matched_at",
    )
    inlines = [ClaimStatementInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatementMatch)
class StatementMatchAdmin(admin.ModelAdmin):
    """Matched statements, filterable to trimmed quotes: both versions side by side. Read only."""

    list_display = ["event", "version_a", "version_b", "score", "trimming"]
    list_filter = ["trimming", "event"]
    list_select_related = ["event", "statement_a__article__outlet", "statement_b__article__outlet"]
    search_fields = ["statement_a__text", "statement_b__text"]
    fields = readonly_fields = (
        "event",
        "version_a",
        "version_b",
        "score",
        "word_score",
        "char_score",
        "trimming",
    )

    @admin.display(description="statement A")
    def version_a(self, obj: StatementMatch) -> str:
        return format_html("<strong>{}</strong>: “{}”", obj.statement_a.article.outlet.name, obj.statement_a.text)

    @admin.display(description="statement B")
    def version_b(self, obj: StatementMatch) -> str:
        return format_html("<strong>{}</strong>: “{}”", obj.statement_b.article.outlet.name, obj.statement_b.text)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
