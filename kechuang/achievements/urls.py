from django.urls import path

from kechuang.achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.achievement_list, name="list"),
    path("new/", views.achievement_new, name="new"),
    path("<int:pk>/", views.achievement_detail, name="detail"),
    path("<int:pk>/edit/", views.achievement_edit, name="edit"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/import/", views.contract_import, name="contract_import"),
    path("contracts/template.xlsx", views.contract_template, name="contract_template"),
    path("contracts/totals/", views.totals, name="totals"),
    path("contracts/totals/<int:year>/publish/", views.publish, name="publish"),
]
