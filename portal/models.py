"""Imports every table model, so SQLModel.metadata (and Alembic) sees the whole schema."""
from portal.accounts import models as accounts_models  # noqa: F401
from portal.agreements import models as agreements_models  # noqa: F401
from portal.archives import models as archives_models  # noqa: F401
from portal.applications import models as applications_models  # noqa: F401
from portal.audit import models as audit_models  # noqa: F401
from portal.competitions import models as competitions_models  # noqa: F401
from portal.destinations import models as destinations_models  # noqa: F401
from portal.employers import models as employers_models  # noqa: F401
from portal.enrolment import models as enrolment_models  # noqa: F401
from portal import idempotency, stored_files  # noqa: F401
from portal.fairs import models as fairs_models  # noqa: F401
from portal.guidance import models as guidance_models  # noqa: F401
from portal.interviews import models as interviews_models  # noqa: F401
from portal.invitations import models as invitations_models  # noqa: F401
from portal.ledger import models as ledger_models  # noqa: F401
from portal.notices import models as notices_models  # noqa: F401
from portal.notifications import models as notifications_models  # noqa: F401
from portal.positions import models as positions_models  # noqa: F401
from portal.presentations import models as presentations_models  # noqa: F401
from portal.resumes import models as resumes_models  # noqa: F401
from portal.subsidies import models as subsidies_models  # noqa: F401
from portal.training import models as training_models  # noqa: F401
from portal.traineeships import models as traineeships_models  # noqa: F401
from search import models as search_models  # noqa: F401
