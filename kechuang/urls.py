from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kechuang.api import api

urlpatterns = [
    path("", include("kechuang.web.urls")),
    path("data/", include("kechuang.indicators.urls")),
    path("tasks/", include("kechuang.supervision.urls")),
    path("enterprises/", include("kechuang.enterprises.urls")),
    path("cultivation/", include("kechuang.cultivation.urls")),
    path("", include("kechuang.experts.urls")),
    path("calls/", include("kechuang.calls.urls")),
    path("reviews/", include("kechuang.reviews.urls")),
    path("projects/", include("kechuang.projects.urls")),
    path("inspections/", include("kechuang.inspections.urls")),
    path("notifications/", include("kechuang.notifications.urls")),
    path("policies/", include("kechuang.policies.urls")),
    path("vouchers/", include("kechuang.vouchers.urls")),
    path("talent/", include("kechuang.talent.urls")),
    path("carriers/", include("kechuang.carriers.urls")),
    path("achievements/", include("kechuang.achievements.urls")),
    path("popularization/", include("kechuang.popularization.urls")),
    path("reports/", include("kechuang.reports.urls")),
    path("open-data/", include("kechuang.opendata.urls")),
    path("audit/", include("kechuang.audit.urls")),
    path("api/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
