from django.urls import path

from alliances.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("nouveau/", views.partnership_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/modifier/", views.partnership_edit, name="edit"),
    path("<int:pk>/etape/", views.partnership_stage, name="stage"),
    path("<int:pk>/feuille-de-route/", views.roadmap, name="roadmap"),
    path("<int:pk>/feuille-de-route/creer/", views.roadmap_create, name="roadmap_create"),
    path("<int:pk>/feuille-de-route/pdf/", views.roadmap_pdf, name="roadmap_pdf"),
    path("<int:pk>/feuille-de-route/etapes/", views.step_add, name="step_add"),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/fait/",
        views.step_done,
        name="step_done",
    ),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/planifier/",
        views.step_update,
        name="step_update",
    ),
    path(
        "<int:pk>/feuille-de-route/etapes/<int:step_pk>/supprimer/",
        views.step_remove,
        name="step_remove",
    ),
    path("<int:pk>/inviter/", views.invitation_create, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/retirer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
    path("<int:pk>/evaluation/indicateurs/", views.indicator_add, name="indicator_add"),
    path(
        "<int:pk>/evaluation/indicateurs/<int:indicator_pk>/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<int:pk>/evaluation/indicateurs/<int:indicator_pk>/supprimer/",
        views.indicator_remove,
        name="indicator_remove",
    ),
    path("<int:pk>/historique/", views.history, name="history"),
]
