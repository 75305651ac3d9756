// The officer board's picker: a combobox (ARIA 1.2: role=combobox on the input, a listbox,
// aria-activedescendant) that searches offices, communes and teams through
// GET /api/v1/boards/picker and sets the board's filter form from the one chosen. The selects
// stay and work without it (bounded to one office at national scale). No inline script: the
// CSP forbids it; the words come from the template's data attributes.
(function () {
  "use strict";
  const box = document.querySelector("[data-picker]");
  if (!box || !window.fetch) return;
  const form = box.closest("form");
  const input = box.querySelector("[role=combobox]");
  const list = box.querySelector("[role=listbox]");
  const status = box.querySelector("[data-picker-status]");
  const field = function (name) { return form.querySelector("select[name=" + name + "]"); };
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    items = [].concat(found.offices, found.areas, found.teams);
    list.replaceChildren();
    items.forEach(function (item, i) {
      const option = document.createElement("li");
      option.id = "board-picker-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.kind = item.kind;
      const name = document.createElement("span");
      name.className = "board-picker-name";
      name.textContent = item.name;
      const where = document.createElement("span");
      where.className = "board-picker-kind small text-body-secondary";
      const kind = box.dataset["kind" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1)];
      where.textContent = item.kind !== "office" && item.office_name ? kind + " · " + item.office_name : kind;
      option.append(name, where);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { choose(i); });
      list.append(option);
    });
    if (!items.length) {
      const none = document.createElement("li");
      none.className = "board-picker-none small text-body-secondary";
      none.textContent = box.dataset.none;
      list.append(none);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = items.length ? box.dataset.count.replace("{n}", items.length) : box.dataset.none;
    highlight(-1);
  }

  function search() {
    const words = input.value.trim();
    if (!words) { close(); return; }
    const params = new URLSearchParams({ q: words, on: box.dataset.on });
    const office = field("office");
    if (office && office.value) params.set("office", office.value);
    const mine = ++asked;
    fetch(box.dataset.url + "?" + params, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (found) { if (mine === asked) show(found); })
      .catch(function () { if (mine === asked) { close(); status.textContent = box.dataset.failed; } });
  }

  // A select of a bounded list may not hold the choice yet: it gets it, named as picked.
  function set(select, value, label) {
    if (!select) return;
    if (value && !Array.from(select.options).some(function (o) { return o.value === value; })) {
      select.append(new Option(label, value));
    }
    select.value = value;
  }

  function choose(index) {
    const item = items[index];
    if (!item) return;
    const office = field("office");
    const id = String(item.id);
    const officeId = item.office ? String(item.office) : "";
    const moved = office && officeId && office.value !== officeId;
    if (item.kind === "office") {
      set(office, id, item.name);
      set(field("area"), "", "");
      set(field("team"), "", "");
    } else {
      if (moved) {
        set(office, officeId, item.office_name || officeId);
        set(field(item.kind === "area" ? "team" : "area"), "", "");
      }
      set(field(item.kind), id, item.name);
    }
    input.value = item.name;
    close();
    form.submit();
  }

  // Another office: its units and teams are others, so the old choices go before the form
  // is sent (capture runs ahead of the select's own autosubmit).
  form.addEventListener("change", function (event) {
    if (event.target !== field("office")) return;
    set(field("area"), "", "");
    set(field("team"), "", "");
  }, true);

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (event) {
    const open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) { search(); return; }
      if (open) highlight(active < items.length - 1 ? active + 1 : 0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) highlight(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never sends the form half-chosen
      if (open && active >= 0) choose(active);
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); } else { input.value = ""; }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  box.hidden = false;
})();
