"""Optimistic locking for admin forms: no silently lost edits.

A form for a `Versioned` row carries the version it was opened at (a hidden field). When it
is saved, the row is read again under a lock (SELECT … FOR UPDATE on PostgreSQL, within
admin's transaction); if someone else saved it since, nothing is written and the form comes
back listing each field whose saved value differs from the one submitted. The form then
carries the new version: saving again is a decision made with the differences in view.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models, router
from django.http import QueryDict

# The hidden form field; not named like the model field, which forms may not edit.
VERSION_FIELD = "opened_version"
SHOWN_LENGTH = 120


def comparable(value: Any) -> Any:
    """A field value as saved: related rows by id, and no difference between empty and NULL."""
    if isinstance(value, models.Model):
        return value.pk
    return None if value == "" else value


def shown(model_field: models.Field, value: Any) -> str:
    """A field's value in words, for the conflict message: choice labels, related rows by name."""
    if model_field.choices and not isinstance(value, models.Model):
        value = dict(model_field.flatchoices).get(value, value)
    text = "(empty)" if value is None or value == "" else str(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for a `coverage.models.Versioned` model that refuses to save over a newer version."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if self.instance.pk is not None:
            self._refuse_a_stale_edit(cleaned)
        return cleaned

    def _refuse_a_stale_edit(self, cleaned: dict[str, Any]) -> None:
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if connections[router.db_for_write(model)].in_atomic_block:
            rows = rows.select_for_update()  # held until admin's transaction ends: no save slips in between
        current = rows.first()
        name = model._meta.verbose_name
        if current is None:
            raise ValidationError(f"Someone else deleted this {name} while you were editing it; nothing was saved.")
        submitted = cleaned.get(VERSION_FIELD)
        if submitted == current.version:
            return
        differences = self.differences_from(current, cleaned)
        if not differences and submitted is not None:
            return  # their save and yours agree on every field: nothing of theirs would be lost
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix(VERSION_FIELD)] = str(current.version)
        self.data = data
        raise ValidationError(
            [
                ValidationError(
                    f"Someone else saved this {name} while you were editing it (it is now at version "
                    f"{current.version}, you opened version {submitted or '?'}). Nothing of yours was saved."
                ),
                *(
                    ValidationError(f"{label}: saved “{theirs}”, yours “{yours}”.")
                    for label, theirs, yours in differences
                ),
                ValidationError(
                    "Saving again replaces the saved values with yours; reload the page to start from theirs."
                ),
            ],
            code="edit_conflict",
        )

    def differences_from(self, current: models.Model, cleaned: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(field label, saved value, submitted value) for each field where the two differ."""
        differences = []
        for name, field in self.fields.items():
            if name == VERSION_FIELD or name not in cleaned:
                continue
            try:
                model_field = current._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not isinstance(model_field, models.Field):
                continue
            if comparable(model_field.value_from_object(current)) != comparable(cleaned[name]):
                theirs, yours = getattr(current, name), cleaned[name]
                differences.append((str(field.label or name), shown(model_field, theirs), shown(model_field, yours)))
        return differences
