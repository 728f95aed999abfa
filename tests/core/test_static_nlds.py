"""The vendored NL Design System CSS and the project's stylesheet: served from this site, with licences."""
def test_nl_design_system_files_are_served_from_this_site(client):
    """The vendored CSS comes as text/css from 'self' (the CSP allows nothing else), with its licence."""
    from core.headers import content_security_policy

    page = client.get("/").get_data(as_text=True)
    for path in ("/static/nlds/utrecht-component-library-css/index.css",
                 "/static/nlds/voorbeeld-design-tokens/theme.css", "/static/scg.css"):
        assert f'href="{path}"' in page
        resp = client.get(path)
        assert resp.status_code == 200 and resp.mimetype == "text/css", path
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "style-src 'self'" in content_security_policy("n")
    for folder in ("utrecht-component-library-css", "voorbeeld-design-tokens"):
        licence = client.get(f"/static/nlds/{folder}/LICENSE.md").get_data(as_text=True)
        assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in licence
    assert '<body class="voorbeeld-theme scg-theme utrecht-document">' in page
