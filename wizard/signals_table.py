"""What stops a program on `docker stop`: frameworks that handle SIGTERM by default, and
the crates and calls that install a handler.

As PID 1 a process ignores every signal it has no handler for, so `docker stop` (SIGTERM)
waits 10 s and kills it. A framework that installs its own handler makes an init
unnecessary; a handler for SIGINT alone (tokio's ctrl_c) needs STOPSIGNAL SIGINT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FrameworkSignals:
    #: The framework stops on SIGTERM with no code from the program.
    handles_sigterm: bool
    #: Source text that turns the framework's own handling off ("" when nothing can).
    disabled_by: str = ""
    #: Words a file holds when `disabled_by` can match there (a fast first test).
    disabled_words: tuple[str, ...] = ()


#: crate -> what it does on SIGTERM by default. The comment on each row says where that
#: is documented; a framework absent here is treated as handling nothing.
FRAMEWORK_SIGNALS: dict[str, FrameworkSignals] = {
    # actix.rs/docs/server "Graceful shutdown": HttpServer handles SIGINT, SIGTERM and
    # SIGQUIT on unix (actix-server's Server docs); `.disable_signals()` turns it off.
    "actix-web": FrameworkSignals(True, r"\.disable_signals\s*\(", ("disable_signals",)),
    # rocket 0.5 config::Shutdown: `ctrlc` true and `signals` ["term"] by default on unix
    # (api.rocket.rs/v0.5/rocket/config/struct.Shutdown); an empty `signals` set turns
    # SIGTERM off. (Rocket 0.4 had no shutdown handling; its lock entries say 0.4.)
    "rocket": FrameworkSignals(True, r"signals\s*:\s*(?:HashSet::new\(\)|\[\s*\]|Default::default\(\))",
                               ("signals",)),
    # loco-rs boot::serve waits on shutdown_signal(): ctrl_c and SIGTERM (loco.rs docs,
    # "Deployment"; src/boot.rs).
    "loco-rs": FrameworkSignals(True),
    # pingora docs/user_guide/start_stop.md: SIGTERM is a graceful shutdown, SIGINT a fast one.
    "pingora": FrameworkSignals(True),
    # axum: only `with_graceful_shutdown(signal)` stops on a signal, and only on the one
    # that future waits for (docs.rs/axum serve::Serve::with_graceful_shutdown).
    "axum": FrameworkSignals(False),
    # warp: `bind_with_graceful_shutdown` takes the signal future; none by default.
    "warp": FrameworkSignals(False),
    # poem: Server::run has no signal handling; run_with_graceful_shutdown takes one.
    "poem": FrameworkSignals(False),
    # salvo: Server::serve runs until its handle's stop_graceful is called.
    "salvo": FrameworkSignals(False),
    # tide, hyper and tonic (serve_with_shutdown) install no handler.
    "tide": FrameworkSignals(False),
    "hyper": FrameworkSignals(False),
    "tonic": FrameworkSignals(False),
    # Leptos' server crates inherit their framework's behaviour.
    "leptos_actix": FrameworkSignals(True, r"\.disable_signals\s*\(", ("disable_signals",)),
    "leptos_axum": FrameworkSignals(False),
}

#: Calls that handle SIGTERM, wherever the program makes them.
SIGTERM_CALLS = re.compile(
    r"SignalKind::terminate\s*\("          # tokio::signal::unix::signal(SignalKind::terminate())
    r"|\bSIGTERM\b"                         # signal-hook, libc::signal, nix Signal::SIGTERM
    r"|\bSig::Term\b"                       # Rocket's own Shutdown config, set by the program
    r"|\.catch_signals\s*\("               # tokio-graceful-shutdown: SIGINT and SIGTERM
    r"|\bsignal::term\b"                    # async-signal / signal-hook's term module
    r"|\bSignal::Term\b"                    # async-signal's enum
)

#: Calls that handle SIGINT (Ctrl-C) only, unless SIGTERM_CALLS also match.
SIGINT_CALLS = re.compile(
    r"\bctrl_c\s*\("                        # tokio::signal::ctrl_c()
    r"|\bctrlc::set_handler\s*\("           # the ctrlc crate (SIGINT unless `termination`)
    r"|\bSIGINT\b|SignalKind::interrupt\s*\("
)

#: Words one of which a file holds when SIGTERM_CALLS / SIGINT_CALLS can match there
#: (substring tests first: the patterns alone are slow on large trees).
SIGTERM_WORDS = ("terminate", "SIGTERM", "Term", "catch_signals", "signal::term")
SIGINT_WORDS = ("ctrl_c", "ctrlc", "SIGINT", "interrupt")

#: Crates whose handler covers SIGTERM when a feature says so: (crate, feature).
SIGTERM_FEATURES = (("ctrlc", "termination"),)
