from django.urls import path

from alliances.diagnostic.views import aggregates, results, staff, taking

app_name = "diagnostic"
urlpatterns = [
    path("", taking.index, name="index"),
    path("diagnostics/mes-diagnostics/", results.mine, name="mine"),
    path("diagnostics/enregistrer/", results.claim, name="claim"),
    path("diagnostics/resultats-agreges/", aggregates.aggregates, name="aggregates"),
    path("diagnostics/comparer/<slug:slug>/", results.compare, name="compare"),
    path("diagnostics/gestion/", staff.manage, name="manage"),
    path("diagnostics/gestion/<slug:slug>/", staff.instrument_edit, name="instrument_edit"),
    path(
        "diagnostics/gestion/<slug:slug>/offre/", staff.instrument_toggle, name="instrument_toggle"
    ),
    path(
        "diagnostics/gestion/<slug:slug>/versions/<int:number>/",
        staff.version_source,
        name="version_source",
    ),
    path("diagnostics/partage/<str:token>/", results.shared, name="shared"),
    path("diagnostics/partage/<str:token>/pdf/", results.shared_pdf, name="shared_pdf"),
    path("diagnostics/d/<uuid:public_id>/", taking.take, name="take"),
    path("diagnostics/d/<uuid:public_id>/resultat/", results.result, name="result"),
    path("diagnostics/d/<uuid:public_id>/resultat/pdf/", results.result_pdf, name="result_pdf"),
    path("diagnostics/d/<uuid:public_id>/partager/", results.share, name="share"),
    path("diagnostics/d/<uuid:public_id>/ne-plus-partager/", results.unshare, name="unshare"),
    path("diagnostics/d/<uuid:public_id>/organisation/", results.attach, name="attach"),
    path("diagnostics/d/<uuid:public_id>/refaire/", results.retake, name="retake"),
    path("diagnostics/d/<uuid:public_id>/supprimer/", results.delete, name="delete"),
    path("diagnostics/<slug:slug>/", taking.instrument, name="instrument"),
]
