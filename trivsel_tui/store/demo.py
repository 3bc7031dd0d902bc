"""A deterministic generator of realistic sample data (same seed + same anchor = same database).

Rows go in with bulk inserts for speed, and every row still gets its audit entry in the same
transaction, as every other change does.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select

from trivsel_tui.data_files import read_data_file
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.facts import Facts
from trivsel_tui.domain.legal_deadlines import deadline_is_legal
from trivsel_tui.domain.owners import People, default_owner
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.statistics import stat_fields
from trivsel_tui.store import models
from trivsel_tui.store.cases import category_tag
from trivsel_tui.store.dialect import advance_sequences
from trivsel_tui.store.refs import RefCounter, last_ref_number
from trivsel_tui.store.store import Store
from trivsel_tui.store.text_keys import with_keys

HISTORY_DAYS = 730
RECENT = timedelta(days=21)
BATCH = 5_000


@dataclass(frozen=True)
class DemoResult:
    workplaces: int
    cases: int
    episodes: int
    tasks: int


def _demo_data() -> dict[str, Any]:
    text = read_data_file("demo.toml")
    return tomllib.loads(text)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


class _Builder:
    def __init__(self, store: Store, rules: Rules, seed: int, anchor: datetime) -> None:
        self.rng = random.Random(seed)
        self.rules = rules
        self.anchor = anchor
        self.actor = store.actor
        self.data = _demo_data()
        self.rows: dict[str, list[dict[str, Any]]] = {
            "workplace": [],
            "case": [],
            "episode": [],
            "task": [],
            "action_plan": [],
            "action_item": [],
        }
        self.audit: list[dict[str, Any]] = []
        self.next_id: dict[str, int] = {}
        self.added = dict.fromkeys(self.rows, 0)

    def _add(self, entity: str, row: dict[str, Any]) -> int:
        row_id = self.next_id[entity]
        self.next_id[entity] = row_id + 1
        self.added[entity] += 1
        row["id"] = row_id
        self.rows[entity].append(row)
        self.audit.append(
            {
                "at": self.anchor,
                "actor": self.actor,
                "entity": entity,
                "entity_id": row_id,
                "action": "create",
                "changes": {"kilde": [None, "demo-generator"]},
            }
        )
        return row_id

    def workplaces(self, count: int, existing: dict[str, int]) -> list[dict[str, Any]]:
        """Sample workplaces; one that already exists by name is reused, not duplicated."""
        kinds = self.data["workplace_kinds"]
        made = []
        for i in range(count):
            kind = kinds[i % len(kinds)]
            base = kind["names"][(i // len(kinds)) % len(kind["names"])]
            district = self.data["districts"][(i // len(kinds)) % len(self.data["districts"])]
            round_no = i // (len(kinds) * len(self.data["districts"]))
            name = f"{base} {district}" + (f" {round_no + 1}" if round_no else "")
            survey_age = self.rng.randint(60, 900)
            at_risk = kind["risk_violence"] or kind["risk_sexual"]
            decided = (
                (self.anchor - timedelta(days=self.rng.randint(30, 700))).date() if self.rng.random() < 0.6 else None
            )
            row = {
                "name": name,
                "unit": kind["unit"],
                "med_level": "Lokal MED",
                "risk_violence_citizens": kind["risk_violence"],
                "risk_sexual_citizens": kind["risk_sexual"],
                "leader_name": self._person(),
                "amr_name": self._person(),
                "tr_name": self._person(),
                "last_wellbeing_survey": (self.anchor - timedelta(days=survey_age)).date(),
                "local_adaptation_decided_on": decided,
                "local_adaptation_decision": "Ingen lokale tilføjelser" if decided else "",
                "risk_flagged_on": (self.anchor - timedelta(days=400)).date() if at_risk else None,
                "created_at": self.anchor,
                "updated_at": self.anchor,
            }
            if name in existing:
                row["id"] = existing[name]
            else:
                workplace_id = self._add("workplace", row)
                if at_risk and self.rng.random() < 0.5:
                    self._handleplan(
                        workplace_id, "prevention_violence" if kind["risk_violence"] else "prevention_sexual"
                    )
            made.append({**row, "kind": kind})
        return made

    def _handleplan(self, workplace_id: int, kind: str) -> None:
        """An adopted prevention plan with a few measures, some done, one due soon."""
        adopted = (self.anchor - timedelta(days=self.rng.randint(60, 300))).date()
        plan_id = self._add(
            "action_plan",
            {
                "kind": kind,
                "case_id": None,
                "workplace_id": workplace_id,
                "made_by": "arbejdsmiljoegruppe",
                "employees_involved": "Hele personalegruppen",
                "adopted_on": adopted,
                "next_review_on": adopted + timedelta(days=365),
                "status": "adopted",
                "created_at": self.anchor,
                "updated_at": self.anchor,
            },
        )
        measures = self.data["measures"]
        for position, measure in enumerate(self.rng.sample(measures, k=3)):
            due = (self.anchor + timedelta(days=self.rng.randint(-40, 60))).date()
            done = due < self.anchor.date() and self.rng.random() < 0.7
            self._add(
                "action_item",
                {
                    "plan_id": plan_id,
                    "measure": measure,
                    "horizon": self.rng.choice(["short", "long"]),
                    "kind": "prevention",
                    "responsible": self._person(),
                    "due_on": due,
                    "status": "done" if done else "planned",
                    "drop_reason": "",
                    "cause_ids": [],
                    "effective": "yes" if done else None,
                    "note": "",
                    "effect_note": "",
                    "position": position,
                    "created_at": self.anchor,
                    "updated_at": self.anchor,
                },
            )

    def _person(self) -> str:
        return f"{self.rng.choice(self.data['first_names'])} {self.rng.choice(self.data['last_names'])}"

    def _scenario(self) -> dict[str, Any]:
        scenarios = list(self.data["scenarios"].values())
        scenario: dict[str, Any] = self.rng.choices(scenarios, weights=[s["weight"] for s in scenarios])[0]
        return scenario

    def _facts(self, scenario: dict[str, Any], occurred: datetime) -> Facts:
        rng = self.rng
        behaviours = tuple(dict.fromkeys(rng.sample(scenario["behaviours"], k=rng.choice((1, 1, 1, 2)))))
        injury = rng.choices(["none", "physical", "psychological", "both"], weights=[45, 25, 20, 10])[0]
        pattern = rng.random() < 0.4
        absent = injury != "none" and rng.random() < 0.5
        return Facts(
            occurred_at=local(occurred),
            behaviours=behaviours,
            perpetrator=rng.choice(scenario["perpetrators"]),
            injury=injury,
            intentional=rng.choices([True, False, None], weights=[60, 25, 15])[0],
            reflex_or_resistance=rng.random() < 0.15,
            regular_over_time=pattern,
            repeated_gross=pattern and rng.random() < 0.5,
            target_can_defend=rng.choice([True, False, None]),
            channel=rng.choice(list(self.rules.channels)),
            first_absence_day=(local(occurred).date() + timedelta(days=1)) if absent else None,
            absence_days=rng.randint(1, 20) if absent else None,
        )

    def _place_and_description(
        self, scenario: dict[str, Any], kind: dict[str, Any], facts: Facts
    ) -> tuple[dict[str, Any], str]:
        """Where it happened (each place carries its own preposition) and what happened, in Danish."""
        places = [p for p in kind["places"] if not (scenario.get("in_person") and p.get("remote"))]
        place: dict[str, Any] = self.rng.choice(places)
        who = kind["citizen"] if facts.perpetrator == "citizen" else self.data["subjects"][facts.perpetrator]
        text: str = scenario.get("texts", {}).get(facts.behaviours[0], scenario["text"])
        return place, text.format(who=who, at=place["at"])

    def ages(self, count: int) -> list[timedelta]:
        """How long ago each episode happened, oldest first, so refs and ids follow time."""
        # Recent episodes are more common: people report what just happened.
        draws = [timedelta(minutes=int(HISTORY_DAYS * 24 * 60 * self.rng.random() ** 2.2)) for _ in range(count)]
        return sorted(draws, reverse=True)

    def case(self, age: timedelta, workplaces: list[dict[str, Any]], refs: RefCounter) -> None:
        rng = self.rng
        workplace = rng.choice(workplaces)
        occurred = (self.anchor - age).replace(second=0, microsecond=0)
        scenario = self._scenario()
        facts = self._facts(scenario, occurred)
        result = classify(facts, self.rules)
        created = occurred + timedelta(hours=rng.randint(1, 48))
        created = min(created, self.anchor)
        place, description = self._place_and_description(scenario, workplace["kind"], facts)
        tasks = []
        all_done = True
        for action in result.actions:
            due = action.due.in_tz("UTC") if action.due else None
            done_at = None
            # Recent deadlines are sometimes missed; old ones almost never stay open.
            if due is not None and due < self.anchor and rng.random() < (0.75 if self.anchor - due < RECENT else 0.995):
                done_at = min(due - timedelta(hours=rng.randint(0, 40)), self.anchor)
                done_at = max(done_at, created)
            elif due is not None and due > self.anchor and rng.random() < 0.2:
                done_at = self.anchor - timedelta(hours=rng.randint(0, 3))
            all_done = all_done and done_at is not None
            tasks.append((action, due, done_at))
        closed = all_done and age > timedelta(days=60) and rng.random() < 0.8
        ref = refs.next(local(created).year)
        # Drawn in this order so that a seed gives the same data as before owners existed.
        person, job, consultant = (
            self._person(),
            rng.choice(workplace["kind"]["jobs"]),
            rng.choice(self.data["consultants"]),
        )
        people = People(
            leader=workplace["leader_name"], amr=workplace["amr_name"], consultant=consultant, affected_person=person
        )
        # Retention runs from the closing: a closed case was closed when its last task was done.
        closed_at = max((done for _action, _due, done in tasks if done is not None), default=created)
        case_id = self._add(
            "case",
            {
                "ref": ref,
                "workplace_id": workplace["id"],
                "affected_person": person,
                "affected_job": job,
                "consultant": consultant,
                "status": "closed" if closed else "open",
                "closed_at": closed_at if closed else None,
                "close_reason": "Opfølgning afsluttet" if closed else "",
                "created_at": created,
                "updated_at": created,
            },
        )
        classification = result.to_json()
        episode_id = self._add(
            "episode",
            {
                "case_id": case_id,
                "occurred_at": occurred,
                "place": place["name"],
                "description": description,
                "behaviours": list(facts.behaviours),
                "perpetrator": facts.perpetrator,
                "injury": facts.injury,
                "intentional": facts.intentional,
                "reflex_or_resistance": facts.reflex_or_resistance,
                "regular_over_time": facts.regular_over_time,
                "repeated_gross": facts.repeated_gross,
                "target_can_defend": facts.target_can_defend,
                "grounds": [],
                "channel": facts.channel,
                "first_absence_day": facts.first_absence_day,
                "absence_days": facts.absence_days,
                "witnesses": "",
                "reported_by": self._person(),
                "classification": classification,
                "override_reason": "",
                **stat_fields(occurred, classification),
                "created_at": created,
                "updated_at": created,
            },
        )
        for action, due, done_at in tasks:
            self._add(
                "task",
                {
                    "case_id": case_id,
                    "workplace_id": None,
                    "episode_id": episode_id,
                    "action_code": action.code,
                    "categories": category_tag(result.categories),
                    "title": action.title,
                    "basis": action.basis,
                    "due_at": due,
                    "done_at": done_at,
                    "done_by": rng.choice(self.data["consultants"]) if done_at else "",
                    "note": "",
                    "owner_role": action.owner_role,
                    "owner": default_owner(action.owner_role, people),
                    "legal_deadline": deadline_is_legal(
                        action.code, result.insurance_report, local(occurred).date(), self.rules
                    ),
                    "created_at": created,
                    "updated_at": done_at or created,
                },
            )


def generate_demo(
    store: Store,
    rules: Rules,
    cases: int,
    seed: int,
    anchor: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Add `cases` sample cases (and the workplaces they need) to the store in one transaction."""
    builder = _Builder(store, rules, seed, anchor.astimezone(UTC))
    with store.write() as session:
        connection = session.connection()
        for entity, model in (
            ("workplace", models.Workplace),
            ("action_plan", models.ActionPlan),
            ("action_item", models.ActionItem),
            ("case", models.Case),
            ("episode", models.Episode),
            ("task", models.Task),
        ):
            builder.next_id[entity] = (connection.execute(select(func.max(_table(model).c.id))).scalar() or 0) + 1
        workplace_table = _table(models.Workplace)
        existing: dict[str, int] = dict(connection.execute(select(workplace_table.c.name, workplace_table.c.id)).all())
        workplaces = builder.workplaces(max(6, min(120, cases // 250)), existing)
        _flush(connection, builder)
        refs = RefCounter(lambda year: last_ref_number(connection, year))
        for i, age in enumerate(builder.ages(cases)):
            builder.case(age, workplaces, refs)
            if len(builder.audit) >= BATCH:
                _flush(connection, builder)
                if progress:
                    progress(i + 1, cases)
        _flush(connection, builder)
        advance_sequences(connection)  # the rows came with explicit ids
        if progress:
            progress(cases, cases)
    store.refresh_statistics()
    return DemoResult(len(workplaces), cases, builder.added["episode"], builder.added["task"])


def _flush(connection: Any, builder: _Builder) -> None:
    tables = {
        "workplace": models.Workplace,
        "action_plan": models.ActionPlan,
        "action_item": models.ActionItem,
        "case": models.Case,
        "episode": models.Episode,
        "task": models.Task,
    }
    for entity, model in tables.items():
        if builder.rows[entity]:
            connection.execute(insert(_table(model)), [with_keys(entity, row) for row in builder.rows[entity]])
            builder.rows[entity].clear()
    if builder.audit:
        connection.execute(insert(_table(models.AuditEntry)), builder.audit)
        builder.audit.clear()
