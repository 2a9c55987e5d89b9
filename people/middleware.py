from django.shortcuts import redirect

from .access import PurposeRequired


class PurposeRequiredMiddleware:
    """Sends a page that opens a protected identity without a stated purpose to the purpose form.

    One place, so that no page can forget to ask.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PurposeRequired):
            return redirect("person_purpose", person_id=exception.person_id)
        return None
