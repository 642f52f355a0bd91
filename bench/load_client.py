"""The load run's client: browsers (one `httpx.Client` each, signed in through the real sign-in form) that search,
make referrals through the multi-step form, and answer, progress and record outcomes as an organisation's staff.

Every request is recorded (action, status code, latency); every change the server acknowledged is recorded too, so
that bench/load_checks.py can find each one in the database afterwards. Used by bench/run_load_integrity.py.
"""

from __future__ import annotations

import html
import itertools
import math
import random
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

# Searches as residents and link workers make them: words, a filter or two, near a postcode; drawn at random, so
# that most are not among the pages a worker has cached this minute (referral_app/page_cache.py).
WORDS = "advice|food|mental health|english|deaf|housing|support|youth|group|debt|refugee|carers|benefits|loneliness"
WORDS += "|counselling|bsl|drop in|legal|wellbeing|طعام"
FILTERS = "need=money need=housing need=food need=loneliness language=ar language=pl language=cy bsl=y free=y when=now"
FILTERS += " when=SA age=16 delivery=online access=step_free"
POSTCODES = ["S4 7AB", "NR30", "M8 0AE", "B10", "LS8 2AA", "L8", "SY16 1AA", "E1", "LD1", "S5", "NR31", "CF24", ""]
# What the app says when a change cannot be made because of someone else's (referrals/routes/referral.py).
CONFLICT_MESSAGES = (
    "Someone else changed this referral while you were looking at it.",
    "That change cannot be made to the referral as it is now.",
)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_ATTR = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
_REFERRAL_LINK = re.compile(rf'href="/referrals/({UUID})"')
_STATUS_FORM = re.compile(rf'action="/referrals/({UUID})/status/(\w+)"')
_OUTCOME_LINK = re.compile(rf'href="(/referrals/{UUID}/outcomes/(\w+)/(baseline|follow_up))"')
_REFERENCE = re.compile(r"<title>[^<]*?([A-Z0-9]{4}-[A-Z0-9]{4})")
_DRAFT_STEP = re.compile(rf"^/referrals/drafts/({UUID})/(\w+)$")
_REFERRAL_PAGE = re.compile(rf"^/referrals/({UUID})(?:#.*)?$")


def attributes(text: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value or "") for name, value in _ATTR.findall(text)}


def form_inputs(page: str, action: str | None = None) -> list[dict[str, str]]:
    """The <input> tags of the form posting to `action`: a form without an action posts to the page's own address,
    which callers give as `action` when they fetched the page from there."""
    for form_attributes, body in _FORM.findall(page):
        found = attributes(form_attributes).get("action")
        if found == action or (found is None and "csrf_token" in body):
            return [attributes(tag) for tag in _INPUT.findall(body)]
    return []


def hidden_values(page: str, action: str | None = None) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in form_inputs(page, action) if i.get("type") == "hidden"}


def choices(page: str, name: str, action: str | None = None) -> list[str]:
    """The values offered by the radios or checkboxes called `name`."""
    return [i.get("value", "") for i in form_inputs(page, action) if i.get("name") == name]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


@dataclass
class Sample:
    action: str
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    at: float  # seconds since the run started
    port: int


@dataclass
class Recorder:
    """Everything the browsers saw, shared by every thread (lists are appended under a lock)."""

    started: float = field(default_factory=time.perf_counter)
    samples: list[Sample] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # 5xx and connection errors, with what came back
    conflicts: list[dict] = field(default_factory=list)  # 409s: a change refused because of someone else's
    referral_attempts: dict[str, str] = field(default_factory=dict)  # marker -> email of the link worker
    referral_acks: list[dict] = field(default_factory=list)
    status_acks: list[dict] = field(default_factory=list)
    outcome_acks: list[dict] = field(default_factory=list)
    pairs: dict[str, int] = field(
        default_factory=lambda: {"pairs_offered": 0, "requests_in_a_pair": 0, "double_submits": 0}
    )
    fresh: deque = field(default_factory=lambda: deque(maxlen=500))  # new referrals, for staff to answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, record: dict) -> None:
        with self.lock:
            getattr(self, kind).append(record)

    def count(self, key: str) -> None:
        with self.lock:
            self.pairs[key] += 1


