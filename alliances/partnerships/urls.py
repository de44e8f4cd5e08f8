from django.urls import path

from alliances.partnerships.views import evaluation, invitations, record, roadmap

app_name = "partnerships"
urlpatterns = [
    path("", record.partnership_list, name="list"),
    path("nouveau/", record.partnership_create, name="create"),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("<int:pk>/", record.partnership_detail, name="detail"),
    path("<int:pk>/modifier/", record.partnership_edit, name="edit"),
    path("<int:pk>/etape/", record.partnership_stage, name="stage"),
    path("<int:pk>/feuille-de-route/", roadmap.roadmap, name="roadmap"),
    path("<int:pk>/feuille-de-route/creer/", roadmap.roadmap_create, name="roadmap_create"),
    path("<int:pk>/feuille-de-route/pdf/", roadmap.roadmap_pdf, name="roadmap_pdf"),
    path("<int:pk>/feuille-de-route/etapes/", roadmap.step_add, name="step_add"),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/fait/",
        roadmap.step_done,
        name="step_done",
    ),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/planifier/",
        roadmap.step_update,
        name="step_update",
    ),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/supprimer/",
        roadmap.step_remove,
        name="step_remove",
    ),
    path("<int:pk>/inviter/", invitations.invitation_create, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/retirer/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/evaluation/", evaluation.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/pdf/", evaluation.evaluation_pdf, name="evaluation_pdf"),
    path("<int:pk>/evaluation/indicateurs/", evaluation.indicator_add, name="indicator_add"),
    path(
        "<int:pk>/evaluation/indicateurs/<int:indicator_pk>/",
        evaluation.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<int:pk>/evaluation/indicateurs/<int:indicator_pk>/supprimer/",
        evaluation.indicator_remove,
        name="indicator_remove",
    ),
    path("<int:pk>/historique/", record.history, name="history"),
]
