"""Tagging in admin (issue 5): a suggestion's proposed speaker, and indexes for the statement list.

Each index names the admin query it serves:
- source_type_name_idx: the "source type" filter (sources of one type, by name);
- statement_status_kind_idx: the "status" and "kind" filters;
- statement_status_tone_idx: the "tone" filter (with or without status);
- statement_article_status_idx: one article's suggestions, and event/outlet filters (article_id IN ...);
- statement_tagger_date_idx: the "tagger" filter, newest first.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0005_share_links'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalstatement',
            name='proposed_source_name',
            field=models.CharField(blank=True, help_text='Speaker named in the text that matched no source (suggestions only).', max_length=200),
        ),
        migrations.AddField(
            model_name='statement',
            name='proposed_source_name',
            field=models.CharField(blank=True, help_text='Speaker named in the text that matched no source (suggestions only).', max_length=200),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['type', 'name'], name='source_type_name_idx'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['status', 'kind'], name='statement_status_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['status', 'tone'], name='statement_status_tone_idx'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['article', 'status'], name='statement_article_status_idx'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['tagged_by', 'tagged_at'], name='statement_tagger_date_idx'),
        ),
    ]
