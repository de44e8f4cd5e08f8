from django.urls import path

from alliances.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.region_index, name="region_index"),
    path("<slug:slug>/", views.region_detail, name="region_detail"),
]
