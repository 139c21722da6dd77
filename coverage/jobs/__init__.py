"""Long work in the background: big imports and suggestions for long texts (docs/jobs.md).

A `Job` (models.py) is what a person sees of one piece of background work: who started
it, its state, its progress and, kept for later, its result or its errors. The work runs
as a Django task (tasks.py) on the database-backed worker, `manage.py db_worker`. Admin
shows a job's page with a progress bar and a cancel button (admin.py).

This package's __init__ imports nothing, so that coverage.models can load the job models
without pulling in the importers.
"""
