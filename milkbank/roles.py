"""The staff roles of DESIGN.md and what each may do.

The groups themselves are made by a migration; their permissions are kept here, in one place, and applied
after every `migrate` so a new model's permissions reach the right people without a hand edit.
"""

COORDINATOR = "Coordinator"
DEPOT_VOLUNTEER = "Depot volunteer"
MEMORIAL_STAFF = "Memorial staff"
CONTENT_EDITOR = "Content editor"
ALL_ROLES = (COORDINATOR, DEPOT_VOLUNTEER, MEMORIAL_STAFF, CONTENT_EDITOR)

# role -> {"app_label.model": ["view", "add", "change", "delete", or custom codenames]}
# Apps add their entries through ROLE_PERMISSIONS in their own `roles.py` module (see _collect).
CRUD = ["view", "add", "change", "delete"]


def _collect():
    """Merge each app's `roles.ROLE_PERMISSIONS` into one map."""
    from importlib import import_module

    from django.apps import apps

    merged: dict[str, dict[str, list[str]]] = {role: {} for role in ALL_ROLES}
    for config in apps.get_app_configs():
        if config.name == "milkbank":
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, models in getattr(module, "ROLE_PERMISSIONS", {}).items():
            for model, actions in models.items():
                merged[role].setdefault(model, []).extend(actions)
    return merged


def permission_codenames(role: str) -> set[tuple[str, str]]:
    """Return (app_label, codename) pairs the role should hold."""
    pairs = set()
    for model, actions in _collect()[role].items():
        app_label, model_name = model.split(".")
        for action in actions:
            codename = f"{action}_{model_name}" if action in CRUD else action
            pairs.add((app_label, codename))
    return pairs


def sync_group_permissions(sender=None, using="default", **kwargs):
    """Give each role group exactly the permissions the code declares."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate fires once per app that has models; every app's permissions exist only by the last one.
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender is not None and sender.name != last.name:
        return
    for role in ALL_ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = permission_codenames(role)
        perms = [
            p
            for p in Permission.objects.using(using).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
