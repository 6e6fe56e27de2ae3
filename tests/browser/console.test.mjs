// Browser tests of `binhan console` (tests/browser/run.sh starts them):
// consoles over real vaults, a real binhan-server on loopback, Debian's
// Chromium driven by playwright-core. Every flow is done with the mouse or
// the keyboard as a person would; every screen is checked by axe-core and
// photographed at a phone's and a desk's size. All data is synthetic.
import { createRequire } from "node:module";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const require = createRequire(join(process.env.NODE_PATH, "noop.js"));
const { chromium } = require("playwright-core");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const BIN = process.env.BINHAN_BIN;
const SERVER_BIN = process.env.BINHAN_SERVER_BIN;
const SHOTS = process.env.BINHAN_SCREENSHOTS;
const PIN = "493817";
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1366, height: 768 };
// Synthetic case text that must never reach a log, the DOM after quick
// exit, or the browser's storage.
const CODE = "SYN-WEB-001";
const ACCOUNT = "Synthetic account Zephyrquill, NOT REAL";

const work = mkdtempSync(join(tmpdir(), "binhan-browser-"));
mkdirSync(SHOTS, { recursive: true });
const children = [];
const violations = [];
const pages = [];
const contexts = [];

/** Starts a process and resolves with the first stdout line matching `pattern`. */
function start(bin, args, pattern, env = {}) {
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.log = "";
  child.stderr.on("data", (d) => (child.log += d));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      child.log += d;
      const m = out.match(pattern);
      if (m) resolve({ child, match: m });
    });
    child.on("exit", (code) => reject(new Error(`${bin} exited (${code}) before it was ready`)));
  });
}

async function console_(name) {
  const { child, match } = await start(BIN, ["--vault", join(work, name), "console"], /"url":"([^"]+)"/);
  return { child, url: match[1], origin: new URL(match[1]).origin };
}

async function browser(viewport) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(work, "profile-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  contexts.push(context);
  const page = context.pages()[0] || (await context.newPage());
  pages.push(page);
  page.consoleMessages = [];
  page.on("console", (m) => page.consoleMessages.push(m.text()));
  return { context, page };
}

/** Does `act`, then waits until the page drew the console's answer. */
async function drawn(page, act) {
  const before = Number(await page.evaluate(() => document.documentElement.dataset.drawn || 0));
  await act();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.drawn || 0) > n, before);
}

const click = (page, locator) => drawn(page, () => locator.click());
const button = (page, name) => page.locator("main").getByRole("button", { name, exact: true });
const group = (page, legend) => page.locator("fieldset").filter({ has: page.locator("legend", { hasText: legend }) }).first();

async function type(page, id, text) {
  await drawn(page, async () => {
    await page.locator(`#${id}`).fill(text);
    // Leaving the field sends it, as a person moving on does.
    await page.locator(`#${id}`).press("Tab");
  });
}

/** Chooses `label` unless it is chosen already (tapping it again clears it). */
async function choose(page, legend, label) {
  const choice = group(page, legend).getByRole("button", { name: label, exact: true });
  if ((await choice.getAttribute("aria-pressed")) !== "true") await click(page, choice);
}

/** axe-core on the page as it stands; serious and critical problems are kept. */
async function audit(page, where) {
  const found = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  }, AXE);
  for (const v of found) violations.push(`${where}: ${v}`);
}

/** Screenshots at both sizes and an accessibility check of the screen on show. */
async function look(page, name) {
  await audit(page, name);
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESK);
  await page.screenshot({ path: join(SHOTS, `${name}-desk.png`), fullPage: true });
  await page.setViewportSize(size);
}

async function firstRun(page, url) {
  await page.goto(url);
  assert.equal(new URL(page.url()).pathname, "/", "the token leaves the address bar");
  assert.equal(await page.title(), "Máy tính");
  await look(page, "camouflage");
  for (const key of [..."407152"]) await click(page, page.locator(`button[data-key="${key}"]`));
  await click(page, page.locator('button[data-key="="]'));
  await click(page, page.locator('button[data-key="="]'));
  await page.locator("#f-pin").waitFor();
  await look(page, "setup");
  await type(page, "f-pin", PIN);
  await type(page, "f-pin_confirm", PIN);
  await click(page, button(page, "Tạo mã PIN"));
  await page.getByRole("heading", { name: "Trang chủ" }).waitFor();
}

