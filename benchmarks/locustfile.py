"""The load scenario for benchmarks/load.py (run it through that script: it
prepares the data, the accounts and the server, and reads the results).

Five kinds of simulated user, each with cookies of its own and its own
network address (X-Forwarded-For through one trusted proxy, so per-address
limits apply as in production):

- Browsing staff sign in (password, then a TOTP code computed from their own
  authenticator's key) and read the case list, case pages, timelines, their
  tasks, people searches, the referral queue and referral pages.
- Triage staff also record reporting details, share new referrals with the
  police and record the gateway outcome, and add case notes: the real forms,
  read first for their CSRF token and current answers.
- Panel staff read meeting agendas and record decisions on agenda items.
- Members of the public fill in the public concern form page by page and submit.
- Partner systems POST /api/v1/referrals with a token each and an Idempotency-Key.

A request counts as failed unless it got exactly the answer a person would
expect (a page: 200; a form sent: the redirect that follows success).
"""

import collections
import datetime
import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from load_common import ANSWERS, api_body
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
REFERENCE = re.compile(r"PRV-\d{4}-\d{6}")
_staff_numbers = itertools.count()
_addresses = itertools.count(1)
_partners = itertools.count()
_gateway = collections.deque(PLAN["gateway"])
_decisions = collections.deque(PLAN["decisions"])
_pick = itertools.count()


# Every request's (type, time ms, failure or None, when), written out at the end
# for load.py to compute exact percentiles (locust's own are rounded).
SAMPLES = []


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, **kwargs):
    SAMPLES.append((f"{request_type} {name}", response_time, str(exception) if exception else None,
                    time.time()))


@events.quitting.add_listener
def _write(environment, **kwargs):
    if os.environ.get("LOAD_SAMPLES"):
        Path(os.environ["LOAD_SAMPLES"]).write_text(json.dumps(SAMPLES))


def pick(items):
    """The next of `items` in turn (every user walks the same long lists)."""
    return items[next(_pick) % len(items)]


def totp(hex_key: str, at: float | None = None) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1), as the user's authenticator app shows it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def new_address() -> str:
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class _Forms(HTMLParser):
    """The POST forms on a page and the values a browser would send as they stand."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "values": {}, "radios": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "radio":
                self._form["radios"].setdefault(name, []).append(attrs.get("value"))
                if "checked" in attrs:
                    self._form["values"][name] = attrs.get("value")
            elif kind == "checkbox":
                if "checked" in attrs:
                    self._form["values"][name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self._form["values"][name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["values"][name] = ""
        elif tag == "select" and name:
            self._select = name
            self._form["values"].setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form["values"][self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["values"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(html: str, needs: str, *, dates=()) -> dict:
    """What the page's form holding the field `needs` would send: its values
    as they stand, the first choice of any radios left unanswered, and
    today's date in the date fields `dates` if they are empty."""
    parser = _Forms()
    parser.feed(html)
    form = next((form for form in parser.forms if needs in form["values"] or needs in form["radios"]), None)
    if form is None:
        raise LookupError(f"no form with {needs}")
    values = dict(form["values"])
    for name, choices in form["radios"].items():
        values.setdefault(name, choices[0])
    today = datetime.date.today()
    for name in dates:
        for part, number in (("day", today.day), ("month", today.month), ("year", today.year)):
            values[f"{name}-{part}"] = values.get(f"{name}-{part}") or str(number)
    return values


def problem_shown(html: str) -> str:
    """The error summary's messages, as plain text, if the page has one."""
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return ": " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[1])).strip()[:300] if found else ""


def no_answer(response) -> str:
    """Why there was no answer at all (status 0), if there was none."""
    return f": {type(response.error).__name__}: {response.error}"[:200] if response.status_code == 0 else ""


class Visitor(HttpUser):
    """Plumbing: requests that fail unless they get the expected answer."""

    abstract = True

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = new_address()

    def page(self, path, name, expect=200):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} (expected {expect}){no_answer(response)}")
            return response

    def send(self, path, data, name, expect=302):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(path, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} (expected {expect}){no_answer(response)}"
                                 f"{problem_shown(response.text)}")
            return response


