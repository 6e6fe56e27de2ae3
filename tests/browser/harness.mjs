// The shared harness of the browser tests of `binhan console`
// (tests/browser/run.sh runs main.mjs, which loads every *.test.mjs):
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

export const BIN = process.env.BINHAN_BIN;
export const SERVER_BIN = process.env.BINHAN_SERVER_BIN;
export const SHOTS = process.env.BINHAN_SCREENSHOTS;
export const PIN = "493817";
export const PHONE = { width: 360, height: 740 };
export const DESK = { width: 1366, height: 768 };
// Synthetic case text that must never reach a log, the DOM after quick
// exit, or the browser's storage.
export const CODE = "SYN-WEB-001";
export const ACCOUNT = "Synthetic account Zephyrquill, NOT REAL";

export const work = mkdtempSync(join(tmpdir(), "binhan-browser-"));
mkdirSync(SHOTS, { recursive: true });
const children = [];
const violations = [];
const pages = [];
const contexts = [];

/** Starts a process and resolves with the first stdout line matching `pattern`. */
export function start(bin, args, pattern, env = {}) {
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

export async function console_(name) {
  const { child, match } = await start(BIN, ["--vault", join(work, name), "console"], /"url":"([^"]+)"/);
  return { child, url: match[1], origin: new URL(match[1]).origin };
}

export async function browser(viewport) {
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
export async function drawn(page, act) {
  const before = Number(await page.evaluate(() => document.documentElement.dataset.drawn || 0));
  await act();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.drawn || 0) > n, before);
}

export const click = (page, locator) => drawn(page, () => locator.click());
export const button = (page, name) => page.locator("main").getByRole("button", { name, exact: true });
export const group = (page, legend) => page.locator("fieldset").filter({ has: page.locator("legend", { hasText: legend }) }).first();

export async function type(page, id, text) {
  await drawn(page, async () => {
    await page.locator(`#${id}`).fill(text);
    // Leaving the field sends it, as a person moving on does.
    await page.locator(`#${id}`).press("Tab");
  });
}

/** Chooses `label` unless it is chosen already (tapping it again clears it). */
export async function choose(page, legend, label) {
  const choice = group(page, legend).getByRole("button", { name: label, exact: true });
  if ((await choice.getAttribute("aria-pressed")) !== "true") await click(page, choice);
}

/** axe-core on the page as it stands; serious and critical problems are kept. */
export async function audit(page, where) {
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
export async function look(page, name) {
  await audit(page, name);
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESK);
  await page.screenshot({ path: join(SHOTS, `${name}-desk.png`), fullPage: true });
  await page.setViewportSize(size);
}

export async function firstRun(page, url) {
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

export async function recordIncident(page, code) {
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

/** Unlocks an existing vault's console: the secret sequence, then the PIN. */
export async function unlock(page, url) {
  await page.goto(url);
  for (const key of [..."407152"]) await click(page, page.locator(`button[data-key="${key}"]`));
  await click(page, page.locator('button[data-key="="]'));
  await click(page, page.locator('button[data-key="="]'));
  await type(page, "f-unlock_pin", PIN);
  await click(page, button(page, "Mở khóa"));
  await page.getByRole("heading", { name: "Trang chủ" }).waitFor({ timeout: 30000 });
}

/**
 * A real binhan-server on loopback with a provincial officer enrolled from
 * the command line in `work/<name>`; `cli(args)` runs `binhan` on that vault.
 */
export async function serverWithOfficer(name = "officer") {
  const data = join(work, `server-${name}`);
  const { match } = await start(SERVER_BIN, ["serve", "--data", data, "--listen", "127.0.0.1:0"], /listening on (\S+)/);
  const server = match[1];
  const boot = execFileSync(SERVER_BIN, ["bootstrap-officer", "--data", data], { encoding: "utf8" });
  const vault = join(work, name);
  const cli = (args, env) => JSON.parse(execFileSync(BIN, ["--vault", vault, ...args], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
  cli(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  cli(["enrol", "--server", server, "--label", `synthetic ${name}`], { BINHAN_INVITATION: JSON.parse(boot).code });
  return { server, data, vault, cli };
}

/** Enrols the console on `page` with an invitation code, from its home screen. */
export async function enrol(page, server, code, label) {
  await click(page, button(page, "Đồng bộ dữ liệu"));
  await look(page, "sync");
  await click(page, button(page, "Đăng ký máy"));
  await type(page, "e-server_url", server);
  await type(page, "e-invitation_code", code);
  await type(page, "e-device_label", label);
  await look(page, "enrol");
  await click(page, button(page, "Đăng ký"));
  await page.locator('[data-code="role"] dd').waitFor({ timeout: 30000 });
}

/** Syncs from the home screen and comes back to it. */
export async function syncNow(page) {
  await click(page, button(page, "Đồng bộ dữ liệu"));
  await click(page, button(page, "Đồng bộ ngay"));
  await page.locator('[data-code="last_sync"] dd', { hasNotText: "chưa đồng bộ" }).waitFor({ timeout: 30000 });
  await click(page, page.locator("header .back button"));
}

const tests = [];
/** Registers a test; main.mjs runs them in the order the files are loaded. */
export const test = (name, fn) => tests.push({ name, fn });

/** Runs every registered test, then the accessibility verdict; exits. */
export async function run() {
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
}
