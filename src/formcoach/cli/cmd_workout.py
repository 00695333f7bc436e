"""``formcoach workout``: see and edit a profile's weekly plan."""

from __future__ import annotations

from dataclasses import asdict

import click

from formcoach.cli.common import echo_json
from formcoach.cli.dboption import db_option, open_store
from formcoach.core.errors import FormcoachError
from formcoach.form.exercises import get_exercise
from formcoach.store import DEFAULT_PLAN, parse_item, parse_weekday, weekday_name
from formcoach.store.workouts import check_item_kind


@click.group("workout")
def command() -> None:
    """A profile's workout plan, one list of exercises per weekday."""


@command.command("show")
@click.argument("name")
@click.option("--day", help="Only this day (monday..sunday, mon, 0-6, today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@db_option
def show(name, day, as_json, db) -> None:
    """Show NAME's plan for the week (or one --day)."""
    with open_store(db) as store:
        p = store.profile(name)
        days = [parse_weekday(day)] if day else list(range(7))
        plan = {weekday_name(d): store.workout(p.name, d) for d in days}
    if as_json:
        echo_json({"profile": p.name, "plan": {d: [asdict(i) for i in v] for d, v in plan.items()}})
        return
    click.echo(f"{p.name}'s workout plan")
    for d, items in plan.items():
        click.echo(f"{d.capitalize()}:" + ("" if items else " rest day"))
        for i in items:
            click.echo(f"  {i.describe()}")


@command.command("set")
@click.argument("name")
@click.argument("day")
@click.argument("items", nargs=-1, required=True)
@db_option
def set_(name, day, items, db) -> None:
    """Replace NAME's plan for DAY with ITEMS.

    Each item is EXERCISE:SETSxREPS[@REST], e.g. bicep_curl:3x10@60, or a hold in
    seconds, e.g. plank:2x30s@45 (an exercise that is held takes seconds, the others
    reps). A single item 'rest' makes DAY a rest day.
    """

    parsed = [] if list(items) == ["rest"] else [parse_item(t) for t in items]
    for item in parsed:
        try:
            held = get_exercise(item.exercise).static
        except FormcoachError:
            continue  # the store names every unknown exercise at once
        check_item_kind(item, held)
    d = parse_weekday(day)
    with open_store(db) as store:
        p = store.profile(name)
        store.set_workout(p.name, d, parsed)
    what = "a rest day" if not parsed else "; ".join(i.describe() for i in parsed)
    click.echo(f"{p.name}'s {weekday_name(d).capitalize()}: {what}")


@command.command("reset")
@click.argument("name")
@db_option
def reset(name, db) -> None:
    """Put NAME's plan back to the default week."""
    with open_store(db) as store:
        p = store.profile(name)
        for d, items in DEFAULT_PLAN.items():
            store.set_workout(p.name, d, list(items))
    click.echo(f"{p.name}'s plan is the default week again ('formcoach workout show {p.name}').")
