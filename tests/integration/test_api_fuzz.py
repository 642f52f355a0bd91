"""Property-based: any query string on any Open Referral UK list endpoint gets a 200 or a 400 JSON, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENDPOINTS = [
    "/api/openreferral/services",
    "/api/openreferral/service_at_locations",
    "/api/openreferral/organizations",
    "/api/openreferral/taxonomies",
    "/api/openreferral/taxonomy_terms",
]
PARAMETERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "postcode",
    "proximity",
]
values = st.one_of(
    st.text(max_size=200),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.uuids().map(str),
    st.sampled_from(
        [
            "MO",
            "monday",
            "25:61",
            "09:00",
            "S4 7AB",
            "ZZ99",
            "0",
            "101",
            "'; DROP TABLE service;--",
            "<script>",
            "\u202e",
            "%00",
            "a:* & !b",
        ]
    ),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), pairs=st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=6))
def test_any_api_query_is_answered_with_json_never_a_500(client, endpoint, pairs):
    response = client.get(endpoint, query_string=pairs)
    assert response.status_code in (200, 400), (response.status_code, pairs)
    assert response.is_json
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if response.status_code == 400:
        assert response.json["error"]["status"] == 400


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), record_id=st.text(max_size=80))
def test_any_record_id_is_a_404_or_400_json(client, endpoint, record_id):
    response = client.get(f"{endpoint}/{record_id}") if record_id and "/" not in record_id else client.get(endpoint)
    assert response.status_code in (200, 400, 404), response.status_code
    assert response.is_json
