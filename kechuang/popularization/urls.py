from django.urls import path

from kechuang.popularization import views

app_name = "popularization"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="feed"),
    path("totals/", views.totals, name="totals"),
    path("events/new/", views.event_new, name="new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/attachments/", views.attachment_upload, name="attach"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