async function recordIncident(page, code) {
  await click(page, button(page, "Ghi nhận vụ việc"));
  await type(page, "i-survivor_code-0", code);
  await choose(page, "Giới tính", "nữ");
  await choose(page, "Xã, phường nơi ở", "Xã Pa Ủ");
  await look(page, "record-incident");
  await click(page, button(page, "Tiếp"));
  await type(page, "i-incident_date-0", "10/11/2026");
  await choose(page, "Nơi xảy ra", "nhà của người bị bạo lực");
  await choose(page, "Xã, phường nơi xảy ra", "Xã Pa Ủ");
  await choose(page, "Loại bạo lực", "bạo lực thể chất");
  await type(page, "i-account-0", ACCOUNT);
  await click(page, button(page, "Tiếp"));
  await click(page, button(page, "Xóa dòng này"));
  await click(page, button(page, "Sự đồng ý"));
  await choose(page, "Đồng ý được thống kê", "Có");
  await click(page, button(page, "Tiếp"));
  await look(page, "intake-review");
  await click(page, button(page, "Lưu hồ sơ"));
  await page.locator("main h2", { hasText: code }).waitFor();
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test("a collaborator records an incident at a phone's size, works on the case, and quick exit leaves nothing", async () => {
  const { child, url } = await console_("collaborator");
  const { page } = await browser(PHONE);
  await firstRun(page, url);
  await look(page, "home");
  await recordIncident(page, CODE);
  await look(page, "case-summary");
  // Case work: a note, then the services form with its consent question.
  await click(page, page.locator('section[data-code="notes"]').getByRole("button"));
  await look(page, "case-work");
  await type(page, "w-note", "Synthetic note Quillmarsh");
  await click(page, button(page, "Lưu"));
  await page.locator('section[data-code="notes"] li', { hasText: "Quillmarsh" }).waitFor();
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Cài đặt"));
  await look(page, "settings");
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Khẩn cấp"));
  await look(page, "emergency");
  await click(page, page.locator("header .back button"));
  await click(page, button(page, "Danh sách hồ sơ"));
  await look(page, "case-list");
  assert.ok(await page.locator("main").getByText(CODE).isVisible());

  // Quick exit with the keyboard: Escape twice.
  await page.keyboard.press("Escape");
  await Promise.all([page.waitForURL("**/bye"), page.keyboard.press("Escape")]);
  assert.equal(await page.title(), "Thẻ mới");
  const html = await page.content();
  assert.ok(!html.includes(CODE) && !html.includes("Zephyrquill"), "no case text in the DOM");
  const storage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
  }));
  assert.deepEqual(storage, { local: 0, session: 0, idb: 0, caches: 0 });
  // Back: the console's page was replaced; what it shows now is locked.
  await page.goBack().catch(() => {});
  const back = await page.content();
  assert.ok(!back.includes(CODE), "going back shows no case");
  await page.goto(new URL("/", url).href);
  assert.equal(await page.title(), "Máy tính", "locked: the calculator");
  assert.ok(!(await page.content()).includes(CODE));
  assert.ok(!page.consoleMessages.join("\n").includes(CODE), "nothing in the browser's console");
  assert.ok(!child.log.includes(CODE) && !child.log.includes("Zephyrquill"), "nothing in the console's log");
});

