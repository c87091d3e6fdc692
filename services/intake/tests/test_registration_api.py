"""Reception over HTTP, with the real broker and database."""

import pytest

from intake_builders import IntakeUnderTest, a_registration_body

pytestmark = pytest.mark.integration


async def test_a_registered_returnee_is_published_without_personal_data(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body()

    registered = await intake.register(body)

    [event] = await intake.published(f"returnee-{registered['returnee_id']}", 1)
    assert event.event_name == "ReturneeRegistered"
    assert event.data["age_band"] == registered["age_band"]
    assert "birth_date" not in event.data
