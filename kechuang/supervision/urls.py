from django.urls import path

from kechuang.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("overdue/", views.overdue, name="overdue"),
    path("supervision/", views.supervision_list, name="supervisions"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
