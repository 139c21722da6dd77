import importlib

import pytest
from django.apps import apps

from coverage.roles import sync_roles


@pytest.fixture(autouse=True)
def migration_data(transactional_db):
    """Browser tests are transactional, and a transactional test's flush empties every table,
    rows made by data migrations included: put the default codebook and the roles back."""
    importlib.import_module("coverage.migrations.0002_media_frames_codebook").install(apps, None)
    sync_roles(apps)
