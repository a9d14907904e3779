// symconv serve: the page. Everything exact is computed by the server (symconv in a worker
// process); this script sends the fields, typesets the LaTeX it gets back with KaTeX and
// draws the sampled curves on canvases. No text typed here is evaluated anywhere.
"use strict";

const $ = (id) => document.getElementById(id);
const COLORS = { h: "#0072B2", x: "#D55E00", p: "#009E73", y: "#000000", marker: "#CC0000" };
const EXAMPLES = {
  continuous: ["2 e^(-t/2) u(t)", "rect(t - 1/2)"],
  discrete: ["(1/2)^n u(n)", "u(n) - u(n-4)"],
};

// ---------------------------------------------------------------------------------------
// requests
// ---------------------------------------------------------------------------------------
async function post(what, data) {
  let response;
  try {
    response = await fetch("/api/" + what, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
    });
  } catch (err) {
    throw new Error("error: the server cannot be reached (is symconv serve still running?)");
  }
  let body;
  try {
    body = await response.json();
  } catch (err) {
    throw new Error(`error: the server answered ${response.status} without a result`);
  }
  if (!response.ok) throw new Error(body.error || `error ${response.status}`);
  return body;
}

function showError(id, err) {
  const box = $(id);
  box.textContent = err ? String(err.message || err) : "";
  box.hidden = !err;
}

// ---------------------------------------------------------------------------------------
// mathematics
// ---------------------------------------------------------------------------------------
function tex(el, source, display) {
  try {
    katex.render(source, el, { displayMode: !!display, throwOnError: false, strict: "ignore" });
  } catch (err) {
    el.textContent = source;
  }
}

function texSpan(source, display) {
  const span = document.createElement("span");
  tex(span, source, display);
  return span;
}

