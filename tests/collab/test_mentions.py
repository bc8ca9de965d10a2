"""Finding `@username` mentions in a comment."""

from gendan.activities.mentions import MAX_MENTIONS, mention_tokens, mentioned_users
from tests.factories import UserFactory


def _names(body):
    return [user.username for user in mentioned_users(body)]


def test_tokens_follow_an_at_sign_at_a_word_start():
    assert mention_tokens("@li.lei please call; cc @Han-Meimei") == ["li.lei", "han-meimei"]
    assert mention_tokens("write to bob@example.com") == []
    assert mention_tokens("@a @b @a") == ["a", "b"]


def test_tokens_are_capped():
    body = " ".join(f"@user{n}" for n in range(MAX_MENTIONS + 10))
    assert len(mention_tokens(body)) == MAX_MENTIONS


def test_names_match_active_users_case_insensitively(db):
    # given three users, one of them no longer active
    UserFactory(username="lilei")
    UserFactory(username="Han.Meimei")
    UserFactory(username="gone", is_active=False)
    # when a comment mentions them, and someone unknown
    names = _names("@LiLei @han.meimei @gone @nobody")
    # then the active ones are found, in the order mentioned
    assert names == ["lilei", "Han.Meimei"]


def test_punctuation_and_chinese_text_after_a_name(db):
    # given users with plain and e-mail-like usernames
    UserFactory(username="lilei")
    UserFactory(username="wang@example.com")
    UserFactory(username="张伟")
    # when names run straight into punctuation or Chinese text
    # then the longest leading part that is a user is the mention
    assert _names("Thanks @lilei.") == ["lilei"]
    assert _names("@lilei请看一下报价") == ["lilei"]
    assert _names("@wang@example.com, see above") == ["wang@example.com"]
    assert _names("@张伟看看") == ["张伟"]


def test_longest_name_wins(db):
    UserFactory(username="li")
    UserFactory(username="li.lei")
    assert _names("@li.lei hi") == ["li.lei"]
    assert _names("@li hi") == ["li"]


def test_one_query_whatever_the_number_of_mentions(db, django_assert_num_queries):
    for n in range(10):
        UserFactory(username=f"rep{n}")
    body = " ".join(f"@rep{n}" for n in range(10))
    with django_assert_num_queries(1):
        assert len(mentioned_users(body)) == 10
