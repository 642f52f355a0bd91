"""Every page each role can reach is valid HTML (Nu HTML Checker), in English and in Arabic."""

import json
import subprocess

from tests.conftest import DEMO_EMAILS, sign_in, unavailable
from tests.e2e.conftest import vnu_command
from tests.e2e.pages import LANGUAGES, PAGES_BY_ROLE, expected_statuses, with_language


def test_every_page_is_valid_html(live_server, tmp_path):
    command = vnu_command()
    if command is None:
        unavailable("The Nu HTML Checker needs Java and node_modules/vnu-jar (npm ci)")
    saved = []
    for role_key, paths in PAGES_BY_ROLE.items():
        client = live_server.app.test_client()
        if role_key:
            assert sign_in(client, DEMO_EMAILS[role_key]).status_code == 303
        for language in LANGUAGES:
            for path in paths:
                response = client.get(with_language(path, language))
                assert response.status_code in expected_statuses(role_key, path), (role_key, path, response.status_code)
                name = f"{role_key or 'anonymous'}-{language}-{len(saved)}.html"
                (tmp_path / name).write_bytes(response.data)
                saved.append((name, path, language))
    result = subprocess.run(
        [*command, "--errors-only", "--stdout", "--format", "json", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages]
    assert errors == [], "\n".join(errors)
    assert len(saved) >= 40
