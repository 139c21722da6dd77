from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coverage.outage import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("coverage.urls")),
]

# Error pages in the site's layout (coverage/errors.py); used when DEBUG is off.
handler400 = "coverage.errors.bad_request"
handler403 = "coverage.errors.permission_denied"
handler404 = "coverage.errors.page_not_found"
handler500 = "coverage.errors.server_error"
