from django.urls import path

from kechuang.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
]
