// chipexport web: small progressive enhancements. Every page works without this file.
"use strict";

function debounce(fn, ms) {
  let timer = null;
  const run = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  run.cancel = () => clearTimeout(timer);
  return run;
}

// Screen names: a preview as the user types (after a pause; nothing is recorded), and the
// recorded search on Enter or the button (audited; a strong match opens a review case).
function liveSearch(form) {
  const target = document.getElementById("results");
  let last = "";
  let seq = 0;
  async function run(record) {
    const params = new URLSearchParams(new FormData(form));
    const query = params.toString();
    if (!record && query === last) return;
    last = query;
    if (!params.get("q").trim()) return;
    const mine = ++seq;
    const url = record ? form.dataset.search : form.dataset.preview;
    form.setAttribute("aria-busy", "true");
    try {
      const res = await fetch(url + "?" + query, { headers: { "Accept": "text/html" } });
      if (res.redirected && res.url.includes("/web/login")) { window.location = res.url; return; }
      const html = await res.text();
      if (mine === seq) {
        target.innerHTML = html;
        history.replaceState(null, "", "/web/screen?" + query + (record ? "" : "&preview=1"));
      }
    } catch (err) {
      const note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.textContent = "The server did not answer: " + String(err.message || err);
      target.replaceChildren(note);
    } finally {
      if (mine === seq) form.removeAttribute("aria-busy");
    }
  }
  const typed = debounce(() => run(false), 350);
  form.querySelectorAll("input").forEach((el) => el.addEventListener("input", typed));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); typed.cancel(); run(true); });
}

// Check form: "+ Add item" / "+ Add party" copy the last row with fresh names.
function addRow(button) {
  const body = document.querySelector("#" + button.dataset.addRow + " tbody");
  const rows = body.querySelectorAll("tr");
  if (rows.length >= 20) return;
  const copy = rows[rows.length - 1].cloneNode(true);
  const n = rows.length;
  copy.querySelector("td.num").textContent = String(n + 1);
  copy.querySelectorAll("input, select").forEach((el) => {
    el.name = el.name.replace(/-(\d+)-/, "-" + n + "-");
    const label = el.getAttribute("aria-label");
    if (label) el.setAttribute("aria-label", label.replace(/\d+/, String(n + 1)));
    if (el.tagName === "INPUT") el.value = "";
  });
  body.appendChild(copy);
  copy.querySelector("input").focus();
}

// Batch: poll the job's progress; reload when done to show the result table.
function pollJob(section) {
  const id = section.dataset.job;
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  async function tick() {
    try {
      const res = await fetch("/web/batch/" + encodeURIComponent(id) + "/status");
      if (!res.ok) return;
      const s = await res.json();
      bar.max = s.total; bar.value = s.done;
      count.textContent = s.done + " of " + s.total + " rows screened";
      document.getElementById("job-matched").textContent = s.matched + " with matches";
      document.getElementById("job-errors").textContent = s.errors + (s.errors === 1 ? " row error" : " row errors");
      if (s.finished) { window.location.replace(window.location.href); return; }
    } catch (err) { /* a missed poll is retried */ }
    setTimeout(tick, 400);
  }
  setTimeout(tick, 200);
}

// Batch: refuse an oversized file before sending it (the server would answer 413 anyway).
function checkUploadSize(form) {
  form.addEventListener("submit", (ev) => {
    const input = form.querySelector("input[type=file]");
    const limit = Number(form.dataset.maxBytes || 0);
    const file = input.files && input.files[0];
    const note = document.getElementById("upload-problem");
    if (file && limit && file.size > limit) {
      ev.preventDefault();
      note.textContent = file.name + " is " + Math.ceil(file.size / 1024) + " KiB; the upload limit is " +
        Math.floor(limit / 1024) + " KiB. Split the file or use 'chipexport screen --input'.";
      note.hidden = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const upload = document.getElementById("batch-form");
  if (upload) checkUploadSize(upload);
  const form = document.getElementById("screen-form");
  if (form) liveSearch(form);
  document.querySelectorAll("[data-add-row]").forEach((b) => b.addEventListener("click", () => addRow(b)));
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  const job = document.getElementById("job");
  if (job && job.dataset.finished === "false") pollJob(job);
});
