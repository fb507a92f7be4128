def test_home_page_shows_the_plan(client, thinktank):
    response = client.get("/")
    assert response.status_code == 200
    assert "Preventie" in response.get_data(as_text=True)
