"""The versioned JSON API, /api/v1/. Routers live in their domain apps."""

from ninja import NinjaAPI
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from accounts.twofactor import login_complete
from organisations.models import ApiToken


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>, for system integrations."""

    def authenticate(self, request, token):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session (with CSRF), once the login is complete: a user who must
    give a second factor and has not yet done so is not logged in here."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not login_complete(request):
            return None
        return user


api = NinjaAPI(
    title="Samverka API",
    version="1",
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)

from imports.api import router as imports_router  # noqa: E402
from people.api import router as people_router  # noqa: E402
from responsibility.api import router as responsibility_router  # noqa: E402

api.add_router("/persons", people_router)
api.add_router("/responsibility", responsibility_router)
api.add_router("/imports", imports_router)
