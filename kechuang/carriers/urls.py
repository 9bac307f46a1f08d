from django.urls import path

from kechuang.carriers import views

app_name = "carriers"
urlpatterns = [
    path("", views.carrier_list, name="list"),
    path("new/", views.carrier_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("metrics/template.xlsx", views.metrics_template, name="metrics_template"),
    path("metrics/import/", views.metrics_import, name="metrics_import"),
    path("<int:pk>/", views.carrier_detail, name="detail"),
    path("<int:pk>/edit/", views.carrier_edit, name="edit"),
    path("<int:pk>/status/", views.carrier_status, name="status"),
    path("<int:pk>/metrics/", views.metrics_form, name="metrics"),
    path("<int:pk>/metrics/<int:year>/<str:action>/", views.metrics_review, name="metrics_review"),
]
