// The public online intake page (/r) of binhan-server, as a person on a
// phone uses it: keyboard only at 360×740, Vietnamese then English, a
// report sealed in the browser to the commune's certified case manager and
// accepted (202); the server's database and log hold none of its words;
// quick exit leaves one neutral history entry and no storage; axe-core on
// every state; screenshots at 360 and 320 wide; benchmarks printed (and
// kept in docs/benchmarks.md). All data is synthetic.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import {
  test, start, browser, work, BIN, SERVER_BIN, SHOTS, PIN, PHONE, DESK,
  console_, unlock, click, button, type, choose, look,
} from "./harness.mjs";

const require = createRequire(join(process.env.NODE_PATH, "noop.js"));
const { chromium } = require("playwright-core");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PAGE_DIR = join(ROOT, "server", "src", "intake", "page");
const COMMUNE = "mu_ca";
const NEUTRAL = "https://www.google.com/search?q=th%E1%BB%9Di+ti%E1%BA%BFt";
// Synthetic words that must reach no file of the server and no log.
const WORDS = ["Brindlewhisk", "Xylocarpa", "0977000111", "Quorvath", "Zanthorpe"];

/** The manager of the last run (server, `binhan` on its vault), for later steps such as triage. */
export let intakeManager = null;

/** A server with an officer and a commune case manager of `COMMUNE`, each a `binhan` vault. */
async function serverWithManager() {
  const data = join(work, "server-intake");
  const { child, match } = await start(SERVER_BIN, ["serve", "--data", data, "--listen", "127.0.0.1:0"], /listening on (\S+)/);
  const server = match[1];
  const boot = JSON.parse(execFileSync(SERVER_BIN, ["bootstrap-officer", "--data", data], { encoding: "utf8" }));
  const vault = (name) => (args, env) => JSON.parse(execFileSync(BIN, ["--vault", join(work, name), ...args], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
  const officer = vault("intake-officer");
  officer(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  officer(["enrol", "--server", server, "--label", "synthetic officer"], { BINHAN_INVITATION: boot.code });
  const code = officer(["invite", "--role", "commune_case_manager", "--commune", COMMUNE]).code;
  const manager = vault("intake-manager");
  manager(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  manager(["enrol", "--server", server, "--label", "synthetic manager"], { BINHAN_INVITATION: code });
  return { server, data, child, manager, managerVault: join(work, "intake-manager") };
}

/** Presses Tab until `selector` has the focus (keyboard only). */
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** In the focused radio group, presses `key` until `value` is checked. */
async function arrowTo(page, name, value, key) {
  await tabTo(page, `input[name=${name}]`);
  for (let i = 0; i < 8; i++) {
    if (await page.evaluate(([n, v]) => document.querySelector(`input[name=${n}]:checked`)?.value === v, [name, value])) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${name}: ${value} never checked`);
}

/** axe-core on `path`'s state in a context that lets the checker in (CSP bypassed for it only). */
async function audited(server, state, where, violations) {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await (await b.newContext({ bypassCSP: true, viewport: PHONE })).newPage();
    await page.goto(`${server}/r`);
    await state(page);
    await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`));
    for (const v of found) violations.push(`${where}: ${v}`);
  } finally {
    await b.close();
  }
}

/** Bytes of `path` as sent with gzip accepted. */
function compressedBytes(url) {
  return new Promise((resolve, reject) => {
    request(url, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
      let n = 0;
      res.on("data", (d) => (n += d.length));
      res.on("end", () => resolve({ n, encoding: res.headers["content-encoding"], headers: res.headers }));
    }).on("error", reject).end();
  });
}

test("the intake bundle equals a fresh build of its source", async () => {
  const fresh = join(work, "app.js");
  execFileSync(join(PAGE_DIR, "build.sh"), [fresh]);
  assert.equal(readFileSync(fresh, "utf8"), readFileSync(join(PAGE_DIR, "app.js"), "utf8"),
    "server/src/intake/page/app.js is stale: run server/src/intake/page/build.sh");
});

test("a report by keyboard at 360×740 is sealed and accepted; quick exit leaves nothing", async () => {
  const { server, data, child, manager, managerVault } = await serverWithManager();
  intakeManager = { server, manager, vault: managerVault };

  // First load, compressed, and the page's headers.
  let firstLoad = 0;
  for (const path of ["/r", "/r/app.js", "/r/app.css"]) {
    const { n, encoding, headers } = await compressedBytes(`${server}${path}`);
    assert.equal(encoding, "gzip", path);
    assert.match(headers["content-security-policy"], /default-src 'none'; script-src 'self'/);
    assert.equal(headers["referrer-policy"], "no-referrer");
    assert.equal(headers["cache-control"], "no-store");
    assert.equal(headers["set-cookie"], undefined);
    firstLoad += n;
  }
  assert.ok(firstLoad <= 50 * 1024, `first load ${firstLoad} bytes`);

  // A fresh tab: its first address replaces the tab's empty start.
  const { context, page: first } = await browser(PHONE);
  const page = await context.newPage();
  await first.close();
  await context.route("https://www.google.com/**", (route) =>
    route.fulfill({ contentType: "text/html; charset=utf-8", body: "<!doctype html><title>Thời tiết</title><p>Thời tiết hôm nay</p>" }));
  const elsewhere = [];
  const answers = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin !== new URL(server).origin && !r.url().startsWith("https://www.google.com/")) elsewhere.push(r.url());
  });
  page.on("response", (r) => { if (r.url().includes("/v1/intake/")) answers.push([new URL(r.url()).pathname, r.status()]); });
  await page.goto(`${server}/r`);
  await page.locator("#form:not([hidden])").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "vi");
  assert.equal(await page.locator('#sos a[href="tel:113"]').count(), 1);
  assert.equal(await page.locator('#sos a[href="tel:115"]').count(), 1);
  assert.equal(await page.locator('#sos a[href="tel:111"]').count(), 1);
  await page.screenshot({ path: join(SHOTS, "intake-360.png"), fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), "no sideways scrolling at 320 px");
  await page.screenshot({ path: join(SHOTS, "intake-320.png"), fullPage: true });
  await page.setViewportSize(PHONE);

  // Sending nothing: the error is announced and the commune has the focus.
  await tabTo(page, "#send");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#error").textContent(), "Hãy chọn xã, phường.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "commune");

  // Keyboard only, from the top.
  await tabTo(page, "input[value=physical]");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space"); // psychological
  await tabTo(page, "#what_text");
  await page.keyboard.type("Synthetic account: Brindlewhisk was hurt at home.");
  await tabTo(page, "#commune");
  for (let i = 0; i < 60 && (await page.locator("#commune").inputValue()) !== COMMUNE; i++) await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#commune").inputValue(), COMMUNE);
  await page.keyboard.press("Tab");
  await page.keyboard.type("Bản Xylocarpa");
  await arrowTo(page, "danger", "yes", "ArrowUp");
  assert.equal(await page.locator("#danger-now").isVisible(), true, "danger now: the numbers");
  await page.screenshot({ path: join(SHOTS, "intake-danger-360.png"), fullPage: true });
  await arrowTo(page, "how", "sms", "ArrowUp");
  await tabTo(page, "#number");
  await page.keyboard.type("0977000111");
  await page.keyboard.press("Tab");
  await page.keyboard.type("sáng sớm Quorvath");
  await arrowTo(page, "writer", "relative", "ArrowDown");
  await tabTo(page, "#send");
  await page.keyboard.press("Enter");
  await page.locator("#notice", { hasText: "Đã gửi" }).waitFor({ timeout: 30000 });
  assert.deepEqual(answers, [["/v1/intake/recipients", 200], ["/v1/intake/submit", 202]]);
  const timings = await page.evaluate(() => ({ pow: Number(document.documentElement.dataset.powMs), seal: Number(document.documentElement.dataset.sealMs) }));
  assert.equal(await page.locator("#what_text").inputValue(), "", "the form is blank again");
  assert.equal(await page.locator("#number").inputValue(), "");
  await page.screenshot({ path: join(SHOTS, "intake-sent-360.png"), fullPage: true });
  await page.locator("#notice:empty").waitFor({ state: "attached", timeout: 10000 });

  // Quick exit with Escape, with a new draft typed.
  await tabTo(page, "#what_text");
  await page.keyboard.type("Zanthorpe draft");
  await page.keyboard.press("Escape");
  await page.waitForURL(NEUTRAL);
  const cdp = await context.newCDPSession(page);
  const entries = (await cdp.send("Page.getNavigationHistory")).entries.map((e) => e.url);
  // The tab's own empty start (about:blank, as a new tab's page) stays;
  // of the intake page, only the neutral page that replaced it.
  assert.deepEqual(entries.filter((u) => u !== "about:blank"), [NEUTRAL], `history: ${entries}`);
  assert.ok(!entries.some((u) => u.startsWith(server)), "no entry of the intake page");
  assert.deepEqual(elsewhere, [], "no request to anyone but the server");

  // Nothing kept by the browser for the server's origin.
  const check = await context.newPage();
  await check.goto(`${server}/health`);
  const kept = await check.evaluate(async () => ({
    local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
    caches: (await caches.keys()).length, idb: (await indexedDB.databases()).length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
  assert.deepEqual(kept, { local: 0, session: 0, cookie: "", caches: 0, idb: 0, workers: 0 });
  assert.deepEqual(await context.cookies(), []);

  // The server's files and log hold none of the words.
  const files = readdirSync(data).map((f) => readFileSync(join(data, f)));
  for (const word of WORDS) {
    for (const f of files) assert.ok(!f.includes(Buffer.from(word)), `${word} in the server's data`);
    assert.ok(!child.log.includes(word), `${word} in the server's log`);
  }
  assert.ok(child.log.includes("online report received"));

  // The manager's phone fetches and opens it on sync.
  const synced = execFileSync(BIN, ["--vault", managerVault, "sync"], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN }, stdio: ["ignore", "pipe", "ignore"] });
  assert.match(synced, /"online_reports_received":\s*1/, synced);
  const [opened] = JSON.parse(execFileSync(BIN, ["--vault", managerVault, "online-reports"], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN } }));
  assert.equal(opened.unreadable, null, "the manager's phone opens what the browser sealed");
  const { written_at, ...said } = opened.report;
  assert.match(written_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(said, {
    v: 1, what: ["physical", "psychological"], what_text: "Synthetic account: Brindlewhisk was hurt at home.",
    commune: COMMUNE, village: "Bản Xylocarpa", danger_now: "yes",
    contact: { how: "sms", number: "0977000111", when: "sáng sớm Quorvath" }, writer: "relative",
  });

  // Accessibility: the form, with the danger panel and an error, in both languages.
  const violations = [];
  await audited(server, async () => {}, "intake (vi)", violations);
  await audited(server, async (p) => {
    await p.locator("#form:not([hidden])").waitFor();
    await p.locator("input[name=danger][value=yes]").check();
    await p.locator("#send").click();
  }, "intake danger and error (vi)", violations);
  await audited(server, async (p) => {
    await p.locator("#form:not([hidden])").waitFor();
    await p.locator("#lang").click();
    assert.equal(await p.evaluate(() => document.documentElement.lang), "en");
    assert.equal(await p.locator("#exit").textContent(), "Quick exit");
    await p.screenshot({ path: join(SHOTS, "intake-en-360.png"), fullPage: true });
  }, "intake (en)", violations);
  assert.deepEqual(violations, []);

  // Benchmarks (figures, not assertions): the sha-256 rate of the page's
  // library in this Chromium, hence the proof of work's expected time.
  const bundle = join(work, "sha.js");
  writeFileSync(join(work, "sha-entry.js"), 'import { sha256 } from "@noble/hashes/sha2.js"; window.__sha256 = sha256;');
  execFileSync(join(ROOT, ".tools", "node_modules", ".bin", "esbuild"), [join(work, "sha-entry.js"), "--bundle", "--format=iife", `--outfile=${bundle}`, "--log-level=warning"],
    { env: { ...process.env, NODE_PATH: join(ROOT, ".tools", "node_modules") } });
  const bench = await context.newPage();
  await bench.setContent("<p>bench</p>");
  await bench.addScriptTag({ content: readFileSync(bundle, "utf8") });
  const rate = await bench.evaluate(() => {
    const input = new Uint8Array(65);
    const v = new DataView(input.buffer, 57, 8);
    for (let n = 0; n < 20000; n++) { v.setUint32(0, n, true); window.__sha256(input); }
    const t0 = performance.now();
    for (let n = 0; n < 200000; n++) { v.setUint32(0, n, true); window.__sha256(input); }
    return 200000 / ((performance.now() - t0) / 1000);
  });
  const { difficulty } = await (await fetch(`${server}/v1/intake/recipients`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ commune: COMMUNE }) })).json();
  const rtts = 4; // TCP, TLS 1.3, the HTML, then script and style together
  console.log(`        bench: first load ${firstLoad} B gzip; 2G estimate ${(firstLoad * 8 / 100000 + rtts * 0.6).toFixed(2)} s ` +
    `(${(firstLoad * 8 / 100000).toFixed(2)} s at 100 kbit/s + ${rtts} round trips × 600 ms); ` +
    `seal ${timings.seal} ms; proof of work this run ${timings.pow} ms; sha-256 ${Math.round(rate)}/s, ` +
    `expected proof of work at difficulty ${difficulty}: ${(2 ** difficulty / rate * 1000).toFixed(0)} ms per report, ` +
    `${(2 ** difficulty / rate * 10000 / 60).toFixed(1)} min for 10,000`);
});

