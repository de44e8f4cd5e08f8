from django.urls import path

from alliances.testimonies import views

app_name = "testimonies"
urlpatterns = [
    path("", views.testimony_list, name="list"),
    path("nouveau/", views.testimony_create, name="create"),
    path("mes-temoignages/", views.testimony_mine, name="mine"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_review, name="review"),
    path("<int:pk>/modifier/", views.testimony_edit, name="edit"),
    path("<int:pk>/soumettre/", views.testimony_submit, name="submit"),
    path("<slug:slug>/", views.testimony_detail, name="detail"),
]
