from .registry_fixture import registry  # noqa: F401  (the session fixture)
