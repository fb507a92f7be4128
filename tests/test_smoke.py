"""The test database is rolled back after every test, even when the code under test commits."""
import pytest


def test_home_page_shows_the_plan(client, thinktank):
    response = client.get("/")
    assert response.status_code == 200
    assert "Preventie" in response.get_data(as_text=True)


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_from_an_empty_database(create_user, attempt):
    # The same e-mail address in two tests only works when the first test's commit was rolled back.
    user = create_user(email="same@example.org")
    assert user.id
