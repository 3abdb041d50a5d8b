"""Public pages of the archive. Views stay thin: querysets and ``search.py`` do the work."""

from django.shortcuts import render

from articles.models import Article, Meeting, Person, Source


def home(request):
    archive_size = {
        "articles": Article.objects.published().count(),
        "meetings": Meeting.objects.count(),
        "sources": Source.objects.count(),
        "people": Person.objects.count(),
    }
    return render(request, "articles/home.html", {"archive_size": archive_size})
