"""The two roles besides superusers (admins), as permission codenames per group.

Editors read the dashboard; they have no staff status, so admin stays closed to them.
Taggers work in admin: add and change articles, statements, sources and topics, add
outlets (an article of a new outlet is imported in one go), see (but not change) outlets,
events and codebooks, and see and cancel the background jobs they started. They never
manage users or delete outlets or events.
"""

EDITORS = "Editors"
TAGGERS = "Taggers"

_READ = [
    "view_outlet",
    "view_event",
    "view_article",
    "view_topic",
    "view_source",
    "view_statement",
    "view_codebook",
    "view_frame",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Editors make public share links of charts, list their own and revoke them (issue 4).
    EDITORS: _READ + ["add_sharelink", "view_sharelink", "change_sharelink"],
    TAGGERS: _READ
    + [
        "add_outlet",
        "add_article",
        "change_article",
        "add_statement",
        "change_statement",
        "delete_statement",
        "add_source",
        "change_source",
        "add_topic",
        "change_topic",
        "view_historicalstatement",
        # Their own background jobs (imports, suggestions): see them and cancel them.
        "view_job",
        "change_job",
        # Claims across outlets (issue 13): taggers review claim omission candidates.
        "view_claim",
        "view_statementmatch",
        "view_claimomission",
        "change_claimomission",
        "view_historicalclaimomission",
    ],
}


def sync_roles(apps) -> None:
    """Create the groups and give each exactly its permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; make them now so groups can use them.
    for app_config in apps.get_app_configs():
        # Migration states leave models_module unset; the live registry must keep its own.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        # An early migration runs before later models exist; their permissions are given by
        # the migration that adds the model (which calls this again).
        known_models = {model._meta.model_name for model in apps.get_app_config("coverage").get_models()}
        codenames = [codename for codename in codenames if codename.split("_", 1)[1] in known_models]
        perms = Permission.objects.filter(content_type__app_label="coverage", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {group_name}: {sorted(missing)}")
        group.permissions.set(perms)
