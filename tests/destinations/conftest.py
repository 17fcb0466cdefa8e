from tests.agreements.conftest import ca_settings, parties  # noqa: F401  (a signed agreement feeds destinations)
