"""Demo data (`flask seed-demo`) and the scale generator (`flask seed-scale`, in `scale/`):
tools that fill a register, not part of the app's runtime."""

from apregister.demo.seed import (
    DEFAULT_DEMO_PASSWORD,
    DemoAccount,
    database_is_empty,
    demo_accounts,
    seed_demo,
)

__all__ = [
    "DEFAULT_DEMO_PASSWORD",
    "DemoAccount",
    "database_is_empty",
    "demo_accounts",
    "seed_demo",
]
