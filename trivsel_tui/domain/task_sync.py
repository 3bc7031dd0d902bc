"""Keeping a case's tasks in line with a (re-)classification without duplicating or losing any."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from trivsel_tui.domain.classify import Action


@dataclass(frozen=True)
class ExistingTask:
    id: int
    action_code: str
    title: str
    due_at: datetime | None
    done: bool


@dataclass(frozen=True)
class TaskChanges:
    create: tuple[Action, ...]
    update: tuple[tuple[int, Action], ...]  # open task id -> what it should now say
    retire: tuple[int, ...]  # open tasks the new classification no longer asks for


def plan_task_changes(existing: Sequence[ExistingTask], actions: Sequence[Action]) -> TaskChanges:
    """Tasks from one episode's classification, matched by action code.

    Done tasks are never touched. An open task whose action still applies is updated in place;
    one that no longer applies is retired (closed with a note), never deleted.
    """
    by_code = {task.action_code: task for task in existing}
    wanted = {action.code for action in actions}
    create = []
    update = []
    for action in actions:
        task = by_code.get(action.code)
        if task is None:
            create.append(action)
        elif not task.done and (task.title != action.title or task.due_at != action.due):
            update.append((task.id, action))
    retire = [task.id for task in existing if not task.done and task.action_code not in wanted]
    return TaskChanges(tuple(create), tuple(update), tuple(retire))
