from alliances.engagement.views import news

app_name = "news"
urlpatterns = news.urlpatterns
