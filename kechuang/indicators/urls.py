from django.urls import path

from kechuang.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.values, name="values"),
    path("new/", views.new_value, name="new"),
    path("<int:pk>/", views.value_detail, name="value"),
    path("<int:pk>/<str:action>/", views.value_action, name="action"),
    path("template.xlsx", views.template, name="template"),
    path("upload/", views.upload, name="upload"),
    path("review/", views.review, name="review"),
]
