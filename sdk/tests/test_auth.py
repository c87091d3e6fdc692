"""Tokens, roles and country-office scoping, over an in-process FastAPI app."""

import argparse
import json
import shlex
import time

import jwt
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from reintegration_sdk.auth import (
    AuthenticationError,
    AuthorizationError,
    AuthSettings,
    CurrentPrincipal,
    Principal,
    Role,
    add_token_commands,
    decode_token,
    ensure_office,
    install_auth_error_handlers,
    mint_token,
    office_scoped,
    require_roles,
    run_token_command,
)

pytestmark = pytest.mark.unit

SETTINGS = AuthSettings(jwt_secret="test-secret-that-is-at-least-32-characters")


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "sub": "alice",
        "roles": ["caseworker"],
        "country_offices": ["bf"],
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
        "iat": now,
        "exp": now + 60,
    }
    base.update(overrides)
    return base


def sign(payload: dict[str, object], key: str = SETTINGS.jwt_secret) -> str:
    return jwt.encode(payload, key, algorithm="HS256")


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    app.state.auth_settings = SETTINGS
    install_auth_error_handlers(app)

    @app.get("/me")
    def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"subject": principal.subject}

    @app.get("/secret", dependencies=[Depends(require_roles(Role.PERSONAL_DATA_VIEWER))])
    def secret() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/offices/{country_office}/followups")
    def followup(
        country_office: str, principal: Principal = Depends(office_scoped(Role.MONITORING_OFFICER))
    ) -> dict[str, str]:
        return {"office": country_office, "by": principal.subject}

    return TestClient(app)


def bearer(roles: list[str], offices: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SETTINGS, 'alice', roles, offices)}"}


def test_mint_decode_round_trip() -> None:
    token = mint_token(SETTINGS, "alice", [Role.CASEWORKER, "training_officer"], ["BF", "ml"])
    principal = decode_token(SETTINGS, token)
    assert principal == Principal(
        "alice", frozenset({"caseworker", "training_officer"}), frozenset({"bf", "ml"})
    )
    assert principal.can_act_for("BF")
    assert not principal.is_hq


def test_mint_refuses_unknown_role() -> None:
    with pytest.raises(ValueError, match="unknown roles"):
        mint_token(SETTINGS, "alice", ["casewroker"], ["bf"])


def test_expired_token_is_rejected() -> None:
    token = sign(claims(iat=int(time.time()) - 120, exp=int(time.time()) - 60))
    with pytest.raises(AuthenticationError, match="expired"):
        decode_token(SETTINGS, token)


def test_wrong_signature_is_rejected() -> None:
    token = sign(claims(), key="another-secret-that-is-at-least-32-characters")
    with pytest.raises(AuthenticationError, match="Signature verification failed"):
        decode_token(SETTINGS, token)


@pytest.mark.parametrize("missing", ["sub", "roles", "country_offices", "iss", "aud", "exp", "iat"])
def test_missing_claim_is_rejected(missing: str) -> None:
    payload = claims()
    del payload[missing]
    with pytest.raises(AuthenticationError, match=missing):
        decode_token(SETTINGS, sign(payload))


