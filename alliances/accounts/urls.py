from django.urls import path

from alliances.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("mes-donnees/", views.personal_data, name="personal_data"),
    path("supprimer/", views.account_delete, name="delete"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<int:user_id>/", views.role_update, name="role_update"),
]
