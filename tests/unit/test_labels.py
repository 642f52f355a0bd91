from referral_app import create_app
from referral_app.labels import ACCESSIBILITY_NAMES, NEED_NAMES, language_list, language_name
from referral_app.services.taxonomy import ACCESSIBILITY_FEATURES, NEEDS


def english(label) -> str:
    return label._args[0] if hasattr(label, "_args") else str(label)


def test_need_labels_match_the_taxonomy():
    assert {code: name for code, name, _description in NEEDS} == {
        code: english(label) for code, label in NEED_NAMES.items()
    }


def test_accessibility_labels_match_the_feature_list():
    assert dict(ACCESSIBILITY_FEATURES) == {code: english(label) for code, label in ACCESSIBILITY_NAMES.items()}


def test_language_names_in_the_readers_language(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.test_request_context("/?lang=cy"):
        assert language_name("ro") == "Rwmaneg"
        assert language_name("bfi") != "bfi"
        assert language_name("xx-unknown", "Fallback") == "Fallback"
    with app.test_request_context("/?lang=en"):
        assert language_name("prs") == "Dari"
        assert language_list(["ro", "sk", "ar"]) == "Romanian, Slovak and Arabic"


def test_templates_translate_in_the_locale_in_force(tmp_path):
    """Jinja's _() finds the catalogue once a request, yet follows force_locale and works with no request."""
    from flask_babel import force_locale

    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    template = app.jinja_env.from_string('{{ _("Free") }} / {{ ngettext("%(num)d service", "%(num)d services", 3) }}')
    assert template.render() == "Free / 3 services"
    with app.test_request_context("/?lang=cy"):
        assert template.render() == "Am ddim / 3 gwasanaeth"
        with force_locale("en_GB"):
            assert template.render() == "Free / 3 services"
        assert template.render() == "Am ddim / 3 gwasanaeth"
