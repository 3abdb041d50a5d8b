from django.urls import path

from articles.views import browse

app_name = "articles"

urlpatterns = [
    path("", browse.home, name="home"),
]
