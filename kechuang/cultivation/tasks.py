"""Background work: the yearly re-evaluation assesses every enterprise, too long for a request
once the registry is large, so any worker process can take it."""

from django.contrib.auth import get_user_model
from django_tasks import task

from kechuang.cultivation import services


@task()
def run_reevaluation(year: int, user_id: int) -> dict:
    user = get_user_model().objects.get(pk=user_id)
    report = services.propose_moves(year, user=user)
    return {"assessed": report.assessed, "proposed": report.proposed}
