"""Prevention: the local MED's decision on local adaptation, when a risk flag was set, item effect as a word.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workplace", sa.Column("local_adaptation_decided_on", sa.Date(), nullable=True))
    op.add_column("workplace", sa.Column("local_adaptation_decision", sa.String(), nullable=False, server_default=""))
    op.add_column("workplace", sa.Column("risk_flagged_on", sa.Date(), nullable=True))
    # A workplace already flagged has been at risk at least since it was created.
    op.execute(
        "UPDATE workplace SET risk_flagged_on = date(created_at) WHERE risk_violence_citizens OR risk_sexual_citizens"
    )
    # "Did it work?" has three answers (yes / partly / no), not two.
    with op.batch_alter_table("action_item") as batch:
        batch.alter_column("effective", type_=sa.String(), existing_type=sa.Boolean(), existing_nullable=True)
    op.execute(
        # A boolean turned text reads '1'/'0' on SQLite and 'true'/'false' on PostgreSQL.
        "UPDATE action_item SET effective = CASE WHEN effective IN ('1', 'true') THEN 'yes'"
        " WHEN effective IN ('0', 'false') THEN 'no' END "
        "WHERE effective IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("UPDATE action_item SET effective = CASE effective WHEN 'no' THEN 0 WHEN NULL THEN NULL ELSE 1 END")
    with op.batch_alter_table("action_item") as batch:
        batch.alter_column("effective", type_=sa.Boolean(), existing_type=sa.String(), existing_nullable=True)
    with op.batch_alter_table("workplace") as batch:
        batch.drop_column("risk_flagged_on")
        batch.drop_column("local_adaptation_decision")
        batch.drop_column("local_adaptation_decided_on")
