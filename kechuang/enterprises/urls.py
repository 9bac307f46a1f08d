from django.urls import path, register_converter

from kechuang.enterprises import views


class USCCConverter:
    """18 characters of the GB 32100 alphabet, so /mine/, /new/ and /import/ never clash."""

    regex = "[0-9A-HJ-NP-RT-UW-Y]{18}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(USCCConverter, "uscc")

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.job_page, name="job"),
    path("import/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("templates/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
    path("<uscc:uscc>/", views.enterprise_detail, name="detail"),
    path("<uscc:uscc>/edit/", views.enterprise_edit, name="edit"),
    path("<uscc:uscc>/figures/", views.figures_form, name="figures"),
    path(
        "<uscc:uscc>/figures/<int:year>/<str:action>/",
        views.figures_review,
        name="figures_review",
    ),
    path("<uscc:uscc>/ip/new/", views.ip_new, name="ip_new"),
    path("<uscc:uscc>/certifications/new/", views.certification_new, name="certification_new"),
    path("<uscc:uscc>/events/new/", views.event_new, name="event_new"),
]
