from django.urls import URLPattern

app_name = "debates"
urlpatterns: list[URLPattern] = []
