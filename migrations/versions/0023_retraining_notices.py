"""Retraining notices: which learner was told that which version of a module needs retraining.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retraining_notices',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_retraining_notices_user_id_users')),
        sa.ForeignKeyConstraint(['module_id'], ['modules.id'],
                                name=op.f('fk_retraining_notices_module_id_modules')),
        sa.PrimaryKeyConstraint('user_id', 'module_id', 'version',
                                name=op.f('pk_retraining_notices')),
    )


def downgrade():
    op.drop_table('retraining_notices')
