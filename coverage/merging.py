"""Merging duplicate sources: one survives, the others' statements and names move to it."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from .claims import schedule_matching
from .models import Source, Statement
from .tallies import refresh_for_articles


def merged_aliases(survivor: Source, others: list[Source]) -> str:
    """The survivor's aliases, then each merged source's name and aliases; no repeats, not its own name."""
    seen = {survivor.name.casefold()}
    aliases = []
    for name in [*survivor.alias_list(), *(n for o in others for n in (o.name, *o.alias_list()))]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            aliases.append(name)
    return "\n".join(aliases)


@transaction.atomic
def merge_sources(survivor: Source, others: list[Source], user=None) -> int:
    """Move every statement of `others` to `survivor`, keep their names as aliases, delete them.

    All or nothing. Each moved statement gets a history entry naming `user` and the merge.
    Returns how many statements moved.
    """
    others = [o for o in others if o.pk != survivor.pk]
    pks = [o.pk for o in others]
    # Lock the rows so that no statement is attached to a merged source while we move them.
    list(Source.objects.select_for_update().filter(pk__in=[survivor.pk, *pks]))
    names: dict[int | None, str] = {o.pk: o.name for o in others}
    moved = list(Statement.objects.select_for_update().filter(source_id__in=pks))
    for statement in moved:
        statement._change_reason = f"Source “{names[statement.source_id]}” merged into “{survivor.name}”"
        statement.source = survivor
        statement.version += 1  # an edit form opened before the merge must not put the old source back
    bulk_update_with_history(moved, Statement, ["source", "version"], batch_size=1000, default_user=user)
    refresh_for_articles({statement.article_id for statement in moved})  # bulk updates send no signals
    survivor.aliases = merged_aliases(survivor, others)
    survivor.save(update_fields=["aliases"])
    Source.objects.filter(pk__in=pks).delete()
    schedule_matching(article_ids={statement.article_id for statement in moved})  # sources decide quote trimming
    return len(moved)
