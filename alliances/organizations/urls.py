from django.urls import path

from alliances.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("nouvelle/", views.organization_create, name="create"),
    path("moderation/", views.moderation, name="moderation"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/modifier/", views.organization_edit, name="edit"),
    path("<slug:slug>/membres/", views.member_list, name="members"),
    path("<slug:slug>/membres/<int:membership_id>/", views.member_update, name="member_update"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/retirer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
