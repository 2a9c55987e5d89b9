from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

# The names "login" and "logout" are the ones settings and templates use; the
# OIDC names are mozilla-django-oidc's defaults.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.VerifyCodeView.as_view(), name="otp_verify"),
    path("login/set-up/", views.EnrolView.as_view(), name="otp_enrol"),
    path("login/sso/", oidc.OIDCLoginView.as_view(), name="oidc_authentication_init"),
    path(
        "login/sso/callback/",
        oidc.OIDCCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