def test_roles_claim_must_be_a_list() -> None:
    with pytest.raises(AuthenticationError, match="roles"):
        decode_token(SETTINGS, sign(claims(roles="admin")))


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}]
)
def test_401_without_or_with_malformed_header(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthenticated"
    assert response.json()["detail"]


def test_401_for_garbage_token(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_valid_token_reaches_the_route(client: TestClient) -> None:
    response = client.get("/me", headers=bearer(["caseworker"], ["bf"]))
    assert response.status_code == 200
    assert response.json() == {"subject": "alice"}


def test_403_for_missing_role(client: TestClient) -> None:
    response = client.get("/secret", headers=bearer(["caseworker"], ["bf"]))
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "detail": "requires one of the roles: personal_data_viewer",
    }


def test_403_for_another_office_names_the_office(client: TestClient) -> None:
    response = client.post("/offices/ml/followups", headers=bearer(["monitoring_officer"], ["bf"]))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "'ml'" in response.json()["detail"]
    ok = client.post("/offices/bf/followups", headers=bearer(["monitoring_officer"], ["bf"]))
    assert ok.json() == {"office": "bf", "by": "alice"}


def test_office_manager_has_office_roles_but_not_personal_data(client: TestClient) -> None:
    manager = Principal("m", frozenset({Role.OFFICE_MANAGER}), frozenset({"bf"}))
    assert manager.has_role(Role.CASEWORKER)
    assert manager.has_role(Role.PROCUREMENT_OFFICER, Role.PERSONAL_DATA_VIEWER)
    assert not manager.has_role(Role.PERSONAL_DATA_VIEWER)
    assert not manager.has_role(Role.HQ_ANALYST)
    assert not manager.has_role(Role.ADMIN)
    headers = bearer(["office_manager"], ["bf"])
    assert client.post("/offices/bf/followups", headers=headers).status_code == 200
    assert client.get("/secret", headers=headers).status_code == 403


def test_admin_administers_every_office_but_never_reads_people() -> None:
    admin = Principal("root", frozenset({Role.ADMIN}), frozenset())
    assert admin.has_role(Role.OFFICE_MANAGER, Role.PROCUREMENT_OFFICER)
    assert admin.can_act_for("ml")
    assert not admin.has_role(Role.PERSONAL_DATA_VIEWER)
    granted = Principal("root", frozenset({Role.ADMIN, Role.PERSONAL_DATA_VIEWER}), frozenset())
    assert not granted.has_role(Role.PERSONAL_DATA_VIEWER)


def test_hq_never_reads_personal_data_whatever_else_it_holds() -> None:
    analyst = Principal(
        "hq", frozenset({Role.HQ_ANALYST, Role.PERSONAL_DATA_VIEWER}), frozenset({"bf"})
    )
    assert not analyst.has_role(Role.PERSONAL_DATA_VIEWER)
    viewer = Principal("cw", frozenset({Role.PERSONAL_DATA_VIEWER}), frozenset({"bf"}))
    assert viewer.has_role(Role.PERSONAL_DATA_VIEWER)


def test_hq_analyst_cannot_act_for_an_office(client: TestClient) -> None:
    analyst = Principal("hq", frozenset({Role.HQ_ANALYST}), frozenset())
    assert analyst.is_hq
    assert not analyst.can_act_for("bf")
    assert not analyst.has_role(Role.PERSONAL_DATA_VIEWER)
    with pytest.raises(AuthorizationError, match="'bf'"):
        ensure_office(analyst, "bf")
    headers = bearer(["hq_analyst", "monitoring_officer"], [])
    assert client.post("/offices/bf/followups", headers=headers).status_code == 403


def cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reintegrate")
    add_token_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def test_cli_mint_then_decode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTH_JWT_SECRET", SETTINGS.jwt_secret)
    args = cli().parse_args(
        shlex.split(
            "tokens mint --subject bob --role caseworker --role personal_data_viewer "
            "--office bf --office ML --ttl 600"
        )
    )
    assert run_token_command(args) == 0
    token = capsys.readouterr().out.strip()
    assert decode_token(SETTINGS, token).country_offices == {"bf", "ml"}

    assert run_token_command(cli().parse_args(["tokens", "decode", token])) == 0
    decoded = json.loads(capsys.readouterr().out)
    assert decoded["sub"] == "bob"
    assert decoded["roles"] == ["caseworker", "personal_data_viewer"]
    assert decoded["country_offices"] == ["bf", "ml"]
    assert decoded["exp"] - decoded["iat"] == 600


def test_cli_decode_rejects_forged_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTH_JWT_SECRET", SETTINGS.jwt_secret)
    forged = sign(claims(), key="another-secret-that-is-at-least-32-characters")
    assert run_token_command(cli().parse_args(["tokens", "decode", forged])) == 1
    assert "invalid token" in capsys.readouterr().err


def test_a_partner_token_speaks_for_its_partner_only() -> None:
    token = mint_token(SETTINGS, "sahel-app", [Role.PARTNER], [], partner_id="sahel-sante")
    principal = decode_token(SETTINGS, token)
    assert principal.partner_id == "sahel-sante"
    assert principal.speaks_for("sahel-sante")
    assert not principal.speaks_for("agadez-artisans")
    # A partner holds no staff role, and acts for no office.
    assert not principal.has_role(Role.CASEWORKER, Role.OFFICE_MANAGER)
    assert not principal.can_act_for("bf")


def test_no_staff_role_stands_in_for_a_partner() -> None:
    for roles in ([Role.OFFICE_MANAGER], [Role.ADMIN]):
        staff = decode_token(SETTINGS, mint_token(SETTINGS, "bob", roles, ["bf"]))
        assert not staff.has_role(Role.PARTNER)
    # The role means nothing without the partner it is scoped to.
    unscoped = decode_token(SETTINGS, sign(claims(roles=["partner"])))
    assert not unscoped.has_role(Role.PARTNER)


def test_the_partner_role_and_a_partner_id_go_together() -> None:
    with pytest.raises(ValueError, match="go together"):
        mint_token(SETTINGS, "x", [Role.PARTNER], [])
    with pytest.raises(ValueError, match="go together"):
        mint_token(SETTINGS, "x", [Role.CASEWORKER], ["bf"], partner_id="sahel-sante")
    with pytest.raises(AuthenticationError, match="partner_id"):
        decode_token(SETTINGS, sign(claims(roles=["partner"], partner_id=7)))
