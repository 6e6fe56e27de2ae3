// The provincial officer's shelter registry in the browser (harness:
// harness.mjs): over a real officer vault enrolled with a real
// binhan-server, the officer adds a shelter with its checklist, edits it,
// edits a commune's emergency numbers, generates the provincial signing key
// in the vault and publishes; a manager's vault then syncs from the command
// line and holds the new directory. Part of it is done with the keyboard
// alone. All data is synthetic.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { BIN, DESK, PIN, browser, button, choose, click, console_, drawn, group, look, serverWithOfficer, test, type, unlock, work } from "./harness.mjs";

const NAME = "Nhà văn hóa bản Synthetic (giả lập)";

/** `binhan` on the vault `work/<name>`, JSON out. */
function vaultCli(name) {
  const vault = join(work, name);
  return (args, env) => JSON.parse(execFileSync(BIN, ["--vault", vault, ...args], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
}

/** Presses a button with the keyboard alone: focus, then Enter. */
async function press(page, locator) {
  await drawn(page, async () => {
    await locator.focus();
    await page.keyboard.press("Enter");
  });
}

/** Toggles a choice of a several-of group with the keyboard, unless pressed. */
async function toggleOn(page, legend, label) {
  const choice = group(page, legend).getByRole("button", { name: label, exact: true });
  if ((await choice.getAttribute("aria-pressed")) !== "true") await press(page, choice);
  assert.equal(await group(page, legend).getByRole("button", { name: label, exact: true }).getAttribute("aria-pressed"), "true");
}

test("the officer adds and edits a shelter with its checklist, edits a commune's numbers, and publishes signed from the vault", async () => {
  const { server, cli } = await serverWithOfficer("officer-registry");
  const managerCode = cli(["invite", "--role", "commune_case_manager", "--commune", "pa_u"]).code;
  const manager = vaultCli("manager-registry");
  manager(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  manager(["enrol", "--server", server, "--label", "synthetic manager"], { BINHAN_INVITATION: managerCode });

  const officer = await console_("officer-registry");
  const { page } = await browser(DESK);
  await unlock(page, officer.url);
  await click(page, button(page, "Danh bạ nơi tạm lánh"));
  await page.getByRole("heading", { name: "Danh bạ nơi tạm lánh" }).waitFor();
  await look(page, "registry");
  assert.ok(await page.locator('tr[data-commune="pa_u"].uncovered').isVisible(), "Pa Ủ has no shelter yet");

  // A new shelter: every problem shown at once, Save disabled until none.
  await click(page, button(page, "Thêm nơi tạm lánh"));
  await look(page, "registry-shelter-new");
  assert.ok((await page.locator("main .field .error").count()) >= 6, "every field's problem at once");
  assert.ok(await button(page, "Lưu vào bản nháp").isDisabled());
  await type(page, "r-name", NAME);
  await choose(page, "Loại nơi tạm lánh", "trụ sở UBND xã");
  await choose(page, "Xã", "Xã Pa Ủ");
  await type(page, "r-latitude", "22,39");
  await type(page, "r-longitude", "103.46");
  await type(page, "r-capacity", "four");
  assert.equal(await page.locator("#r-capacity-error").getAttribute("data-code"), "not_a_number");
  await type(page, "r-capacity", "4");
  // With the keyboard alone: whom it takes in, languages, the checklist.
  await toggleOn(page, "Nhận những ai", "phụ nữ");
  await toggleOn(page, "Nhận những ai", "phụ nữ cùng con nhỏ");
  await toggleOn(page, "Ngôn ngữ sử dụng", "tiếng Mông");
  await toggleOn(page, "Tiêu chí chuẩn hóa đã đạt", "có phòng ở riêng, kín đáo");
  await toggleOn(page, "Tiêu chí chuẩn hóa đã đạt", "có nước sạch và nhà vệ sinh");
  await type(page, "r-contact_phone", "0200 000 501");
  assert.equal(await page.locator("main .field .error").count(), 0, "nothing left to correct");
  await look(page, "registry-shelter-filled");
  await press(page, button(page, "Lưu vào bản nháp"));
  await page.locator('.messages [data-code="shelter_saved"]').waitFor();
  assert.ok(await page.locator("ul.shelters li", { hasText: NAME }).isVisible());
  assert.ok(await page.locator("ul.shelters li", { hasText: "chuẩn hóa 2/12" }).isVisible());

  // Edit it: one more place, the whole checklist met.
  await click(page, button(page, `Sửa — ${NAME}`));
  await page.getByRole("heading", { name: "Sửa nơi tạm lánh" }).waitFor();
  await type(page, "r-capacity", "6");
  const items = group(page, "Tiêu chí chuẩn hóa đã đạt").getByRole("button");
  for (let i = 0; i < (await items.count()); i++) {
    if ((await items.nth(i).getAttribute("aria-pressed")) !== "true") await press(page, items.nth(i));
  }
  await type(page, "r-reviewed_on", "01/12/2026");
  await look(page, "registry-shelter-edit");
  await click(page, button(page, "Lưu vào bản nháp"));
  await page.locator("ul.shelters li.standardised", { hasText: "chuẩn hóa 12/12" }).waitFor();
  assert.ok(!(await page.locator('tr[data-commune="pa_u"]').getAttribute("class") || "").includes("uncovered"));

  // Pa Ủ's emergency numbers: a bad number is refused beside its field.
  await click(page, button(page, "Sửa số điện thoại — Xã Pa Ủ"));
  await click(page, button(page, "Thêm số"));
  await choose(page, "Nơi trả lời", "công an xã");
  await type(page, "n-0-name", "Trực ban (giả lập)");
  await type(page, "n-0-phone", "0200 000 37");
  assert.equal(await page.locator("#n-0-phone-error").getAttribute("data-code"), "bad_dial_number");
  await look(page, "registry-numbers");
  await type(page, "n-0-phone", "020000037");
  await click(page, button(page, "Lưu vào bản nháp"));
  await page.locator('.messages [data-code="numbers_saved"]').waitFor();
  assert.match(await page.locator('tr[data-commune="pa_u"]').textContent(), /1 số/);

  // Publish: what changes, then the key made in the vault, then sign.
  await click(page, button(page, "Xem và công bố"));
  await look(page, "registry-publish-no-key");
  assert.match(await page.locator("main").textContent(), /Phiên bản 1, toàn bộ danh bạ/);
  assert.ok(await page.locator('section[data-code="added"] li', { hasText: NAME }).isVisible());
  assert.ok(await page.locator('section[data-code="numbers_changed"] li', { hasText: "Xã Pa Ủ" }).isVisible());
  assert.ok(await button(page, "Ký và công bố").isDisabled());
  await press(page, button(page, "Tạo khóa ký mới"));
  const key = await page.locator("p.key").textContent();
  assert.match(key, /dấu vân tay: [0-9A-F]{4}( [0-9A-F]{4}){3}/);
  await look(page, "registry-publish");
  await press(page, button(page, "Ký và công bố"));
  await page.locator('.messages [data-code="directory_published"]').waitFor({ timeout: 30000 });
  assert.match(await page.locator("main").textContent(), /Danh bạ trên máy: phiên bản 1/);
  await look(page, "registry-published");
  assert.ok(!officer.child.log.includes("0200 000 501"), "no directory content in the console's log");

  // The publication arrived: the manager's vault syncs and holds it,
  // checked under the province's key it pins from the server.
  manager(["sync"]);
  const held = manager(["shelters", "directory"]);
  assert.equal(held.version, 1);
  const shelter = held.shelters.find((s) => s.name === NAME);
  assert.ok(shelter, "the new shelter is in the manager's directory");
  assert.equal(shelter.capacity, 6);
  assert.equal(Object.values(shelter.checklist.items).filter(Boolean).length, 12);
  const paU = held.contacts.find((c) => c.commune === "pa_u");
  assert.equal(paU.contacts[0].phone, "020000037");
  const coverage = manager(["shelters", "coverage"]);
  assert.equal(coverage.standardised_in_province, 1);
});

test("the officer lists a referral organisation with its provider's device and publishes it; the provider's phone holds it", async () => {
  const { server, cli } = await serverWithOfficer("officer-services");
  const providerCode = cli(["invite", "--role", "service_provider", "--commune", "pa_u"]).code;
  const provider = vaultCli("provider-services");
  provider(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  provider(["enrol", "--server", server, "--label", "synthetic health station"], { BINHAN_INVITATION: providerCode });
  const device = provider(["device"]).device_id;
  const STATION = "Trạm Y tế xã Pa Ủ (giả lập)";

  const officer = await console_("officer-services");
  const { page } = await browser(DESK);
  await unlock(page, officer.url);
  await click(page, button(page, "Danh bạ nơi tạm lánh"));
  await click(page, button(page, "Thêm cơ quan nhận chuyển gửi"));
  await page.getByRole("heading", { name: "Thêm cơ quan nhận chuyển gửi" }).waitFor();
  assert.ok(await button(page, "Lưu vào bản nháp").isDisabled());
  await type(page, "o-name", STATION);
  await choose(page, "Ngành", "y tế");
  await toggleOn(page, "Dịch vụ nhận chuyển gửi", "chăm sóc y tế");
  await toggleOn(page, "Các xã được phục vụ", "Xã Pa Ủ");
  await type(page, "o-hours", "7:00–17:00, thứ Hai–thứ Sáu");
  await type(page, "o-phone", "0200 000 99");
  assert.equal(await page.locator("#o-phone-error").getAttribute("data-code"), "bad_dial_number");
  await type(page, "o-phone", "020000099");
  assert.ok(await page.locator("main p[role=note]").isVisible(), "no device yet: the form says so");
  await type(page, "o-devices", device);
  assert.equal(await page.locator("main .field .error").count(), 0, "nothing left to correct");
  await look(page, "registry-organisation");
  await click(page, button(page, "Lưu vào bản nháp"));
  await page.locator('.messages [data-code="organisation_saved"]').waitFor();
  assert.ok(await page.locator("ul.organisations li", { hasText: STATION }).isVisible());

  await click(page, button(page, "Xem và công bố"));
  assert.ok(await page.locator('section[data-code="organisations"] li', { hasText: STATION }).isVisible());
  await press(page, button(page, "Tạo khóa ký mới"));
  await press(page, button(page, "Ký và công bố"));
  await page.locator('.messages [data-code="directory_published"]').waitFor({ timeout: 30000 });

  // The provider's phone syncs and holds the organisation, its device named.
  provider(["sync"]);
  const held = provider(["shelters", "directory"]);
  const station = held.services.find((o) => o.name === STATION);
  assert.ok(station, "the organisation is in the provider's directory");
  assert.deepEqual(station.devices, [device]);
  assert.deepEqual(station.communes, ["pa_u"]);
});
