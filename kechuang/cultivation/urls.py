from django.urls import path

import kechuang.enterprises.urls  # noqa: F401 - registers the <uscc:> converter
from kechuang.cultivation import views

app_name = "cultivation"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("proposals/", views.proposals, name="proposals"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("funnel/", views.funnel, name="funnel"),
    path("alerts/", views.alerts, name="alerts"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("enterprises/<uscc:uscc>/", views.enterprise, name="enterprise"),
    path("enterprises/<uscc:uscc>/assessments/", views.assessments, name="assessments"),
]