class Staff(Visitor):
    abstract = True
    wait_time = between(0.5, 2)

    def on_start(self):
        super().on_start()
        n = next(_staff_numbers)
        if n >= len(PLAN["staff"]):
            raise RuntimeError("More staff users than prepared accounts")
        account = PLAN["staff"][n]
        self.page("/sign-in/", "sign in")
        self.send("/sign-in/", {"username": account["email"], "password": account["password"]}, "sign in")
        self.send("/sign-in/second-factor/", {"code": totp(account["totp_key"])}, "sign in: second factor")

    @task(4)
    def case_list(self):
        self.page("/staff/cases/", "case list")

    @task(4)
    def case_page(self):
        self.page(f"/staff/cases/{pick(PLAN['cases'])}/", "case page")

    @task(2)
    def timeline(self):
        self.page(f"/staff/cases/{pick(PLAN['cases'])}/timeline/", "case timeline")

    @task(2)
    def my_tasks(self):
        self.page("/staff/cases/my-tasks/", "my tasks")

    @task(2)
    def people_search(self):
        self.page(f"/staff/people/?name={pick(PLAN['surnames'])}", "people search")

    @task(2)
    def referral_queue(self):
        self.page("/staff/referrals/", "referral queue")

    @task(4)
    def referral_page(self):
        self.page(f"/staff/referrals/{pick(PLAN['referrals'])}/", "referral page")


class BrowsingStaff(Staff):
    weight = 6


class TriageStaff(Staff):
    weight = 3

    @task(2)
    def reporting_details(self):
        path = f"/staff/referrals/{pick(PLAN['referrals'])}/reporting-details/"
        page = self.page(path, "reporting details form")
        if page.status_code == 200:
            self.send(path, form_values(page.text, "concern_type"), "reporting details: record")

    @task(2)
    def gateway_outcome(self):
        if not _gateway:
            return
        reference, status = _gateway.popleft()
        base = f"/staff/referrals/{reference}/"
        if status == "new":
            page = self.page(base + "share-with-police/", "share with police form")
            if page.status_code != 200:
                return
            values = form_values(page.text, "method", dates=["shared_on"])
            if self.send(base + "share-with-police/", values, "share with police: record").status_code != 302:
                return
        page = self.page(base + "gateway-outcome/", "gateway outcome form")
        if page.status_code == 200:
            values = {**form_values(page.text, "outcome", dates=["decided_on"]),
                      "outcome": "no_further_action", "reasons": "Load test: no further action (fictional)."}
            self.send(base + "gateway-outcome/", values, "gateway outcome: record")

    @task(2)
    def case_note(self):
        path = f"/staff/cases/{pick(PLAN['cases'])}/notes/new/"
        page = self.page(path, "case note form")
        if page.status_code == 200:
            values = {**form_values(page.text, "text"), "text": "Load test note (fictional)."}
            self.send(path, values, "case note: add")


class PanelStaff(Staff):
    weight = 1

    @task(3)
    def agenda(self):
        if PLAN["meetings"]:
            self.page(f"/staff/panels/meetings/{pick(PLAN['meetings'])}/", "panel meeting agenda")

    @task(2)
    def decide(self):
        if not _decisions:
            return
        item = _decisions.popleft()
        path = f"/staff/panels/meetings/{item['meeting']}/items/{item['item']}/decision/"
        page = self.page(path, "panel decision form")
        if page.status_code == 200:
            values = {**form_values(page.text, "decision"), "decision": item["decision"],
                      "decision_method": "consensus", "reasons": "Load test decision (fictional)."}
            self.send(path, values, "panel decision: record")


_journeys = itertools.count()


class MemberOfThePublic(Visitor):
    """Each journey is a new person: new cookies, a new address."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def raise_a_concern(self):
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = new_address()
        n = next(_journeys)
        if self.page("/raise-a-concern/about-you/", "public form: page").status_code != 200:
            return
        for slug, answers in ANSWERS:
            data = {key: value.format(n=n) for key, value in answers.items()}
            sent = self.send(f"/raise-a-concern/{slug}/", {**data, "action": "continue"}, "public form: page")
            if sent.status_code != 302:
                return
        page = self.page("/raise-a-concern/check-your-answers/", "public form: check answers")
        draft = re.search(r'name="draft" value="([0-9a-f-]+)"', page.text)
        if not draft:
            return
        submitted = self.send("/raise-a-concern/check-your-answers/", {"draft": draft[1]},
                              "public form: submit")
        if submitted.status_code == 302:
            with self.client.get("/raise-a-concern/sent/", name="public form: confirmation",
                                 catch_response=True) as sent:
                if not REFERENCE.search(sent.text):
                    sent.failure("no reference on the confirmation page")


class PartnerSystem(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        n = next(_partners)
        self.client.headers.update({
            "Authorization": f"Bearer {PLAN['tokens'][n % len(PLAN['tokens'])]}",
            "X-Forwarded-For": new_address()})

    @task
    def submit(self):
        key = str(uuid.uuid4())
        with self.client.post("/api/v1/referrals", json=api_body(next(_journeys)), name="partner API: submit",
                              headers={"Idempotency-Key": key}, catch_response=True) as response:
            if response.status_code != 201 or not REFERENCE.search(response.text):
                response.failure(f"{response.status_code}: {response.text[:200]}")