// The report the page sealed becomes a case on the manager's desk: the
// manager's console lists it waiting, shows all it says, opens the
// record-an-incident form from it with the commune and village filled in,
// and once the case is saved the report is sorted and the case holds a
// note with its words.
test("the manager opens a case from the online report in the console", async () => {
  assert.ok(intakeManager, "runs after the report was sent");
  const desk = await console_("intake-manager");
  const { page } = await browser(DESK);
  await unlock(page, desk.url);
  const entry = page.locator("main").getByRole("button", { name: /^Báo cáo trực tuyến/ });
  assert.match(await entry.innerText(), /1 chờ xử lý/);
  await click(page, entry);
  const row = page.locator("ul.reports li[data-state=waiting]");
  assert.match(await row.innerText(), /Có người đang gặp nguy hiểm/);
  await click(page, row.getByRole("button", { name: "Xem" }));
  const shown = await page.locator("main").innerText();
  for (const said of ["Brindlewhisk", "Bản Xylocarpa", "0977000111"]) assert.ok(shown.includes(said), said);
  await look(page, "online-report");
  await click(page, button(page, "Mở hồ sơ mới"));
  await type(page, "i-survivor_code-0", "SYN-ONLINE-001");
  await choose(page, "Giới tính", "nữ");
  await click(page, button(page, "Tiếp"));
  await type(page, "i-incident_date-0", "10/11/2026");
  await choose(page, "Nơi xảy ra", "nhà của người bị bạo lực");
  await choose(page, "Xã, phường nơi xảy ra", "Xã Mù Cả");
  await choose(page, "Loại bạo lực", "bạo lực thể chất");
  await type(page, "i-account-0", "Synthetic account from the online report.");
  await click(page, button(page, "Tiếp"));
  await click(page, button(page, "Xóa dòng này"));
  await click(page, button(page, "Sự đồng ý"));
  await choose(page, "Đồng ý được thống kê", "Có");
  await click(page, button(page, "Tiếp"));
  await click(page, button(page, "Lưu hồ sơ"));
  // Back on the list, the report sorted, with the message saying so.
  await page.locator("ul.reports li[data-state=case_opened]").waitFor();
  assert.match(await page.locator("main").innerText(), /Đã mở hồ sơ mới từ báo cáo trực tuyến/);
  await look(page, "online-reports-sorted");
  // The new case holds a note with the report's words.
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Danh sách hồ sơ"));
  await click(page, page.locator("main").getByRole("button", { name: /SYN-ONLINE-001/ }).first());
  await page.locator("main h2", { hasText: "SYN-ONLINE-001" }).waitFor();
  assert.ok((await page.locator("main").innerText()).includes("Brindlewhisk"), "the case holds the report's note");
  desk.child.kill();
});
