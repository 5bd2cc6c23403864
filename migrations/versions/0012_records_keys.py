"""The audit chain is keyed: each event names the key whose HMAC is its link.

Events written before this revision keep an empty key id: their links stay plain SHA-256,
and `records verify` accepts such links only before the first keyed event.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # ADD COLUMN is done in place on SQLite too (batch mode does not rebuild the table for
    # it), so the append-only triggers of 0003 stay; on PostgreSQL it fires no row trigger.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), server_default='',
                                      nullable=False))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would rebuild the table and lose its triggers; SQLite drops a column
        # in place since 3.35.
        op.execute("ALTER TABLE events DROP COLUMN key_id")
    else:
        op.drop_column('events', 'key_id')
