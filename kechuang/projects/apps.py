from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "kechuang.projects"
    label = "projects"
    verbose_name = _("项目管理")

    def ready(self) -> None:
        # Every decision about a funded project is kept: who changed what, before and after.
        from auditlog.registry import auditlog

        from kechuang.projects import models as m

        for model in (
            m.Project,
            m.ProjectStateChange,
            m.Milestone,
            m.Deliverable,
            m.BudgetLine,
            m.Disbursement,
            m.ProgressReport,
            m.Attachment,
            m.ChangeRequest,
            m.MidtermEvaluation,
            m.PanelMember,
            m.MidtermScore,
            m.Acceptance,
            m.Outcome,
            m.SelfInspection,
            m.ToleranceRecord,
            m.MisconductRecord,
        ):
            auditlog.register(model)
