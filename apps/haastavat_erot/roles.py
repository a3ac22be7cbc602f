"""The Django groups that carry each desk role's model permissions. Created by a data migration
(0003_roles) from ROLE_PERMISSIONS; a membership or county admin role puts the user in its group
(signals.py). Object-level rules (permissions.py) then narrow each permission to the user's own
groups and cases."""

from django.utils.translation import gettext_lazy as _

COORDINATORS = "Koordinaattorit"
CHAIRS = "Puheenjohtajat"
EXPERTS = "Asiantuntijat"
COUNTY_ADMINS = "Pääkäyttäjät"

ROLE_GROUP_LABELS = {
    COORDINATORS: _("Coordinators"),
    CHAIRS: _("Chairs"),
    EXPERTS: _("Experts"),
    COUNTY_ADMINS: _("County admins"),
}

_MEMBER_VIEW = ["view_consultationgroup", "view_session", "view_case", "view_county"]

ROLE_PERMISSIONS = {
    COORDINATORS: _MEMBER_VIEW + [
        "add_session", "change_session", "change_case", "manage_agenda", "view_case_content",
        "add_recommendation", "change_recommendation", "view_recommendation", "record_recommendations",
        "view_membership", "view_sessiondeclaration", "change_sessiondeclaration", "view_casedeclaration",
        "add_documentrequest", "change_documentrequest", "view_documentrequest", "view_accesslogentry",
        "view_destructionreceipt", "view_destructionrun", "view_statistics", "view_calendarfeed",
        "add_calendarfeed", "change_calendarfeed",
    ],
    CHAIRS: _MEMBER_VIEW + [
        "view_case_content", "add_recommendation", "change_recommendation", "view_recommendation",
        "record_recommendations", "sign_off_recommendations", "view_membership", "view_sessiondeclaration",
        "add_casedeclaration", "change_casedeclaration", "view_casedeclaration", "view_statistics",
        "view_calendarfeed", "add_calendarfeed", "change_calendarfeed",
    ],
    EXPERTS: _MEMBER_VIEW + [
        "view_case_content", "view_recommendation", "add_casedeclaration", "change_casedeclaration",
        "view_casedeclaration", "view_calendarfeed", "add_calendarfeed", "change_calendarfeed",
    ],
    COUNTY_ADMINS: ["view_county", "view_consultationgroup", "add_consultationgroup", "change_consultationgroup",
                    "view_membership", "add_membership", "change_membership", "delete_membership",
                    "view_allowedemaildomain", "add_allowedemaildomain", "change_allowedemaildomain",
                    "delete_allowedemaildomain", "view_user", "add_user", "change_user", "view_session",
                    "view_statistics", "view_countyadmin", "view_destructionrun"],
}

ROLE_GROUP_OF_MEMBERSHIP = {"coordinator": COORDINATORS, "chair": CHAIRS, "expert": EXPERTS}


def apply_role_permissions(apps):
    """Create the role groups and set their permissions exactly; run by data migrations, so a
    change of ROLE_PERMISSIONS ships as a new migration that calls this again."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # permissions are normally created after migrating
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="haastavat_erot", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)
