from django.urls import path

from kechuang.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("manage/programs/new/", views.program_new, name="program_new"),
    path("manage/programs/<slug:code>/", views.program_edit, name="program_edit"),
    path("manage/calls/new/", views.call_new, name="call_new"),
    path("manage/calls/<slug:code>/", views.call_edit, name="call_edit"),
    path("manage/calls/<slug:code>/applications/", views.call_applications, name="applications"),
    path("manage/calls/<slug:code>/ranking/", views.call_ranking, name="ranking"),
    path("registry/", views.registry, name="registry"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/id-number/", views.id_number, name="id_number"),
    path("calls/<slug:code>/", views.call_detail, name="call"),
]
