"""Who is who: the role and department predicates every app's ``rules.py`` builds on.

Each app declares its own permissions from these; views, services and the API all ask
``user.has_perm(name, obj)``, so a change here changes every one of them.
"""

import rules

from kechuang.accounts.models import User


@rules.predicate
def is_bureau_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.ADMIN


@rules.predicate
def is_bureau_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.STAFF


is_bureau = is_bureau_admin | is_bureau_staff


@rules.predicate
def is_reporter(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.REPORTER
        and user.organization_id is not None
    )


@rules.predicate
def owns_element(user, element) -> bool:
    """The reporter's department owns this data element (or the value's element)."""
    if element is None:
        return False
    element = getattr(element, "element", element)
    return element.owner_id is not None and element.owner_id == user.organization_id


@rules.predicate
def is_task_department(user, task) -> bool:
    """The user's department leads or co-operates on this task."""
    if task is None:
        return False
    task = getattr(task, "task", task)
    org = user.organization_id
    return org is not None and (
        task.lead_department_id == org or task.co_departments.filter(pk=org).exists()
    )


rules.add_perm("accounts.view_audit", is_bureau_admin)
