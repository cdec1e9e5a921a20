"""URLs. Portal pages are Spanish at the root and English under /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views as portal_views
from portal.accounts import views as account_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("portal.api_urls")),
    path("favicon.ico", portal_views.favicon),  # for clients that ask without reading the page's <link>
]

urlpatterns += i18n_patterns(
    path("accounts/login/", account_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("pilots/", include("pilots.urls")),
    path("surveys/", include("surveys.urls")),
    path("pricing/", include("pilots.pricing.urls")),
    path("benchmarking/", include("pilots.benchmarking.urls")),
    path("search/", include("portal.search.urls")),
    path("staff/today/", portal_views.today, name="today"),
    path("", include("research.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler500 = "portal.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
