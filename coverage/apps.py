from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = "Coverage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import outage, security  # noqa: F401 - connects their signal receivers


class FramescopeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with coverage.admin_site.FramescopeAdminSite as `admin.site`."""

    default = False  # named in INSTALLED_APPS; `coverage`'s own config stays CoverageConfig
    default_site = "coverage.admin_site.FramescopeAdminSite"
