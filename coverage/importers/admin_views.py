"""The admin page where taggers import files and pages: upload or give URLs, preview, correct, confirm.

The preview runs the whole import and rolls it back, so what it shows is exactly what
confirming saves. Between the two steps the uploaded files (and the pages fetched by
URL, so they are not fetched twice) travel back in a hidden field, signed
(django.core.signing) for this user and valid for an hour: nothing is kept on disk or in
the session, and a tampered or stale payload is refused. The headline and date of each
new article can be corrected in the preview before saving.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from coverage.jobs.views import start_import_job
from coverage.models import Event, Outlet, Ownership

from . import NO_HEADLINE, Feed, ImportFailed, ImportFile, NewRow, Target, fetch_pages, import_files, split_feeds
from .errors import Problems
from .results import ArticlePreview, ImportResult

PAYLOAD_SALT = "coverage.importers.admin-preview"
PAYLOAD_MAX_AGE = 3600
# The confirm step posts the files back as a form field, which Django caps at
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); larger uploads (and those over
# settings.IMPORT_BACKGROUND_BYTES) import in a background job, without a preview.
MAX_UPLOAD_BYTES = 2_000_000
MAX_URLS = 20
TEMPLATE = "admin/coverage/article/import_articles.html"
HINT = "choose them on this page"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.jsonl"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for file in files:
            if not file.size:  # Django's own message does not say which file
                raise forms.ValidationError(f"The file “{file.name}” is empty.", code="empty")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def _urls(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class ArticleImportForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]  # a field named like BaseForm.files
        required=False, help_text="Scraped text (.txt), saved pages (.html) or a Framescope bundle (.jsonl)."
    )
    urls = forms.CharField(
        label="Web addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        help_text=f"Article pages to fetch, one http(s) address a line (at most {MAX_URLS}).",
    )
    event = forms.ModelChoiceField(
        Event.objects.all(),
        required=False,
        to_field_name="slug",
        help_text="The event of the .txt and .html articles and pages (a bundle names its own).",
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(),
        required=False,
        to_field_name="slug",
        help_text="The outlet that published them. Pages without one go to the outlet whose website has their host.",
    )
    new_outlet_name = forms.CharField(
        label="Or a new outlet", max_length=200, required=False, help_text="Its name: it is created on saving."
    )
    new_outlet_website = forms.URLField(label="New outlet's website", required=False, assume_scheme="https")
    new_outlet_country = forms.CharField(label="New outlet's country", max_length=100, required=False)
    new_outlet_language = forms.CharField(label="New outlet's language", max_length=20, required=False)
    new_outlet_ownership = forms.ChoiceField(
        label="New outlet's ownership", choices=Ownership.choices, initial=Ownership.OTHER, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text += (
            f" Up to {settings.IMPORT_MAX_UPLOAD_BYTES / 1e6:.0f} MB together; over "
            f"{min(settings.IMPORT_BACKGROUND_BYTES, MAX_UPLOAD_BYTES) / 1e6:g} MB they import in the background, "
            "without a preview."
        )

    def main_fields(self) -> list:
        return [self[name] for name in ("files", "urls", "event", "outlet")]

    def new_outlet_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("new_outlet_")]

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if (total := sum(f.size for f in files)) > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"These files are {total / 1e6:.1f} MB together, more than the "
                f"{settings.IMPORT_MAX_UPLOAD_BYTES / 1e6:.1f} MB an upload may be; "
                "import them with manage.py import_articles."
            )
        names = [f.name for f in files]
        if duplicate := next((n for n in names if names.count(n) > 1), None):
            raise forms.ValidationError(f"Two files are named “{duplicate}”; rename one.")
        return files

    def clean_urls(self) -> list[str]:
        # Articles picked from a feed's list come as `picked`, checked like typed addresses.
        picked = self.data.getlist("picked") if hasattr(self.data, "getlist") else []
        urls = list(dict.fromkeys(_urls(self.cleaned_data["urls"]) + picked))
        if len(urls) > MAX_URLS:
            raise forms.ValidationError(f"{len(urls)} addresses; give at most {MAX_URLS} at a time.")
        check = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                check(url)
            except forms.ValidationError:
                raise forms.ValidationError(f"“{url[:200]}” is not an http or https address.") from None
        return urls

    def clean(self) -> dict:
        data = cast(dict[str, Any], super().clean())  # Django's clean() returns cleaned_data
        if not self.errors and not data.get("files") and not data.get("urls"):
            raise forms.ValidationError("Upload a file or give a web address.")
        name = (data.get("new_outlet_name") or "").strip()
        if name and data.get("outlet"):
            self.add_error("new_outlet_name", "Choose an outlet or name a new one, not both.")
        elif name:
            slug = slugify(name)[:100]
            if not slug:
                self.add_error("new_outlet_name", "Give a name with letters or digits.")
            elif existing := Outlet.objects.filter(slug=slug).first() or Outlet.objects.filter(name=name).first():
                self.add_error("new_outlet_name", f"The outlet “{existing.name}” exists already; choose it above.")
        return data

    def new_outlet(self) -> NewRow | None:
        data = self.cleaned_data
        name = (data.get("new_outlet_name") or "").strip()
        if not name:
            return None
        values = {
            "slug": slugify(name)[:100],
            "name": name,
            "website": data.get("new_outlet_website") or "",
            "country": data.get("new_outlet_country") or "",
            "language": data.get("new_outlet_language") or "",
            "ownership": data.get("new_outlet_ownership") or Ownership.OTHER.value,
        }
        return NewRow("outlet", values)


class CorrectionForm(forms.Form):
    """The headline and date of one new article, as the preview found them, to correct."""

    headline = forms.CharField(max_length=500, required=False)
    published_at = forms.DateTimeField(
        label="Date", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


@dataclass
class _Import:
    """What one import is made of, as it travels from the preview to the confirm step."""

    files: list[ImportFile]
    event: str | None
    outlet: str | None
    new_outlet: dict | None = None
    corrigible: list[str] = field(default_factory=list)  # files whose headline and date may be corrected

    def run(
        self, request: HttpRequest, dry_run: bool, corrections: dict | None = None
    ) -> tuple[ImportResult, list[ArticlePreview]]:
        new_rows = [NewRow("outlet", self.new_outlet)] if self.new_outlet else []
        outlet = self.new_outlet["slug"] if self.new_outlet else self.outlet
        return import_files(
            self.files,
            target=Target(event=self.event, outlet=outlet, hint=HINT),
            new_rows=new_rows,
            may_create=_may_create(request.user),
            user=request.user,
            dry_run=dry_run,
            corrections=corrections,
        )

    def sign(self, user_pk: int) -> str:
        files = [[f.name, base64.b64encode(f.data).decode("ascii"), f.url, f.kind, f.charset] for f in self.files]
        data = {"user": user_pk, "event": self.event, "outlet": self.outlet, "new_outlet": self.new_outlet}
        return signing.dumps({**data, "files": files, "corrigible": self.corrigible}, salt=PAYLOAD_SALT, compress=True)

    @classmethod
    def unsign(cls, payload: str) -> tuple[_Import, int | None]:
        data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
        files = [ImportFile(n, base64.b64decode(d), url=u, kind=k, charset=c) for n, d, u, k, c in data["files"]]
        return cls(files, data["event"], data["outlet"], data["new_outlet"], data["corrigible"]), data.get("user")


def _may_create(user) -> frozenset[str]:
    """Rows an import by this user may add: those its permissions allow, never users."""
    kinds = ["codebook", "frame", "outlet", "event", "topic", "source", "article", "statement"]
    return frozenset(kind for kind in kinds if user.has_perm(f"coverage.add_{kind}"))


@require_http_methods(["GET", "HEAD", "POST"])
def import_articles_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Upload or fetch → preview (rolled back) → correct and confirm (saved), for users who may add articles."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    ctx = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "title": "Import articles"}
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, ctx)
    form = ArticleImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, {**ctx, "form": form}, status=400 if form.is_bound else 200)
    uploads = form.cleaned_data["files"]
    if sum(f.size for f in uploads) > min(settings.IMPORT_BACKGROUND_BYTES, MAX_UPLOAD_BYTES):
        return _import_in_background(request, ctx, form)
    problems = Problems()
    pages, feeds = split_feeds(fetch_pages(form.cleaned_data["urls"], problems), problems)
    if feeds and not problems:
        return _pick_from_feeds(request, ctx, form, feeds)
    files = [ImportFile(f.name, f.read()) for f in uploads] + pages
    event, outlet, new_outlet = form.cleaned_data["event"], form.cleaned_data["outlet"], form.new_outlet()
    plan = _Import(
        files, event.slug if event else None, outlet.slug if outlet else None, new_outlet.values if new_outlet else None
    )
    if problems:
        return render(request, TEMPLATE, {**ctx, "form": form, "failure": _failure(problems)}, status=400)
    return _preview(request, ctx, plan, form)


def _import_in_background(request: HttpRequest, ctx: dict, form: ArticleImportForm) -> HttpResponse:
    """Large uploads import in a job, without a preview; pages and a new outlet come in a page of their own."""
    if form.cleaned_data["urls"] or form.new_outlet():
        form.add_error(
            "files",
            "Files this large import in the background, on their own: import the web addresses, or create "
            "the new outlet, separately first.",
        )
        return render(request, TEMPLATE, {**ctx, "form": form}, status=400)
    event, outlet = form.cleaned_data["event"], form.cleaned_data["outlet"]
    return start_import_job(
        request,
        form.cleaned_data["files"],
        event=event.slug if event else None,
        outlet=outlet.slug if outlet else None,
        may_create=_may_create(request.user),
    )


def _pick_from_feeds(request: HttpRequest, ctx: dict, form: ArticleImportForm, feeds: list[Feed]) -> HttpResponse:
    """A feed or sitemap lists its articles; the form comes back to pick them (files are given again)."""
    initial = {name: form.cleaned_data.get(name) for name in form.fields if name not in ("files", "urls")}
    picking = ArticleImportForm(initial=initial)
    return render(request, TEMPLATE, {**ctx, "form": picking, "feeds": feeds})


def _failure(problems: Problems) -> ImportFailed:
    return ImportFailed(problems.items, problems.more, problems.skipped)


def _preview(request: HttpRequest, ctx: dict, plan: _Import, form, corrections: list | None = None) -> HttpResponse:
    """Run the import as a dry run and show it, with a correction form for each new article."""
    try:
        result, previews = plan.run(request, dry_run=True)
    except ImportFailed as failure:
        return render(request, TEMPLATE, {**ctx, "form": form, "failure": failure}, status=400)
    bundles = {f.name for f in plan.files if f.url is None and PurePath(f.name).suffix.lower() == ".jsonl"}
    plan.corrigible = [p.file for p in previews if not p.already_imported and p.file not in bundles]
    posted = {correction.prefix: correction for correction in corrections or []}
    for preview in previews:
        if preview.file in plan.corrigible:
            prefix = f"a{plan.corrigible.index(preview.file)}"
            missing = any(w.startswith(NO_HEADLINE) for w in preview.warnings)
            initial = {"headline": "" if missing else preview.headline, "published_at": preview.published_at}
            preview.correction = posted.get(prefix) or CorrectionForm(prefix=prefix, initial=initial)
    status = 400 if corrections else 200
    payload = plan.sign(cast(int, request.user.pk))  # the import pages require a logged-in tagger
    ctx = {**ctx, "form": form, "result": result, "previews": previews, "payload": payload}
    return render(request, TEMPLATE, ctx, status=status)


def _confirm(request: HttpRequest, ctx: dict) -> HttpResponse:
    try:
        plan, user = _Import.unsign(request.POST["payload"])
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        return HttpResponseBadRequest("The preview has expired or was altered; upload the files again.")
    if user != request.user.pk:
        return HttpResponseBadRequest("This preview was made for another user; upload the files again.")
    forms_ = [CorrectionForm(request.POST, prefix=f"a{i}") for i in range(len(plan.corrigible))]
    if not all(f.is_valid() for f in forms_):
        return _preview(request, ctx, plan, ArticleImportForm(initial={"event": plan.event}), corrections=forms_)
    corrections = {name: f.cleaned_data for name, f in zip(plan.corrigible, forms_, strict=True)}
    try:
        result, _ = plan.run(request, dry_run=False, corrections=corrections)
    except ImportFailed as failure:
        form = ArticleImportForm(initial={"event": plan.event, "outlet": plan.outlet})
        return render(request, TEMPLATE, {**ctx, "form": form, "failure": failure}, status=400)
    messages.success(request, f"Import saved. {result.summary()}")
    for job in result.jobs:  # suggestions for long articles, made in the background
        messages.info(
            request,
            format_html(
                'Suggestions for “{}” are made by <a href="{}">{}</a>.',
                job.article.headline,
                job.get_absolute_url(),
                job,
            ),
        )
    return redirect(reverse("admin:coverage_article_changelist"))
