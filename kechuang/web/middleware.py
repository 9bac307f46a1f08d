from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and intranet machines
    often ship with English browsers; the bureau wants Chinese unless someone asks otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
