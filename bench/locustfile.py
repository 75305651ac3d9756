"""The mixed workload of the load test (bench/load.py starts it): each simulated officer logs
contacts through the API and opens their office's officer leaderboard, its dashboard and their
Today page, as a busy morning in the field looks (LOAD_WEIGHTS, 7:1:1:1 by default). Pages are
asked again as a browser does, with the ETag of the copy it holds (If-None-Match). Users (signed in
before the run: a sign-in's deliberate slowness is not what is measured), tokens, offices and
wards come from LOAD_USERS (JSON); the client token of every contact the server
accepted goes to the LOAD_ACCEPTED file."""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import datetime
from itertools import cycle
from zoneinfo import ZoneInfo

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

USERS = cycle(json.loads(os.environ["LOAD_USERS"]))
ACCEPTED = open(os.environ["LOAD_ACCEPTED"], "a", buffering=1)  # one client token per line
OFFICE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # the date an officer in Lào Cai writes down
# contact logging : officer leaderboard : dashboard : Today
LOG, BOARD, DASHBOARD, TODAY = (
    int(w) for w in os.environ.get("LOAD_WEIGHTS", "7,1,1,1").split(",")
)


class Officer(FastHttpUser):
    wait_time = between(0.05, 0.25)

    def on_start(self):
        me = next(USERS)
        self.token, self.areas, self.office = me["token"], me["areas"], me["office"]
        self.etags = {}  # the pages this browser holds
        self.cookie = me["cookie"]  # signed in by bench/load.py before the run

    @task(LOG)
    def log_contact(self):
        token = uuid.uuid4().hex
        response = self.client.post(
            "/api/v1/contacts",
            json={
                "client_token": token,
                "area": random.choice(self.areas),  # nosec B311 - load generation, not security
                "contacted_on": datetime.now(OFFICE_TIME).date().isoformat(),
                "channel": "phone",  # a home visit needs a household
                "outcome": "informed",
                "people_reached": 1,
            },
            headers={"Authorization": f"Bearer {self.token}"},
            name="POST /api/v1/contacts",
        )
        if response.status_code == 201:
            ACCEPTED.write(token + "\n")

    def page(self, address: str, name: str) -> None:
        """GET a page as a browser holding a copy of it would: with its ETag."""
        held = self.etags.get(address)
        headers = {"Cookie": self.cookie, **({"If-None-Match": held} if held else {})}
        response = self.client.get(address, headers=headers, name=name)
        if response.status_code == 200 and response.headers.get("ETag"):
            self.etags[address] = response.headers["ETag"]

    @task(BOARD)
    def officer_leaderboard(self):
        year = datetime.now(OFFICE_TIME).year
        self.page(f"/boards/officers?period={year}&office={self.office}", "GET /boards/officers")

    @task(DASHBOARD)
    def dashboard(self):
        year = datetime.now(OFFICE_TIME).year
        self.page(f"/dashboard?period={year}&office={self.office}", "GET /dashboard")

    @task(TODAY)
    def today(self):
        self.page("/", "GET / (Today)")
