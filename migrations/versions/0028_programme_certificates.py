"""Programme certificates: a certificate may stand for an intake's programme instead of one
course (no course, no enrolment), and lists the courses it covers with their hours.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('enrolment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('courses', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('courses')
    op.execute("DELETE FROM certificates WHERE course_id IS NULL")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('enrolment_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
