// Field forms: household search-as-you-type, inline new household, and the live
// contribution calculation. Loaded only by the contact and enrollment forms.
(function () {
  "use strict";

  // Household picker ------------------------------------------------------------------------
  const query = document.getElementById("household_query");
  const hidden = document.getElementById("household_id");
  const list = document.getElementById("household-results");
  const areaSelect = document.getElementById("area_id");
  const nameField = document.getElementById("participant_name");
  let timer = null;
  let lastQuery = "";

  function clearResults() {
    list.replaceChildren();
    list.hidden = true;
  }

  // The search covers all the officer's wards: choosing a household of another ward moves the
  // form to that ward (without a change event, which would clear the choice).
  function choose(household) {
    hidden.value = household.id;
    hidden.dataset.area = household.area;
    query.value = household.head_name;
    query.classList.add("is-valid");
    if (areaSelect && household.area) {
      const option = Array.from(areaSelect.options).find(function (o) {
        return o.value === String(household.area) && !o.disabled;
      });
      if (option) areaSelect.value = option.value;
    }
    if (nameField && !nameField.value) nameField.value = household.head_name;
    const create = document.getElementById("create_household");
    if (create) { create.checked = false; toggleNewHousehold(); }
    clearResults();
  }

  // A household to pick: its name, then what tells it apart; choosing it fills the form.
  function householdButton(household, details) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "list-group-item list-group-item-action";
    const name = document.createElement("div");
    name.className = "fw-semibold";
    name.textContent = household.head_name;
    const detail = document.createElement("div");
    detail.className = "small text-body-secondary";
    detail.textContent = details.filter(Boolean).join(" · ");
    item.append(name, detail);
    item.addEventListener("click", function () { choose(household); });
    return item;
  }

  function render(households) {
    list.replaceChildren();
    households.forEach(function (household) {
      list.append(householdButton(household, [household.address, household.area_name]));
    });
    if (!households.length) {
      const none = document.createElement("div");
      none.className = "list-group-item small text-body-secondary";
      none.textContent = list.dataset.empty;
      list.append(none);
    }
    list.hidden = false;
  }

  function search() {
    const text = query.value.trim();
    if (text === lastQuery) return;
    lastQuery = text;
    if (text.length < 2) { clearResults(); return; }
    if (!navigator.onLine && window.offlineHouseholds) {  // the phone's copy of the register
      window.offlineHouseholds.search(text, null)
        .then(function (found) { if (query.value.trim() === text) render(found); });
      return;
    }
    const params = new URLSearchParams({ q: text });  // every ward of the officer's
    fetch("/api/v1/households?" + params, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { households: [] }; })
      .then(function (body) { if (query.value.trim() === text) render(body.households); })
      .catch(clearResults);
  }

  if (query && hidden && list) {
    query.addEventListener("input", function () {
      hidden.value = "";
      query.classList.remove("is-valid");
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    if (areaSelect) areaSelect.addEventListener("change", function () {
      // A household chosen in another ward is no longer the record's.
      if (hidden.value && hidden.dataset.area && hidden.dataset.area !== areaSelect.value) {
        hidden.value = ""; query.classList.remove("is-valid");
      }
    });
  }

  // Units of the record's date: after a reorganisation the area list also holds the units of
  // before it, each saying when it existed; show only those of the chosen date.
  const dateInput = document.getElementById("contacted_on") || document.getElementById("enrolled_on")
    || document.getElementById("held_on");
  function unitsOfTheDay() {
    if (!areaSelect || !dateInput || !dateInput.value) return;
    const day = dateInput.value;
    let firstShown = null;
    Array.from(areaSelect.options).forEach(function (option) {
      const from = option.dataset.validFrom, to = option.dataset.validTo;
      const exists = (!from || from <= day) && (!to || day < to);
      option.hidden = option.disabled = !exists;
      if (exists && firstShown === null) firstShown = option;
    });
    Array.from(areaSelect.querySelectorAll("optgroup")).forEach(function (group) {
      group.hidden = !Array.from(group.children).some(function (option) { return !option.hidden; });
    });
    const chosen = areaSelect.options[areaSelect.selectedIndex];
    if ((!chosen || chosen.hidden) && firstShown) {
      areaSelect.value = firstShown.value;
      areaSelect.dispatchEvent(new Event("change"));
    }
  }
  if (areaSelect && dateInput) {
    dateInput.addEventListener("change", unitsOfTheDay);
    unitsOfTheDay();
  }

  // Inline new household ----------------------------------------------------------------------
  const create = document.getElementById("create_household");
  const newSection = document.getElementById("new-household");
  function toggleNewHousehold() {
    if (create && newSection) newSection.hidden = !create.checked;
  }
  if (create) {
    create.addEventListener("change", function () {
      if (create.checked) { hidden.value = ""; query.classList.remove("is-valid"); }
      toggleNewHousehold();
    });
    toggleNewHousehold();
  }

  // Likely duplicates of a new household ------------------------------------------------------
  // Online the API answers (the same check saving makes); offline the phone's copy of the
  // register is searched for the same name. Choosing one uses it instead of adding a household.
  const warning = document.getElementById("duplicate-warning");
  const duplicateList = document.getElementById("duplicate-list");
  const different = document.getElementById("new_different_person");
  const newName = document.getElementById("new_head_name");
  const newPhone = document.getElementById("new_phone");
  const newAddress = document.getElementById("new_address");
  let shownDuplicates = "";
  let duplicateTimer = null;

  function showDuplicates(households) {
    const reasons = JSON.parse(warning.dataset.reasons);
    const ids = households.map(function (h) { return h.id; }).join(",");
    if (shownDuplicates && ids !== shownDuplicates && different) different.checked = false;
    shownDuplicates = ids;
    duplicateList.replaceChildren();
    households.forEach(function (household) {
      const why = (household.reasons || ["name"]).map(function (r) { return reasons[r] || r; });
      duplicateList.append(
        householdButton(household, [household.address, household.area_name, why.join(", ")])
      );
    });
    const invalid = different && different.classList.contains("is-invalid");
    warning.hidden = !households.length && !invalid;
  }

  function checkDuplicates() {
    if (!warning || !newName || !create || !create.checked) return;
    const name = newName.value.trim();
    const phone = newPhone ? newPhone.value.trim() : "";
    const address = newAddress ? newAddress.value.trim() : "";
    if (name.length < 2 && !phone) { showDuplicates([]); return; }
    if (!navigator.onLine) {
      if (!window.offlineHouseholds) return;
      window.offlineHouseholds.search(name, null).then(function (found) {
        const fold = window.offlineHouseholds.fold;  // the same folding as the offline search
        showDuplicates(found.filter(function (h) { return fold(h.head_name) === fold(name); }));
      });
      return;
    }
    const params = new URLSearchParams({ name: name, phone: phone, address: address });
    if (areaSelect && areaSelect.value) params.set("area", areaSelect.value);
    fetch(warning.dataset.api + "?" + params, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { households: [] }; })
      .then(function (body) { showDuplicates(body.households); })
      .catch(function () { /* the server checks again when the record is saved */ });
  }

  if (warning) {
    [newName, newPhone, newAddress, areaSelect, create].forEach(function (input) {
      if (!input) return;
      input.addEventListener("input", function () {
        clearTimeout(duplicateTimer); duplicateTimer = setTimeout(checkDuplicates, 300);
      });
      input.addEventListener("change", checkDuplicates);
    });
    if (create && create.checked) checkDuplicates();
  }

  // Contribution calculation ------------------------------------------------------------------
  // Online the form asks GET /api/v1/contribution; offline (or if the API cannot answer) it
  // computes the same from the rules table in the page: the dated rows the server applies when
  // it saves, with the same integer rounding, so both agree to the đồng.
  const rulesElement = document.getElementById("contribution-rules");
  if (!rulesElement) return;
  const rules = JSON.parse(rulesElement.textContent);
  const fields = {
    date: document.getElementById("enrolled_on"),
    category: document.getElementById("category"),
    basis: document.getElementById("income_basis"),
    scheme: document.getElementById("scheme"),
    period: document.getElementById("payment_period"),
    years: document.getElementById("lump_sum_years"),
  };
  const out = {
    contribution: document.getElementById("calc-contribution"),
    support: document.getElementById("calc-support"),
    pays: document.getElementById("calc-pays"),
    due: document.getElementById("calc-due"),
    months: document.getElementById("calc-months"),
    cap: document.getElementById("calc-cap"),
    source: document.getElementById("calc-source"),
    note: document.getElementById("calc-note"),
    box: document.getElementById("contribution-box"),
    yearsBox: document.getElementById("lump-sum-years"),
  };
  const supportUsed = parseInt(out.box.dataset.supportUsed || "0", 10);
  const money = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-US");
  const percentOf = function (amount, percent) { return Math.floor((amount * percent + 50) / 100); };
  let asked = 0;

  // Money typed with the reader's thousands separator (3.000.000 in Vietnamese, 3,000,000 in
  // English), as tracker/parsing.grouped_number reads it: the digits, or null.
  const groupSymbol = money.format(1000).replace(/[0-9]/g, "") || ",";
  function digitsOf(value) {
    const text = value.trim().replace(/[\s\u00a0\u202f]/g, groupSymbol);
    const grouped = new RegExp("^[0-9]{1,3}(\\" + groupSymbol + "[0-9]{3})+$");
    const digits = grouped.test(text) ? text.split(groupSymbol).join("") : text;
    return /^[0-9]{1,15}$/.test(digits) ? digits : null;
  }
  // Grouped as the officer types (when typing at the end: the caret stays put), and on leaving.
  function groupBasis(event) {
    const input = fields.basis;
    const atEnd = input.selectionStart === input.value.length;
    if (event.type === "input" && !atEnd) return;
    const digits = input.value.trim().split(groupSymbol).join("").replace(/[\s\u00a0\u202f]/g, "");
    if (/^[0-9]{1,15}$/.test(digits)) input.value = money.format(Number(digits));
  }
  if (fields.basis) {
    fields.basis.addEventListener("input", groupBasis);
    fields.basis.addEventListener("blur", groupBasis);
  }

  function inForce(rows, day, extra) {
    return rows.find(function (row) {
      return row.from <= day && (!row.to || day < row.to) && (!extra || extra(row));
    }) || null;
  }

  // The request as the API takes it, or an error message for the note.
  function request() {
    const day = fields.date.value;
    const params = { on: day, category: fields.category.value, payment_period: fields.period.value };
    if (!day) return { error: out.note.dataset.noRule };
    if (fields.basis.value.trim()) {
      const basis = digitsOf(fields.basis.value);
      if (basis === null) return { error: out.note.dataset.whole };
      params.income_basis = basis;
    }
    if (fields.period.value === "lump_sum") {
      const years = parseInt(fields.years.value, 10);
      const months = years * 12;
      if (!(months >= rules.lump_sum[0] && months <= rules.lump_sum[1])) {
        return { error: out.note.dataset.years };
      }
      params.months = String(months);
    }
    params.support_used = String(supportUsed);
    return { params: params };
  }

  function monthsOf(params) {
    return params.months ? parseInt(params.months, 10) : parseInt(params.payment_period, 10);
  }

  // What the API would answer, from the rules in the page.
  function locally(params) {
    const rule = inForce(rules.bases, params.on);
    const rate = inForce(rules.support, params.on, function (row) {
      return row.category === params.category;
    });
    if (!rule || !rate) return { error: out.note.dataset.noRule };
    const basis = params.income_basis ? Number(params.income_basis) : rule.min;
    if (!Number.isInteger(basis) || basis < rule.min || basis > rule.max) {
      return { error: out.note.dataset.range
        .replace("{low}", money.format(rule.min)).replace("{high}", money.format(rule.max)) };
    }
    if (basis % rules.step) return { error: out.note.dataset.step };
    const contribution = percentOf(basis, rule.percent);
    const support = percentOf(percentOf(rule.min, rule.percent), rate.percent);
    const months = monthsOf(params);
    const supported = support > 0 ? Math.min(months, Math.max(rules.cap - supportUsed, 0)) : 0;
    return {
      monthly_contribution: contribution,
      state_support: support,
      participant_pays: contribution - support,
      months: months,
      amount_due: contribution * months - support * supported,
      source: rule.source + " · " + rate.source,
    };
  }

  function clear(message) {
    out.contribution.textContent = out.support.textContent = out.pays.textContent = "—";
    out.due.textContent = "—";
    out.months.textContent = out.cap.textContent = out.source.textContent = "";
    out.note.textContent = message || "";
  }

  function show(figures) {
    if (figures.error) { clear(figures.error); return; }
    const supported = figures.state_support > 0
      ? Math.min(figures.months, Math.max(rules.cap - supportUsed, 0)) : 0;
    out.contribution.textContent = money.format(figures.monthly_contribution) + " đ";
    out.support.textContent = money.format(figures.state_support) + " đ";
    out.pays.textContent = money.format(figures.participant_pays) + " đ";
    out.due.textContent = money.format(figures.amount_due) + " đ";
    out.months.textContent = out.months.dataset.template.replace("{months}", figures.months);
    out.cap.textContent = out.cap.dataset.template.replace("{supported}", supported)
      .replace("{left}", Math.max(rules.cap - supportUsed - supported, 0));
    out.source.textContent = out.source.title = figures.source;
    out.note.textContent = "";
  }

  function fromApi(params, ticket) {
    fetch(out.box.dataset.api + "?" + new URLSearchParams(params), { credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) return response.json();
        if (response.status === 422) {
          return response.json().then(function (body) {
            const messages = Object.values(body.error.fields || {});
            return { error: messages[0] || body.error.message };
          });
        }
        throw new Error("contribution API " + response.status);
      })
      .then(function (figures) { if (ticket === asked) show(figures); })
      .catch(function () { /* the local figures already shown stand */ });
  }

  function calculate() {
    out.yearsBox.hidden = fields.period.value !== "lump_sum";
    if (fields.scheme.value !== "voluntary_si") { out.box.hidden = true; return; }
    out.box.hidden = false;
    const asking = request();
    asked += 1;
    if (asking.error) { clear(asking.error); return; }
    show(locally(asking.params));
    if (navigator.onLine) fromApi(asking.params, asked);
  }
  let pending = null;
  Object.values(fields).forEach(function (field) {
    if (!field) return;
    field.addEventListener("change", calculate);
    field.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(calculate, 250); });
  });
  calculate();
})();
