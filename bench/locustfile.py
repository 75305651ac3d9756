"""The mixed workload of the load test (bench/load.py starts it): each simulated officer logs
contacts through the API (80 %) and opens the officer leaderboard or the dashboard (10 % each),
as a busy morning in the field looks. Users, tokens and wards come from LOAD_USERS (JSON)."""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from datetime import date
from itertools import cycle

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

USERS = cycle(json.loads(os.environ["LOAD_USERS"]))
PASSWORD = os.environ["LOAD_PASSWORD"]
YEAR = date.today().year
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Officer(FastHttpUser):
    wait_time = between(0.05, 0.25)

    def on_start(self):
        me = next(USERS)
        self.token, self.areas = me["token"], me["areas"]
        page = self.client.get("/login", name="sign in (form)")
        csrf = CSRF.search(page.text)
        self.client.post(
            "/login",
            data={"username": me["username"], "password": PASSWORD, "csrf_token": csrf[1]},
            name="sign in",
        )

    @task(8)
    def log_contact(self):
        self.client.post(
            "/api/v1/contacts",
            json={
                "client_token": uuid.uuid4().hex,
                "area": random.choice(self.areas),  # nosec B311 - load generation, not security
                "contacted_on": date.today().isoformat(),
                "channel": "home_visit",
                "outcome": "informed",
                "people_reached": 1,
            },
            headers={"Authorization": f"Bearer {self.token}"},
            name="POST /api/v1/contacts",
        )

    @task(1)
    def officer_leaderboard(self):
        self.client.get(f"/boards/officers?period={YEAR}", name="GET /boards/officers")

    @task(1)
    def dashboard(self):
        self.client.get(f"/dashboard?period={YEAR}", name="GET /dashboard")
