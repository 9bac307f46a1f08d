"""Background work: a call of hundreds of applications needs hundreds of pools and draws,
too long for a request, so any worker process can take them."""

from django.contrib.auth import get_user_model
from django_tasks import task

from kechuang.calls.models import Call
from kechuang.reviews import services


@task()
def create_panels(call_id: int, user_id: int) -> int:
    user = get_user_model().objects.get(pk=user_id)
    return services.create_panels(user, Call.objects.get(pk=call_id))


@task()
def run_draws(call_id: int, user_id: int) -> int:
    user = get_user_model().objects.get(pk=user_id)
    return services.run_draws(user, Call.objects.get(pk=call_id))
