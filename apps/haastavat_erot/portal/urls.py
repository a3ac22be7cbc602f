from django.urls import path

from .views import accounts, cases, files, public

app_name = "portal"

urlpatterns = [
    path("", cases.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("account/two-factor/", accounts.two_factor, name="two_factor"),
    path("language/", accounts.set_language, name="set_language"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("files/<int:pk>/", files.attachment_download, name="attachment_download"),
    path("groups/", public.group_index, name="public_groups"),
    path("groups/<slug:slug>/", public.group_short, name="public_group_short"),
    path("groups/<slug:county>/<slug:slug>/", public.group_page, name="public_group"),
]
