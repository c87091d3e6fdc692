"""A returnee's training record, for the caseworker following the case."""

from uuid import UUID

from fastapi import APIRouter

from reintegration_sdk.http import RuntimeDep
from training.api.deps import Office, Reader
from training.queries import returnees as views

router = APIRouter(tags=["returnees"])


@router.get("/{country_office}/returnees/{returnee_id}")
async def returnee_training(
    country_office: Office, returnee_id: UUID, _: Reader, runtime: RuntimeDep
) -> views.ReturneeTraining:
    async with runtime.pool.acquire() as db:
        return await views.returnee(db, country_office, returnee_id)
