/* The page of `gigpolicy serve`: a form that builds a gigpolicy/1 record, and the answers of the
 * server's JSON API (/v1/options, /v1/evaluate, /v1/timeline) in words, in a table and as a drawing.
 *
 * The inputs of each event type are made from the record's JSON Schema (GET /v1/schema), the
 * marketplaces and rule versions from GET /v1/policies. Text from a record or an answer is only
 * ever set as textContent or an attribute: never parsed as markup. Times are entered in UTC. */
"use strict";

(() => {
  // The record of examples/records/motivating-case.json, the same data (a test checks it).
  const EXAMPLE = {
    "format": "gigpolicy/1",
    "contract": {
      "id": "c-1001",
      "marketplace": "upwork",
      "kind": "fixed_price",
      "currency": "USD",
      "client": "client-42",
      "freelancer": "fl-7",
      "started_at": "2026-11-02T15:00:00Z"
    },
    "events": [
      {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": "m1", "amount": "500.00"}
    ]
  };
  // The question asked of the example: the freelancer, on the morning after the funding.
  const EXAMPLE_AT = "2026-11-03T09:00:00Z";
  const EXAMPLE_AS = "freelancer";

  // How each question reads after the party (gigpolicy._decision.QUESTIONS; a test checks it).
  const QUESTIONS = {
    end_contract: "may end the contract",
    public_feedback: "may leave public feedback",
    private_feedback: "may leave private feedback",
    mid_contract_feedback: "may leave mid-contract feedback",
    feedback_published: "has public feedback shown",
    respond_to_feedback: "may respond to feedback",
    open_dispute: "may open a dispute",
    issue_refund: "may refund money paid",
    work_history: "shows this contract in the work history",
    job_success_score: "has this contract count toward the success score",
  };

  const IF_YOU = {
    wait: "If you wait",
    end_contract: "If you end the contract now",
    refund_and_end: "If you refund and end the contract",
    report_and_end: "If you report the job and end it",
    submit_work: "If you submit the work",
    open_dispute: "If you open a dispute",
    report_feedback: "If you report the feedback",
  };

  const LABELS = {
    type: "Type",
    at: "When",
    milestone: "Milestone",
    amount: "Amount",
    due_at: "Due",
    week_ending: "Week ending (a Sunday)",
    hours: "Hours",
    by: "By",
    to_freelancer: "Amount to the freelancer",
    to_client: "Amount to the client",
    kind: "Kind",
    rating: "Rating",
    comment: "Comment",
    author: "Whose feedback",
    party: "Who",
    reason: "Reason",
    hourly_rate: "Hourly rate",
    weekly_limit_hours: "Weekly limit (hours)",
    freelancer_fee_rate: "Freelancer's fee rate (0.10 is 10%)",
  };

  const MARKETPLACES = {upwork: "Upwork", fiverr: "Fiverr", freelancer: "Freelancer.com"};
  const PARTIES = ["client", "freelancer"];
  // The contract fields the page itself lays out; the schema's others go under "More terms".
  const OWN_CONTRACT_FIELDS = ["id", "marketplace", "kind", "currency", "client", "freelancer", "started_at"];
  const MAX_FORM_EVENTS = 1000;

  const LOCAL = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });

  const $ = (id) => document.getElementById(id);

  let schema = null;
  let eventTypes = new Map();  // type -> {description, fields: [spec]}
  let contractOrder = [];      // the schema's order of the contract's fields
  let nextEventId = 1;
  let timelineUrl = null;
  let downloadUrl = null;

  /** A new element with attributes (a property when the element has one) and children (text or nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "hidden") node.hidden = true;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  const words = (code) => String(code).replaceAll("_", " ");
  const label = (name) => LABELS[name] || words(name).replace(/^./, (first) => first.toUpperCase());

  // -- times -------------------------------------------------------------------------------

  /** "2026-11-18 00:00 UTC" (seconds only when there are some); the text itself when not a time. */
  function utcText(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const text = date.toISOString();
    const seconds = text.slice(17, 19) === "00" ? "" : text.slice(16, 19);
    return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds} UTC`;
  }

  /** "2026-11-18 00:00 UTC (Nov 18, 2026, 01:00 AM GMT+1)": UTC, then the browser's own zone. */
  function when(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return `${utcText(iso)} (${LOCAL.format(date)})`;
  }

  /** The date and time inputs' values for an RFC 3339 instant, in UTC; null when it is no time. */
  function utcParts(iso) {
    const date = new Date(iso);
    if (typeof iso !== "string" || Number.isNaN(date.getTime())) return null;
    const text = date.toISOString();
    if (!/^\d{4}-/.test(text)) return null;
    const time = text.slice(17, 23) === "00.000" ? text.slice(11, 16)
      : text.slice(20, 23) === "000" ? text.slice(11, 19) : text.slice(11, 23);
    return {date: text.slice(0, 10), time};
  }

  // -- fields made from the schema ---------------------------------------------------------

  function definition(node) {
    return node && node.$ref ? schema.$defs[node.$ref.split("/").pop()] : node;
  }

  /** What input a property of the schema needs. */
  function fieldSpec(name, node, required) {
    let optional = !required;
    let target = node;
    if (Array.isArray(node.anyOf) && node.anyOf.some((member) => member.type === "null")) {
      optional = true;
      target = node.anyOf.find((member) => member.type !== "null");
    }
    const def = definition(target) || {};
    let kind = "text";
    let values = null;
    if (def.format === "date-time") kind = "timestamp";
    else if (def.format === "date") kind = "date";
    else if (Array.isArray(def.enum)) {
      kind = "select";
      values = def.enum;
    } else if (def.const !== undefined) {
      kind = "select";
      values = [def.const];
    } else if (Array.isArray(def.anyOf) && def.anyOf.some((member) => member.type === "number")) kind = "decimal";
    else if (def.type === "string" && def.maxLength > 1000) kind = "textarea";
    return {name, kind, values, optional};
  }

  function readSchema(data) {
    schema = data;
    for (const member of schema.$defs.Event.oneOf) {
      const def = definition(member);
      const type = def.properties.type.const;
      const required = new Set(def.required || []);
      const fields = Object.entries(def.properties)
        .filter(([name]) => name !== "type")
        .map(([name, node]) => fieldSpec(name, node, required.has(name)));
      eventTypes.set(type, {description: def.description || "", fields});
    }
    const terms = schema.$defs.ContractTerms;
    const required = new Set(terms.required || []);
    contractOrder = Object.keys(terms.properties);
    fillSelect($("contract-kind"), terms.properties.kind && definition(terms.properties.kind).enum, "fixed_price");
    fillSelect($("contract-currency"), definition(terms.properties.currency).enum, "USD");
    const more = $("more-terms-fields");
    for (const [name, node] of Object.entries(terms.properties)) {
      if (!OWN_CONTRACT_FIELDS.includes(name)) more.append(makeField(fieldSpec(name, node, required.has(name)), `contract-${name}`));
    }
    const adder = $("new-event-type");
    for (const type of eventTypes.keys()) adder.append(el("option", {value: type}, words(type)));
  }

  function fillSelect(select, values, chosen) {
    for (const value of values || []) select.append(el("option", {value}, words(value)));
    if (chosen !== undefined) select.value = chosen;
  }

  /** A select's value; a value the select does not offer is added to it, so nothing is lost. */
  function choose(select, value) {
    const text = value === null || value === undefined ? "" : String(value);
    if (![...select.options].some((option) => option.value === text)) {
      select.append(el("option", {value: text}, text ? `${text} (not known to this page)` : "(none)"));
    }
    select.value = text;
  }

  /** The inputs of one field, with its label and the place for its errors. */
  function makeField(spec, idBase) {
    const errorId = `${idBase}-error`;
    const title = label(spec.name) + (spec.optional ? " (optional)" : "");
    const wrap = el("div", {class: "field"});
    wrap.dataset.field = spec.name;
    wrap.dataset.kind = spec.kind;
    if (spec.kind === "timestamp") {
      const labelId = `${idBase}-label`;
      wrap.classList.add("instant");
      wrap.setAttribute("role", "group");
      wrap.setAttribute("aria-labelledby", labelId);
      wrap.append(
        el("span", {id: labelId, class: "label"}, `${title}, in UTC`),
        el("span", {class: "pair"},
          el("label", {for: `${idBase}-date`}, "date (UTC)"),
          el("input", {type: "date", id: `${idBase}-date`, "aria-describedby": errorId}),
          el("label", {for: `${idBase}-time`}, "time (UTC)"),
          el("input", {type: "time", id: `${idBase}-time`, "aria-describedby": errorId})),
      );
    } else {
      let input;
      if (spec.kind === "select") {
        input = el("select", {id: idBase, "aria-describedby": errorId});
        if (spec.optional || spec.values.length > 1) input.append(el("option", {value: ""}, spec.optional ? "(none)" : "(choose)"));
        fillSelect(input, spec.values);
      } else if (spec.kind === "textarea") {
        input = el("textarea", {id: idBase, rows: 3, "aria-describedby": errorId});
      } else if (spec.kind === "date") {
        input = el("input", {type: "date", id: idBase, "aria-describedby": errorId});
      } else {
        input = el("input", {type: "text", id: idBase, autocomplete: "off", "aria-describedby": errorId});
        if (spec.kind === "decimal") {
          input.setAttribute("inputmode", "decimal");
          input.setAttribute("placeholder", "e.g. 500.00");
        }
      }
      wrap.append(el("label", {for: idBase}, title), input);
    }
    wrap.append(el("p", {class: "error", id: errorId, hidden: true}));
    return wrap;
  }

  /** A field's value for the record: {value} (undefined when left empty) or {problem}. */
  function readField(wrap) {
    if (wrap.dataset.kind === "timestamp") {
      const date = wrap.querySelector("input[type=date]").value;
      const time = wrap.querySelector("input[type=time]").value;
      if (wrap.dataset.original !== undefined && wrap.dataset.shown === `${date}T${time}`) {
        return {value: wrap.dataset.original};  // as loaded, to the microsecond and with its offset
      }
      if (!date && !time) return {value: undefined};
      if (!date || !time) return {problem: "give both a date and a time (UTC)"};
      return {value: `${date}T${time.length === 5 ? `${time}:00` : time}Z`};
    }
    const input = wrap.querySelector("input, select, textarea");
    const value = input.value;
    return {value: value.trim() === "" ? undefined : value};
  }

  function writeField(wrap, value) {
    if (wrap.dataset.kind === "timestamp") {
      const [date, time] = wrap.querySelectorAll("input");
      const parts = utcParts(value);
      if (value === null || value === undefined) {
        delete wrap.dataset.original;
        delete wrap.dataset.shown;
      }
      date.value = parts ? parts.date : "";
      time.step = parts && parts.time.length > 5 ? (parts.time.length > 8 ? "0.001" : "1") : "";
      time.value = parts ? parts.time : "";
      if (value !== null && value !== undefined) {
        wrap.dataset.original = String(value);
        wrap.dataset.shown = `${date.value}T${time.value}`;
      }
      return;
    }
    const input = wrap.querySelector("input, select, textarea");
    if (input.tagName === "SELECT") choose(input, value);
    else input.value = value === null || value === undefined ? "" : String(value);
  }

  // -- events ------------------------------------------------------------------------------

  function addEvent(type, values) {
    const uid = nextEventId++;
    const item = el("li", {class: "event"});
    item.dataset.uid = String(uid);
    const typeSelect = el("select", {id: `ev${uid}-type`, "aria-describedby": `ev${uid}-type-error`});
    fillSelect(typeSelect, [...eventTypes.keys()]);
    choose(typeSelect, type);
    const typeField = el("div", {class: "field"},
      el("label", {for: `ev${uid}-type`}, "Type"), typeSelect,
      el("p", {class: "error", id: `ev${uid}-type-error`, hidden: true}));
    typeField.dataset.field = "type";
    typeField.dataset.kind = "select";
    const remove = el("button", {type: "button", class: "remove"}, "Remove this event");
    item.append(el("fieldset", {},
      el("legend", {}, ""),
      el("p", {class: "hint description"}),
      el("p", {class: "error event-error", id: `ev${uid}-error`, hidden: true}),
      el("div", {class: "fields"}, typeField),
      remove));
    typeSelect.addEventListener("change", () => layOutEvent(item));
    remove.addEventListener("click", () => {
      const list = item.parentElement;
      item.remove();
      renumber();
      const rest = list.querySelectorAll("li.event select");
      (rest.length ? rest[rest.length - 1] : $("new-event-type")).focus();
    });
    $("events").append(item);
    layOutEvent(item);
    for (const [name, value] of Object.entries(values || {})) {
      const wrap = fieldOf(item, name);
      if (wrap && name !== "type") writeField(wrap, value);
    }
    renumber();
    return item;
  }

  /** Show the fields the event's type needs; a field of the same name and kind keeps its value. */
  function layOutEvent(item) {
    const type = item.querySelector("[data-field=type] select").value;
    const known = eventTypes.get(type);
    const box = item.querySelector(".fields");
    const old = new Map([...box.children].map((wrap) => [wrap.dataset.field, wrap]));
    const typeField = old.get("type");
    const fresh = [typeField];
    for (const spec of known ? known.fields : []) {
      const kept = old.get(spec.name);
      fresh.push(kept && kept.dataset.kind === spec.kind ? kept : makeField(spec, `ev${item.dataset.uid}-${spec.name}`));
    }
    box.replaceChildren(...fresh);
    item.dataset.type = type;
    item.querySelector(".description").textContent = known ? known.description : "";
    renumber();
  }

  function renumber() {
    const items = [...$("events").children];
    items.forEach((item, index) => {
      const type = item.dataset.type || "";
      item.querySelector("legend").textContent = `Event ${index + 1}: ${words(type)}`;
      item.querySelector(".remove").textContent = `Remove event ${index + 1}`;
    });
    $("no-events").hidden = items.length > 0;
  }

  const fieldOf = (scope, name) => scope.querySelector(`.field[data-field="${CSS.escape(name)}"]`);

  // -- the record and the question ---------------------------------------------------------

  /** The record the form describes; problems the page can tell alone go to *problems*. */
  function buildRecord(problems) {
    const contract = {};
    const box = $("contract");
    for (const name of contractOrder) {
      const wrap = fieldOf(box, name);
      if (!wrap) continue;
      const read = readField(wrap);
      if (read.problem) problems.push({path: `contract.${name}`, message: read.problem});
      else if (read.value !== undefined) contract[name] = read.value;
    }
    const events = [...$("events").children].map((item, index) => {
      const event = {type: item.dataset.type};
      for (const wrap of item.querySelectorAll(".fields > .field")) {
        if (wrap.dataset.field === "type") continue;
        const read = readField(wrap);
        if (read.problem) problems.push({path: `events[${index}].${wrap.dataset.field}`, message: read.problem});
        else if (read.value !== undefined) event[wrap.dataset.field] = read.value;
      }
      return event;
    });
    return {format: "gigpolicy/1", contract, events};
  }

  function question(problems) {
    const read = readField(fieldOf($("question"), "at"));
    if (read.problem) problems.push({path: "at", message: read.problem});
    const chosen = document.querySelector("input[name=as]:checked");
    const policy = $("policy").value;
    return {at: read.value, as: chosen ? chosen.value : undefined, policy: policy === "" ? null : policy};
  }

  function setInstant(iso) {
    writeField(fieldOf($("question"), "at"), iso);
    showLocalInstant();
  }

  function showLocalInstant() {
    const read = readField(fieldOf($("question"), "at"));
    $("at-local").textContent = read.value ? `That is ${when(read.value)}.` : "";
  }

  // -- loading a record into the form -------------------------------------------------------

  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const isScalar = (value) => value === null || ["string", "number"].includes(typeof value);

  /** What keeps *data* out of the form: a list of {path, message}, empty when it fits. */
  function unfit(data) {
    if (!isObject(data)) return [{path: "", message: "the file is not a JSON object"}];
    const found = [];
    for (const key of Object.keys(data)) {
      if (!["format", "contract", "events"].includes(key)) found.push({path: key, message: "is not a field of a gigpolicy/1 record"});
    }
    if (data.format !== "gigpolicy/1") found.push({path: "format", message: "must be \"gigpolicy/1\""});
    if (!isObject(data.contract)) found.push({path: "contract", message: "must be an object"});
    else {
      for (const [key, value] of Object.entries(data.contract)) {
        if (!contractOrder.includes(key)) found.push({path: `contract.${key}`, message: "is not a field of the contract"});
        else if (!isScalar(value)) found.push({path: `contract.${key}`, message: "must be a text or a number"});
      }
    }
    if (!Array.isArray(data.events)) found.push({path: "events", message: "must be a list"});
    else if (data.events.length > MAX_FORM_EVENTS) {
      found.push({path: "events", message: `has ${data.events.length} events; this page holds at most ${MAX_FORM_EVENTS} (the API and the command line take more)`});
    } else {
      data.events.forEach((event, index) => {
        const path = `events[${index}]`;
        if (!isObject(event)) return found.push({path, message: "must be an object"});
        const known = eventTypes.get(event.type);
        if (!known) return found.push({path: `${path}.type`, message: `${JSON.stringify(event.type)} is not an event type of gigpolicy/1`});
        const names = known.fields.map((spec) => spec.name);
        for (const [key, value] of Object.entries(event)) {
          if (key !== "type" && !names.includes(key)) found.push({path: `${path}.${key}`, message: `is not a field of ${words(event.type)}`});
          else if (!isScalar(value)) found.push({path: `${path}.${key}`, message: "must be a text or a number"});
        }
        return undefined;
      });
    }
    return found;
  }

  function fillForm(record) {
    const box = $("contract");
    for (const name of contractOrder) {
      const wrap = fieldOf(box, name);
      if (wrap) writeField(wrap, record.contract[name] === undefined ? null : record.contract[name]);
    }
    if (record.contract.hourly_rate || record.contract.weekly_limit_hours || record.contract.freelancer_fee_rate) {
      $("more-terms").open = true;
    }
    $("events").replaceChildren();
    for (const event of record.events) addEvent(event.type, event);
    renumber();
    hideResults();
  }

  /** Numbers keep the very digits of the file (JSON.parse would round 0.1000000000000000055 and such). */
  function parseRecord(text) {
    return JSON.parse(text, (key, value, context) => (
      typeof value === "number" && context && typeof context.source === "string" ? context.source : value));
  }

  function loadFile(file) {
    clearErrors();
    const reader = new FileReader();
    reader.addEventListener("error", () => showErrors([{path: "", message: `The file ${file.name} could not be read.`}]));
    reader.addEventListener("load", async () => {
      let data;
      try {
        data = parseRecord(String(reader.result));
      } catch (error) {
        showErrors([{path: "", message: `The file ${file.name} is not JSON: ${error.message}`}]);
        return;
      }
      const found = unfit(data);
      if (found.length) {
        showErrors(found.map((item) => ({path: "", message: `The file ${file.name} was not loaded: ${item.path ? `${item.path}: ` : ""}${item.message}`})));
        return;
      }
      fillForm(data);
      setStatus(`Loaded ${file.name}: ${data.events.length} event${data.events.length === 1 ? "" : "s"}.`);
      try {
        await postJson("/v1/validate", {record: buildRecord([])});
      } catch (error) {
        showRefusal(error);
      }
    });
    reader.readAsText(file);
  }

  // -- asking the server --------------------------------------------------------------------

  class Refusal extends Error {
    constructor(errors) {
      super("refused");
      this.errors = errors;
    }
  }

  async function send(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body),
      });
    } catch (error) {
      throw new Refusal([{path: "", message: `The server did not answer (${error.message}). Is gigpolicy serve still running?`}]);
    }
    if (response.ok) return response;
    let errors;
    try {
      errors = (await response.json()).errors;
    } catch (error) {
      errors = null;
    }
    throw new Refusal(Array.isArray(errors) ? errors : [{path: "", message: `The server answered ${response.status}.`}]);
  }

  const postJson = async (url, body) => (await send(url, body)).json();

  async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }

  function showRefusal(error) {
    if (error instanceof Refusal) showErrors(error.errors);
    else showErrors([{path: "", message: `Something went wrong on this page: ${error.message}`}]);
  }

  const setStatus = (text) => { $("status").textContent = text; };

  async function ask(event) {
    event.preventDefault();
    clearErrors();
    const problems = [];
    const record = buildRecord(problems);
    const asked = question(problems);
    if (problems.length) {
      showErrors(problems);
      return;
    }
    const button = $("ask");
    button.disabled = true;
    setStatus("Asking the server…");
    try {
      const judged = {record, at: asked.at, policy: asked.policy};
      const [found, report, drawing] = await Promise.all([
        postJson("/v1/options", {...judged, as: asked.as}).then((answer) => answer.options),
        postJson("/v1/evaluate", judged),
        send("/v1/timeline", judged).then((response) => response.blob()),
      ]);
      // Each option's step, judged at once: who may review right after it (the command line's table does the same).
      const before = record.events.filter((item) => !(Date.parse(item.at) > Date.parse(asked.at)));
      const after = await Promise.all(found.map((option) => postJson(
        "/v1/evaluate", {...judged, record: {...record, events: [...before, ...option.events]}},
      ).catch(() => null)));
      showResults({record, asked, found, report, drawing, after});
      setStatus("Answered.");
    } catch (error) {
      hideResults();
      setStatus("");
      showRefusal(error);
    } finally {
      button.disabled = false;
    }
  }

  // -- errors next to their fields -----------------------------------------------------------

  function clearErrors() {
    for (const slot of document.querySelectorAll("#contract-form .error")) {
      slot.hidden = true;
      slot.textContent = "";
    }
    for (const input of document.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    $("form-errors-list").replaceChildren();
    $("form-errors").hidden = true;
  }

  /** Where an error of *path* is shown: a field's, an event's or a fieldset's place; null for the top. */
  function slotFor(path) {
    let match = /^contract\.([A-Za-z_]+)$/.exec(path);
    if (match) {
      const wrap = fieldOf($("contract"), match[1]);
      return wrap && {slot: wrap.querySelector(".error"), inputs: wrap.querySelectorAll("input, select, textarea")};
    }
    if (path === "contract") return {slot: $("contract-error"), inputs: []};
    if (path === "events") return {slot: $("events-error"), inputs: []};
    match = /^events\[(\d+)\](?:\.([A-Za-z_]+))?/.exec(path);
    if (match) {
      const item = $("events").children[Number(match[1])];
      if (!item) return null;
      const wrap = match[2] && fieldOf(item, match[2]);
      if (wrap) return {slot: wrap.querySelector(".error"), inputs: wrap.querySelectorAll("input, select, textarea")};
      return {slot: item.querySelector(".event-error"), inputs: [], prefix: match[2] ? `${match[2]}: ` : ""};
    }
    if (path === "as") return {slot: $("as-error"), inputs: document.querySelectorAll("input[name=as]")};
    if (path === "at" || path === "policy") {
      const wrap = fieldOf($("question"), path);
      return {slot: wrap.querySelector(".error"), inputs: wrap.querySelectorAll("input, select")};
    }
    return null;
  }

  function showErrors(errors) {
    let first = null;
    const seen = new Set();
    for (const {path, message} of errors) {
      const key = `${path}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const place = slotFor(String(path));
      if (place) {
        const text = `${place.prefix || ""}${message}`;
        place.slot.textContent = place.slot.textContent ? `${place.slot.textContent} ${text}` : text;
        place.slot.hidden = false;
        for (const input of place.inputs) input.setAttribute("aria-invalid", "true");
        const details = place.slot.closest("details");
        if (details) details.open = true;
        first = first || place.inputs[0] || place.slot;
      } else {
        $("form-errors-list").append(el("li", {}, path ? `${path}: ${message}` : String(message)));
        $("form-errors").hidden = false;
      }
    }
    const top = $("form-errors");
    const target = top.hidden ? first : top;
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) target.tabIndex = -1;
      target.focus();
    }
  }

  // -- the answers in words, a table and a drawing ------------------------------------------

  const decision = (report, name, party) => report && report.decisions.find(
    (item) => item.question === name && item.party === party);
  const lastReason = (found) => (found && found.reasons.length ? found.reasons[found.reasons.length - 1].message.replace(/\.$/, "") : "");
  const positive = (amount) => Number(amount) > 0;
  const pair = (worst, best) => (worst === best ? worst : `${worst} / ${best}`);
  const yesNo = (found) => (found ? (found.answer ? "yes" : "no") : "?");

  /** When the other party's review comes in the worst case, if not at once: the contract's end there. */
  function laterReview(option, other, at) {
    const left = decision(option.worst_case, "public_feedback", other);
    const state = option.worst_case.state;
    const reviewed = left && left.reasons.some((reason) => reason.code === "ALREADY_LEFT");
    if (!reviewed || !state.ended_at || !(Date.parse(state.ended_at) > Date.parse(at))) return null;
    const dormant = (state.automatic_steps || []).some((step) => step.code === "DORMANT_CLOSED");
    return {at: state.ended_at, why: dormant ? "when the marketplace closes the contract as dormant" : "when the contract ends"};
  }

  /** Who may review right after the step ({text, can}), from the step judged at once and its worst case. */
  function reviewClause(right, option, other, at) {
    const found = decision(right, "public_feedback", other);
    if (found && found.answer && found.until) return {text: `the ${other} can still leave a review until ${when(found.until)}`, can: true};
    if (found && found.answer) return {text: `the ${other} can leave a review`, can: true};
    const later = laterReview(option, other, at);
    if (later) return {text: `the ${other} can leave a review from ${when(later.at)}, ${later.why}`, can: true};
    if (found && found.until) return {text: `the ${other} can leave a review from ${when(found.until)} if nothing else happens first`, can: true};
    if (!found) return {text: `whether the ${other} can review could not be judged`, can: false};
    return {text: `the ${other} cannot leave a review (${lastReason(found)})`, can: false};
  }

  function reviewCell(right, option, other, at) {
    const found = decision(right, "public_feedback", other);
    if (found && found.answer) return found.until ? `yes, until ${utcText(found.until).slice(0, 10)}` : "yes";
    const later = laterReview(option, other, at);
    if (later) return `from ${utcText(later.at).slice(0, 10)}`;
    if (!found) return "?";
    return found.until ? `from ${utcText(found.until).slice(0, 10)}` : "no";
  }

  function scoreWords(report) {
    const found = decision(report, "job_success_score", "freelancer");
    if (!found) return {short: "?", long: "it may count toward the success score"};
    if (!found.answer) return {short: "not counted", long: "it is not counted"};
    const codes = found.reasons.map((reason) => reason.code);
    if (codes.includes("NEGATIVE_FEEDBACK")) return {short: "counts against", long: "it counts against the success score"};
    if (codes.includes("POSITIVE_FEEDBACK")) return {short: "counts for", long: "it counts for the success score"};
    return {short: "counts", long: "it counts toward the success score"};
  }

  function scoreClause(option) {
    const worst = scoreWords(option.worst_case);
    const best = scoreWords(option.best_case);
    const why = (report) => lastReason(decision(report, "job_success_score", "freelancer"));
    if (worst.long === best.long) return `${worst.long.replace(/^it /, "the contract ")} (${why(option.worst_case)})`;
    return `in the worst case ${worst.long} (${why(option.worst_case)}), in the best case ${best.long} (${why(option.best_case)})`;
  }

  function moneyWords(money, currency) {
    if (positive(money.back_to_client)) return `${money.back_to_client} ${currency} goes back to the client`;
    if (positive(money.paid_to_freelancer)) return `${money.paid_to_freelancer} ${currency} is paid to the freelancer`;
    if (positive(money.escrow_held)) return `${money.escrow_held} ${currency} stays in escrow`;
    return "no escrow moves";
  }

  function moneyCell(money) {
    const parts = [];
    if (positive(money.back_to_client)) parts.push(`${money.back_to_client} to client`);
    if (positive(money.paid_to_freelancer)) parts.push(`${money.paid_to_freelancer} to freelancer`);
    if (positive(money.escrow_held)) parts.push(`${money.escrow_held} held`);
    parts.push(`net ${money.net_earnings}`);
    return parts.join(", ");
  }

  function historyClause(option) {
    const worst = decision(option.worst_case, "work_history", "freelancer");
    const best = decision(option.best_case, "work_history", "freelancer");
    const shows = (found) => (found && found.answer ? "shows" : "does not show");
    if (shows(worst) === shows(best)) return `The contract ${shows(worst)} in the freelancer's work history`;
    return `The contract ${shows(worst)} in the freelancer's work history in the worst case, and ${shows(best)} in the best case`;
  }

  /** An option in words: who can review and until when, and is it seen (the lead); then work history, score, money. */
  function optionSentence(option, right, other, currency, at) {
    const review = reviewClause(right, option, other, at);
    const seen = decision(option.worst_case, "feedback_published", other);
    const why = lastReason(seen);
    const shown = seen && seen.answer
      ? "and it would be shown"
      : `${review.can ? "but nobody will see it" : "and no review would be shown"}${why ? ` (${why})` : ""}`;
    const worstMoney = moneyWords(option.worst_money, currency);
    const bestMoney = moneyWords(option.best_money, currency);
    const money = worstMoney === bestMoney ? worstMoney : `in the worst case ${worstMoney}, in the best case ${bestMoney}`;
    const nets = pair(option.worst_money.net_earnings, option.best_money.net_earnings);
    return {
      lead: `${review.text}, ${shown}.`,
      rest: `${historyClause(option)}; ${scoreClause(option)}; ${money}; the freelancer nets ${nets} ${currency}.`,
    };
  }

  function sourceLink(url) {
    let parsed = null;
    try {
      parsed = new URL(url);
    } catch (error) {
      parsed = null;
    }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) return el("span", {class: "source"}, `source: ${url}`);
    return el("a", {href: parsed.href, rel: "noreferrer noopener", target: "_blank", class: "source"}, `source: ${parsed.host}`);
  }

  function reasonList(reasons) {
    return el("ul", {class: "reasons"}, ...reasons.map((reason) => el("li", {},
      `${reason.message} `, el("span", {class: "code"}, `(${reason.code})`), " ", sourceLink(reason.source))));
  }

  function showResults({record, asked, found, report, drawing, after}) {
    const me = asked.as;
    const other = me === "client" ? "freelancer" : "client";
    const currency = report.state.currency;
    const policy = report.policy;
    $("results-intro").replaceChildren(
      `As the ${me} on contract ${report.contract}, at ${when(report.at)}, under the rules ${policy.version} `,
      `(${policy.title}; `, sourceLink(policy.source), `). Money in ${currency}. Each step is followed to its end, `,
      `with the ${other} responding in the worst and in the best way the rules let them.`);

    $("option-sentences").replaceChildren(...found.map((option, index) => {
      const said = optionSentence(option, after[index], other, currency, report.at);
      const item = el("li", {class: "option"}, el("strong", {}, IF_YOU[option.action] || `If you choose "${words(option.action)}"`),
        ": ", el("span", {class: "lead"}, said.lead), ` ${said.rest}`, el("span", {class: "hint"}, ` (${option.summary})`));
      if (option.warnings.length) {
        item.append(el("ul", {class: "warnings"}, ...option.warnings.map((reason) => el("li", {},
          el("strong", {}, "Warning: "), `${reason.message} `, sourceLink(reason.source)))));
      }
      return item;
    }));

    const headers = ["option", `${other} can review`, "review shown", "work history", "success score", "money (worst / best)"];
    $("options-head").replaceChildren(...headers.map((text) => el("th", {scope: "col"}, text)));
    $("options-body").replaceChildren(...found.map((option, index) => el("tr", {},
      el("th", {scope: "row"}, words(option.action)),
      el("td", {}, reviewCell(after[index], option, other, report.at)),
      el("td", {}, pair(yesNo(decision(option.worst_case, "feedback_published", other)), yesNo(decision(option.best_case, "feedback_published", other)))),
      el("td", {}, pair(yesNo(decision(option.worst_case, "work_history", "freelancer")), yesNo(decision(option.best_case, "work_history", "freelancer")))),
      el("td", {}, pair(scoreWords(option.worst_case).short, scoreWords(option.best_case).short)),
      el("td", {}, pair(moneyCell(option.worst_money), moneyCell(option.best_money))))));

    $("assumptions-body").replaceChildren(el("dl", {}, ...found.flatMap((option) => [
      el("dt", {}, `${words(option.action)}: ${option.summary}`),
      el("dd", {}, el("ul", {}, ...[...option.assumptions, ...option.worst_case.earnings.assumptions].map((text) => el("li", {}, text)))),
    ])));

    showState(report);
    showDecisions(report, me, other);
    showDrawing(drawing, report);
    $("results").hidden = false;
    $("results-heading").focus();
  }

  function showState(report) {
    const state = report.state;
    const currency = state.currency;
    const status = state.ended_at ? `${state.status} on ${when(state.ended_at)}${state.ended_by ? ` by the ${state.ended_by}` : ""}` : words(state.status);
    const rows = [
      ["status", status],
      ["escrow held", `${state.escrow} ${currency}`],
      ["paid", `${state.paid} ${currency} (refunded ${state.refunded}, net ${state.net_paid})`],
      ["back to the client", `${state.escrow_returned} ${currency}`],
      ["freelancer's earnings", `gross ${report.earnings.gross}, service fee ${report.earnings.service_fee}, net ${report.earnings.net} ${currency}`],
    ];
    const list = el("dl", {class: "state"}, ...rows.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]));
    for (const step of state.automatic_steps || []) {
      const what = [words(step.code).toLowerCase(), step.milestone ? `of ${step.milestone}` : null, step.amount ? `${step.amount} ${currency}` : null];
      list.append(el("dt", {}, "automatic step"), el("dd", {}, `${when(step.at)}: ${what.filter(Boolean).join(", ")}`));
    }
    for (const text of report.earnings.assumptions) list.append(el("dt", {}, "assumed"), el("dd", {}, text));
    $("state-summary").replaceChildren(`On contract ${report.contract} at ${when(report.at)}:`, list);
  }

  function showDecisions(report, me, other) {
    $("decisions").replaceChildren(...[me, other].map((party) => {
      const mine = report.decisions.filter((item) => item.party === party);
      return el("section", {class: "party"},
        el("h3", {}, party === me ? `You, the ${party}` : `The ${party}`),
        el("ul", {class: "decisions"}, ...mine.map((item) => {
          const until = item.until ? (item.answer ? `, until ${when(item.until)}` : ` (this may change from ${when(item.until)})`) : "";
          return el("li", {class: item.answer ? "yes" : "no"},
            el("span", {class: "answer"}, item.answer ? "yes" : "no"), " ",
            el("span", {class: "question"}, `The ${party} ${QUESTIONS[item.question] || words(item.question)}${until}`),
            reasonList(item.reasons));
        })));
    }));
  }

  function showDrawing(drawing, report) {
    if (timelineUrl) URL.revokeObjectURL(timelineUrl);
    timelineUrl = URL.createObjectURL(new Blob([drawing], {type: "image/svg+xml"}));
    const image = $("timeline");
    image.src = timelineUrl;
    image.alt = `Contract ${report.contract} on a time axis: its events, the windows open or scheduled with their deadlines, and the instant asked about (${utcText(report.at)}) as a dashed line.`;
    $("timeline-caption").textContent = "Times in UTC. Circles are events, diamonds the steps the marketplace takes by itself; each bar is a window, its right edge the deadline.";
    const link = $("timeline-download");
    link.href = timelineUrl;
    link.download = `timeline-${fileName(report.contract)}.svg`;
    link.hidden = false;
  }

  function hideResults() {
    $("results").hidden = true;
  }

  const fileName = (text) => String(text || "record").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80);

  function download() {
    clearErrors();
    const problems = [];
    const record = buildRecord(problems);
    if (problems.length) {
      showErrors(problems);
      return;
    }
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([`${JSON.stringify(record, null, 2)}\n`], {type: "application/json"}));
    const link = $("download-link");
    link.href = downloadUrl;
    link.download = `${fileName(record.contract.id)}.json`;
    link.textContent = `Save ${link.download} again`;
    link.hidden = false;
    link.click();
  }

  // -- start ----------------------------------------------------------------------------------

  function readPolicies(policies) {
    const names = [...new Set(policies.map((policy) => policy.name))];
    const marketplace = $("contract-marketplace");
    for (const name of names) marketplace.append(el("option", {value: name}, MARKETPLACES[name] || name));
    marketplace.append(el("option", {value: ""}, "none: name the rules below"));
    marketplace.value = names.includes("upwork") ? "upwork" : names[0] || "";
    const select = $("policy");
    for (const name of names) {
      select.append(el("optgroup", {label: MARKETPLACES[name] || name}, ...policies
        .filter((policy) => policy.name === name)
        .map((policy) => el("option", {value: policy.version}, `${policy.version}: ${policy.title}`))));
    }
  }

  function nowUtc() {
    const now = new Date();
    now.setUTCSeconds(0, 0);
    return now.toISOString().replace(".000Z", "Z");
  }

  async function start() {
    $("contract-form").addEventListener("submit", ask);
    $("add-event").addEventListener("click", () => {
      const item = addEvent($("new-event-type").value, {});
      const first = item.querySelector(".fields > .field:nth-child(2) :is(input, select, textarea)");
      if (first) first.focus();
    });
    $("use-example").addEventListener("click", () => {
      clearErrors();
      fillForm(EXAMPLE);
      setInstant(EXAMPLE_AT);
      $(`as-${EXAMPLE_AS}`).checked = true;
      $("policy").value = "";
      setStatus("The example is in the form: ask with the button at the bottom.");
    });
    $("load-record").addEventListener("change", (event) => {
      const [file] = event.target.files;
      if (file) loadFile(file);
      event.target.value = "";
    });
    $("download-record").addEventListener("click", download);
    $("at-now").addEventListener("click", () => setInstant(nowUtc()));
    for (const input of fieldOf($("question"), "at").querySelectorAll("input")) input.addEventListener("input", showLocalInstant);
    setInstant(nowUtc());
    try {
      const [data, policies] = await Promise.all([getJson("/v1/schema"), getJson("/v1/policies")]);
      readSchema(data);
      readPolicies(policies.policies);
      for (const id of ["use-example", "load-record", "download-record", "add-event", "ask"]) $(id).disabled = false;
      document.body.dataset.ready = "true";
    } catch (error) {
      showErrors([{path: "", message: `The page could not read the record format from the server (${error.message}).`}]);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
