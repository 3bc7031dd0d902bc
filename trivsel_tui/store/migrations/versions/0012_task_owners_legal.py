"""Every task gets its owner (a role and a person), whether its deadline is legal, a personal reminder
and an abandon reason; a workplace names its arbejdsmiljøgruppe members and its HR consultant (issue 12).

Backfill, in plain SQL that runs on PostgreSQL too:
- owner_role from the action code, as rules.toml [actions] assigned owners at this revision; a leader's
  task goes to the leader's own leader when the leader is the perpetrator (routes.leader_is_perpetrator);
- legal_deadline for the tasks whose deadline row is marked legal: the police report (72 hours), the
  victim-compensation application (2 years) and the Insubiz work-accident report (14 days, 48 hours at a
  death); a krænkelse's report deadline is the program's default and stays movable;
- owner (the person) from the workplace and the case, as a new task gets it (domain/owners.py).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store.text_keys import SORT_KEY_TYPE, keys_for

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CHUNK = 5_000
OWNER_ROLES = {
    "insurance_report": "hr",
    "police_report": "hr",
    "victim_compensation": "employee",
    "clarify_injury": "hr",
    "offer_support": "leader",
    "amg_follow_up": "work_environment_group",
    "resolve_locally": "employee",
    "resolve_locally_manager": "employee",
    "peer_escalation": "personnel_department",
    "leader_follow_up": "leader",
    "conflict_handling": "leader",
    "manual": "hr",
}
# The person each role defaults to, from the task's case and its workplace (no members were named yet).
_CASE = 'SELECT {column} FROM "case" c JOIN workplace w ON w.id = c.workplace_id WHERE c.id = task.case_id'
OWNER_SOURCES = {
    "leader": "w.leader_name",
    "work_environment_group": "w.amr_name",
    "hr": "c.consultant",
    "employee": "c.affected_person",
}


def upgrade() -> None:
    op.add_column("workplace", sa.Column("amg_members", sa.String(), nullable=False, server_default=""))
    op.add_column("workplace", sa.Column("hr_consultant", sa.String(), nullable=False, server_default=""))
    for name in ("owner_role", "owner", "owner_search", "abandon_reason"):
        op.add_column("task", sa.Column(name, sa.String(), nullable=False, server_default=""))
    op.add_column("task", sa.Column("owner_sort", SORT_KEY_TYPE, nullable=False, server_default=""))
    op.add_column("task", sa.Column("owner_chosen", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("task", sa.Column("legal_deadline", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("task", sa.Column("remind_at", sa.DateTime(), nullable=True))
    connection = op.get_bind()
    roles = " ".join(f"WHEN '{code}' THEN '{role}'" for code, role in OWNER_ROLES.items())
    connection.execute(sa.text(f"UPDATE task SET owner_role = CASE action_code {roles} ELSE '' END"))
    connection.execute(
        sa.text(
            "UPDATE task SET owner_role = 'next_leader' WHERE owner_role = 'leader'"
            " AND episode_id IN (SELECT id FROM episode WHERE perpetrator = 'manager')"
        )
    )
    connection.execute(
        sa.text(
            "UPDATE task SET legal_deadline = :yes WHERE action_code IN ('police_report', 'victim_compensation')"
            " OR (action_code = 'insurance_report'"
            " AND episode_id IN (SELECT id FROM episode WHERE insurance_report = 'work_accident'))"
        ),
        {"yes": True},
    )
    for role, column in OWNER_SOURCES.items():
        connection.execute(
            sa.text(f"UPDATE task SET owner = COALESCE(({_CASE.format(column=column)}), '') WHERE owner_role = :role"),
            {"role": role},
        )
    _owner_keys(connection)


def _owner_keys(connection: sa.Connection) -> None:
    """The owner's search and sort keys, computed in Python a chunk of rows at a time."""
    tasks = sa.table("task", sa.column("id"), sa.column("owner"), sa.column("owner_search"), sa.column("owner_sort"))
    update = (
        sa.update(tasks)
        .where(tasks.c.id == sa.bindparam("row_id"))
        .values(owner_search=sa.bindparam("s"), owner_sort=sa.bindparam("k"))
    )
    last = 0
    while True:
        query = sa.select(tasks.c.id, tasks.c.owner).where(tasks.c.id > last, tasks.c.owner != "")
        chunk = connection.execute(query.order_by(tasks.c.id).limit(CHUNK)).all()
        if not chunk:
            return
        rows = []
        for row_id, owner in chunk:
            keys = keys_for("task", {"owner": owner})
            rows.append({"row_id": row_id, "s": keys["owner_search"], "k": keys["owner_sort"]})
        connection.execute(update, rows)
        last = chunk[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        for name in (
            "remind_at",
            "legal_deadline",
            "owner_chosen",
            "owner_sort",
            "abandon_reason",
            "owner_search",
            "owner",
            "owner_role",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("workplace") as batch:
        batch.drop_column("hr_consultant")
        batch.drop_column("amg_members")
