// Offline field logging: the phone keeps working where the network does not.
// Records made offline wait in IndexedDB with their client token and are sent, in order, when
// the network returns; the server stays the judge (refusals come back to fix, never dropped).
// A phone may be shared: every record belongs to the user who made it and is sent only while
// that user is signed in (the server checks X-Expected-User too); the cached households belong
// to one user and are dropped when another signs in, or at sign-out once nothing is unsent.
(function () {
  "use strict";
  const DB_NAME = "outreach-tracker";
  const root = document.documentElement;
  const me = document.body.dataset.user ? Number(document.body.dataset.user) : null;
  const fieldUser = document.body.dataset.officer === "true";
  const text = JSON.parse((document.getElementById("offline-text") || {}).textContent || "{}");
  const say = (key, fallback) => text[key] || fallback;

  // IndexedDB, in promises ------------------------------------------------------------------
  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("queue", { keyPath: "client_token" });
        db.createObjectStore("households", { keyPath: "id" });
        db.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function store(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      tx.onerror = () => reject(tx.error);
    });
  }
  const queue = {
    all: async () => (await store("queue", "readonly", (s) => s.getAll()))
      .sort((a, b) => a.created - b.created),
    // Records made before records carried their user belong to nobody known: held too.
    mine: async () => (await queue.all()).filter((r) => me !== null && r.user === me),
    ofOthers: async () => (await queue.all()).filter((r) => me === null || r.user !== me),
    put: (record) => store("queue", "readwrite", (s) => s.put(record)),
    remove: (token) => store("queue", "readwrite", (s) => s.delete(token)),
    get: (token) => store("queue", "readonly", (s) => s.get(token)),
  };
  const meta = {
    get: (key) => store("meta", "readonly", (s) => s.get(key)),
    set: (key, value) => store("meta", "readwrite", (s) => s.put(value, key)),
    remove: (key) => store("meta", "readwrite", (s) => s.delete(key)),
  };

  // Whose cached data this is ----------------------------------------------------------------
  // The service worker keeps the signed-in user's pages in a cache named "pages-" and its
  // version (sw.js). Every such cache goes, whichever version wrote it: naming one version
  // here once left every page cached after sign-out when the worker moved to the next.
  const PAGE_CACHE_PREFIX = "pages-";
  async function dropCachedPages() {
    if (!window.caches) return;
    for (const name of await caches.keys()) {
      if (name.startsWith(PAGE_CACHE_PREFIX)) await caches.delete(name);
    }
  }
  async function purgeCachedData() {
    await store("households", "readwrite", (s) => s.clear());
    await meta.remove("householdsOwner");
    await meta.remove("lastSync");
    await dropCachedPages();
  }
  async function purgeUnlessUnsent() {
    // At sign-out (or on the sign-in page after a session ended): the households go once their
    // owner has nothing left to send; the pages go always (unsent records live in IndexedDB,
    // and a page of a session that ended is of no use to anyone).
    await dropCachedPages();
    const owner = await meta.get("householdsOwner");
    const unsent = (await queue.all()).filter((r) => r.user === owner && r.status !== "refused");
    if (!unsent.length) await purgeCachedData();
  }
  async function claimCache() {
    // Another user's households never serve this user's searches.
    const owner = await meta.get("householdsOwner");
    if (owner !== undefined && owner !== me) {
      await store("households", "readwrite", (s) => s.clear());
      await meta.remove("householdsOwner");
      await meta.remove("lastSync");
    }
  }

  // Text matching that ignores diacritics, as the server's search does ----------------------
  function fold(value) {
    return (value || "").replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  async function searchHouseholds(query, areaId) {
    const words = fold(query).split(" ").filter(Boolean);
    if (!words.length || me === null || (await meta.get("householdsOwner")) !== me) return [];
    const all = await store("households", "readonly", (s) => s.getAll());
    const matches = all.filter((h) => {
      if (areaId && String(h.area) !== String(areaId)) return false;
      const haystack = " " + fold(h.head_name + " " + (h.address || ""));
      let position = 0;
      return words.every((word) => {
        const found = haystack.indexOf(" " + word, position);
        if (found < 0) return false;
        position = found + word.length + 1;
        return true;
      });
    });
    return matches.slice(0, 20);
  }
  window.offlineHouseholds = { search: searchHouseholds, fold: fold };

  // Status: online or offline, waiting records, last sync -----------------------------------
  async function showStatus() {
    const badge = document.getElementById("net-status");
    if (!badge) return;
    const waiting = (await queue.mine()).length;
    const held = (await queue.ofOthers()).length;
    const last = await meta.get("lastSync");
    // The badge keeps its size (templates/_nav.html): the words go to its title and to screen
    // readers, the count of waiting records sits over the dot.
    const state = navigator.onLine ? say("online", "Online") : say("offline", "Offline");
    badge.querySelector("[data-state]").textContent = state;
    badge.classList.toggle("is-offline", !navigator.onLine);
    const waitingText = waiting ? say("waiting", "waiting to send (%d)").replace("%d", waiting) : "";
    badge.querySelector("[data-waiting]").textContent = waitingText;
    badge.querySelector("[data-waiting-count]").textContent = waiting || "";
    const lastText = last
      ? say("lastSync", "last sync %s").replace("%s", new Date(last).toLocaleTimeString(root.lang))
      : "";
    badge.querySelector("[data-last-sync]").textContent = lastText;
    const heldText = say("held", "%d records of another user wait for them to sign in")
      .replace("%d", held);
    badge.querySelector("[data-held]").textContent = held ? heldText : "";
    badge.title = [state, waitingText, held ? heldText : "", lastText].filter(Boolean).join(" · ");
    const note = document.getElementById("held-note");
    if (note) { note.hidden = !held; note.textContent = held ? heldText : ""; }
    renderQueue();
  }

  // Forms: build the API record from what the officer typed ----------------------------------
  const integer = (value) => (value === "" || value == null || value === "None" ? null
    : Number.isInteger(Number(value)) ? Number(value) : value);
  const optional = (value) => (value === "" || value == null ? null : value);
  // Money as typed in the form, 3.000.000 (vi) or 3,000,000 (en): its digits, as the API reads.
  const group = root.lang === "vi" ? "." : ",";
  const money = (value) => integer(new RegExp("^[0-9]{1,3}(\\" + group + "[0-9]{3})+$")
    .test((value || "").trim()) ? value.trim().split(group).join("") : value);

  function record(form) {
    const data = Object.fromEntries(new FormData(form).entries());
    const kind = form.dataset.offline;
    let payload;
    if (kind === "contact") {
      payload = {
        client_token: data.client_token, area: integer(data.area_id),
        household: integer(data.household_id), contacted_on: data.contacted_on,
        channel: data.channel, outcome: data.outcome,
        people_reached: integer(data.people_reached), follow_up_on: optional(data.follow_up_on),
        notes: data.notes || "", session: integer(data.session_id),
      };
      if (data.create_household && !data.household_id) {
        payload.new_household = { head_name: data.new_head_name, address: data.new_address,
          phone: optional(data.new_phone), category: data.new_category,
          different_person: Boolean(data.new_different_person) };  // the server re-checks
      }
    } else {
      const years = integer(data.lump_sum_years);
      payload = {
        client_token: data.client_token, area: integer(data.area_id),
        household: integer(data.household_id), participant_name: data.participant_name,
        enrolled_on: data.enrolled_on, scheme: data.scheme, category: data.category,
        citizen_id: optional(data.citizen_id), income_basis: money(data.income_basis),
        birth_date: optional(data.birth_date),
        social_insurance_number: optional(data.social_insurance_number),
        payment_period: data.payment_period,
        months_paid: data.payment_period === "lump_sum" && years ? years * 12 : null,
        collection_org: integer(data.collection_org_id), session: integer(data.session_id),
      };
    }
    const who = data.household_query || data.new_head_name || data.participant_name || "";
    return { client_token: data.client_token, kind, payload, fields: data, user: me,
             summary: who, day: payload.contacted_on || payload.enrolled_on,
             created: Date.now(), status: "waiting", error: null };
  }

  function newToken() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  async function prepareForm(form) {
    const token = form.querySelector('input[name="client_token"]');
    const editing = new URLSearchParams(location.search).get("queued");
    if (editing) {
      const saved = await queue.get(editing);
      if (saved) {
        for (const [name, value] of Object.entries(saved.fields)) {
          const field = form.elements.namedItem(name);
          if (!field || field.type === "hidden" && name === "csrf_token") continue;
          if (field.type === "checkbox") field.checked = Boolean(value);
          else field.value = value;
        }
        form.dataset.replaces = editing;
        form.querySelectorAll("select, input").forEach((f) => f.dispatchEvent(new Event("change")));
        return;
      }
    }
    // A page served from the cache carries an old token: each page load gets a fresh one.
    if (token && !navigator.onLine) token.value = newToken();
  }

  document.querySelectorAll("form[data-offline]").forEach((form) => {
    prepareForm(form);
    form.addEventListener("submit", async (event) => {
      if (navigator.onLine && !form.dataset.replaces) return;  // the server handles it now
      event.preventDefault();
      const entry = record(form);
      if (form.dataset.replaces && form.dataset.replaces !== entry.client_token) {
        await queue.remove(form.dataset.replaces);
      }
      await queue.put(entry);
      location.assign("/?queued=" + encodeURIComponent(entry.client_token));
    });
  });

  // Today: the waiting list, and numbers counted provisionally ------------------------------
  function localDate(iso) {
    // Records keep ISO dates (the API's); people read them as the page's language writes them.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) return iso || "";
    const [year, month, day] = iso.split("-").map(Number);
    return new Date(year, month - 1, day).toLocaleDateString(root.lang,
      { day: "2-digit", month: "2-digit", year: "numeric" });
  }

  async function renderQueue() {
    const box = document.getElementById("offline-queue");
    if (!box) return;
    const items = await queue.mine();  // never another user's names and details
    const list = box.querySelector("ul");
    list.replaceChildren();
    box.hidden = items.length === 0;
    box.querySelector("[data-count]").textContent = items.length;
    for (const item of items) {
      const li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between align-items-start gap-2";
      li.dataset.token = item.client_token;
      const left = document.createElement("div");
      const title = document.createElement("div");
      title.className = "fw-semibold";
      title.textContent = (item.kind === "contact" ? say("contact", "Contact")
        : say("enrollment", "Enrollment")) + " · " + (item.summary || "—");
      const detail = document.createElement("div");
      detail.className = "small " + (item.status === "refused" ? "text-danger" : "text-body-secondary");
      detail.textContent = item.status === "refused"
        ? say("refused", "Refused by the server:") + " " + item.error
        : localDate(item.day) + " · " + say("notSent", "not yet sent");
      left.append(title, detail);
      const actions = document.createElement("div");
      actions.className = "d-flex gap-1";
      const edit = document.createElement("a");
      edit.className = "btn btn-sm btn-outline-primary";
      edit.textContent = say("edit", "Edit");
      edit.href = (item.kind === "contact" ? "/contacts/new" : "/enrollments/new") +
        "?queued=" + encodeURIComponent(item.client_token);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.textContent = say("delete", "Delete");
      remove.addEventListener("click", async () => {
        if (confirm(say("confirmDelete", "Delete this record from the phone?"))) {
          await queue.remove(item.client_token);
          showStatus();
        }
      });
      actions.append(edit, remove);
      li.append(left, actions);
      list.append(li);
    }
    const month = document.querySelector("[data-test=progress-month] [data-test=actual]");
    const note = document.getElementById("provisional-note");
    if (month && note) {
      const thisMonth = new Date().toLocaleDateString("sv-SE").slice(0, 7);  // local YYYY-MM
      const pending = items.filter((i) => i.kind === "enrollment" && i.status !== "refused" &&
        (i.day || "").startsWith(thisMonth)).length;
      note.hidden = pending === 0;
      note.textContent = say("provisional", "+%d not yet sent").replace("%d", pending);
    }
  }

  // The offline page (served for a page never saved): only the pages this phone holds -------
  async function showSavedPages() {
    const list = document.querySelector("[data-test=saved-pages]");
    if (!list || !window.caches) return;
    let any = false;
    for (const item of list.querySelectorAll("[data-saved-page]")) {
      const saved = Boolean(await caches.match(item.dataset.savedPage));
      item.hidden = !saved;
      any = any || saved;
    }
    list.hidden = !any;
    document.querySelector("[data-test=nothing-saved]").hidden = any;
  }

  // Sending, in order, when the network is back --------------------------------------------
  let sending = false;
  async function signedInAs() {
    // Who the server has signed in now (the page may be an older copy from the cache).
    const response = await fetch("/api/v1/me", { credentials: "same-origin" });
    return response.ok ? (await response.json()).id : null;
  }

  async function sync() {
    if (sending || !navigator.onLine || me === null || !fieldUser) return;
    sending = true;
    try {
      let current;
      try { current = await signedInAs(); } catch (error) { return; }
      if (current !== me) return;  // signed out, or someone else: hold everything
      const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
      for (const item of await queue.mine()) {
        if (item.status === "refused") continue;
        const url = item.kind === "contact" ? "/api/v1/contacts" : "/api/v1/enrollments";
        let response;
        try {
          response = await fetch(url, { method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                       "X-Expected-User": String(me) },
            body: JSON.stringify(item.payload) });
        } catch (error) { break; }  // the network went again: try later, in the same order
        if (response.status === 200 || response.status === 201) {
          await queue.remove(item.client_token);
        } else if (response.status === 422 || response.status === 403 || response.status === 404) {
          const body = await response.json().catch(() => ({}));
          const fields = (body.error && body.error.fields) || {};
          item.status = "refused";
          item.error = Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ") ||
            (body.error && body.error.message) || String(response.status);
          await queue.put(item);
        } else {
          break;  // signed out, or the server is struggling: keep everything for later
        }
      }
      await refreshHouseholds();
      await meta.set("lastSync", Date.now());
    } finally {
      sending = false;
      showStatus();
    }
  }

  const HOUSEHOLD_SLICE = 200;
  async function refreshHouseholds() {
    if (!fieldUser || me === null) return;
    const response = await fetch("/api/v1/households/mine", { credentials: "same-origin",
      headers: { "X-Expected-User": String(me) } });
    if (!response.ok) return;
    const body = await response.json();
    // In slices, each its own task: an officer's thousands of households in one transaction
    // held a phone's main thread for a third of a second (docs/performance.md, Lighthouse).
    // Written over the old ones, the gone ones deleted last: a page left halfway through (a
    // sign-out, a tap on a link) never leaves the phone without its households.
    const fresh = new Set(body.households.map((h) => h.id));
    if (await meta.get("householdsOwner") !== me) {
      await store("households", "readwrite", (s) => s.clear());
    }
    for (let start = 0; start < body.households.length; start += HOUSEHOLD_SLICE) {
      const slice = body.households.slice(start, start + HOUSEHOLD_SLICE);
      await store("households", "readwrite", (s) => slice.forEach((h) => s.put(h)));
    }
    const kept = await store("households", "readonly", (s) => s.getAllKeys());
    const gone = kept.filter((id) => !fresh.has(id));
    if (gone.length) await store("households", "readwrite", (s) => gone.forEach((id) => s.delete(id)));
    await meta.set("householdsOwner", me);
  }

  // Signing out never loses unsent records silently -----------------------------------------
  document.querySelectorAll('form[action="/logout"]').forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.confirmed) return;
      event.preventDefault();
      const waiting = (await queue.mine()).filter((r) => r.status !== "refused").length;
      if (waiting && !confirm(say("confirmSignOut",
        "%d records have not been sent. They stay on this phone and are sent at your next sign-in. Sign out?")
        .replace("%d", waiting))) return;
      await dropCachedPages();
      if (!waiting) await purgeCachedData();
      form.dataset.confirmed = "1";
      form.submit();
    });
  });

  if (me === null) {
    // The sign-in page: whoever was signed in here is not any more.
    purgeUnlessUnsent();
    window.offlineQueue = { all: queue.all };
    return;
  }
  if (fieldUser && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  window.addEventListener("online", () => { showStatus(); sync(); });
  window.addEventListener("offline", showStatus);
  showSavedPages();
  // Sending and the households' refresh wait until the page has loaded and the phone is idle:
  // the officer sees the page first.
  const settled = () => new Promise((resolve) => {
    const idle = () => (window.requestIdleCallback
      ? requestIdleCallback(() => resolve(), { timeout: 2000 }) : setTimeout(resolve, 0));
    if (document.readyState === "complete") idle();
    else window.addEventListener("load", idle, { once: true });
  });
  claimCache().then(showStatus).then(settled).then(sync);
  window.offlineQueue = { all: queue.all, mine: queue.mine, sync };
})();
