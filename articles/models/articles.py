"""Articles and what links them to meetings and people: links, quotes, near-duplicate
fingerprints."""

from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.common import ArticleStatus, choices_constraint
from articles.models.reference import Meeting, Person, Source


class ArticleLanguage(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    OTHER = "other", _("Autre")


class ArticleFormat(models.TextChoices):
    TEXT = "text", _("Texte")
    HTML = "html", _("HTML")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def to_check(self):
        return self.filter(status=Article.Status.TO_CHECK)

    def for_meeting(self, meeting):
        return self.filter(meeting_links__meeting=meeting)

    def quoting(self, person):
        return self.filter(
            person_links__person=person, person_links__role=ArticlePerson.Role.QUOTED
        ).distinct()

    def mentioning(self, person):
        return self.filter(person_links__person=person).distinct()

    def from_source(self, source):
        return self.filter(source=source)

    def with_listing_data(self):
        """Everything a list of articles shows, in a bounded number of queries."""
        return self.with_quoted_people().prefetch_related(
            Prefetch("meeting_links", queryset=ArticleMeeting.objects.select_related("meeting")),
        )

    def with_quoted_people(self):
        """The source, and the quoted people as ``quoted_links`` (by name), in two queries."""
        return self.select_related("source").prefetch_related(
            Prefetch(
                "person_links",
                queryset=ArticlePerson.objects.filter(role=ArticlePerson.Role.QUOTED)
                .select_related("person")
                .order_by("person__name"),
                to_attr="quoted_links",
            ),
        )

    def newest_first(self):
        return self.order_by(F("published_on").desc(nulls_last=True), "-id")


class Article(models.Model):
    Status = ArticleStatus

    Language = ArticleLanguage

    Format = ArticleFormat

    title = models.CharField(_("titre"), max_length=500)
    title_is_derived = models.BooleanField(
        _("titre déduit"),
        default=False,
        help_text=_("Le fichier n’avait pas de titre : celui-ci est tiré du chapeau."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    lead = models.TextField(_("chapeau"), blank=True)
    body = models.TextField(_("texte"))
    language = models.CharField(
        _("langue"), max_length=8, choices=Language.choices, default=Language.FRENCH
    )
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    date_evidence = models.CharField(_("origine de la date"), max_length=255, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    canonical_url = models.URLField(_("URL canonique"), max_length=1000, blank=True)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, unique=True)
    meetings = models.ManyToManyField(
        Meeting,
        through="ArticleMeeting",
        related_name="articles",
        blank=True,
        verbose_name=_("réunions"),
    )
    people = models.ManyToManyField(
        Person,
        through="ArticlePerson",
        related_name="articles",
        blank=True,
        verbose_name=_("personnes"),
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.TO_CHECK
    )
    near_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="near_duplicates",
        verbose_name=_("quasi-doublon de"),
    )
    near_duplicate_similarity = models.FloatField(_("similarité"), null=True, blank=True)

    # Provenance: where the text came from, kept verbatim so any detection can be re-run.
    original_filename = models.CharField(_("fichier d’origine"), max_length=500, blank=True)
    source_format = models.CharField(
        _("format du fichier"), max_length=8, choices=Format.choices, default=Format.TEXT
    )
    raw_file = models.BinaryField(_("fichier brut"), blank=True, default=b"", editable=False)
    raw_encoding = models.CharField(_("encodage du fichier"), max_length=40, blank=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    importer_version = models.CharField(_("version de l’importateur"), max_length=20, blank=True)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Optimistic concurrency: every change of the article or of its links through the admin,
    # curation or a re-import counts one up, and a form opened at another version is refused
    # instead of silently reverting what was saved since.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set by the editors' changes (admin, curation), never by an import: a re-import must not
    # overwrite what an editor corrected.
    edited_at = models.DateTimeField(
        _("modifié par un éditeur le"), null=True, blank=True, editable=False
    )
    # A re-import of an article the editors made theirs: the page's new title and text wait
    # here for an editor to accept them; the article keeps showing what they reviewed.
    proposed_title = models.CharField(_("titre proposé"), max_length=500, blank=True)
    proposed_lead = models.TextField(_("chapeau proposé"), blank=True)
    proposed_body = models.TextField(_("texte proposé"), blank=True)
    proposed_at = models.DateTimeField(_("révision importée le"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            choices_constraint("status", ArticleStatus, "article_status_valid"),
            choices_constraint("language", ArticleLanguage, "article_language_valid"),
            choices_constraint("source_format", ArticleFormat, "article_source_format_valid"),
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="article_canonical_url_unique",
            ),
            models.CheckConstraint(
                condition=~Q(near_duplicate_of=F("id")), name="article_not_its_own_duplicate"
            ),
        ]
        permissions = [
            ("publish_article", _("Peut publier et dépublier des articles")),
            ("import_articles", _("Peut importer des fichiers d’articles")),
        ]
        indexes = [
            models.Index(fields=["status", "published_on"], name="article_status_date_idx"),
            models.Index(fields=["published_on"], name="article_published_on_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_edited(self) -> bool:
        """Editors have made it theirs: changed it, or moved it past « to check »."""
        return self.edited_at is not None or self.status != self.Status.TO_CHECK

    @property
    def has_proposed_revision(self) -> bool:
        return self.proposed_at is not None


class ArticleMeeting(models.Model):
    """An article covers a meeting; the importer proposes it with its confidence and evidence."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="meeting_links")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="article_links")
    confidence = models.FloatField(_("confiance"), null=True, blank=True)
    evidence = models.TextField(_("indices"), blank=True)
    confirmed = models.BooleanField(_("confirmé par un éditeur"), default=False)

    class Meta:
        ordering = ["meeting__start_date"]
        verbose_name = _("réunion couverte")
        verbose_name_plural = _("réunions couvertes")
        constraints = [
            models.UniqueConstraint(fields=["article", "meeting"], name="article_meeting_unique"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="article_meeting_confidence_range",
            ),
        ]
        # A meeting's articles in article order: the importer's near-duplicate candidates
        # are the oldest of them, read without sorting the whole meeting.
        indexes = [models.Index(fields=["meeting", "article"], name="meeting_article_idx")]

    def __str__(self):
        return f"{self.article} → {self.meeting}"


class PersonRole(models.TextChoices):
    QUOTED = "quoted", _("Cité")
    MENTIONED = "mentioned", _("Mentionné")


class SpeechKind(models.TextChoices):
    DIRECT = "direct", _("Citation directe")
    INDIRECT = "indirect", _("Discours indirect")
    NONE = "", _("—")


class ArticlePerson(models.Model):
    """A person in an article: quoted (a speaker, directly or indirectly) or merely mentioned."""

    Role = PersonRole

    QuoteKind = SpeechKind

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="article_links")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    quote_kind = models.CharField(
        _("type de citation"), max_length=16, choices=QuoteKind.choices, blank=True, default=""
    )
    evidence = models.TextField(_("indices"), blank=True)
    confirmed = models.BooleanField(_("confirmé par un éditeur"), default=False)

    class Meta:
        ordering = ["role", "person__name"]
        verbose_name = _("personne dans l’article")
        verbose_name_plural = _("personnes dans l’article")
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="article_person_unique"),
            choices_constraint("role", PersonRole, "article_person_role_valid"),
            choices_constraint("quote_kind", SpeechKind, "article_person_quote_kind_valid"),
        ]
        indexes = [models.Index(fields=["person", "role"], name="article_person_role_idx")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) — {self.article}"


class QuoteType(models.TextChoices):
    DIRECT = "direct", _("Citation directe")
    INDIRECT = "indirect", _("Discours indirect")


class Quote(models.Model):
    """A quotation extracted from an article, with who said it and how it is reported."""

    Kind = QuoteType

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("texte"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position dans le texte"), default=0)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [choices_constraint("kind", QuoteType, "quote_kind_valid")]

    def __str__(self):
        return f"{self.person} : « {self.text[:60]} »"


class ArticleFingerprint(models.Model):
    """An article's near-duplicate signature: the sorted 64-bit hashes of its 5-word shingles.

    Written by the importer with the article, so a new file is compared with stored signatures
    instead of re-reading and re-cutting every candidate's text. ``computed_for`` is the
    article's ``updated_at`` when the signature was made: a signature older than the article
    (an editor changed the text) is ignored and recomputed from the text.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    shingle_hashes = models.BinaryField(_("empreintes des fragments"), editable=False)
    computed_for = models.DateTimeField(_("calculée pour la version du"))

    class Meta:
        ordering = ["article"]
        verbose_name = _("empreinte d’article")
        verbose_name_plural = _("empreintes d’articles")

    def __str__(self):
        return f"empreinte de l’article {self.article_id}"
