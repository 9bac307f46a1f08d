from django.urls import path

from kechuang.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
]
