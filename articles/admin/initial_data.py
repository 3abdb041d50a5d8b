"""Initial values of an add form from its query string (``?source=3&title=…``), checked first.

The admin passes them to the form as they come, and a related field's widget then looks the
value up: ``?source=abc`` was a 500. A value its model field refuses is dropped, with a warning.
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _


def is_valid_initial(field, value) -> bool:
    """Whether ``field`` (a model field) accepts ``value``: a related field checks the key."""
    target = field.target_field if field.is_relation else field
    values = value if isinstance(value, list) else [value]
    for item in values:
        try:
            target.clean(item, None)
        except (ValidationError, TypeError, ValueError, OverflowError):
            return False
    return True


class CheckedInitialDataMixin:
    """Mixed into a ``ModelAdmin``: the add form's initial values are the valid ones only."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        refused = []
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue  # not a field: the form ignores it
            if field.concrete and not is_valid_initial(field, value):
                refused.append(name)
                del initial[name]
        if refused:
            messages.warning(
                request,
                _("Valeur initiale ignorée pour : %(fields)s (valeur invalide dans l’adresse).")
                % {"fields": ", ".join(sorted(refused))},
            )
        return initial
