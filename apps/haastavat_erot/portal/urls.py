from django.urls import path

from .views import accounts, cases, files, recommendations

app_name = "portal"

urlpatterns = [
    path("", cases.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("account/two-factor/", accounts.two_factor, name="two_factor"),
    path("language/", accounts.set_language, name="set_language"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/recommendations/", recommendations.case_recommendations, name="case_recommendations"),
    path("cases/<int:pk>/recommendations.pdf", recommendations.recommendations_pdf, name="recommendations_pdf"),
    path("cases/<int:pk>/recommendations/acknowledge/", recommendations.recommendations_acknowledge,
         name="recommendations_acknowledge"),
    path("cases/<int:pk>/recommendations/feedback/", recommendations.recommendations_feedback,
         name="recommendations_feedback"),
    path("files/<int:pk>/", files.attachment_download, name="attachment_download"),
]
