"""The features checklist: the package's features with what each turns on; ticking one
changes the plan (and the cargo commands), and a compile_error! gate offers its fix."""

from __future__ import annotations

from .drive import copy_project, sync, wizard

from rustdock.screens.widgets.checklist import Checklist


@sync
async def test_the_features_checklist_sets_the_plan_and_clears_the_gate(tmp_path):
    root = copy_project("features-gated", tmp_path)
    async with wizard(root, start="defaults") as (app, pilot):
        assert any(f.rule == "feature-gate" for f in app.outcome.errors)
        checklist = app.screen.query_one("#control-features", Checklist)
        assert checklist.order == ("metrics", "postgres", "sqlite", "tracing")
        labels = [str(checklist.get_option_at_index(i).prompt) for i in range(4)]
        assert "itoa" in labels[1], "each feature says what it turns on"
        checklist.focus()
        await pilot.pause()
        await pilot.press("down", "down", "space")  # sqlite
        await pilot.pause()
        assert app.plan.choices["features"] == ("sqlite",)
        assert not any(f.rule == "feature-gate" for f in app.outcome.errors)
        assert "--features sqlite" in app.outcome.rendered.dockerfile
        await pilot.press("space")  # untick it again: the gate is back
        await pilot.pause()
        assert app.plan.choices["features"] == ()
        assert any(f.rule == "feature-gate" for f in app.outcome.errors)
