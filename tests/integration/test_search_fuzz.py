"""Property-based: any query string on the search page gets a page, never a server error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMETERS = [
    *("q", "postcode", "need", "language", "bsl", "access", "free", "age", "when", "delivery", "contact"),
    *("page", "lang"),
]
nasty_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["'; DROP TABLE service;--", "<img src=x onerror=alert(1)>", "\u202eمرحبا", "%00", "1e999",
                     "-1", "99999999999999999999", "NaN", "\"*", "NEAR(a b)", "a:* & !b", "S4 7AB", "ZZ99"]),
)  # fmt: skip
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), nasty_text), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query_strings, htmx=st.booleans())
def test_any_query_gets_a_page_and_never_a_500(client, pairs, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/services", query_string=pairs, headers=headers)
    assert response.status_code in (200, 400), response.status_code
    assert "<img src=x onerror" not in response.text
