"""Language versions of courses: `course.fr.md` and `01-intro.fr.md` beside the originals.

`course_translations` and `module_translations` hold each version's texts, rendered at
import; `courses.languages` and `modules.languages` list the languages of their versions;
`attempts.language` is the language of the version an attempt was started in (the
attempts before this revision were all in their course's own language).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('landing_html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_translations_course_id_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_translations')),
    sa.UniqueConstraint('course_id', 'language', name=op.f('uq_course_translations_course_id'))
    )
    with op.batch_alter_table('course_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_translations_course_id'), ['course_id'], unique=False)

    op.create_table('module_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('objectives', sa.JSON(), nullable=False),
    sa.Column('quiz_titles', sa.JSON(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('facilitator_html', sa.Text(), nullable=False),
    sa.Column('quizzes', sa.JSON(), nullable=False),
    sa.Column('checklists', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_module_translations_course_id_courses')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_module_translations_module_id_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_translations')),
    sa.UniqueConstraint('module_id', 'language', name=op.f('uq_module_translations_module_id'))
    )
    with op.batch_alter_table('module_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_translations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_translations_module_id'), ['module_id'], unique=False)

    for table in ('courses', 'modules'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('languages', sa.JSON(), server_default='[]',
                                          nullable=False))
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=35), server_default='en',
                                      nullable=False))
    # Every attempt so far was in its course's own language.
    op.execute("UPDATE attempts SET language = (SELECT courses.language FROM quizzes JOIN "
               "courses ON courses.id = quizzes.course_id WHERE quizzes.id = attempts.quiz_id)")


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('language')
    for table in ('modules', 'courses'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('languages')
    with op.batch_alter_table('module_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_translations_module_id'))
        batch_op.drop_index(batch_op.f('ix_module_translations_course_id'))
    op.drop_table('module_translations')
    with op.batch_alter_table('course_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_translations_course_id'))
    op.drop_table('course_translations')
