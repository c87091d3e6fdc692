"""Price and kit catalogues through the API: checked input, versions, office scoping."""

import pytest
from procurement_builders import TODAY, officer, price

from reintegration_sdk.auth import Role
from reintegration_sdk.testing.service import auth_headers

pytestmark = pytest.mark.integration


async def test_catalogue_input_is_checked_field_by_field(procurement) -> None:
    client, headers = procurement.client, officer(procurement.office)
    bad = {**price(), "unit_price": -5, "currency": "xof", "colour": "red"}
    response = await client.post(procurement.url("/prices"), json=bad, headers=headers)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["fields"]}
    assert fields == {"body.unit_price", "body.currency", "body.colour"}
    assert (await client.get(procurement.url("/prices"), headers=headers)).json() == []

    first = await client.post(procurement.url("/prices"), json=price(), headers=headers)
    assert first.json()["changed"] is True
    euros = {**price("scissors", 3), "currency": "EUR"}
    mismatch = await client.post(procurement.url("/prices"), json=euros, headers=headers)
    assert mismatch.status_code == 409
    assert mismatch.json()["rule"] == "catalogue_currency_mismatch"

    tolerance = await client.put(
        procurement.url("/price-tolerance"), json={"tolerance_percent": 101}, headers=headers
    )
    assert tolerance.status_code == 422
    assert tolerance.json()["fields"][0]["field"] == "body.tolerance_percent"


async def test_another_office_is_refused(procurement) -> None:
    client, office = procurement.client, procurement.office
    other = "fr" if office != "fr" else "de"
    response = await client.post(
        procurement.url("/prices", office=other), json=price(), headers=officer(office)
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    anonymous = await client.get(procurement.url("/prices"))
    assert anonymous.status_code == 401
    caseworker = auth_headers([Role.CASEWORKER], [office])
    assert (await client.get(procurement.url("/prices"), headers=caseworker)).status_code == 403


async def test_a_kit_changes_by_versions_that_returnees_review(procurement) -> None:
    client, headers = procurement.client, officer(procurement.office)
    url = procurement.url("/kits/welding")
    first = {"items": [{"item": "welding machine", "quantity": 1}]}
    assert (await client.post(url, json=first, headers=headers)).status_code == 201
    same = await client.post(url, json=first, headers=headers)
    assert (same.status_code, same.json()["kit_version"]) == (200, 1)
    twice = {"items": [{"item": "mask", "quantity": 1}, {"item": "Mask", "quantity": 2}]}
    refused = await client.post(url, json=twice, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["fields"] == [
        {"field": "body.items.1.item", "reason": "'mask' is listed twice"}
    ]
    second = {"items": [*first["items"], {"item": "mask", "quantity": 1}]}
    assert (await client.post(url, json=second, headers=headers)).json()["kit_version"] == 2

    rejection = {"reviewed_on": TODAY.isoformat(), "endorsed": False, "feedback": []}
    no_reason = await client.post(
        f"{url}/versions/2/returnee-reviews", json=rejection, headers=headers
    )
    assert no_reason.status_code == 422
    rejection["feedback"] = ["add leather gloves"]
    recorded = await client.post(
        f"{url}/versions/2/returnee-reviews", json=rejection, headers=headers
    )
    assert recorded.status_code == 201, recorded.text
    unknown = await client.post(
        f"{url}/versions/3/returnee-reviews", json=rejection, headers=headers
    )
    assert unknown.status_code == 404

    latest, oldest = (await client.get(url, headers=headers)).json()
    assert (latest["kit_version"], oldest["kit_version"]) == (2, 1)
    assert latest["returnee_reviews"][0]["feedback"] == ["add leather gloves"]
    assert oldest["returnee_reviews"] == []
