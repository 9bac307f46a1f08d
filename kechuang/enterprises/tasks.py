"""Background work: file imports run as django-tasks tasks, so any worker process can take them."""

from django_tasks import task

from kechuang.enterprises import imports


@task()
def run_import(job_id: int) -> str:
    return imports.run_job(job_id)
