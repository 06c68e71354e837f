// vendorsim dashboard: reads the admin API, renders with textContent only (what a client
// sent is never HTML here), polls the journal every second and the state every 3 seconds.
"use strict";

const admin = "..";  // the page is at /__admin/ui/: the admin API is one level up
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  }
  return node;
}

function shown(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function call(path, options = {}) {
  const response = await fetch(`${admin}/${path}`, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

// -- state -------------------------------------------------------------------------------
function table(rows) {
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row)) {
    if (!columns.includes(key) && columns.length < 10) columns.push(key);
  }
  const head = el("tr", {}, ...columns.map((c) => el("th", {}, c)));
  const body = rows.map((row) => el("tr", {}, ...columns.map((c) => {
    const text = shown(row[c]);
    return el("td", { title: text }, text);
  })));
  return el("table", { class: "grid" }, el("thead", {}, head), el("tbody", {}, ...body));
}

function limits(snapshot) {
  const c = snapshot.config || {};
  return el("div", { class: "limits" },
    el("span", {}, `window ${snapshot.in_window}/${c.window_calls} calls per ${c.window_seconds} s`),
    el("span", {}, `in flight ${snapshot.in_flight}/${c.concurrent}`),
    el("span", {}, `quota ${snapshot.quota_used_today}/${c.daily_quota} today (${c.quota_timezone})`));
}

function renderVendors(vendors) {
  const root = $("#vendors");
  root.replaceChildren();
  let any = false;
  for (const [vendor, tenants] of Object.entries(vendors)) {
    if (!tenants.length) continue;
    any = true;
    root.append(el("h3", {}, vendor));
    for (const tenant of tenants) {
      const box = el("div", { class: "tenant", "data-vendor": vendor, "data-tenant": tenant.id },
        el("strong", {}, tenant.id), " ",
        el("a", { href: `state/${encodeURIComponent(vendor)}/${encodeURIComponent(tenant.id)}.json` },
          "full state (JSON)"),
        el("span", { class: "hint" }, `  credentials: ${tenant.credentials.join(", ") || "any (lenient)"}`),
        limits(tenant.limits));
      for (const part of tenant.state) {
        if (part.count === 0 || (part.count === null && !part.sample.length)) continue;
        const title = part.count === null ? part.name : `${part.name} (${part.count})`;
        box.append(el("h4", {}, title), table(part.sample));
      }
      root.append(box);
    }
  }
  if (!any) root.append(el("p", { class: "empty" }, "No tenant yet: a vendor gets one at its first token call or seed."));
}

// what a fault rule does, every kind of rule (several at once are joined)
function faultWhat(f) {
  const parts = [];
  if (f.error_code) parts.push(`code ${f.error_code}`);
  if (f.status) parts.push(`HTTP ${f.status}`);
  if (f.connection) parts.push(f.connection === "hang" ? `connection hang ${f.hang} s` :
    `connection ${f.connection}`);
  if (f.chaos) parts.push(`chaos: ${f.chaos === "5xx" ? "503" : f.chaos === "mixed" ?
    "throttle or 503" : "the vendor's throttling"}`);
  if (f.drop) parts.push(`drop ${Math.round(f.drop * 100)}% of records`);
  if (f.latency) parts.push(f.latency_max ? `latency ${f.latency}–${f.latency_max} s` :
    f.latency_sigma ? `latency ~${f.latency} s (log-normal)` : `latency ${f.latency} s`);
  if (f.slow_body) parts.push(`slow body over ${f.slow_body} s`);
  if (f.probability !== undefined && f.probability < 1) parts.push(`${Math.round(f.probability * 100)}% of calls`);
  return parts.join(", ") || "nothing";
}

// how many more calls a rule will shape: what is left of `times`, or while its window lasts
function faultLeft(f) {
  if (f.times !== null && f.times !== undefined) return String(Math.max(0, f.times - (f.fired ?? 0)));
  if (f.end !== null && f.end !== undefined) return `until ${new Date(f.end * 1000).toISOString().slice(0, 19)}Z`;
  return "every call";
}

function renderFaults(faults) {
  const body = $("#fault-table tbody");
  body.replaceChildren(...faults.map((f) => el("tr", { "data-fault": f.id },
    el("td", {}, f.id), el("td", {}, f.vendor ?? "any"), el("td", {}, f.tenant ?? "any"),
    el("td", {}, faultWhat(f)),
    el("td", {}, [f.method, f.path].filter(Boolean).join(" ") || "every call"),
    el("td", {}, faultLeft(f)),
    el("td", {}, el("button", { onclick: () => removeFault(f.id) }, "remove")))));
  if (!faults.length) body.append(el("tr", {}, el("td", { colspan: 7, class: "empty" }, "no faults")));
}

async function refreshState() {
  try {
    const summary = await call("ui/summary.json");
    $("#clock-now").textContent = summary.clock.now;
    $("#clock-kind").textContent = summary.clock.virtual ? "(virtual)" : "(real)";
    $("#advance").hidden = !summary.clock.virtual;
    renderVendors(summary.vendors);
    renderFaults(summary.faults);
    const vendorNames = Object.keys(summary.vendors);
    for (const select of document.querySelectorAll("select[name=vendor]")) {
      if (select.options.length <= 1) {
        for (const name of vendorNames) select.append(el("option", { value: name }, name));
      }
    }
  } catch (error) {
    $("#vendors").replaceChildren(el("p", { class: "error" }, `state unavailable: ${error.message}`));
  }
}

// -- journal -----------------------------------------------------------------------------
async function refreshJournal() {
  const form = $("#journal-filter");
  if (form.paused.checked) return;
  const query = new URLSearchParams({ limit: "200" });
  for (const name of ["vendor", "tenant", "status", "code"]) {
    if (form[name].value) query.set(name, form[name].value);
  }
  if (form.unmatched.checked) query.set("unmatched", "true");
  try {
    const found = await call(`journal?${query}`);
    const rows = found.requests.slice().reverse().map((e) => el("tr", {
      "data-seq": e.seq, class: e.status >= 400 || e.codes.length ? "bad" : "",
      onclick: () => openEntry(e.seq),
    }, el("td", {}, e.seq), el("td", {}, e.time), el("td", {}, e.vendor), el("td", {}, e.tenant ?? ""),
      el("td", {}, e.method), el("td", { title: e.path }, e.path), el("td", {}, e.status),
      el("td", {}, e.codes.join(" ")), el("td", {}, Math.round(e.duration_ms ?? 0))));
    $("#journal-table tbody").replaceChildren(...rows);
    if (!rows.length) {
      $("#journal-table tbody").append(el("tr", {}, el("td", { colspan: 9, class: "empty" }, "no calls match")));
    }
  } catch (error) {
    $("#journal-table tbody").replaceChildren(el("tr", {}, el("td", { colspan: 9, class: "error" }, error.message)));
  }
}

function bodyText(part) {
  if (part === null || part === undefined || part === "") return "(empty)";
  if (typeof part !== "string") return JSON.stringify(part, null, 2);
  try { return JSON.stringify(JSON.parse(part), null, 2); } catch { return part; }
}

async function openEntry(seq) {
  const entry = await call(`journal/${seq}`);
  $("#entry").hidden = false;
  $("#entry-title").textContent = `#${entry.seq} ${entry.method} ${entry.path} → ${entry.status}`;
  const bodies = entry.bodies;
  $("#entry-hint").textContent = entry.hint ? `no such route: did you mean ${entry.hint}?` :
    (bodies && bodies.query ? `query: ${bodies.query}` : "");
  $("#entry-request").textContent = bodies ? bodyText(bodies.request) : "(bodies not kept)";
  $("#entry-response").textContent = bodies ? bodyText(bodies.response) : "(bodies not kept)";
}

// -- writes ------------------------------------------------------------------------------
async function removeFault(id) {
  await call(`faults/${id}`, { method: "DELETE" });
  refreshState();
}

$("#fault-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const spec = {};
  if (form.vendor.value) spec.vendor = form.vendor.value;
  if (form.tenant.value) spec.tenant = form.tenant.value;
  if (form.error_code.value) spec.error_code = form.error_code.value;
  if (form.status.value) spec.status = Number(form.status.value);
  if (form.path.value) spec.path = form.path.value;
  if (form.times.value) spec.times = Number(form.times.value);
  try {
    await call("faults", { method: "POST", headers: { "Content-Type": "application/json" },
                           body: JSON.stringify(spec) });
    $("#fault-error").textContent = "";
  } catch (error) {
    $("#fault-error").textContent = error.message;
  }
  refreshState();
});

$("#advance").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await call("clock/advance", { method: "POST", headers: { "Content-Type": "application/json" },
                                  body: JSON.stringify({ seconds: Number(event.target.seconds.value) }) });
    $("#clock-error").textContent = "";
  } catch (error) {
    $("#clock-error").textContent = error.message;
  }
  refreshState();
});

$("#journal-filter").addEventListener("input", refreshJournal);

refreshState();
refreshJournal();
setInterval(refreshJournal, 1000);
setInterval(() => { if (!document.hidden) refreshState(); }, 3000);
