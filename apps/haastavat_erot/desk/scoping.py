"""The base of every desk ModelAdmin: list only what the user may see (permissions.py's
QuerySet functions) and check the object permission for each object, so that a guessed id in a
URL, an autocomplete or an action opens nothing more than the change list shows."""

from django.contrib import admin


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses set `object_view_perm` / `object_change_perm` (rules names, without the app
    label) and implement `scope(request, queryset)`."""

    object_view_perm = None
    object_change_perm = None
    object_delete_perm = None

    def scope(self, request, queryset):
        return queryset.none()

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _object_perm(self, request, perm, obj):
        return perm is not None and request.user.has_perm("haastavat_erot." + perm, obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request) or self.has_change_permission(request)
        return self._object_perm(request, self.object_view_perm, obj) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request) and self._object_perm(request, self.object_change_perm, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request) and self.object_delete_perm is not None
        return super().has_delete_permission(request) and self._object_perm(request, self.object_delete_perm, obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """For records the desk only shows (logs, runs, receipts): nobody adds, changes or deletes
    them here, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