// Text mode of the LaTeX renderer (\_ \& ...) back to plain characters.
function unescapeText(text) {
  return text.replace(/\\textbackslash\{\}/g, "\\").replace(/\\([&%#_{}$])/g, "$1");
}

// A line of text with $…$ mathematics, appended to el.
function inline(el, text) {
  const parts = text.split("$");
  parts.forEach((part, i) => {
    if (i % 2 === 1) el.appendChild(texSpan(part, false));
    else if (part) el.appendChild(document.createTextNode(unescapeText(part)));
  });
}

// The derivation: Markdown paragraphs (**title** text) and $$…$$ display blocks.
function renderDerivation(el, markdown) {
  el.textContent = "";
  for (const block of markdown.split(/\n\n+/)) {
    const b = block.trim();
    if (!b) continue;
    if (b.startsWith("$$")) {
      const div = document.createElement("div");
      div.className = "math-block";
      tex(div, b.replace(/^\$\$/, "").replace(/\$\$$/, "").trim(), true);
      el.appendChild(div);
      continue;
    }
    const p = document.createElement("p");
    const m = b.match(/^\*\*([\s\S]*?)\*\*\s*([\s\S]*)$/);
    if (m) {
      const strong = document.createElement("strong");
      inline(strong, m[1]);
      p.appendChild(strong);
      p.appendChild(document.createTextNode(" "));
      inline(p, m[2]);
    } else {
      inline(p, b);
    }
    el.appendChild(p);
  }
}

// ---------------------------------------------------------------------------------------
// the convolution
// ---------------------------------------------------------------------------------------
let current = null; // the last result: {data, picture, regions}

function mode() {
  return $("mode-discrete").checked ? "discrete" : "continuous";
}

function fields() {
  return { h: $("h").value, x: $("x").value, mode: mode(), kind: $("kind").value,
           assume: $("assume").value };
}

async function compute(event) {
  if (event) event.preventDefault();
  showError("conv-error", null);
  $("conv-busy").hidden = false;
  $("compute").disabled = true;
  try {
    const data = await post("convolution", fields());
    current = data;
    showResult(data);
  } catch (err) {
    showError("conv-error", err);
  } finally {
    $("conv-busy").hidden = true;
    $("compute").disabled = false;
  }
}

function showResult(data) {
  $("conv-out").hidden = false;
  tex($("result"), data.result, true);
  renderDerivation($("derivation"), data.derivation);
  const list = $("regions");
  list.textContent = "";
  const v = data.var;
  data.regions.forEach((r, i) => {
    const li = document.createElement("li");
    li.dataset.index = i;
    const formula = (r.work ? `${r.work} = ` : "") + r.value;
    li.appendChild(texSpan(`${r.where}: \\quad ${data.discrete ? `y[${v}]` : `y(${v})`} = ${formula}`));
    list.appendChild(li);
  });
  $("verdict").hidden = true;
  showError("check-error", null);
  const pic = data.picture;
  $("picture").hidden = !pic;
  $("picture-note").hidden = !data.picture_note;
  $("picture-note").textContent = data.picture_note || "";
  if (pic) setupSlider(data);
}

function setupSlider(data) {
  const pic = data.picture, slider = $("t-slider");
  $("t-label").textContent = data.var + " =";
  slider.min = pic.lo;
  slider.max = pic.hi;
  slider.step = data.discrete ? 1 : (pic.hi - pic.lo) / 1000;
  // start inside the first bounded region: the interesting part of the slide
  const first = data.regions.find((r) => r.lo !== null && r.hi !== null);
  let t0 = first ? (first.lo + first.hi) / 2 : (pic.lo + pic.hi) / 2;
  if (data.discrete) t0 = Math.round(t0);
  slider.value = t0;
  pic.productRange = productRange(data);
  draw();
}

function regionAt(regions, t) {
  return regions.findIndex((r) => (r.lo === null || r.lo <= t) && (r.hi === null || t < r.hi));
}

function tValue() {
  return parseFloat($("t-slider").value);
}

// x at s, from its samples (linear between samples, the end values beyond the window)
function xAt(pic, s) {
  const n = pic.x.length, pos = ((s - pic.s_lo) / (pic.s_hi - pic.s_lo)) * (n - 1);
  if (pos <= 0) return pic.x[0] ?? 0;
  if (pos >= n - 1) return pic.x[n - 1] ?? 0;
  const i = Math.floor(pos), f = pos - i;
  const a = pic.x[i] ?? 0, b = pic.x[i + 1] ?? 0;
  return a + (b - a) * f;
}

function grid(pic, discrete) {
  const n = pic.h.length, out = [];
  for (let i = 0; i < n; i++) out.push(discrete ? pic.lo + i : pic.lo + ((pic.hi - pic.lo) * i) / (n - 1));
  return out;
}

function product(pic, t, discrete) {
  const taus = grid(pic, discrete);
  return taus.map((tau, i) => (pic.h[i] ?? 0) * xAt(pic, t - tau));
}

function productRange(data) {
  const pic = data.picture;
  let lo = 0, hi = 0;
  for (let k = 0; k <= 60; k++) {
    const t = pic.lo + ((pic.hi - pic.lo) * k) / 60;
    for (const v of product(pic, data.discrete ? Math.round(t) : t, data.discrete)) {
      if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  return [lo, hi];
}

function range(values, extra) {
  let lo = 0, hi = 0;
  for (const v of values.concat(extra || [])) {
    if (v !== null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (hi - lo < 1e-12) { hi = lo + 1; }
  const pad = 0.12 * (hi - lo);
  return [lo < 0 ? lo - pad : lo, hi + pad];
}

// ---- canvas helpers ---------------------------------------------------------------------
function panel(ctx, box, xr, yr, title) {
  const { x, y, w, h } = box;
  ctx.save();
  ctx.strokeStyle = "#bbb";
  ctx.lineWidth = 1;
  ctx.strokeRect(x, y, w, h);
  const X = (v) => x + ((v - xr[0]) / (xr[1] - xr[0])) * w;
  const Y = (v) => y + h - ((v - yr[0]) / (yr[1] - yr[0])) * h;
  // zero line and ticks
  ctx.strokeStyle = "#888";
  ctx.beginPath(); ctx.moveTo(x, Y(0)); ctx.lineTo(x + w, Y(0)); ctx.stroke();
  ctx.fillStyle = "#555";
  ctx.font = "11px sans-serif";
  const step = niceStep((xr[1] - xr[0]) / 10);
  for (let v = Math.ceil(xr[0] / step) * step; v <= xr[1] + 1e-9; v += step) {
    const px = X(v);
    ctx.beginPath(); ctx.moveTo(px, y + h); ctx.lineTo(px, y + h + 4); ctx.stroke();
    ctx.fillText(fmt(v), px - 8, y + h + 14);
  }
  for (const v of [yr[0], yr[1]]) ctx.fillText(fmt(v), x - 44, Y(v) + 4);
  ctx.font = "13px sans-serif";
  ctx.fillStyle = "rgba(255,255,255,0.85)";
  ctx.fillRect(x + 2, y + 2, ctx.measureText(title).width + 8, 18);
  ctx.fillStyle = "#222";
  ctx.fillText(title, x + 6, y + 15);
  ctx.restore();
  return { X, Y, box };
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function fmt(v) {
  if (Math.abs(v) < 1e-9) return "0";
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1) : String(Math.round(v * 100) / 100);
}

function curve(ctx, P, xs, ys, color, dash, width) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(P.box.x, P.box.y, P.box.w, P.box.h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = width || 2;
  ctx.setLineDash(dash || []);
  ctx.beginPath();
  let pen = false;
  xs.forEach((xv, i) => {
    const yv = ys[i];
    if (yv === null || !Number.isFinite(yv)) { pen = false; return; }
    if (pen) ctx.lineTo(P.X(xv), P.Y(yv)); else ctx.moveTo(P.X(xv), P.Y(yv));
    pen = true;
  });
  ctx.stroke();
  ctx.restore();
}

function stems(ctx, P, xs, ys, color, hollow) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = hollow ? "#fff" : color;
  ctx.lineWidth = 1.6;
  xs.forEach((xv, i) => {
    const yv = ys[i];
    if (yv === null || !Number.isFinite(yv) || xv < P.box.xr0 || xv > P.box.xr1) return;
    ctx.beginPath(); ctx.moveTo(P.X(xv), P.Y(0)); ctx.lineTo(P.X(xv), P.Y(yv)); ctx.stroke();
    if (Math.abs(yv) > 1e-12) {
      ctx.beginPath(); ctx.arc(P.X(xv), P.Y(yv), 3.5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
  });
  ctx.restore();
}

function arrow(ctx, P, at, weight, color, label) {
  const px = P.X(at), y0 = P.Y(0), y1 = P.Y(weight);
  if (px < P.box.x || px > P.box.x + P.box.w) return;
  ctx.save();
  ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(px, y0); ctx.lineTo(px, y1); ctx.stroke();
  const d = y1 < y0 ? 1 : -1;
  ctx.beginPath(); ctx.moveTo(px, y1); ctx.lineTo(px - 5, y1 + 9 * d); ctx.lineTo(px + 5, y1 + 9 * d);
  ctx.closePath(); ctx.fill();
  if (label) ctx.fillText(label, px + 6, y1 + 4);
  ctx.restore();
}

function fillArea(ctx, P, xs, ys) {
  ctx.save();
  ctx.beginPath(); ctx.rect(P.box.x, P.box.y, P.box.w, P.box.h); ctx.clip();
  for (const [sign, color] of [[1, "rgba(245,194,107,0.7)"], [-1, "rgba(167,211,240,0.8)"]]) {
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(P.X(xs[0]), P.Y(0));
    xs.forEach((xv, i) => {
      const v = ys[i];
      ctx.lineTo(P.X(xv), P.Y(Number.isFinite(v) && v * sign > 0 ? v : 0));
    });
    ctx.lineTo(P.X(xs[xs.length - 1]), P.Y(0));
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

// ---- the flip-and-slide picture ---------------------------------------------------------
function draw() {
  if (!current || !current.picture) return;
  const data = current, pic = data.picture, discrete = data.discrete;
  let t = tValue();
  if (discrete) t = Math.round(t);
  const v = data.var, d = discrete ? "k" : "τ";
  const br = (a) => (discrete ? `[${a}]` : `(${a})`);
  $("t-value").textContent = fmt(t);

  const canvas = $("slide"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const left = 60, width = canvas.width - 80, gap = 30, hgt = (canvas.height - 5 * gap + 20) / 4;
  const xr = [pic.lo, pic.hi];
  const box = (i) => ({ x: left, y: 10 + i * (hgt + gap), w: width, h: hgt, xr0: xr[0], xr1: xr[1] });
  const taus = grid(pic, discrete);
  const xs = taus.map((tau) => xAt(pic, t - tau));
  const ps = product(pic, t, discrete);
  const imp = pic.impulses;
  const xShifted = imp.x.map((i) => ({ at: t - i.at, weight: i.weight }));
  const pImp = imp.h.map((i) => ({ at: i.at, weight: i.weight * xAt(pic, t - i.at) }))
    .concat(imp.x.map((i) => ({ at: t - i.at, weight: i.weight * hAt(pic, t - i.at, discrete) })));

  const P1 = panel(ctx, box(0), xr, range(pic.h, imp.h.map((i) => i.weight)), `h${br(d)}`);
  const P2 = panel(ctx, box(1), xr, range(pic.x, imp.x.map((i) => i.weight)), `x${br(`${v} − ${d}`)}`);
  const P3 = panel(ctx, box(2), xr, range(pic.productRange, pImp.map((i) => i.weight)),
                   `h${br(d)} · x${br(`${v} − ${d}`)}   (area = y${br(v)})`);
  const P4 = panel(ctx, box(3), xr, range(pic.y, imp.y.map((i) => i.weight)),
                   `y${br(v)} = (h ∗ x)${br(v)}`);
  if (discrete) {
    stems(ctx, P1, taus, pic.h, COLORS.h);
    stems(ctx, P2, taus, xs, COLORS.x, true);
    stems(ctx, P3, taus, ps, COLORS.p);
    const past = pic.y.map((yv, i) => (taus[i] <= t ? yv : null));
    stems(ctx, P4, taus, pic.y.map((yv, i) => (taus[i] > t ? yv : null)), "#bbb");
    stems(ctx, P4, taus, past, COLORS.y);
  } else {
    curve(ctx, P1, taus, pic.h, COLORS.h);
    curve(ctx, P2, taus, xs, COLORS.x, [7, 4]);
    fillArea(ctx, P3, taus, ps);
    curve(ctx, P3, taus, ps, COLORS.p, [8, 3, 2, 3], 1.8);
    curve(ctx, P4, taus, pic.y, "#c8c8c8", [], 2);
    curve(ctx, P4, taus, pic.y.map((yv, i) => (taus[i] <= t ? yv : null)), COLORS.y, [], 2.4);
  }
  imp.h.forEach((i) => arrow(ctx, P1, i.at, i.weight, COLORS.h));
  xShifted.forEach((i) => arrow(ctx, P2, i.at, i.weight, COLORS.x));
  pImp.forEach((i) => Math.abs(i.weight) > 1e-12 && arrow(ctx, P3, i.at, i.weight, COLORS.p));
  imp.y.forEach((i) => arrow(ctx, P4, i.at, i.weight, COLORS.y));
  // the cursor: τ = t in the upper panels, t on the result
  for (const P of [P1, P2, P3, P4]) {
    ctx.save(); ctx.strokeStyle = "#777"; ctx.setLineDash([2, 3]);
    ctx.beginPath(); ctx.moveTo(P.X(t), P.box.y); ctx.lineTo(P.X(t), P.box.y + P.box.h); ctx.stroke();
    ctx.restore();
  }
  const yNow = yAt(pic, t, discrete);
  if (yNow !== null) {
    ctx.save(); ctx.fillStyle = COLORS.marker; ctx.strokeStyle = "#000";
    ctx.beginPath(); ctx.arc(P4.X(t), P4.Y(yNow), 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    ctx.restore();
  }
  highlight(t, yNow);
}

function hAt(pic, tau, discrete) {
  const n = pic.h.length, pos = ((tau - pic.lo) / (pic.hi - pic.lo)) * (n - 1);
  if (pos < 0 || pos > n - 1) return 0;
  return pic.h[Math.round(pos)] ?? 0;
}

function yAt(pic, t, discrete) {
  const n = pic.y.length, pos = ((t - pic.lo) / (pic.hi - pic.lo)) * (n - 1);
  const i = Math.max(0, Math.min(n - 1, Math.round(pos)));
  return pic.y[i];
}

function highlight(t, yNow) {
  const data = current, i = regionAt(data.regions, t);
  for (const li of $("regions").children) li.classList.toggle("current", Number(li.dataset.index) === i);
  const box = $("current");
  box.textContent = "";
  if (i < 0) return;
  const r = data.regions[i], v = data.var;
  const y = data.discrete ? `y[${v}]` : `y(${v})`;
  const at = data.discrete ? `y[${fmt(t)}]` : `y(${fmt(t)})`;
  const head = document.createElement("div");
  head.appendChild(document.createTextNode("current region "));
  head.appendChild(texSpan(r.where));
  head.appendChild(document.createTextNode(yNow === null ? "" : `, here ${at} ≈ ${fmt(yNow)}`));
  box.appendChild(head);
  const formula = document.createElement("div");
  formula.className = "formula";
  tex(formula, `${y} = ${r.work ? `${r.work} = ` : ""}${r.value}`, true);
  box.appendChild(formula);
  box.dataset.region = String(i);
}

// ---------------------------------------------------------------------------------------
// checking an answer
// ---------------------------------------------------------------------------------------
async function checkAnswer(event) {
  event.preventDefault();
  showError("check-error", null);
  $("check").disabled = true;
  try {
    const out = await post("check", { ...fields(), answer: $("answer").value });
    showVerdict(out);
  } catch (err) {
    $("verdict").hidden = true;
    showError("check-error", err);
  } finally {
    $("check").disabled = false;
  }
}

function showVerdict(out) {
  $("verdict").hidden = false;
  const head = $("verdict-head");
  head.className = out.correct ? "ok" : "wrong";
  head.textContent = out.correct ? "✔ Correct: your answer equals the result in every region."
                                 : "✘ Not yet: " + out.summary.replace(/^incorrect: /, "");
  const list = $("verdict-regions");
  list.textContent = "";
  const words = { agrees: "✔ agrees", differs: "✘ differs", missing: "✘ missing", extra: "✘ extra" };
  for (const r of out.regions) {
    const li = document.createElement("li");
    li.className = r.status;
    li.appendChild(document.createTextNode((words[r.status] || r.status) + " on "));
    li.appendChild(texSpan(r.where));
    if (r.at !== undefined) {
      const v = current ? current.var : "t";
      li.appendChild(document.createTextNode(`  (at ${v} = ${r.at}: expected ${r.expected}, got ${r.got})`));
    }
    list.appendChild(li);
  }
  const hints = $("hints");
  hints.textContent = "";
  for (const h of out.hints.concat(out.notes || [])) {
    const li = document.createElement("li");
    li.textContent = "hint: " + h;
    hints.appendChild(li);
  }
}

// ---------------------------------------------------------------------------------------
// probability
// ---------------------------------------------------------------------------------------
async function computeLaw(event) {
  if (event) event.preventDefault();
  showError("law-error", null);
  $("law-busy").hidden = false;
  $("law-compute").disabled = true;
  try {
    const out = await post("law", { law: $("law").value });
    showLaw(out);
  } catch (err) {
    $("law-out").hidden = true;
    showError("law-error", err);
  } finally {
    $("law-busy").hidden = true;
    $("law-compute").disabled = false;
  }
}

function showLaw(out) {
  $("law-out").hidden = false;
  const named = out.law ? `X \\sim ${out.law}, \\quad ` : "";
  tex($("law-summary"), `${named}\\mathbb{E}[X] = ${out.mean}, \\quad \\operatorname{Var}[X] = ${out.variance}`, true);
  const f = $("law-formula");
  f.textContent = "";
  if (out.formula) tex(f, out.formula, true);
  $("law-note").hidden = !out.picture_note;
  $("law-note").textContent = out.picture_note || "";
  const table = $("law-table");
  table.textContent = "";
  table.hidden = !out.table;
  if (out.table) {
    const r1 = table.insertRow(), r2 = table.insertRow();
    r1.insertCell().appendChild(texSpan("k"));
    r2.insertCell().appendChild(texSpan("P(X = k)"));
    for (const [k, p] of out.table.slice(0, 25)) {
      r1.insertCell().appendChild(texSpan(k));
      r2.insertCell().appendChild(texSpan(p));
    }
  }
  drawLaw(out);
}

function drawLaw(out) {
  const canvas = $("law-canvas"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  canvas.hidden = !out.picture;
  const pic = out.picture;
  if (!pic) return;
  const xr = [pic.lo, pic.hi];
  const b = { x: 60, y: 10, w: canvas.width - 80, h: canvas.height - 40, xr0: xr[0], xr1: xr[1] };
  if (out.discrete) {
    const ks = pic.stems.map((s) => s[0]), ps = pic.stems.map((s) => s[1]);
    const P = panel(ctx, b, xr, range(ps), "P(X = k)");
    stems(ctx, P, ks, ps, COLORS.h);
  } else {
    const n = pic.pdf.length, xs = pic.pdf.map((_, i) => pic.lo + ((pic.hi - pic.lo) * i) / (n - 1));
    const P = panel(ctx, b, xr, range(pic.pdf, pic.atoms.map((a) => a.weight)), "density of X");
    fillArea(ctx, P, xs, pic.pdf);
    curve(ctx, P, xs, pic.pdf, COLORS.h, [], 2.2);
    pic.atoms.forEach((a) => arrow(ctx, P, a.at, a.weight, COLORS.h, `P = ${fmt(a.weight)}`));
  }
}

// ---------------------------------------------------------------------------------------
function switchTab(button) {
  for (const b of document.querySelectorAll("nav [role=tab]")) {
    const on = b === button;
    b.setAttribute("aria-selected", on ? "true" : "false");
    $(b.dataset.panel).hidden = !on;
  }
}

function switchMode() {
  const other = mode() === "discrete" ? "continuous" : "discrete";
  // swap in the other mode's example when the fields still hold the example
  if ($("h").value === EXAMPLES[other][0] && $("x").value === EXAMPLES[other][1]) {
    [$("h").value, $("x").value] = EXAMPLES[mode()];
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("conv-form").addEventListener("submit", compute);
  $("check-form").addEventListener("submit", checkAnswer);
  $("law-form").addEventListener("submit", computeLaw);
  $("t-slider").addEventListener("input", draw);
  for (const r of document.querySelectorAll("input[name=mode]")) r.addEventListener("change", switchMode);
  for (const b of document.querySelectorAll("nav [role=tab]")) b.addEventListener("click", () => switchTab(b));
  document.body.dataset.ready = "true";
});
