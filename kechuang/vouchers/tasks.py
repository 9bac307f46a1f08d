"""Background work: the daily expiry, so any worker process (or a scheduler) can run it."""

from django_tasks import task

from kechuang.vouchers import services


@task()
def expire_vouchers() -> dict:
    report = services.expire_vouchers()
    return {"expired": report.count, "amount": str(report.amount)}
