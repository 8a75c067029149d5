from .registry_fixture import registry, tls_registry  # noqa: F401  (the session fixtures)
