"""Failed log-ins, counted in the database so that every worker and node sees them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_email_started_at', ['email', 'started_at'],
                              unique=False)
        batch_op.create_index('ix_login_failures_address_started_at', ['address', 'started_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_started_at'), ['started_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_started_at'))
        batch_op.drop_index('ix_login_failures_address_started_at')
        batch_op.drop_index('ix_login_failures_email_started_at')

    op.drop_table('login_failures')
