"""Essay reminders: the day each grader was reminded of the essays waiting, so that the daily
scan's reminder is claimed once per grader and day, even by two workers at once.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-12 10:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'essay_reminders',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_essay_reminders_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_essay_reminders')),
    )


def downgrade():
    op.drop_table('essay_reminders')
