"""Changing and cancelling live sessions: the calendar's SEQUENCE of each session, and when,
by whom and why it was cancelled.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-16 12:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_class_sessions_cancelled_by_id_users'),
                                    'users', ['cancelled_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_class_sessions_cancelled_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('sequence')
