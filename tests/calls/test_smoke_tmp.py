from tests.conftest import login


def test_smoke(client, call_world):
    w = call_world
    for path in ("/calls/", f"/calls/{w.call.id}"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.data[:3000])
    login(client, "pat@example.org")
    for path in ("/calls/", "/calls/manage", "/calls/new", "/calls/new?kind=centre", f"/calls/{w.call.id}/edit",
                 f"/calls/{w.call.id}/overview", f"/calls/{w.call.id}/preview", f"/calls/{w.call.id}/close"):
        r = client.get(path)
        print(path, r.status_code)
        if r.status_code != 200:
            print(r.get_data(as_text=True)[:5000])
    r = client.get(f"/calls/{w.call.id}/edit")
    with open("/tmp/edit.html", "w") as f:
        f.write(r.get_data(as_text=True))
