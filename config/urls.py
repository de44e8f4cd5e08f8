from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from alliances.observatory.publishing.api import api

urlpatterns = [
    path("", include("alliances.portal.urls")),
    path("compte/", include("alliances.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("organisations/", include("alliances.organizations.urls")),
    path("apprendre/", include("alliances.learning.urls")),
    path("observatoire/", include("alliances.observatory.urls")),
    path("regions/", include("alliances.territories.urls")),
    path("agir/", include("alliances.diagnostic.urls")),
    path("agir/partenariats/", include("alliances.partnerships.urls")),
    path("agir/temoignages/", include("alliances.testimonies.urls")),
    path("agir/debats/", include("alliances.engagement.urls.debates")),
    path("actualites/", include("alliances.engagement.urls.news")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)  # type: ignore[arg-type]

handler403 = "alliances.portal.views.permission_denied"
handler404 = "alliances.portal.views.page_not_found"
handler500 = "alliances.portal.views.server_error"
