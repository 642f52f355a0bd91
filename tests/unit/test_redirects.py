import pytest

from referral_app.redirects import safe_next_path


@pytest.mark.parametrize("target", ["/account", "/services?q=food&page=2", "/services/abc#top"])
def test_paths_on_this_site_are_safe(target):
    assert safe_next_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "account",
        "/ok\nLocation: https://evil.example",
        "/" + "a" * 2001,
    ],
)
def test_other_targets_are_refused(target):
    assert safe_next_path(target) is None
