"""Create the desk roles as Django groups with their model permissions (roles.py)."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from apps.haastavat_erot.roles import apply_role_permissions

    apply_role_permissions(apps)


def remove_role_groups(apps, schema_editor):
    from apps.haastavat_erot.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("haastavat_erot", "0002_counties_and_case_session_group_fk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
