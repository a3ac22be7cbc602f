from django.contrib import admin
from django.urls import include, path

from apps.haastavat_erot import health

urlpatterns = [
    path("desk/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("", include("apps.haastavat_erot.portal.urls")),
]
