"""Editors and the history they leave, for the curation tests."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User


def member_of(group_name: str) -> User:
    user = User.objects.create_user(f"membre-{group_name}", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def messages_for(obj) -> list[str]:
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(obj.pk)).order_by("id")
    ]
