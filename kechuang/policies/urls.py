from django.urls import path

import kechuang.enterprises.urls  # noqa: F401 - registers the <uscc:> converter
from kechuang.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.policy_new, name="new"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster"),
    path("rosters/<int:pk>/export.xlsx", views.roster_export, name="roster_export"),
    path("rosters/<int:pk>/<str:action>/", views.roster_decide, name="roster_decide"),
    path("roster-entries/<int:pk>/", views.roster_entry, name="roster_entry"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/enterprises/", views.policy_enterprises, name="enterprises"),
    path("<int:pk>/push/", views.push, name="push"),
    path("<int:pk>/apply/", views.declare_applied, name="apply"),
    path("<int:pk>/applications/<uscc:uscc>/", views.application, name="application"),
    path("<int:pk>/rosters/", views.rosters, name="rosters"),
]
