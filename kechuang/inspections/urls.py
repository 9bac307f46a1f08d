from django.urls import path

from kechuang.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.check_list, name="list"),
    path("public/", views.public, name="public"),
    path("mine/", views.mine, name="mine"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("files/<int:pk>/", views.check_file, name="file"),
]
