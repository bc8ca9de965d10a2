"""The demo organisation: a sales centre led by a director, sales teams under it, each with a
sales manager and people of every sales role, and an admin. Every user shares one password."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from gendan.demo.context import BATCH_SIZE, PASSWORD, Demo
from gendan.demo.plans import TeamPlan
from gendan.demo.words import TEAMS
from gendan.org.models import Role, Team, User


def _user_maker(demo: Demo, joined):
    """`user(username, role, team, **extra)`: an unsaved user with a name nobody else has."""
    roles = Role.objects.in_bulk(field_name="code")
    password = make_password(PASSWORD)  # hashed once: every demo user shares it
    names: set[str] = set()

    def user(username: str, role: str, team: Team | None, **extra) -> User:
        person = demo.person()
        while person.name in names:
            person = demo.person()
        names.add(person.name)
        return User(
            username=username,
            display_name=extra.pop("display_name", person.name),
            email=f"{username}@example.com",
            phone=person.phone,
            role=roles.get(role),
            team=team,
            password=password,
            date_joined=joined,
            updated_at=joined,
            **extra,
        )

    return user


def _selling_teams(demo: Demo, user, teams, specs, stamps) -> tuple[list, list]:
    """The users and (team, manager) pairs of the departments; for the large size each
    department is a manager over groups, and the groups are the selling teams."""
    users, managers, groups = [], [], []
    for team, (_name, code, cities) in zip(teams, specs, strict=True):
        if not demo.size.groups:
            selling_here = [(team, code, cities)]
        else:
            head = user(f"{code}_sm", "sm", team)  # the department's manager
            users.append(head)
            managers.append((team, head))
            selling_here = []
            for n in range(1, demo.size.groups + 1):
                group = Team(name=f"{team.name}{_NUMBERS[n]}组", parent=team, **stamps)
                groups.append((group, f"{code}{n}", cities))
        for selling, code_, cities_ in selling_here:
            roster = _roster(demo, user, selling, code_)
            users.extend(u for group in roster.values() for u in group)
            demo.all_teams.append(TeamPlan(selling, code_, cities_, roster))
            managers.append((selling, roster["sm"][0]))
    if groups:
        Team.objects.bulk_create([g for g, _c, _cities in groups])
        for group, code, cities in groups:
            roster = _roster(demo, user, group, code)
            users.extend(u for members in roster.values() for u in members)
            demo.all_teams.append(TeamPlan(group, code, cities, roster))
            managers.append((group, roster["sm"][0]))
    return users, managers


def create(demo: Demo) -> None:
    """The team tree and its users, into `demo.all_teams` (the selling teams), `demo.users`
    and `demo.team_names`."""
    joined = demo.base - timedelta(days=400)
    stamps = {"created_at": joined, "updated_at": joined}
    root = Team(name="销售中心", **stamps)
    Team.objects.bulk_create([root])
    specs = TEAMS[: demo.size.teams]
    teams = [Team(name=name, parent=root, **stamps) for name, _code, _cities in specs]
    Team.objects.bulk_create(teams)
    user = _user_maker(demo, joined)
    admin = user(
        "admin", "admin", None, is_staff=True, is_superuser=True, display_name="系统管理员"
    )
    director = user("director", "sm", root)
    selling_users, managers = _selling_teams(demo, user, teams, specs, stamps)
    users = [admin, director, *selling_users]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    root.manager = director
    for team, manager in managers:
        team.manager = manager
    Team.objects.bulk_update([root, *(t for t, _m in managers)], ["manager"], batch_size=500)
    demo.users = users
    demo.team_names = {root.pk: root.name, **{t.pk: t.name for t, _m in managers}}


_NUMBERS = "零一二三四五六七八九十" + "".join(f"十{d}" for d in "一二三四五六七八九")


def _roster(demo: Demo, user, team: Team, code: str) -> dict:
    """A selling team: its sales manager and people of every sales role."""
    roster = {"sm": [user(f"{code}_sm", "sm", team)]}
    for role, count in demo.size.reps.items():
        roster[role] = [
            user(f"{code}_{role}{i + 1 if i else ''}", role, team) for i in range(count)
        ]
    return roster
