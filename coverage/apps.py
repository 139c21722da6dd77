from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = "Coverage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saving or deleting statements and articles schedules claim matching (issue 13).
        from . import claims  # noqa: F401
