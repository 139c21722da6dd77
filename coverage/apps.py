from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = "Coverage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saving or deleting statements and articles schedules claim matching (issue 13).
        from . import (  # noqa: F401 - connects their signal receivers
            claims,  # noqa: F401
            outage,
            security,
        )


class FramescopeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with coverage.admin_site.FramescopeAdminSite as `admin.site`."""

    default = False  # named in INSTALLED_APPS; `coverage`'s own config stays CoverageConfig
    default_site = "coverage.admin_site.FramescopeAdminSite"
