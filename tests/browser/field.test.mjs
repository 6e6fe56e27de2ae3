// The field apps in the browser: a collaborator at a phone's size, and a manager
// and a collaborator over a real server (harness: harness.mjs). All synthetic.
import assert from "node:assert/strict";
import { ACCOUNT, CODE, DESK, PHONE, browser, button, choose, click, console_, enrol, firstRun, look, recordIncident, serverWithOfficer, test, type } from "./harness.mjs";

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

test("a manager enrols, invites a collaborator who enrols, records and syncs; the manager sees the case and the devices", async () => {
  // The officer works from the command line here; the manager and the
  // collaborator in the browser.
  const { server, cli } = await serverWithOfficer();
  const managerCode = cli(["invite", "--role", "commune_case_manager", "--commune", "pa_u"]).code;

  const manager = await console_("manager");
  const desk = await browser(DESK);
  const collaborator = await console_("collaborator-2");
  const phone = await browser(PHONE);
  const m = desk.page;
  await firstRun(m, manager.url);
  await enrol(m, server, managerCode, "synthetic manager");
  await click(m, m.locator("header .back button"));
  await click(m, button(m, "Mời thiết bị"));
  await choose(m, "Vai trò của máy mới", "cộng tác viên cơ sở");
  await click(m, button(m, "Tạo mã mời"));
  const code = await m.locator('[data-code="code"] dd').textContent({ timeout: 30000 });
  await look(m, "invite");

  const c = phone.page;
  await firstRun(c, collaborator.url);
  await enrol(c, server, code.trim(), "synthetic collaborator");
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
