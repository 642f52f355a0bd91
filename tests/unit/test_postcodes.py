import pytest

from referral_app.services.postcodes import PostcodeError, distance_km, locate, normalise_outcode


@pytest.mark.parametrize(
    ("text", "outcode"),
    [("S4 7AB", "S4"), ("s47ab", "S4"), (" sw1a 1aa ", "SW1A"), ("NR30", "NR30"), ("ld6", "LD6"), ("EC1A1BB", "EC1A")],
)
def test_full_postcodes_and_districts_give_the_district(text, outcode):
    assert normalise_outcode(text) == outcode


@pytest.mark.parametrize("text", ["", "hello", "12345", "S4 7", "<script>", "S4 7ABC", "ش٤"])
def test_invalid_postcodes_are_refused(text):
    with pytest.raises(PostcodeError) as error:
        normalise_outcode(text)
    assert error.value.kind == "invalid"


def test_unknown_district_is_refused_as_unknown():
    with pytest.raises(PostcodeError) as error:
        locate("ZZ99 1AA")
    assert error.value.kind == "unknown"


def test_locate_and_distance():
    sheffield, yarmouth = locate("S4 7AB"), locate("NR30")
    assert round(sheffield.latitude, 1) == 53.4
    assert 220 < distance_km(sheffield.latitude, sheffield.longitude, yarmouth.latitude, yarmouth.longitude) < 260
    assert distance_km(1, 1, 1, 1) == 0
