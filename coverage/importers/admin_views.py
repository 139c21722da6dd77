"""The admin page where taggers import files: upload, preview the cleaned text, confirm.

The preview runs the whole import and rolls it back, so what it shows is exactly what
confirming saves. Between the two steps the uploaded files travel back in a hidden field,
signed (django.core.signing) for this user and valid for an hour: nothing is kept on disk
or in the session, and a tampered or stale payload is refused.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from coverage.models import Event, Outlet

from . import ImportFailed, ImportFile, import_files

PAYLOAD_SALT = "coverage.importers.admin-preview"
PAYLOAD_MAX_AGE = 3600
# The confirm step posts the files back as a form field, which Django caps at
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); larger imports go through the command.
MAX_UPLOAD_BYTES = 2_000_000
TEMPLATE = "admin/coverage/article/import_articles.html"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.jsonl"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ArticleImportForm(forms.Form):
    files = MultipleFileField(help_text="Scraped text (.txt), saved pages (.html) or a Framescope bundle (.jsonl).")
    event = forms.ModelChoiceField(
        Event.objects.all(),
        required=False,
        to_field_name="slug",
        help_text="The event of the .txt and .html articles (a bundle names its own).",
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(),
        required=False,
        to_field_name="slug",
        help_text="The outlet that published the .txt and .html articles.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "These files are larger than 2 MB together; import them with manage.py import_articles."
            )
        return files


def _may_create(user) -> frozenset[str]:
    """Rows an import by this user may add: those its permissions allow, never users."""
    kinds = ["codebook", "frame", "outlet", "event", "topic", "source", "article", "statement"]
    return frozenset(kind for kind in kinds if user.has_perm(f"coverage.add_{kind}"))


def _run(request: HttpRequest, files: list[ImportFile], event: str | None, outlet: str | None, dry_run: bool):
    return import_files(
        files, event=event, outlet=outlet, may_create=_may_create(request.user), user=request.user, dry_run=dry_run
    )


@require_http_methods(["GET", "HEAD", "POST"])
def import_articles_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Upload → preview (rolled back) → confirm (saved), for users who may add articles."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    ctx = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "title": "Import articles"}
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, ctx)
    form = ArticleImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, {**ctx, "form": form}, status=400 if form.is_bound else 200)
    files = [ImportFile(f.name, f.read()) for f in form.cleaned_data["files"]]
    event, outlet = form.cleaned_data["event"], form.cleaned_data["outlet"]
    event_slug, outlet_slug = event.slug if event else None, outlet.slug if outlet else None
    try:
        result, previews = _run(request, files, event_slug, outlet_slug, dry_run=True)
    except ImportFailed as failure:
        return render(request, TEMPLATE, {**ctx, "form": form, "failure": failure}, status=400)
    payload = signing.dumps(
        {
            "user": request.user.pk,
            "event": event_slug,
            "outlet": outlet_slug,
            "files": [[f.name, base64.b64encode(f.data).decode("ascii")] for f in files],
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )
    return render(request, TEMPLATE, {**ctx, "form": form, "result": result, "previews": previews, "payload": payload})


def _confirm(request: HttpRequest, ctx: dict) -> HttpResponse:
    try:
        data = signing.loads(request.POST["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        return HttpResponseBadRequest("The preview has expired or was altered; upload the files again.")
    if data.get("user") != request.user.pk:
        return HttpResponseBadRequest("This preview was made for another user; upload the files again.")
    files = [ImportFile(name, base64.b64decode(content)) for name, content in data["files"]]
    try:
        result, _ = _run(request, files, data["event"], data["outlet"], dry_run=False)
    except ImportFailed as failure:
        form = ArticleImportForm(initial={"event": data["event"], "outlet": data["outlet"]})
        return render(request, TEMPLATE, {**ctx, "form": form, "failure": failure}, status=400)
    messages.success(request, f"Import saved. {result.summary()}")
    return redirect(reverse("admin:coverage_article_changelist"))
