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

  function choose(household) {
    hidden.value = household.id;
    query.value = household.head_name;
    query.classList.add("is-valid");
    if (nameField && !nameField.value) nameField.value = household.head_name;
    const create = document.getElementById("create_household");
    if (create) { create.checked = false; toggleNewHousehold(); }
    clearResults();
  }

  function render(households) {
    list.replaceChildren();
    households.forEach(function (household) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action";
      const name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = household.head_name;
      const address = document.createElement("div");
      address.className = "small text-body-secondary";
      address.textContent = household.address;
      item.append(name, address);
      item.addEventListener("click", function () { choose(household); });
      list.append(item);
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
      window.offlineHouseholds.search(text, areaSelect && areaSelect.value)
        .then(function (found) { if (query.value.trim() === text) render(found); });
      return;
    }
    const params = new URLSearchParams({ q: text });
    if (areaSelect && areaSelect.value) params.set("area", areaSelect.value);
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
      hidden.value = ""; lastQuery = ""; search();
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

  // Contribution calculation (the same dated rules the server applies when it saves) ---------
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
    note: document.getElementById("calc-note"),
    box: document.getElementById("contribution-box"),
    yearsBox: document.getElementById("lump-sum-years"),
  };
  const money = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-US");
  const percentOf = function (amount, percent) { return Math.floor((amount * percent + 50) / 100); };

  function latest(rows, day, extra) {
    let found = null;
    rows.forEach(function (row) {
      if (row.from <= day && (!extra || extra(row))) found = row;
    });
    return found;
  }

  function calculate() {
    out.yearsBox.hidden = fields.period.value !== "lump_sum";
    if (fields.scheme.value !== "voluntary_si") { out.box.hidden = true; return; }
    out.box.hidden = false;
    const day = fields.date.value;
    const rule = day ? latest(rules.bases, day) : null;
    if (!rule) { out.note.textContent = out.note.dataset.noRule; return; }
    const basis = fields.basis.value ? parseInt(fields.basis.value, 10) : rule.min;
    if (basis < rule.min || basis > rule.max) {
      out.contribution.textContent = out.support.textContent = out.pays.textContent = "—";
      out.note.textContent = out.note.dataset.range
        .replace("{low}", money.format(rule.min)).replace("{high}", money.format(rule.max));
      return;
    }
    const support = latest(rules.support, day, function (row) {
      return row.category === fields.category.value;
    });
    const contribution = percentOf(basis, rule.percent);
    const aid = percentOf(percentOf(rule.min, rule.percent), support ? support.percent : 0);
    out.contribution.textContent = money.format(contribution) + " đ";
    out.support.textContent = money.format(aid) + " đ";
    out.pays.textContent = money.format(contribution - aid) + " đ";
    out.note.textContent = "";
  }
  Object.values(fields).forEach(function (field) {
    if (field) { field.addEventListener("input", calculate); field.addEventListener("change", calculate); }
  });
  calculate();
})();
