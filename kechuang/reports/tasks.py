"""Background work: reports take seconds to write, so any worker process generates them."""

from django_tasks import task

from kechuang.reports import services


@task()
def generate_report(report_id: int) -> str:
    return services.run_report(report_id)
