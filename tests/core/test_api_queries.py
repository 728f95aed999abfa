"""Every REST API answers an unreadable ``q`` with a 400 and a message, never a 500."""

from __future__ import annotations

import pytest
from flask_appbuilder import ModelRestApi

from core.api_queries import SafeQueryMixin
from tests.support.actors import api_token

BAD_QS = ["(((", "(page:-1)", "(page_size:-5)", "(filters:!((col:id,opr:eq,value:tekst)))"]


def model_apis(app):
    return [v for v in app.appbuilder.baseviews if isinstance(v, ModelRestApi)]


def test_every_model_api_refuses_unreadable_queries_safely(app):
    apis = model_apis(app)
    assert len(apis) >= 10
    unsafe = [type(v).__name__ for v in apis if not isinstance(v, SafeQueryMixin)]
    assert unsafe == []


@pytest.mark.parametrize("q", BAD_QS)
def test_bad_q_is_a_400_on_every_api(app, world, q):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, world.users['fb'])}"}
    for api in model_apis(app):
        response = client.get(f"{api.route_base}/", query_string={"q": q}, headers=headers)
        assert response.status_code == 400, (api.route_base, q, response.status_code, response.get_data(as_text=True))
        assert response.is_json and response.get_json().get("message")
