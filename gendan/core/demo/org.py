"""The demo organisation: a sales centre led by a director, sales teams under it, each with a
sales manager and people of every sales role, and an admin. Every user shares one password."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from gendan.core.demo.context import BATCH_SIZE, PASSWORD, Demo
from gendan.core.demo.plans import TeamPlan
from gendan.core.demo.words import TEAMS
from gendan.org.models import Role, Team, User


def create(demo: Demo) -> None:
    """The team tree and its users, into `demo.teams`, `demo.users` and `demo.team_names`."""
    roles = Role.objects.in_bulk(field_name="code")
    joined = demo.base - timedelta(days=400)
    stamps = {"created_at": joined, "updated_at": joined}
    root = Team(name="销售中心", **stamps)
    Team.objects.bulk_create([root])
    specs = TEAMS[: demo.size.teams]
    teams = [Team(name=name, parent=root, **stamps) for name, _code, _cities in specs]
    Team.objects.bulk_create(teams)
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

    admin = user(
        "admin", "admin", None, is_staff=True, is_superuser=True, display_name="系统管理员"
    )
    director = user("director", "sm", root)
    users = [admin, director]
    for team, (_name, code, cities) in zip(teams, specs, strict=True):
        roster = {"sm": [user(f"{code}_sm", "sm", team)]}
        for role, count in demo.size.reps.items():
            roster[role] = [
                user(f"{code}_{role}{i + 1 if i else ''}", role, team) for i in range(count)
            ]
        users.extend(u for group in roster.values() for u in group)
        demo.teams.append(TeamPlan(team, code, cities, roster))
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    root.manager = director
    for plan in demo.teams:
        plan.team.manager = plan.users["sm"][0]
    Team.objects.bulk_update([root, *teams], ["manager"])
    demo.users = users
    demo.team_names = {root.pk: root.name, **{t.pk: t.name for t in teams}}
