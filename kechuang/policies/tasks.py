"""Background work: matching every policy against the registry outlasts a request once the
registry is large, so any worker process can take it; the run's page shows its progress."""

from django_tasks import task

from kechuang.policies import services
from kechuang.policies.models import MatchRun


@task()
def run_matching(run_id: int) -> dict:
    run = MatchRun.objects.get(pk=run_id)
    report = services.match_all(run=run)
    return {"policies": report.policies, "eligible": report.eligible, "possibly": report.possibly}