class Browser:
    """One person's browser: its own cookies, connection and sign-in. With several servers (`bases`), each request
    goes to the next one, as a load balancer without sticky sessions would send it."""

    def __init__(self, bases: list[str], recorder: Recorder, *, timeout: float = 60.0):
        self.bases = bases
        self.turn = itertools.cycle(range(len(bases)))
        self.recorder = recorder
        self.client = httpx.Client(timeout=timeout, follow_redirects=False)
        self.email = ""

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, action: str, data: dict | None = None) -> httpx.Response | None:
        base = self.bases[next(self.turn)]
        started = time.perf_counter()
        try:
            response = self.client.request(method, base + path, data=data)
        except httpx.HTTPError as error:
            self._record(action, 0, started, base)
            self.recorder.add("errors", {"action": action, "path": path, "error": repr(error)})
            return None
        self._record(action, response.status_code, started, base)
        if response.status_code >= 500:
            self.recorder.add(
                "errors", {"action": action, "path": path, "status": response.status_code, "body": response.text[:300]}
            )
        return response

    def _record(self, action: str, status: int, started: float, base: str) -> None:
        now = time.perf_counter()
        sample = Sample(action, status, (now - started) * 1000, started - self.recorder.started, int(base[-4:]))
        with self.recorder.lock:
            self.recorder.samples.append(sample)

    def get(self, path: str, action: str) -> httpx.Response | None:
        return self.request("GET", path, action)

    def post(self, path: str, action: str, data: dict) -> httpx.Response | None:
        return self.request("POST", path, action, data)

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/sign-in", "sign_in_page")
        token = hidden_values(page.text, "/sign-in")["csrf_token"] if page is not None else ""
        answer = self.post("/sign-in", "sign_in", {"csrf_token": token, "email": email, "password": password})
        if answer is None or answer.status_code != 303 or "/sign-in" in answer.headers.get("location", ""):
            raise RuntimeError(f"could not sign in as {email}: {answer.status_code if answer else 'no answer'}")
        self.email = email


def location_path(response: httpx.Response) -> str:
    return httpx.URL(response.headers.get("location", "")).path


class Rendezvous:
    """Two staff acting on the same referral at the same moment: one offers it, another takes it, and both send
    their change when both are ready (a barrier), so the two requests really race."""

    def __init__(self):
        self.offers: deque = deque()
        self.lock = threading.Lock()

    def offer(self, kind: str, referral_id: str) -> threading.Barrier:
        barrier = threading.Barrier(2)
        with self.lock:
            self.offers.append((kind, referral_id, barrier))
        return barrier

    def withdraw(self, barrier: threading.Barrier) -> None:
        with self.lock:
            for offer in list(self.offers):
                if offer[2] is barrier:
                    self.offers.remove(offer)

    def take(self) -> tuple[str, str, threading.Barrier] | None:
        with self.lock:
            return self.offers.popleft() if self.offers else None


def together(barrier: threading.Barrier | None) -> bool:
    """Wait for the other party; False when it did not come (then act alone)."""
    if barrier is None:
        return True
    try:
        barrier.wait(timeout=2)
    except threading.BrokenBarrierError:
        return False
    return True


