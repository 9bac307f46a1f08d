from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from kechuang.plans.models import Plan, TaskNode


def default_plan() -> Plan | None:
    """The plan people mean when they name none: the one covering this year, else the newest."""
    year = timezone.localdate().year
    plans = list(Plan.objects.select_related("region").order_by("-period_start"))
    current = [p for p in plans if p.period_start <= year <= p.period_end]
    return (current or plans or [None])[0]


@dataclass
class Node:
    task: TaskNode
    children: list[Node] = field(default_factory=list)


def task_tree(plan: Plan, tasks=None) -> list[Node]:
    """The task tree built in memory from one query (plus one for co-operating departments)."""
    if tasks is None:
        tasks = (
            plan.tasks.select_related("lead_department")
            .prefetch_related("co_departments")
            .order_by("sort_order")
        )
    nodes = {t.pk: Node(t) for t in tasks}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.task.parent_id)
        (parent.children if parent else roots).append(node)
    return roots
