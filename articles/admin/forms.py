"""Forms of the admin's custom pages: import, assign a meeting, merge two records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.importing import SUPPORTED_SUFFIXES
from articles.models import Article, ArticlePerson, Meeting


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; empty files and files over the
    size limit reach the importer, which reports each as failed rather than refusing the whole
    upload."""

    def __init__(self, **kwargs):
        accept = ",".join(sorted(SUPPORTED_SUFFIXES))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple) and data:
            return [clean_one(item, initial) for item in data]
        return [clean_one(data or None, initial)]  # nothing sent: the "required" error


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Fichiers"),
        help_text=_("Un ou plusieurs fichiers .txt ou .html (un article par fichier)."),
    )
    source_name = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_(
            "Facultatif : utilisée quand le fichier ne nomme pas sa source. Un nom ou un autre "
            "nom connu retrouve la source existante ; sinon une source est créée."
        ),
    )
    status = forms.ChoiceField(label=_("Statut initial"), choices=Article.Status.choices)

    def __init__(self, *args, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            self.fields["status"].choices = [
                choice for choice in Article.Status.choices if choice[0] != Article.Status.PUBLISHED
            ]
        self.fields["status"].initial = Article.Status.TO_CHECK


class AssignMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Réunion"),
        queryset=Meeting.objects.order_by("-start_date"),
        help_text=_("Remplace les propositions non confirmées des articles sélectionnés."),
    )


class CorrectMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.order_by("-start_date"))


class CorrectRoleForm(forms.Form):
    role = forms.ChoiceField(choices=ArticlePerson.Role.choices)


class MergeForm(forms.Form):
    """Pick, among two records, the one that survives the merge."""

    survivor = forms.TypedChoiceField(
        label=_("Garder"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["survivor"].choices = [(item.pk, str(item)) for item in self.candidates]

    def survivor_and_absorbed(self):
        chosen = self.cleaned_data["survivor"]
        survivor = next(item for item in self.candidates if item.pk == chosen)
        absorbed = next(item for item in self.candidates if item.pk != chosen)
        return survivor, absorbed