test("requests without the session, with another origin or a used token are refused", async () => {
  const { url, origin } = await console_("guarded");
  const open = await fetch(url, { redirect: "manual" });
  assert.equal(open.status, 303);
  const cookie = open.headers.get("set-cookie").split(";")[0];
  assert.equal((await fetch(url, { redirect: "manual" })).status, 403, "the token is good once");
  assert.equal((await fetch(`${origin}/`)).status, 401, "no cookie");
  const body = new URLSearchParams({ event: JSON.stringify({ type: "tick" }) });
  const post = (headers) => fetch(`${origin}/event`, { method: "POST", body, headers: { cookie, ...headers }, redirect: "manual" });
  assert.equal((await post({})).status, 403, "no origin");
  const other = `http://127.0.0.1:${Number(new URL(origin).port) + 1}`;
  assert.equal((await post({ origin: other })).status, 403, "a page on another port");
  assert.equal((await post({ origin: "https://evil.example" })).status, 403);
  assert.equal((await post({ origin })).status, 303, "the console's own page");
  const page = await fetch(`${origin}/`, { headers: { cookie } });
  assert.match(page.headers.get("content-security-policy"), /default-src 'none'/);
  assert.equal(page.headers.get("cache-control"), "no-store");
  const bad = await post({ origin, "content-type": "application/x-www-form-urlencoded" }).then(() =>
    fetch(`${origin}/event`, { method: "POST", body: "event=%7Bnot json", headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" } }));
  assert.equal(bad.status, 400, "a malformed event is refused without an echo");
  assert.ok(!(await bad.text()).includes("not json"));
});

test("a manager enrols, invites a collaborator who enrols, records and syncs; the manager sees the case and the devices", async () => {
  const data = join(work, "server");
  const { match } = await start(SERVER_BIN, ["serve", "--data", data, "--listen", "127.0.0.1:0"], /listening on (\S+)/);
  const server = match[1];
  const boot = execFileSync(SERVER_BIN, ["bootstrap-officer", "--data", data], { encoding: "utf8" });
  const officerCode = JSON.parse(boot).code;
  // The officer works from the command line here; the manager and the
  // collaborator in the browser.
  const cli = (args, env) => JSON.parse(execFileSync(BIN, ["--vault", join(work, "officer"), ...args], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
  cli(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  cli(["enrol", "--server", server, "--label", "synthetic officer"], { BINHAN_INVITATION: officerCode });
  const managerCode = cli(["invite", "--role", "commune_case_manager", "--commune", "pa_u"]).code;

  const manager = await console_("manager");
  const desk = await browser(DESK);
  const collaborator = await console_("collaborator-2");
  const phone = await browser(PHONE);
  const m = desk.page;
  await firstRun(m, manager.url);
  const enrol = async (page, code, label) => {
    await click(page, button(page, "Đồng bộ dữ liệu"));
    await look(page, "sync");
    await click(page, button(page, "Đăng ký máy"));
    await type(page, "e-server_url", server);
    await type(page, "e-invitation_code", code);
    await type(page, "e-device_label", label);
    await look(page, "enrol");
    await click(page, button(page, "Đăng ký"));
    await page.locator('[data-code="role"] dd').waitFor({ timeout: 30000 });
  };
  await enrol(m, managerCode, "synthetic manager");
  await click(m, m.locator("header .back button"));
  await click(m, button(m, "Mời thiết bị"));
  await choose(m, "Vai trò của máy mới", "cộng tác viên cơ sở");
  await click(m, button(m, "Tạo mã mời"));
  const code = await m.locator('[data-code="code"] dd').textContent({ timeout: 30000 });
  await look(m, "invite");

  const c = phone.page;
  await firstRun(c, collaborator.url);
  await enrol(c, code.trim(), "synthetic collaborator");
  await click(c, c.locator("header .back button"));
  await recordIncident(c, "SYN-WEB-002");
  await click(c, c.locator("header .back button"));
  await click(c, button(c, "Đồng bộ dữ liệu"));
  await click(c, button(c, "Đồng bộ ngay"));
  await c.locator('[data-code="last_sync"] dd', { hasNotText: "chưa đồng bộ" }).waitFor({ timeout: 30000 });

  await click(m, m.locator("header .back button"));
  await click(m, button(m, "Đồng bộ dữ liệu"));
  await click(m, button(m, "Đồng bộ ngay"));
  await m.locator('[data-code="last_sync"] dd', { hasNotText: "chưa đồng bộ" }).waitFor({ timeout: 30000 });
  await click(m, m.locator("header .back button"));
  await m.locator("main").getByText("SYN-WEB-002").first().waitFor();
  await click(m, button(m, "Các máy trong xã"));
  await m.locator("table.devices td", { hasText: "synthetic collaborator" }).waitFor({ timeout: 30000 });
  await look(m, "devices");
});

let passed = 0;
let failed = 0;
try {
  for (const t of tests) {
    pages.length = 0;
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    try {
      await t.fn();
      passed++;
      console.log(`  ok    ${t.name}`);
    } catch (e) {
      failed++;
      for (const [i, p] of pages.entries()) {
        await p.screenshot({ path: join(SHOTS, `failure-${passed + failed}-${i}.png`), fullPage: true }).catch(() => {});
      }
      console.log(`  FAIL  ${t.name}\n        ${String(e && e.stack || e).split("\n").slice(0, 6).join("\n        ")}`);
    }
  }
  if (violations.length) {
    failed++;
    console.log(`  FAIL  accessibility (axe-core, serious or critical):\n        ${violations.join("\n        ")}`);
  } else {
    passed++;
    console.log("  ok    accessibility: no serious or critical axe-core violation on any screen");
  }
} finally {
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
