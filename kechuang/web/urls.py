from django.urls import path

from kechuang.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:code>/", views.plan_public, name="plan"),
    path("plans/<slug:code>/indicators/<str:indicator>/", views.indicator_detail, name="indicator"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:code>/", views.dashboard, name="dashboard_plan"),
    path("dashboard/<slug:code>/export.xlsx", views.dashboard_export, name="dashboard_export"),
]
