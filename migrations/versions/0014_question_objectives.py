"""What a question assesses: its objectives and what it asks; quizzes drawn per objective.

`questions.objectives` holds course-wide objective names (`<module>/<objective>`) and
`questions.asks` is `recall` or `apply`; `quizzes.pick_per_objective` marks `pick: N per
objective`. Rows already there assess nothing named and ask for recall, as their files said;
the next import of a changed course fills them in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objectives', sa.JSON(), server_default='[]',
                                      nullable=False))
        batch_op.add_column(sa.Column('asks', sa.String(length=10), server_default='recall',
                                      nullable=False))
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pick_per_objective', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('pick_per_objective')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('asks')
        batch_op.drop_column('objectives')
