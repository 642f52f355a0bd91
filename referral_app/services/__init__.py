"""Domain logic: keyword-only, typed functions taking a session. No request globals here."""
