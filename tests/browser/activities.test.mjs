// Communication activities in the browser (harness: harness.mjs): a village
// collaborator at a phone's size records one offline from the home screen
// (each field's problem first, and core's rule on ethnic-minority
// participants as it is typed), sees it waiting for sync, syncs and sees it sent; the
// officer at a desk finds it on the programme registries' communication
// tab, recorded on another device. All synthetic.
import assert from "node:assert/strict";
import { DESK, PHONE, browser, button, choose, click, console_, enrol, firstRun, look, serverWithOfficer, syncNow, test, type, unlock } from "./harness.mjs";

const TOPIC = "Phòng ngừa bạo lực gia đình (synthetic)";

test("a collaborator records a communication activity offline, syncs it, and the officer sees it", async () => {
  const { server, cli } = await serverWithOfficer("activities-officer");
  const code = cli(["invite", "--role", "collaborator", "--commune", "pa_u"]).code;

  const collaborator = await console_("activities-collaborator");
  const { page: c } = await browser(PHONE);
  await firstRun(c, collaborator.url);
  await enrol(c, server, code, "synthetic collaborator");
  await click(c, c.locator("header .back button"));
  await click(c, button(c, "Hoạt động truyền thông"));
  assert.equal(await button(c, "Trường học").count(), 0, "only communication");
  assert.equal(await button(c, "Nhập từ tệp CSV/XLSX").count(), 0, "no import");
  await look(c, "activities");

  // Every typed problem at once, on its field.
  await click(c, button(c, "Thêm hoạt động truyền thông"));
  assert.equal(await c.locator("#r-commune").inputValue(), "Xã Pa Ủ");
  await click(c, button(c, "Lưu"));
  assert.equal(await c.locator("#r-title-error").getAttribute("data-code"), "empty");
  assert.ok(await button(c, "Lưu").isDisabled(), "Save waits for the corrections");

  await type(c, "r-date", "20/11/2026");
  await type(c, "r-village", "Bản Synthetic");
  await choose(c, "Hình thức", "họp thôn, bản");
  await choose(c, "Đợt truyền thông", "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới");
  await type(c, "r-title", TOPIC);
  for (const [id, n] of [["r-women", "20"], ["r-men", "10"], ["r-girls", "1"], ["r-boys", "1"], ["r-ethnic_minority", "40"]]) {
    await type(c, id, n);
  }
  // Core's own rule, as soon as the number is typed: no more
  // ethnic-minority participants than in all; the only problem left.
  const left = await c.locator("[id$='-error']").evaluateAll((es) => es.map((e) => `${e.id}=${e.dataset.code}`));
  assert.deepEqual(left, ["r-ethnic_minority-error=at_most"]);
  assert.ok(await button(c, "Lưu").isDisabled());
  await look(c, "activity-errors");
  await type(c, "r-ethnic_minority", "25");
  await click(c, button(c, "Lưu"));
  const row = c.locator("ul.registry li", { hasText: TOPIC });
  await row.waitFor({ timeout: 30000 });
  assert.match(await row.innerText(), /32 người được tiếp cận · chờ đồng bộ/);
  await look(c, "activities-pending");

  // Sync sends it.
  await click(c, c.locator("header .back button"));
  await syncNow(c);
  await click(c, button(c, "Hoạt động truyền thông"));
  await c.locator("ul.registry li", { hasText: "đã gửi" }).waitFor({ timeout: 30000 });

  // The officer finds it on the communication tab.
  const officer = await console_("activities-officer");
  const { page: o } = await browser(DESK);
  await unlock(o, officer.url);
  await click(o, button(o, "Tập huấn, trường học, doanh nghiệp"));
  await click(o, button(o, "Truyền thông"));
  const seen = o.locator("ul.registry li", { hasText: TOPIC });
  await seen.waitFor({ timeout: 30000 });
  assert.match(await seen.innerText(), /ghi trên máy khác/);
  await look(o, "activities-officer");
});
