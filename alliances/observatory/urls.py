from django.urls import path

from alliances.observatory import views
from alliances.observatory.publishing.views import analyst, downloads, library, reports

app_name = "observatory"
urlpatterns = [
    path("analyse/", views.wave_list, name="wave_list"),
    path("analyse/<slug:slug>/", views.wave_detail, name="wave_detail"),
    path("analyse/<slug:slug>/<slug:population>/depot/", views.import_create, name="import_create"),
    path(
        "analyse/<slug:slug>/<slug:population>/depots/<int:job_id>/",
        views.import_detail,
        name="import_detail",
    ),
    path(
        "analyse/<slug:slug>/<slug:population>/depots/<int:job_id>/confirmer/",
        views.import_confirm,
        name="import_confirm",
    ),
    path("analyse/<slug:slug>/<slug:population>/marges/", views.margins_upload, name="margins"),
    path(
        "analyse/<slug:slug>/<slug:population>/ponderation/",
        views.weighting_run,
        name="weighting_run",
    ),
    path(
        "analyse/<slug:slug>/<slug:population>/ponderation/etat/",
        views.weighting_status,
        name="weighting_status",
    ),
]
# Analyst pages first: public pages start with a wave's slug.
urlpatterns += analyst.urlpatterns
urlpatterns += library.urlpatterns + reports.urlpatterns + downloads.urlpatterns
