from django.contrib.auth.backends import ModelBackend


class LoginBackend(ModelBackend):
    """Username and password sign-in only.

    Permissions come from the rules in ``accounts/rules.py``; skipping Django's per-user
    permission tables saves two queries on every page that checks a permission.
    """

    def _get_permissions(self, user_obj, obj, from_name):
        return set()
