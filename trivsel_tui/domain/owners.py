"""Who answers for a task: the role comes from the rules (rules.toml [owners]), the person from the
workplace and the case unless someone chose another person for that one task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class People:
    """The names a task's owner can default to."""

    leader: str = ""
    amr: str = ""
    amg_members: str = ""
    hr_consultant: str = ""
    consultant: str = ""  # the case's consultant (who registered it)
    affected_person: str = ""


def default_owner(role: str, people: People) -> str:
    """The person a task of `role` goes to; empty where the workplace names nobody (the role is shown)."""
    if role == "leader":
        return people.leader
    if role == "work_environment_group":
        return people.amg_members or people.amr
    if role == "hr":
        return people.hr_consultant or people.consultant
    if role == "employee":
        return people.affected_person
    return ""  # next_leader, personnel_department: a person the workplace does not name


class CaseLike(Protocol):
    @property
    def consultant(self) -> str: ...
    @property
    def affected_person(self) -> str: ...


class WorkplaceLike(Protocol):
    @property
    def leader_name(self) -> str: ...
    @property
    def amr_name(self) -> str: ...
    @property
    def amg_members(self) -> str: ...
    @property
    def hr_consultant(self) -> str: ...


def people_of(case: CaseLike, workplace: WorkplaceLike) -> People:
    """The names from a case and its workplace (stored rows or their views)."""
    return People(
        leader=workplace.leader_name,
        amr=workplace.amr_name,
        amg_members=workplace.amg_members,
        hr_consultant=workplace.hr_consultant,
        consultant=case.consultant,
        affected_person=case.affected_person,
    )
