"""The training network: centres (the hub among them), the roles held at a centre, the
courses a centre offers, programmes and their intakes; every course and enrolment gets the
centre it belongs to (the hub, for what a database held before), and accounts get the
organisation type and gender the network's reports count.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 13:38:51

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('centres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_type', sa.String(length=40), nullable=False),
    sa.Column('primary_colour', sa.String(length=7), nullable=False),
    sa.Column('accent_colour', sa.String(length=7), nullable=False),
    sa.Column('is_hub', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centres')),
    sa.UniqueConstraint('code', name=op.f('uq_centres_code'))
    )
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.create_index('ix_centres_one_hub', ['is_hub'], unique=True, sqlite_where=sa.text('is_hub'), postgresql_where=sa.text('is_hub'))

    op.create_table('centre_roles',
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('centre_admin', 'instructor', 'assessor', 'programme_officer')", name=op.f('ck_centre_roles_known_role')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_centre_roles_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_centre_roles_centre_id_centres')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_centre_roles_user_id_users')),
    sa.PrimaryKeyConstraint('centre_id', 'user_id', 'role', name=op.f('pk_centre_roles'))
    )
    with op.batch_alter_table('centre_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_roles_user_id'), ['user_id'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('requirement', sa.String(length=10), nullable=False),
    sa.Column('required_count', sa.Integer(), nullable=True),
    sa.Column('modality_counts', sa.JSON(), nullable=False),
    sa.Column('certificate', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("requirement IN ('all', 'n_of_m', 'modality')", name=op.f('ck_programmes_known_requirement')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_programmes_centre_id_centres')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programmes_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('centre_id', 'code', name=op.f('uq_programmes_centre_id'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_centre_id'), ['centre_id'], unique=False)

    op.create_table('centre_courses',
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_centre_courses_centre_id_centres')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_centre_courses_course_id_courses')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_centre_courses_offered_by_id_users')),
    sa.PrimaryKeyConstraint('centre_id', 'course_id', name=op.f('pk_centre_courses'))
    )
    with op.batch_alter_table('centre_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_courses_course_id'), ['course_id'], unique=False)

    op.create_table('intakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('virtual_days', sa.Integer(), nullable=False),
    sa.Column('classroom_days', sa.Integer(), nullable=False),
    sa.Column('hands_on_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_intakes_centre_id_centres')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_intakes_created_by_id_users')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_intakes_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intakes')),
    sa.UniqueConstraint('centre_id', 'code', name=op.f('uq_intakes_centre_id'))
    )
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intakes_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intakes_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_courses',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('modality', sa.String(length=10), nullable=False),
    sa.CheckConstraint("modality IN ('virtual', 'classroom', 'hands-on')", name=op.f('ck_programme_courses_known_modality')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_programme_courses_course_id_courses')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_courses_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'course_id', name=op.f('pk_programme_courses'))
    )
    with op.batch_alter_table('programme_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_courses_course_id'), ['course_id'], unique=False)

    op.create_table('intake_deadlines',
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'], name=op.f('fk_intake_deadlines_intake_id_intakes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_intake_deadlines_module_id_modules')),
    sa.PrimaryKeyConstraint('intake_id', 'module_id', name=op.f('pk_intake_deadlines'))
    )
    op.create_table('intake_members',
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_intake_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'], name=op.f('fk_intake_members_intake_id_intakes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_members_user_id_users')),
    sa.PrimaryKeyConstraint('intake_id', 'user_id', name=op.f('pk_intake_members'))
    )
    with op.batch_alter_table('intake_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_members_user_id'), ['user_id'], unique=False)

    op.create_table('intake_staff',
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.CheckConstraint("role IN ('lead', 'facilitator', 'assessor')", name=op.f('ck_intake_staff_known_role')),
    sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'], name=op.f('fk_intake_staff_intake_id_intakes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_staff_user_id_users')),
    sa.PrimaryKeyConstraint('intake_id', 'user_id', 'role', name=op.f('pk_intake_staff'))
    )
    with op.batch_alter_table('intake_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_staff_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_class_sessions_intake_id'), ['intake_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_class_sessions_intake_id_intakes'), 'intakes', ['intake_id'], ['id'])

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('network_shared', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))

    # What a database already holds belongs to the hub, founded here when there is any.
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT COUNT(*) FROM courses")).scalar():
        centres = sa.table('centres', *(sa.column(name) for name in (
            'code', 'name', 'country', 'region', 'timezone', 'languages', 'contact_email',
            'contact_phone', 'address', 'website', 'logo_type', 'primary_colour',
            'accent_colour', 'is_hub', 'active', 'created_at')))
        connection.execute(centres.insert().values(
            code='HUB', name='Global Training Hub for Biomanufacturing', country='KR',
            region='Western Pacific', timezone='Asia/Seoul',
            languages=sa.text("'[\"en\", \"ko\"]'"),
            contact_email='', contact_phone='', address='', website='', logo_type='',
            primary_colour='#1d4f73', accent_colour='#2f7d4f', is_hub=True, active=True,
            created_at=datetime.now(UTC)))
        hub = "(SELECT id FROM centres WHERE code = 'HUB')"
        op.execute(f"UPDATE courses SET centre_id = {hub}")
        op.execute("UPDATE enrolments SET centre_id = (SELECT centre_id FROM courses "
                   "WHERE courses.id = enrolments.course_id)")

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.alter_column('centre_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_courses_centre_id'), ['centre_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_courses_centre_id_centres'), 'centres',
                                    ['centre_id'], ['id'])

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.alter_column('centre_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_enrolments_centre_id'), ['centre_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_enrolments_centre_id_centres'), 'centres',
                                    ['centre_id'], ['id'])

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificates_intake_id'), ['intake_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificates_intake_id_intakes'), 'intakes',
                                    ['intake_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('gender', sa.String(length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('gender')
        batch_op.drop_column('organisation_type')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_intake_id_intakes'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificates_intake_id'))
        batch_op.drop_column('intake_id')

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enrolments_centre_id_centres'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_enrolments_centre_id'))
        batch_op.drop_column('centre_id')

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_courses_centre_id_centres'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_courses_centre_id'))
        batch_op.drop_column('network_shared')
        batch_op.drop_column('centre_id')

    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_class_sessions_intake_id_intakes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_class_sessions_intake_id'))
        batch_op.drop_column('intake_id')

    with op.batch_alter_table('intake_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_staff_user_id'))

    op.drop_table('intake_staff')
    with op.batch_alter_table('intake_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_members_user_id'))

    op.drop_table('intake_members')
    op.drop_table('intake_deadlines')
    with op.batch_alter_table('programme_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_courses_course_id'))

    op.drop_table('programme_courses')
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intakes_programme_id'))
        batch_op.drop_index(batch_op.f('ix_intakes_centre_id'))

    op.drop_table('intakes')
    with op.batch_alter_table('centre_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centre_courses_course_id'))

    op.drop_table('centre_courses')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_centre_id'))

    op.drop_table('programmes')
    with op.batch_alter_table('centre_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centre_roles_user_id'))

    op.drop_table('centre_roles')
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_index('ix_centres_one_hub', sqlite_where=sa.text('is_hub'), postgresql_where=sa.text('is_hub'))

    op.drop_table('centres')
