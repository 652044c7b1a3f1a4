"""How the runtime stage can be made: what it may RUN, and what comes from the builder.

Pure facts of a Plan, read by the needs step (which packages go where), the rules and
render alike.
"""

from __future__ import annotations

from .plan import Plan
from .target import is_cross

#: Runtimes with a shell and a package manager, where rustdock would otherwise RUN apk,
#: apt-get or adduser.
SHELL_RUNTIMES = frozenset({"alpine", "debian-slim"})


def runs_nothing(plan: Plan) -> bool:
    """The runtime stage must not RUN anything: a multi-arch build would execute it under
    QEMU for the other architecture. Users, CA bundle and tzdata then come from the
    builder, which runs on the build machine's own CPU."""
    return plan.runtime in SHELL_RUNTIMES and is_cross(plan)


def copies_system_files(plan: Plan) -> bool:
    """CA bundle and tzdata are copied from the builder rather than installed."""
    return plan.runtime == "scratch" or runs_nothing(plan)
