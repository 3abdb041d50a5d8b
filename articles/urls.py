from django.urls import path, re_path

from articles.views import browse, search

app_name = "articles"

urlpatterns = [
    path("", browse.home, name="home"),
    path("recherche/", search.search_page, name="search"),
    path("recherche/flux/", search.search_feed, name="search-feed"),
    path("reunions/", browse.meeting_list, name="meeting-list"),
    path("reunions/<slug:slug>/", browse.meeting_detail, name="meeting-detail"),
    path("reunions/<slug:slug>/comparaison/", browse.meeting_compare, name="meeting-compare"),
    path("intervenants/", browse.person_list, name="person-list"),
    path("intervenants/<slug:slug>/", browse.person_detail, name="person-detail"),
    path("sources/", browse.source_list, name="source-list"),
    path("sources/<slug:slug>/", browse.source_detail, name="source-detail"),
    path("articles/<slug:slug>/", browse.article_detail, name="article-detail"),
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/citation\.(?P<format>bib|ris|json)$",
        browse.article_citation,
        name="article-citation",
    ),
]
