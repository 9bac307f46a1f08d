from django.urls import path

from kechuang.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.approved_applications, name="approved"),
    path("new/<int:pk>/", views.project_new, name="new"),
    path("inspections/missing/", views.missing_inspections, name="missing_inspections"),
    path("midterm/mine/", views.midterm_mine, name="midterm_mine"),
    path("midterm/<str:code>/", views.midterm, name="midterm"),
    path("orgs/<slug:code>/", views.org_record, name="org"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/", views.project_detail, name="detail"),
]
