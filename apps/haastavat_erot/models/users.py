"""Users: every person who logs in, identified by their work e-mail address."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Health services")
    EDUCATION = "education", _("Education services")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A professional: worker, group member, county admin or technical superuser."""

    username = None
    email = models.EmailField(_("work e-mail address"), unique=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    organisation = models.CharField(_("employer organisation"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    # The county whose allowed domain the worker registered with, or whose coordinator invited
    # them: the county admin who sees (and may deactivate) the account.
    home_county = models.ForeignKey("haastavat_erot.County", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("county"))
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def has_perm(self, perm, obj=None):
        """Object permissions always go through the rules (permissions.py), with no superuser
        shortcut: technical superuser status does not open case content."""
        if obj is not None:
            return self.is_active and _user_has_perm(self, perm, obj)
        return super().has_perm(perm, obj)


class AccountEmailKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration link")
    INVITATION = "invitation", _("Invitation")
    PASSWORD_RESET = "password_reset", _("Password reset link")


class PendingAccountEmail(models.Model):
    """An account e-mail asked for in the portal or the desk, waiting for the queue.

    The job receives this row's id, never the address, so that no address sits in Redis. The job
    deletes the row once the message is sent; a row whose job never ran is deleted after
    PENDING_ACCOUNT_EMAIL_HOURS (services.accounts.prune_pending_emails)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AccountEmailKind.choices)
    address = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    group = models.ForeignKey("haastavat_erot.ConsultationGroup", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("group"))
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("invited by"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending account e-mail")
        verbose_name_plural = _("pending account e-mails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="invitation", group__isnull=False, inviter__isnull=False)
                | (~models.Q(kind="invitation") & models.Q(group__isnull=True, inviter__isnull=True)),
                name="pending_email_invitation_has_group_and_inviter"),
        ]
