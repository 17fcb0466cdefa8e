"""The users bench/load.py sends (Locust): graduates who search, read positions, look at their recommendations and
home page and apply; recruiters who go through applicants and move them on. Signed in through the real form;
1-3 s of thinking between requests. Accounts and ids come from the JSON file named by JINYING_LOAD_WORLD."""
import json
import os
import random
import re
from itertools import count

from locust import HttpUser, between, task
from locust.exception import StopUser

WORLD = json.loads(open(os.environ["JINYING_LOAD_WORLD"]).read())
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
APPLICATION = re.compile(r"/employer/applications/(\d+)")
_graduates, _recruiters = count(), count()


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def sign_in(self, email: str) -> None:
        """The real form; a refused sign-in counts as a failure and the user stops (its pages would be /login)."""
        token = CSRF.search(self.client.get("/login", name="sign-in page").text).group(1)
        with self.client.post("/login", data={"email": email, "password": WORLD["password"], "csrf_token": token},
                              name="sign in", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"sign-in answered {response.status_code}")
                raise StopUser()
        self.csrf = CSRF.search(self.client.get("/login", name="sign-in page").text).group(1)


class Graduate(SignedIn):
    weight = 9

    def on_start(self) -> None:
        self.sign_in(WORLD["graduates"][next(_graduates) % len(WORLD["graduates"])])

    @task(4)
    def search(self) -> None:
        self.client.get("/jobs", params={"q": random.choice(WORLD["words"])}, name="search")

    @task(4)
    def position(self) -> None:
        self.client.get(f"/jobs/{random.choice(WORLD['positions'])}", name="position page")

    @task(2)
    def recommendations(self) -> None:
        self.client.get("/recommendations", name="recommendations")

    @task(2)
    def home(self) -> None:
        self.client.get("/me", name="home (/me)")

    @task(1)
    def apply(self) -> None:
        with self.client.post("/applications", data={"position_id": random.choice(WORLD["to_apply"]),
                                                     "csrf_token": self.csrf},
                              name="apply", allow_redirects=False, catch_response=True) as response:
            # Applied before, or the position stopped taking applications: a refusal, not a failure.
            if response.status_code in (303, 409):
                response.success()


class Recruiter(SignedIn):
    weight = 1

    def on_start(self) -> None:
        account = WORLD["recruiters"][next(_recruiters) % len(WORLD["recruiters"])]
        self.sign_in(account["email"])
        self.positions = account["positions"]
        self.applications: list[str] = []

    @task(3)
    def applicants(self) -> None:
        page = self.client.get(f"/employer/positions/{random.choice(self.positions)}/applicants", name="applicants")
        self.applications = APPLICATION.findall(page.text) or self.applications

    @task(1)
    def move(self) -> None:
        if not self.applications:
            return
        with self.client.post(f"/employer/applications/{random.choice(self.applications)}/stage",
                              data={"status": random.choice(["interview", "rejected"]), "csrf_token": self.csrf},
                              name="status change", allow_redirects=False, catch_response=True) as response:
            if response.status_code in (200, 303, 409, 422):  # a move the stage does not allow is a refusal
                response.success()
