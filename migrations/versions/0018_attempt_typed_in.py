"""The interface language a learner answered an attempt in.

`attempts.typed_in` says how the attempt's typed numbers read ("1,500" is 1.5 in French):
the page's language when the attempt started, then when the learner submitted it. NULL for
attempts from before, which read in the language of their questions.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 13:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typed_in', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('typed_in')
