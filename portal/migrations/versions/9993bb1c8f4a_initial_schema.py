"""initial schema

Revision ID: 9993bb1c8f4a
Revises: 
Create Date: 2026-11-29 16:24:37.650957
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '9993bb1c8f4a'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledgercategory',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('label_zh', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('label_en', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('needs_accessible', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('loginattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginattempt_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginattempt_key'), ['key'], unique=False)

    op.create_table('searchoutbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('searchoutbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_searchoutbox_entity_id'), ['entity_id'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_user_role'), ['role'], unique=False)

    op.create_table('agreementtemplate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('standard_clauses', sa.Text(), nullable=False),
    sa.Column('default_breach_terms', sa.Text(), nullable=False),
    sa.Column('default_probation_months', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('object_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('object_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['subject_user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditentry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_subject_user_id'), ['subject_user_id'], unique=False)

    op.create_table('destinationchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('employer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('destinationchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_destinationchange_graduate_id'), ['graduate_id'], unique=False)

    op.create_table('followupcase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('graduation_year', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('followupcase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followupcase_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followupcase_graduation_year'), ['graduation_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_followupcase_is_open'), ['is_open'], unique=False)
        batch_op.create_index(batch_op.f('ix_followupcase_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_followupcase_school'), ['school'], unique=False)

    op.create_table('graduateprofile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('student_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('major', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('degree', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('graduation_year', sa.Integer(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('discoverable', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('graduateprofile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_graduateprofile_major'), ['major'], unique=False)
        batch_op.create_index(batch_op.f('ix_graduateprofile_school'), ['school'], unique=False)

    op.create_table('ledgercase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('family_income_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('consent_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('consent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('preferred_districts', sa.JSON(), nullable=False),
    sa.Column('needs_accessible', sa.Boolean(), nullable=False),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('open_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('close_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('close_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('offers_held', sa.Integer(), nullable=False),
    sa.Column('shortfall_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('shortfall_detail', sa.JSON(), nullable=False),
    sa.Column('last_topup_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('graduate_id')
    )
    with op.batch_alter_table('ledgercase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgercase_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgercase_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgercase_school'), ['school'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgercase_shortfall_reason'), ['shortfall_reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgercase_status'), ['status'], unique=False)

    op.create_table('ledgerenrolmentrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('statement', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('preferred_districts', sa.JSON(), nullable=False),
    sa.Column('needs_accessible', sa.Boolean(), nullable=False),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgerenrolmentrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgerenrolmentrequest_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgerenrolmentrequest_status'), ['status'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    op.create_table('officerscope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind', 'value')
    )
    with op.batch_alter_table('officerscope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officerscope_user_id'), ['user_id'], unique=False)

    op.create_table('oidcidentity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issuer', 'subject')
    )
    with op.batch_alter_table('oidcidentity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidcidentity_user_id'), ['user_id'], unique=False)

    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('verified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uscc')
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_status'), ['status'], unique=False)

    op.create_table('partycertificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('certificate_pem', sa.Text(), nullable=False),
    sa.Column('not_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('serial')
    )
    with op.batch_alter_table('partycertificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partycertificate_user_id'), ['user_id'], unique=False)

    op.create_table('resume',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('headline', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('self_intro', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('education', sa.JSON(), nullable=False),
    sa.Column('experience', sa.JSON(), nullable=False),
    sa.Column('projects', sa.JSON(), nullable=False),
    sa.Column('expected_districts', sa.JSON(), nullable=False),
    sa.Column('expected_kinds', sa.JSON(), nullable=False),
    sa.Column('expected_salary_min', sa.Integer(), nullable=True),
    sa.Column('expected_salary_max', sa.Integer(), nullable=True),
    sa.Column('pdf_file', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('pdf_original_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('graduate_id')
    )
    op.create_table('transferrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('receiving_unit', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('receiving_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('tracking_number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transferrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transferrequest_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transferrequest_school'), ['school'], unique=False)
        batch_op.create_index(batch_op.f('ix_transferrequest_status'), ['status'], unique=False)

    op.create_table('followupentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['followupcase.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('followupentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followupentry_case_id'), ['case_id'], unique=False)

    op.create_table('ledgercaseevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['ledgercase.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgercaseevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgercaseevent_case_id'), ['case_id'], unique=False)

    op.create_table('ledgercontact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('agreed', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['ledgercase.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgercontact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgercontact_case_id'), ['case_id'], unique=False)

    op.create_table('ledgerdocument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['ledgercase.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgerdocument', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgerdocument_case_id'), ['case_id'], unique=False)

    op.create_table('ledgermeasure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['ledgercase.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledgermeasure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgermeasure_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgermeasure_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgermeasure_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgermeasure_target_date'), ['target_date'], unique=False)

    op.create_table('position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('degree_required', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('majors', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('salary_min', sa.Integer(), nullable=False),
    sa.Column('salary_max', sa.Integer(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('is_support', sa.Boolean(), nullable=False),
    sa.Column('accessible', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('close_reason', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('review_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reconfirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_status'), ['status'], unique=False)

    op.create_table('recruiter',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('is_owner', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('recruiter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruiter_organization_id'), ['organization_id'], unique=False)

    op.create_table('transferstep',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('tracking_number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['transferrequest.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transferstep', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transferstep_request_id'), ['request_id'], unique=False)

    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resume_snapshot', sa.JSON(), nullable=False),
    sa.Column('resume_pdf_file', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('cover_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('first_response_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('position_id', 'graduate_id')
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_status'), ['status'], unique=False)

    op.create_table('agreement',
    sa.Column('position_title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('salary_monthly', sa.Integer(), nullable=False),
    sa.Column('probation_months', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('work_place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('breach_terms', sa.Text(), nullable=False),
    sa.Column('extra_clauses', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('verify_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('pdf_file', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('document_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['agreementtemplate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_school'), ['school'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_verify_code'), ['verify_code'], unique=True)

    op.create_table('applicationevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('applicationevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicationevent_application_id'), ['application_id'], unique=False)

    op.create_table('ledgeroffer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('auto', sa.Boolean(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('is_support', sa.Boolean(), nullable=False),
    sa.Column('fit', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('lapse_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('offered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['ledgercase.id'], ),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['offered_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('graduate_id', 'position_id')
    )
    with op.batch_alter_table('ledgeroffer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledgeroffer_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgeroffer_graduate_id'), ['graduate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgeroffer_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledgeroffer_status'), ['status'], unique=False)

    op.create_table('agreementcancellation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_party', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('consented_by_id', sa.Integer(), nullable=True),
    sa.Column('consented_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['consented_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreementcancellation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreementcancellation_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreementcancellation_status'), ['status'], unique=False)

    op.create_table('agreementevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreementevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreementevent_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreementsignature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('field_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('certificate_serial', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash_before', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash_after', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('timestamped', sa.Boolean(), nullable=False),
    sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['signer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agreement_id', 'party')
    )
    with op.batch_alter_table('agreementsignature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreementsignature_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreementsignature_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreementsignature_signed_at'), ['signed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreementsignature_signer_id'), ['signer_id'], unique=False)

    op.create_table('destination',
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('employer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('work_district', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('work_place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['graduate_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('graduate_id')
    )
    with op.batch_alter_table('destination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_destination_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_destination_status'), ['status'], unique=False)

    op.create_table('signingcode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signingcode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signingcode_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signingcode_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signingcode_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signingcode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signingcode_user_id'))
        batch_op.drop_index(batch_op.f('ix_signingcode_created_at'))
        batch_op.drop_index(batch_op.f('ix_signingcode_agreement_id'))

    op.drop_table('signingcode')
    with op.batch_alter_table('destination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_destination_status'))
        batch_op.drop_index(batch_op.f('ix_destination_category'))

    op.drop_table('destination')
    with op.batch_alter_table('agreementsignature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreementsignature_signer_id'))
        batch_op.drop_index(batch_op.f('ix_agreementsignature_signed_at'))
        batch_op.drop_index(batch_op.f('ix_agreementsignature_organization_id'))
        batch_op.drop_index(batch_op.f('ix_agreementsignature_agreement_id'))

    op.drop_table('agreementsignature')
    with op.batch_alter_table('agreementevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreementevent_agreement_id'))

    op.drop_table('agreementevent')
    with op.batch_alter_table('agreementcancellation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreementcancellation_status'))
        batch_op.drop_index(batch_op.f('ix_agreementcancellation_agreement_id'))

    op.drop_table('agreementcancellation')
    with op.batch_alter_table('ledgeroffer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgeroffer_status'))
        batch_op.drop_index(batch_op.f('ix_ledgeroffer_position_id'))
        batch_op.drop_index(batch_op.f('ix_ledgeroffer_graduate_id'))
        batch_op.drop_index(batch_op.f('ix_ledgeroffer_case_id'))

    op.drop_table('ledgeroffer')
    with op.batch_alter_table('applicationevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicationevent_application_id'))

    op.drop_table('applicationevent')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_verify_code'))
        batch_op.drop_index(batch_op.f('ix_agreement_status'))
        batch_op.drop_index(batch_op.f('ix_agreement_school'))
        batch_op.drop_index(batch_op.f('ix_agreement_organization_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_graduate_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_created_at'))
        batch_op.drop_index(batch_op.f('ix_agreement_application_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_status'))
        batch_op.drop_index(batch_op.f('ix_application_position_id'))
        batch_op.drop_index(batch_op.f('ix_application_graduate_id'))
        batch_op.drop_index(batch_op.f('ix_application_created_at'))

    op.drop_table('application')
    with op.batch_alter_table('transferstep', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transferstep_request_id'))

    op.drop_table('transferstep')
    with op.batch_alter_table('recruiter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruiter_organization_id'))

    op.drop_table('recruiter')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_status'))
        batch_op.drop_index(batch_op.f('ix_position_organization_id'))
        batch_op.drop_index(batch_op.f('ix_position_kind'))
        batch_op.drop_index(batch_op.f('ix_position_district'))

    op.drop_table('position')
    with op.batch_alter_table('ledgermeasure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgermeasure_target_date'))
        batch_op.drop_index(batch_op.f('ix_ledgermeasure_status'))
        batch_op.drop_index(batch_op.f('ix_ledgermeasure_officer_id'))
        batch_op.drop_index(batch_op.f('ix_ledgermeasure_case_id'))

    op.drop_table('ledgermeasure')
    with op.batch_alter_table('ledgerdocument', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgerdocument_case_id'))

    op.drop_table('ledgerdocument')
    with op.batch_alter_table('ledgercontact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgercontact_case_id'))

    op.drop_table('ledgercontact')
    with op.batch_alter_table('ledgercaseevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgercaseevent_case_id'))

    op.drop_table('ledgercaseevent')
    with op.batch_alter_table('followupentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followupentry_case_id'))

    op.drop_table('followupentry')
    with op.batch_alter_table('transferrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transferrequest_status'))
        batch_op.drop_index(batch_op.f('ix_transferrequest_school'))
        batch_op.drop_index(batch_op.f('ix_transferrequest_graduate_id'))

    op.drop_table('transferrequest')
    op.drop_table('resume')
    with op.batch_alter_table('partycertificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partycertificate_user_id'))

    op.drop_table('partycertificate')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_status'))
        batch_op.drop_index(batch_op.f('ix_organization_name'))
        batch_op.drop_index(batch_op.f('ix_organization_district'))

    op.drop_table('organization')
    with op.batch_alter_table('oidcidentity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oidcidentity_user_id'))

    op.drop_table('oidcidentity')
    with op.batch_alter_table('officerscope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officerscope_user_id'))

    op.drop_table('officerscope')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    op.drop_table('notification')
    with op.batch_alter_table('ledgerenrolmentrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgerenrolmentrequest_status'))
        batch_op.drop_index(batch_op.f('ix_ledgerenrolmentrequest_graduate_id'))

    op.drop_table('ledgerenrolmentrequest')
    with op.batch_alter_table('ledgercase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledgercase_status'))
        batch_op.drop_index(batch_op.f('ix_ledgercase_shortfall_reason'))
        batch_op.drop_index(batch_op.f('ix_ledgercase_school'))
        batch_op.drop_index(batch_op.f('ix_ledgercase_officer_id'))
        batch_op.drop_index(batch_op.f('ix_ledgercase_district'))

    op.drop_table('ledgercase')
    with op.batch_alter_table('graduateprofile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_graduateprofile_school'))
        batch_op.drop_index(batch_op.f('ix_graduateprofile_major'))

    op.drop_table('graduateprofile')
    with op.batch_alter_table('followupcase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followupcase_school'))
        batch_op.drop_index(batch_op.f('ix_followupcase_level'))
        batch_op.drop_index(batch_op.f('ix_followupcase_is_open'))
        batch_op.drop_index(batch_op.f('ix_followupcase_graduation_year'))
        batch_op.drop_index(batch_op.f('ix_followupcase_graduate_id'))

    op.drop_table('followupcase')
    with op.batch_alter_table('destinationchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_destinationchange_graduate_id'))

    op.drop_table('destinationchange')
    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditentry_subject_user_id'))
        batch_op.drop_index(batch_op.f('ix_auditentry_created_at'))
        batch_op.drop_index(batch_op.f('ix_auditentry_actor_id'))
        batch_op.drop_index(batch_op.f('ix_auditentry_action'))

    op.drop_table('auditentry')
    op.drop_table('agreementtemplate')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role'))
        batch_op.drop_index(batch_op.f('ix_user_email'))

    op.drop_table('user')
    with op.batch_alter_table('searchoutbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_searchoutbox_entity_id'))

    op.drop_table('searchoutbox')
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginattempt_key'))
        batch_op.drop_index(batch_op.f('ix_loginattempt_created_at'))

    op.drop_table('loginattempt')
    op.drop_table('ledgercategory')
