from django.urls import path

from kechuang.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.call_new, name="new"),
    path("manage/formal-check/", views.formal_check_queue, name="formal_check"),
    path("manage/<slug:code>/", views.call_edit, name="edit"),
    path("manage/<slug:code>/applications/", views.call_applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:code>/", views.call_detail, name="detail"),
    path("<slug:code>/apply/", views.apply, name="apply"),
]
