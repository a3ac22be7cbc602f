"""Keep each user's Django groups and staff flag in step with their memberships and county
admin roles, so that the desk's model permissions follow the roles recorded in the data."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ConsultationGroup, CountyAdmin, Membership
from .roles import COUNTY_ADMINS, ROLE_GROUP_LABELS, ROLE_GROUP_OF_MEMBERSHIP


def sync_role_groups(user):
    """Put the user in exactly the role groups their active memberships and county roles imply."""
    wanted = {ROLE_GROUP_OF_MEMBERSHIP[m.role] for m in Membership.objects.filter(user=user, is_active=True)}
    if CountyAdmin.objects.filter(user=user).exists():
        wanted.add(COUNTY_ADMINS)
    current = set(user.groups.filter(name__in=ROLE_GROUP_LABELS).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    is_staff = bool(wanted) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    from .permissions import forget_roles

    forget_roles(user)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=CountyAdmin)
def role_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    sync_role_groups(instance.user)


@receiver(post_save, sender=ConsultationGroup)
def grace_period_changed(sender, instance, created, **kwargs):
    """A new grace period moves the destruction time of the group's handled cases."""
    if created or kwargs.get("raw"):
        return
    from .purge import reschedule_group

    reschedule_group(instance)