@dataclass
class Scenario:
    """What the browsers do, and the data they need (from bench/run_load_integrity.py's set-up)."""

    recorder: Recorder
    rendezvous: Rendezvous
    run_id: str
    inbox_services: list[str]  # the staff's organisation's referable services
    other_services: list[str]
    rng: random.Random
    double_submit_rate: float = 0.15
    pair_rate: float = 0.2
    withdraw_rate: float = 0.1
    counter: itertools.count = field(default_factory=itertools.count)

    # --- residents and link workers searching ---------------------------------------------------------------
    def search(self, browser: Browser) -> None:
        rng = self.rng
        query = [("q", rng.choice(WORDS.split("|"))), ("postcode", rng.choice(POSTCODES))]
        query += [tuple(f.split("=")) for f in rng.sample(FILTERS.split(), rng.choice((0, 1, 1, 2)))]
        if rng.random() < 0.15:
            query.append(("page", "2"))
        browser.get(f"/services?{urlencode(query)}", "search")

    # --- link workers: a new referral through every page of the form -----------------------------------------
    def make_referral(self, browser: Browser) -> None:
        rng = self.rng
        to_inbox = rng.random() < 0.8  # most to the staff's organisation, so that they have new referrals to answer
        service_id = rng.choice(self.inbox_services if to_inbox else self.other_services)
        page = browser.get(f"/services/{service_id}", "service_page")
        if page is None or page.status_code != 200:
            return
        token = hidden_values(page.text, "/referrals/new").get("csrf_token")
        if not token:
            raise RuntimeError(f"no 'Refer someone' form on /services/{service_id} for {browser.email}")
        answer = browser.post("/referrals/new", "draft_answer", {"csrf_token": token, "service_id": service_id})
        number = next(self.counter)
        marker = f"load-{self.run_id}-{number}"
        with self.recorder.lock:
            self.recorder.referral_attempts[marker] = browser.email
        for _step in range(12):
            if answer is None or answer.status_code != 303:
                return
            path = location_path(answer)
            step = _DRAFT_STEP.match(path)
            if step is None:
                return
            page = browser.get(path, "draft_page")
            if page is None:
                return
            if page.status_code == 303:  # a page that answers itself (nobody referred before)
                answer = page
                continue
            if page.status_code != 200:
                return
            if step.group(2) == "check":
                referral_id = self._send(browser, path, page.text, marker, to_inbox)
                if referral_id and to_inbox and rng.random() < self.withdraw_rate:
                    self._withdraw(browser, referral_id)
                return
            data = self._answers(step.group(2), page.text, marker, number)
            data["csrf_token"] = hidden_values(page.text, path)["csrf_token"]
            answer = browser.post(path, "draft_answer", data)

    def _answers(self, step: str, page: str, marker: str, number: int) -> dict[str, Any]:
        rng = self.rng
        name = f"Load Resident {number}"
        if step == "service":
            return {"service_id": rng.choice(self.inbox_services)}
        if step == "resident":  # someone referred before, now and then (their details are filled in already)
            known = [value for value in choices(page, "resident") if value != "new"]
            return {"resident": rng.choice(known) if known and rng.random() < 0.3 else "new"}
        if step == "details":
            return {"name": name, "language": "en", "outcode": rng.choice(["S4", "NR30", "LD1", ""])}
        if step == "communication":
            return {"contact_method": "phone", "phone": "07700 900982", "times_to_avoid": ""}
        if step == "needs":
            needs = choices(page, "needs")
            return {
                "needs": rng.sample(needs, 2),
                "reason": f"Would like some company and help with bills. [{marker}]",
                "urgency": rng.choice(choices(page, "urgency")),
            }
        if step == "consent":
            method = next(value for value in choices(page, "consent_method") if value != "spoken_interpreter")
            return {"consent_by": name, "consent_method": method, "agreed": "y"}
        raise RuntimeError(f"unknown step {step}")

    def _send(self, browser: Browser, path: str, page: str, marker: str, to_inbox: bool) -> str | None:
        """Send the referral, sometimes twice at once (a double click, maybe reaching two servers)."""
        data = {"csrf_token": hidden_values(page, path)["csrf_token"]}
        if self.rng.random() >= self.double_submit_rate:
            return self._sent(browser, browser.post(path, "send_referral", data), data, marker, to_inbox)
        self.recorder.count("double_submits")
        answers: list = [None, None]
        go = threading.Barrier(2)

        def click(index: int) -> None:
            go.wait()
            answers[index] = browser.post(path, "send_referral", data)

        second = threading.Thread(target=click, args=(1,))
        second.start()
        click(0)
        second.join()
        sent = [self._sent(browser, answer, data, marker, to_inbox) for answer in answers]
        return sent[0] or sent[1]

    def _sent(self, browser: Browser, answer, data: dict, marker: str, to_inbox: bool) -> str | None:
        for _retry in range(3):
            if answer is None or answer.status_code != 307:
                break
            # The app's answer to a lost race on SQLite before the fix: send the same form again.
            answer = browser.post(location_path(answer), "send_referral", data)
        if answer is None or answer.status_code != 303:
            return None
        found = _REFERRAL_PAGE.match(location_path(answer))
        if found is None:
            return None
        referral_id = found.group(1)
        page = browser.get(f"/referrals/{referral_id}", "referral_page")
        reference = _REFERENCE.search(page.text).group(1) if page is not None and page.status_code == 200 else None
        self.recorder.add(
            "referral_acks",
            {"marker": marker, "referral_id": referral_id, "reference": reference, "email": browser.email},
        )
        if to_inbox:
            with self.recorder.lock:
                self.recorder.fresh.append(referral_id)
        return referral_id

    def _withdraw(self, browser: Browser, referral_id: str) -> None:
        """The link worker withdraws the referral just sent (the person changed their mind) while a member of staff
        answers it: two parties, one referral, at the same moment."""
        barrier = self.rendezvous.offer("answer", referral_id)
        self.recorder.count("pairs_offered")
        page = browser.get(f"/referrals/{referral_id}", "referral_page")
        path = f"/referrals/{referral_id}/status/withdrawn"
        if page is None or page.status_code != 200 or f'action="{path}"' not in page.text:
            together(barrier)
            return
        data = {**hidden_values(page.text, path), "note": "They found help elsewhere."}
        raced = together(barrier)
        if raced:
            self.recorder.count("requests_in_a_pair")
        answer = browser.post(path, "withdraw", data)
        self._status_answer(browser, answer, "withdraw", referral_id, "withdrawn", int(data["version"]), None, raced)

    # --- an organisation's staff ------------------------------------------------------------------------------
    def staff_turn(self, browser: Browser) -> None:
        taken = self.rendezvous.take()
        if taken is not None:
            kind, referral_id, barrier = taken
            self._act(browser, kind, referral_id, barrier)
            return
        rng = self.rng
        kind = rng.choices(["answer", "progress", "outcome"], weights=[5, 4, 2])[0]
        referral_id = self._pick(browser, kind)
        if referral_id is None:
            return
        barrier = None
        if rng.random() < self.pair_rate:
            barrier = self.rendezvous.offer(kind, referral_id)
            self.recorder.count("pairs_offered")
        self._act(browser, kind, referral_id, barrier)

    def _pick(self, browser: Browser, kind: str) -> str | None:
        rng = self.rng
        if kind == "answer":
            with self.recorder.lock:
                fresh = self.recorder.fresh.popleft() if self.recorder.fresh else None
            if fresh is not None:
                return fresh
        tab = "new" if kind == "answer" else rng.choice(["in_progress", "in_progress", "closed"])
        tab = "in_progress" if kind == "progress" else tab
        page = browser.get(f"/inbox?tab={tab}&page={rng.randint(1, 3)}", "inbox")
        if page is None or page.status_code != 200:
            return None
        found = _REFERRAL_LINK.findall(page.text)
        return rng.choice(found) if found else None

    def _act(self, browser: Browser, kind: str, referral_id: str, barrier: threading.Barrier | None) -> None:
        page = browser.get(f"/referrals/{referral_id}", "referral_page")
        if page is None or page.status_code != 200:
            together(barrier)
            return
        if kind == "outcome":
            self._outcome(browser, page.text, barrier)
            return
        buttons = [to for rid, to in _STATUS_FORM.findall(page.text) if rid == referral_id and to != "withdrawn"]
        can_decline = f'href="/referrals/{referral_id}/decline"' in page.text
        options = buttons + (["declined"] if can_decline else [])
        if kind == "answer":
            options = [to for to in options if to in ("accepted", "declined")]
        if not options:
            together(barrier)
            return
        to = self.rng.choices(options, weights=[3 if to != "declined" else 1 for to in options])[0]
        if to == "declined":
            path = f"/referrals/{referral_id}/decline"
            form = browser.get(path, "decline_page")
            if form is None or form.status_code != 200:
                together(barrier)
                return
            reason = self.rng.choice([r for r in choices(form.text, "reason", path) if r != "other"])
            data = {**hidden_values(form.text, path), "reason": reason, "note": "Declined in the load run."}
            action = "decline"
        else:
            path = f"/referrals/{referral_id}/status/{to}"
            data = {**hidden_values(page.text, path), "note": ""}
            reason = None
            action = "accept" if to == "accepted" else "progress"
        raced = together(barrier)
        if barrier is not None and raced:
            self.recorder.count("requests_in_a_pair")
        answer = browser.post(path, action, data)
        self._status_answer(browser, answer, action, referral_id, to, int(data["version"]), reason, raced and barrier)

    def _status_answer(self, browser, answer, action, referral_id, to, version, reason, raced) -> None:
        if answer is None:
            return
        if answer.status_code == 303 and location_path(answer) == f"/referrals/{referral_id}":
            self.recorder.add(
                "status_acks",
                {
                    "referral_id": referral_id,
                    "to_status": to,
                    "seen_version": version,
                    "decline_reason": reason,
                    "email": browser.email,
                    "raced": bool(raced),
                },
            )
        elif answer.status_code == 409:
            said = next((message for message in CONFLICT_MESSAGES if message in answer.text), None)
            self.recorder.add("conflicts", {"action": action, "referral_id": referral_id, "message": said})

    def _outcome(self, browser: Browser, page: str, barrier: threading.Barrier | None) -> None:
        links = _OUTCOME_LINK.findall(page)
        if not links:
            together(barrier)
            return
        path, measure, stage = self.rng.choice(links)
        form = browser.get(path, "outcome_page")
        if form is None or form.status_code != 200:
            together(barrier)
            return
        items = [i["name"] for i in form_inputs(form.text, path) if i.get("name", "").startswith("item_")]
        scores = {name: self.rng.randint(0, 10) for name in items}
        data = {**hidden_values(form.text, path), **{name: str(value) for name, value in scores.items()}}
        raced = together(barrier)
        if barrier is not None and raced:
            self.recorder.count("requests_in_a_pair")
        answer = browser.post(path, "outcome", data)
        referral_id = path.split("/")[2]
        if answer is not None and answer.status_code == 303 and location_path(answer) == f"/referrals/{referral_id}":
            self.recorder.add(
                "outcome_acks",
                {
                    "referral_id": referral_id,
                    "measure": measure,
                    "stage": stage,
                    "scores": {name.removeprefix("item_"): value for name, value in scores.items()},
                    "email": browser.email,
                },
            )


def summarise(recorder: Recorder, seconds: float) -> dict:
    """Requests per second, p50 and p99 by action; counts by status code."""
    by_action: dict[str, list[Sample]] = {}
    for sample in recorder.samples:
        by_action.setdefault(sample.action, []).append(sample)
    actions = {}
    for action, samples in sorted(by_action.items()):
        ms = [s.ms for s in samples]
        codes: dict[str, int] = {}
        for s in samples:
            codes[str(s.status)] = codes.get(str(s.status), 0) + 1
        actions[action] = {
            "requests": len(samples),
            "per_second": round(len(samples) / seconds, 2),
            "p50_ms": round(percentile(ms, 50), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(max(ms), 1),
            "status_codes": dict(sorted(codes.items())),
        }
    codes: dict[str, int] = {}
    for sample in recorder.samples:
        codes[str(sample.status)] = codes.get(str(sample.status), 0) + 1
    return {"actions": actions, "status_codes": dict(sorted(codes.items()))}
