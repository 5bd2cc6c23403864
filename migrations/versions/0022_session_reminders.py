"""Live-session reminders: when each registration's reminder the day before and the hour
before was claimed, so that each goes out once.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('session_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_reminded_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('hour_reminded_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('session_registrations', schema=None) as batch_op:
        batch_op.drop_column('hour_reminded_at')
        batch_op.drop_column('day_reminded_at')
