// The public online intake page of Bình An: asks a few questions, seals the
// answers in this browser to the certified keys of the commune's case
// managers (format "BAOR1", see server/src/intake/envelope.rs and
// docs/security.md), answers the server's proof of work, and sends only
// ciphertext. Keeps nothing: no cookie, no storage, one history entry, no
// confirmation that stays. Bundled by build.sh into ../app.js.
import { x25519 } from "@noble/curves/ed25519.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";

const DOMAIN = utf8ToBytes("binhan/online-report/v1");
const NEUTRAL = "https://www.google.com/search?q=th%E1%BB%9Di+ti%E1%BA%BFt";
const MAX_TEXT = 2000;

// ---- sealing (format v1) ----

const unhex = (h) => Uint8Array.from(h.match(/../g) || [], (b) => parseInt(b, 16));

/** Seals `json` (a string) to `recipients` ([{id, key}] as bytes) for `commune`. */
export function seal(json, recipients, commune) {
  if (recipients.length < 1 || recipients.length > 32) throw new Error("recipients");
  const ephSecret = x25519.utils.randomSecretKey();
  const ephPub = x25519.getPublicKey(ephSecret);
  const contentKey = randomBytes(32);
  const parts = [utf8ToBytes("BAOR1"), ephPub, Uint8Array.of(recipients.length)];
  for (const { id, key } of recipients) {
    // noble refuses low-order points (an all-zero shared secret).
    const shared = x25519.getSharedSecret(ephSecret, key);
    const kek = hkdf(sha256, shared, DOMAIN, concatBytes(ephPub, key, id), 32);
    const nonce = randomBytes(24);
    parts.push(id, nonce, xchacha20poly1305(kek, nonce, id).encrypt(contentKey));
  }
  const bodyNonce = randomBytes(24);
  const aad = concatBytes(DOMAIN, utf8ToBytes(commune));
  parts.push(bodyNonce, xchacha20poly1305(contentKey, bodyNonce, aad).encrypt(utf8ToBytes(json)));
  contentKey.fill(0);
  ephSecret.fill(0);
  return concatBytes(...parts);
}

const leadingZeros = (d) => {
  let bits = 0;
  for (const b of d) {
    if (b === 0) { bits += 8; continue; }
    return bits + Math.clz32(b) - 24;
  }
  return bits;
};

/** A nonce such that SHA-256(challenge || nonce as u64 LE) has `difficulty` leading zero bits. */
export async function solve(challenge, difficulty) {
  const input = new Uint8Array(challenge.length + 8);
  input.set(challenge);
  const view = new DataView(input.buffer, challenge.length, 8);
  for (let n = 0; ; n++) {
    view.setUint32(0, n >>> 0, true);
    view.setUint32(4, Math.floor(n / 2 ** 32), true);
    if (leadingZeros(sha256(input)) >= difficulty) return String(n);
    if (n % 20000 === 19999) await new Promise((r) => setTimeout(r, 0));
  }
}

const b64url = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const unb64url = (t) => Uint8Array.from(atob(t.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

// ---- words, Vietnamese first ----

const EN = {
  title: "Report safely – Bình An", exit: "Quick exit", exit_hint: "Or press Esc. The page turns into a weather search.",
  sos_h: "In danger? Call now, free of charge:", n113: "Police", n115: "Ambulance", n111: "National child protection hotline",
  h1: "Report violence", intro: "What you write is locked on this phone before it is sent. Only the commune's case managers can read it. You do not need to give your name.",
  noscript: "This page needs JavaScript to lock your report. Please call the numbers above.",
  what_l: "What happened? (choose one or more)", w_physical: "Hitting, beating", w_sexual: "Sexual violence",
  w_psychological: "Insults, threats, humiliation", w_economic: "Money or property taken or withheld",
  w_neglect: "Left without care", w_trafficking: "Tricked, sold or forced to go away", w_child_abuse: "A child is being abused",
  w_other: "Something else", what_text_l: "Tell more if you wish",
  where_l: "Where?", commune_l: "Commune or ward", commune_pick: "– Choose the commune –", village_l: "Village (if you wish)",
  danger_l: "Is anyone in danger right now?", yes: "Yes", no: "No", unsure: "Not sure",
  danger_call: "Call 113 (police) or 115 (ambulance) now. This report may take hours to be read.",
  contact_l: "How can the case manager safely contact back?", c_call: "Phone call", c_sms: "Text message",
  c_in_person: "In person", c_none: "Do not contact", number_l: "A safe phone number (if any)", when_l: "When is it safe?",
  writer_l: "Who is writing?", r_self: "I am the person harmed", r_relative: "A relative", r_neighbour: "A neighbour",
  r_teacher: "A teacher", r_other: "Someone else", send: "Send locked report",
  clear_h: "Clear your traces on the phone",
  clear_p: "This page keeps nothing on the phone. If someone else may look at your phone, clear the browser's history: open the browser's menu (⋮), choose History, then Clear browsing data. Or use a private (incognito) tab.",
};
const MESSAGES = {
  vi: {
    need_commune: "Hãy chọn xã, phường.", need_what: "Hãy chọn hoặc kể chuyện gì đã xảy ra.",
    need_number: "Để được gọi điện hoặc nhắn tin, hãy ghi một số điện thoại an toàn.",
    working: "Đang khóa và gửi tin… (vài giây)", sent: "Đã gửi. Trang đã được xóa trắng.",
    no_recipients: "Xã này chưa có cán bộ nhận tin qua mạng. Hãy gọi 111, 113 hoặc 115.",
    rate_limited: "Có quá nhiều tin từ mạng này. Hãy thử lại sau ít phút, hoặc gọi 111.",
    too_large: "Tin quá dài. Hãy viết ngắn hơn.", network: "Không kết nối được. Hãy thử lại, hoặc gọi 111.",
    retry: "Không gửi được (lỗi: {code}). Hãy thử lại, hoặc gọi 111.",
  },
  en: {
    need_commune: "Please choose the commune.", need_what: "Please choose or tell what happened.",
    need_number: "To be called or texted, please give a safe phone number.",
    working: "Locking and sending… (a few seconds)", sent: "Sent. The page has been cleared.",
    no_recipients: "This commune has no case manager receiving online reports yet. Please call 111, 113 or 115.",
    rate_limited: "Too many reports from this network. Please try again in a few minutes, or call 111.",
    too_large: "The report is too long. Please write less.", network: "Cannot connect. Please try again, or call 111.",
    retry: "Could not send (error: {code}). Please try again, or call 111.",
  },
};

const $ = (id) => document.getElementById(id);
const VI = {};
let lang = "vi";
const say = (key, code = "") => MESSAGES[lang][key].replace("{code}", code);

function setLanguage(next) {
  lang = next;
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll("[data-t]")) {
    el.textContent = next === "vi" ? VI[el.dataset.t] : EN[el.dataset.t];
  }
  const button = $("lang");
  button.textContent = next === "vi" ? "English" : "Tiếng Việt";
  button.lang = next === "vi" ? "en" : "vi";
  $("error").textContent = "";
}

function clearForm() {
  const form = $("form");
  form.reset();
  for (const el of form.querySelectorAll("input[type=text],input[type=tel],textarea")) el.value = "";
  $("danger-now").hidden = true;
  $("error").textContent = "";
}

function quickExit() {
  clearForm();
  $("notice").textContent = "";
  document.title = "";
  location.replace(NEUTRAL);
}

const text = (id) => $(id).value.trim().slice(0, MAX_TEXT);

function answers() {
  const form = $("form");
  const checked = (name) => form.querySelector(`input[name=${name}]:checked`)?.value;
  return {
    v: 1,
    what: [...form.querySelectorAll("input[name=what]:checked")].map((i) => i.value),
    what_text: text("what_text"),
    commune: $("commune").value,
    village: text("village"),
    danger_now: checked("danger") || "unsure",
    contact: { how: checked("how") || "none", number: text("number"), when: text("when") },
    writer: checked("writer") || "other",
    written_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
  });
  const json = await response.json().catch(() => ({}));
  return { status: response.status, json };
}

