"""Reference data: the sources that publish, the coalition's meetings, the people quoted and
their offices."""

from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.common import ArticleStatus, choices_constraint


class SourceKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("Agence de presse")
    NEWSPAPER = "newspaper", _("Journal")
    BROADCASTER = "broadcaster", _("Radio ou télévision")
    GOVERNMENT = "government", _("Gouvernement")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("Organisation internationale")
    OTHER = "other", _("Autre")


class Source(models.Model):
    Kind = SourceKind

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(_("pays"), max_length=100, blank=True)
    home_page_url = models.URLField(_("site web"), blank=True)
    aliases = models.JSONField(
        _("autres noms"),
        default=list,
        blank=True,
        help_text=_("Autres graphies sous lesquelles les fichiers importés nomment cette source."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [choices_constraint("kind", SourceKind, "source_kind_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source-detail", kwargs={"slug": self.slug})


class MeetingQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.filter(start_date__year=year)

    def with_article_counts(self):
        """Annotate each meeting with the number of published articles that cover it."""
        return self.annotate(
            published_article_count=Count(
                "articles",
                filter=Q(articles__status=ArticleStatus.PUBLISHED),
                distinct=True,
            )
        )


class MeetingKind(models.TextChoices):
    MINISTERIAL = "ministerial", _("Réunion ministérielle")
    SMALL_GROUP_MINISTERIAL = "small_group_ministerial", _("Réunion ministérielle du petit groupe")
    SMALL_GROUP = "small_group", _("Petit groupe")
    POLITICAL_DIRECTORS = "political_directors", _("Directeurs politiques")
    DEFENCE_MINISTERS = "defence_ministers", _("Ministres de la Défense")
    OTHER = "other", _("Autre")


class Meeting(models.Model):
    Kind = MeetingKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=255)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    city = models.CharField(_("ville"), max_length=100)
    city_aliases = models.JSONField(_("autres noms de la ville"), default=list, blank=True)
    country = models.CharField(_("pays"), max_length=100)
    country_aliases = models.JSONField(_("autres noms du pays"), default=list, blank=True)
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"))
    hosts = models.CharField(_("hôtes"), max_length=255, blank=True)
    member_count = models.PositiveSmallIntegerField(
        _("nombre de membres de la coalition"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    communique_url = models.URLField(_("communiqué officiel"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "slug"]
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        constraints = [
            choices_constraint("kind", MeetingKind, "meeting_kind_valid"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="meeting_ends_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["start_date"], name="meeting_start_date_idx")]

    def __str__(self):
        return f"{self.city} {self.start_date:%Y} — {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("articles:meeting-detail", kwargs={"slug": self.slug})

    @property
    def is_single_day(self) -> bool:
        return self.start_date == self.end_date


class Person(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    aliases = models.JSONField(
        _("autres noms"),
        default=list,
        blank=True,
        help_text=_("Graphies et formes courtes, par exemple « Tillerson », « Rex W. Tillerson »."),
    )
    needs_review = models.BooleanField(
        _("à vérifier"),
        default=False,
        help_text=_("Créée par l’importateur pour un intervenant inconnu : à confirmer."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:person-detail", kwargs={"slug": self.slug})

    def office_on(self, day):
        """The office this person held on ``day``, or None."""
        for office in self.offices.all():
            if office.start_date <= day and (office.end_date is None or day <= office.end_date):
                return office
        return None


class Office(models.Model):
    """An office a person held, with its dates: the importer uses them to date articles."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offices")
    role = models.SlugField(
        _("fonction (clé)"),
        max_length=100,
        help_text=_("Clé stable de la fonction, par exemple us-secretary-of-state."),
    )
    title = models.CharField(_("intitulé"), max_length=255)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        ordering = ["person", "start_date"]
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="office_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["role", "start_date"], name="office_role_start_idx")]

    def __str__(self):
        end = f"{self.end_date:%Y-%m-%d}" if self.end_date else "…"
        return f"{self.title} ({self.start_date:%Y-%m-%d} – {end})"
