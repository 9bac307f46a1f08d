from django.urls import path, register_converter

from kechuang.experts import views


class CodeConverter:
    """An expert code (E00001): /experts/me/, /new/ and /import/ never clash with it."""

    regex = "E[0-9]{5,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DrawIdConverter:
    regex = "[A-Za-z0-9][A-Za-z0-9-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "expert")
register_converter(DrawIdConverter, "draw")

app_name = "experts"
urlpatterns = [
    path("experts/", views.expert_list, name="list"),
    path("experts/new/", views.expert_new, name="new"),
    path("experts/me/", views.me, name="me"),
    path("experts/me/availability/", views.me_availability, name="me_availability"),
    path("experts/me/relationships/", views.me_relationship, name="me_relationship"),
    path("experts/import/", views.import_page, name="import"),
    path("experts/import/template.xlsx", views.import_template, name="template"),
    path("experts/<expert:code>/", views.expert_detail, name="detail"),
    path("experts/<expert:code>/edit/", views.expert_edit, name="edit"),
    path("experts/<expert:code>/id-number/", views.id_number, name="id_number"),
    path("experts/<expert:code>/relationships/", views.relationship_new, name="relationship_new"),
    path(
        "experts/<expert:code>/collaborations/", views.collaboration_new, name="collaboration_new"
    ),
    path("draws/", views.draw_list, name="draws"),
    path("draws/<draw:draw_id>.json", views.draw_export, name="draw_export"),
    path("draws/<draw:draw_id>/", views.draw_detail, name="draw"),
    path("draws/<draw:draw_id>/record.json", views.draw_record, name="draw_record"),
    path("draws/<draw:draw_id>/perform/", views.draw_perform, name="draw_perform"),
]
