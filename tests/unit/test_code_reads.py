"""Runtime files: what the code reads at run time reaches WORKDIR at the path it reads
(code_reads.py); what is compiled in or only used by the docs does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustdock.wizard.cargo_sources import Sources
from rustdock.wizard.code_reads import runtime_reads
from rustdock.wizard.detect import detect
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check


def _runtime_copies(dockerfile: str) -> list[str]:
    stage = dockerfile[dockerfile.index(" AS runtime"):]
    return [line for line in stage.splitlines() if line.startswith("COPY ") and "--from" not in line]


def test_tera_templates_of_a_member_land_where_tera_looks(fixture_copy):
    root = fixture_copy("reads-tera")
    project = detect(root)
    assert [(r.source, r.dest) for r in project.runtime_reads] == [("crates/web/templates", "templates")]
    assert project.runtime_reads[0].reason == 'crates/web/src/pages.rs:4 Tera::new("templates/**/*")'
    dockerfile = render(make_plan(project)).dockerfile
    assert _runtime_copies(dockerfile) == ["COPY crates/web/templates /app/templates"]
    # The reason is in the preview, and static/ (read by nobody) is not copied.
    assert '#   templates/: crates/web/src/pages.rs:4 Tera::new("templates/**/*"); from' in dockerfile
    assert "unused.css" not in dockerfile and "crates/web/static /app" not in dockerfile


def test_askama_templates_are_compiled_in(fixture_copy):
    project = detect(fixture_copy("reads-askama"))
    assert project.extra_dirs == ("templates",) and project.runtime_dirs == ()
    assert _runtime_copies(render(make_plan(project)).dockerfile) == []


def test_servedir_static_dir_is_shipped_docs_are_not(fixture_copy):
    project = detect(fixture_copy("reads-servedir"))
    assert [r.entry for r in project.runtime_reads] == ["public"]
    assert _runtime_copies(render(make_plan(project)).dockerfile) == ["COPY public /app/public"]


def test_readme_images_are_not_shipped(fixture_copy):
    project = detect(fixture_copy("reads-readme-images"))
    assert project.extra_dirs == ("assets",) and project.runtime_dirs == ()


def test_moved_entry_is_checked_by_its_source_and_copied_to_its_dest(fixture_copy):
    root = fixture_copy("reads-tera")
    plan = make_plan(detect(root), overrides=["extra_files=crates/web/templates:views"])
    assert _runtime_copies(render(plan).dockerfile) == ["COPY crates/web/templates /app/views"]
    missing = make_plan(detect(root), overrides=["extra_files=nothere:templates"])
    assert any(f.option == "extra_files" and "nothere" in f.message and f.is_error
               for f in check(missing))


@pytest.mark.parametrize("entry", ["../x:y", "x:../y", "x:a/../../y", "/abs:y"])
def test_entries_stay_inside_the_project_and_the_workdir(fixture_copy, entry):
    from rustdock.wizard.options import OptionError, option
    with pytest.raises(OptionError):
        option("extra_files").parse([entry])


def _reads(tmp_path: Path, code: str, dirs=("templates", "static", "public", "data"), package_dir="."):
    for name in dirs:
        (tmp_path / name).mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text("x")
    return [(r.entry, r.reason.split(" ", 1)[1]) for r in
            runtime_reads(tmp_path, Sources((("src/main.rs", code),)), package_dir)]


def test_calls_of_each_engine(tmp_path):
    code = """
    let h = hb.register_templates_directory(".hbs", "./templates");
    let env = minijinja::path_loader("templates");
    let files = actix_files::Files::new("/static", "./static").show_files_listing();
    let p = Path::new("public");
    let rocket = FileServer::from(relative!("static"));
    """
    found = _reads(tmp_path, code)
    assert [e for e, _ in found] == ["templates", "static", "public"]
    assert found[0][1] == 'hb.register_templates_directory(".hbs", "./templates")'.removeprefix("hb.")


def test_near_misses_are_not_runtime_files(tmp_path):
    code = """
    // Tera::new("static/**/*") in a comment
    let page = include_str!("templates/page.html");
    #[template(path = "templates/page.html")]
    let route = Router::new().nest_service("/static", service);
    std::fs::create_dir_all("data").unwrap();
    let key = json!({"public": true});
    let glob = Tera::new(&format!("{}/templates/**/*", root));
    let abs = ServeDir::new("/srv/www");
    let gone = ServeDir::new("dist");
    """
    assert _reads(tmp_path, code) == []


def test_unnamed_path_falls_back_to_the_conventional_dir(fixture_copy, tmp_path):
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "app"\nversion = "0.1.0"\n[dependencies]\ntera = "1"\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src/main.rs").write_text("fn main() { let t = tera::Tera::new(&std::env::var(\"GLOB\").unwrap()); }\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    project = detect(tmp_path)
    assert [r.entry for r in project.runtime_reads] == ["templates"]
    assert "no literal path" in project.runtime_reads[0].reason


def test_assets_sample_ships_the_two_files_it_names():
    project = detect(Path(__file__).parents[1] / "projects" / "assets")
    assert [r.entry for r in project.runtime_reads] == ["templates/page.html", "static/style.css"]


def test_a_path_read_at_run_time_that_the_repo_lacks_is_a_warning(tmp_path):
    """ServeDir::new("frontend/dist"), an npm build's output absent from the repo: not
    copied (nothing to copy), and a warning says the image will lack it; the templates/
    that exist are copied as usual; a bare literal naming nothing is no read at all."""
    from rustdock.wizard.code_reads import absent_reads

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.html").write_text("hi")
    code = ('let t = Tera::new("templates/**/*");\n'
            'let app = Router::new().fallback_service(ServeDir::new("frontend/dist"));\n'
            'let name = "reports/out";\n')
    sources = Sources(files=(("src/main.rs", code),))
    assert [r.dest for r in runtime_reads(tmp_path, sources, ".")] == ["templates"]
    absent = absent_reads(tmp_path, sources, ".")
    assert [(r.source, r.dest, r.is_dir) for r in absent] == [("", "frontend/dist", True)]
    assert absent[0].reason == 'src/main.rs:2 ServeDir::new("frontend/dist")'
    (tmp_path / "frontend" / "dist").mkdir(parents=True)
    assert absent_reads(tmp_path, sources, ".") == ()


def test_detect_carries_what_is_absent_to_the_rules(fixture_copy):
    root = fixture_copy("reads-tera")
    main = next(root.glob("crates/web/src/pages.rs"))
    main.write_text(main.read_text() + '\nfn spa() { let _ = ServeDir::new("web/dist"); }\n')
    project = detect(root)
    assert [r.dest for r in project.runtime_absent] == ["web/dist"]
    found = [f for f in check(make_plan(project)) if f.rule == "runtime-path-absent"]
    assert found and "web/dist" in found[0].message and found[0].severity == "warning"


def test_rocket_toml_template_dir_moves_the_templates_rocket_reads(tmp_path):
    """Rocket reads templates from Rocket.toml's template_dir (views/), not templates/:
    views/ is copied with that reason, and no absent templates/ is reported."""
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "site"\nversion = "0.1.0"\nedition = "2021"\n\n'
                                          '[dependencies]\nrocket = "0.5"\nrocket_dyn_templates = "0.2"\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.rs").write_text(
        "#[launch]\nfn rocket() -> _ {\n    rocket::build().attach(Template::fairing())\n}\n")
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "index.html.tera").write_text("hi")
    (tmp_path / "Rocket.toml").write_text('[default]\ntemplate_dir = "views"\n')
    project = detect(tmp_path)
    assert [(r.source, r.dest) for r in project.runtime_reads] == [("views", "views")]
    assert "set to views" in project.runtime_reads[0].reason
    assert project.runtime_absent == ()
    (tmp_path / "Rocket.toml").write_text('[default]\nport = 8000\n')
    assert [r.dest for r in detect(tmp_path).runtime_absent] == ["templates"]