function fail(key, code) {
  const error = $("error");
  error.textContent = say(key, code);
  if (key === "no_recipients") $("sos").scrollIntoView();
}

async function send(event) {
  event.preventDefault();
  const report = answers();
  $("error").textContent = "";
  if (!report.commune) {
    fail("need_commune");
    return $("commune").focus();
  }
  if (!report.what.length && !report.what_text) {
    fail("need_what");
    return $("f-what").querySelector("input").focus();
  }
  if ((report.contact.how === "call" || report.contact.how === "sms") && !report.contact.number) {
    fail("need_number");
    return $("number").focus();
  }
  const button = $("send");
  button.disabled = true;
  $("notice").textContent = say("working");
  try {
    const r = await post("/v1/intake/recipients", { commune: report.commune });
    if (r.status !== 200) return refused(r);
    const recipients = r.json.recipients.map((m) => ({ id: unhex(m.device_id), key: unhex(m.exchange_key) }));
    const challenge = unb64url(r.json.challenge);
    const t0 = performance.now();
    const nonce = await solve(challenge, r.json.difficulty);
    const t1 = performance.now();
    const sealed = seal(JSON.stringify(report), recipients, report.commune);
    const t2 = performance.now();
    document.documentElement.dataset.powMs = (t1 - t0).toFixed(1);
    document.documentElement.dataset.sealMs = (t2 - t1).toFixed(2);
    const s = await post("/v1/intake/submit", {
      commune: report.commune, challenge: r.json.challenge, nonce, sealed: b64url(sealed),
    });
    if (s.status !== 202) return refused(s);
    clearForm();
    $("notice").textContent = say("sent");
    $("h1").focus();
    setTimeout(() => { $("notice").textContent = ""; }, 6000);
  } catch (e) {
    $("notice").textContent = "";
    fail("network");
  } finally {
    button.disabled = false;
  }
}

function refused({ status, json }) {
  $("notice").textContent = "";
  const code = (json && json.error) || String(status);
  if (code === "no_recipients" || code === "rate_limited" || code === "too_large") fail(code);
  else fail("retry", code);
  $("error").focus?.();
}

function start() {
  history.replaceState(null, "", "/r");
  for (const el of document.querySelectorAll("[data-t]")) VI[el.dataset.t] = el.textContent;
  $("form").hidden = false;
  $("form").addEventListener("submit", send);
  // An error stays only until the person changes something.
  $("form").addEventListener("change", () => { $("error").textContent = ""; });
  $("exit").addEventListener("click", quickExit);
  $("lang").addEventListener("click", () => setLanguage(lang === "vi" ? "en" : "vi"));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") quickExit(); });
  for (const radio of document.querySelectorAll("input[name=danger]")) {
    radio.addEventListener("change", () => { $("danger-now").hidden = radio.value !== "yes" || !radio.checked; });
  }
  // Leaving the page (back, another tab's reuse) leaves nothing filled in.
  window.addEventListener("pagehide", clearForm);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
