"""A returnee's training record, for the caseworker following the case."""

from uuid import UUID

from reintegration_sdk import Db, OfficePath, office_router
from training.api.deps import Reader
from training.queries import returnees as views

router = office_router(tags=["returnees"])


@router.get("/returnees/{returnee_id}", dependencies=[Reader])
async def returnee_training(
    country_office: OfficePath, returnee_id: UUID, db: Db
) -> views.ReturneeTraining:
    """Counselling seen, courses, assessments and certificates. A returnee this office does
    not know answers an empty record, the same whether or not another office knows them."""
    return await views.returnee(db, country_office, returnee_id)
