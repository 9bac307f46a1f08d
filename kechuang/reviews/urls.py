from django.urls import path

from kechuang.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("mine/", views.mine, name="mine"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("panels/<int:pk>/", views.panel, name="panel"),
    path("calls/<slug:code>/", views.board, name="board"),
    path("calls/<slug:code>/notice/", views.notice, name="notice"),
]
