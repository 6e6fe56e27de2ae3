// A referral from the case's summary in the browser: the organisations of the
// province's signed service directory that serve the survivor's commune, core's
// preview of exactly what goes, and the survivor's consent asked for before
// sending. The directory is signed with the fixture's synthetic key and loaded
// from the command line into the console's vault. All synthetic.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNT, BIN, PHONE, PIN, browser, button, choose, click, console_, firstRun, look, recordIncident, test, type, work } from "./harness.mjs";

const REF_CODE = "SYN-WEB-REF";
const STATION = "Trạm Y tế xã Pa Ủ (giả lập)";

/** Signs a directory listing one health station of Pa Ủ and loads it into `vault`. */
function loadStation(vault) {
  const directory = join(work, "services-directory.json");
  writeFileSync(directory, JSON.stringify({
    version: 1,
    published_at: "2026-11-01T00:00:00Z",
    shelters: [],
    services: [{
      id: "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b",
      name: STATION,
      sector: "health",
      services: ["health", "psychosocial"],
      communes: ["pa_u"],
      hours: "7:00–17:00 (giả lập)",
      languages: ["vietnamese", "thai"],
      phone: "0213000000",
      devices: ["0f1e2d3c4b5a69788796a5b4c3d2e1f0"],
    }],
  }));
  const signed = join(work, "services-directory.bhsd");
  const cli = (args) => JSON.parse(execFileSync(BIN, ["--vault", vault, ...args], {
    encoding: "utf8", env: { ...process.env, BINHAN_PIN: PIN } }));
  cli(["shelters", "sign", "--file", directory, "--synthetic-key", "--out", signed]);
  const key = readFileSync(new URL("../fixtures/shelters/province_key.txt", import.meta.url), "utf8").trim();
  cli(["shelters", "trust-key", key]);
  cli(["shelters", "load-directory", "--file", signed]);
}

test("a collaborator refers a case: the directory's organisations, exactly what goes, consent first", async () => {
  const name = "referrer";
  const { child, url } = await console_(name);
  const { page } = await browser(PHONE);
  await firstRun(page, url);
  await recordIncident(page, REF_CODE);
  loadStation(join(work, name));

  await click(page, page.locator('section[data-code="referrals"]').getByRole("button"));
  await choose(page, "Đơn vị nhận chuyển gửi", `${STATION} · y tế`);
  await choose(page, "Dịch vụ hỗ trợ", "chăm sóc y tế");
  await choose(page, "Mức độ khẩn cấp", "gấp (trong 3 ngày)");
  await type(page, "w-ask", "Khám sau vụ việc (giả lập).");

  // Core's preview: the fields health always receives, nothing of the account.
  const preview = page.locator("section.preview");
  assert.match(await preview.locator("h3").textContent(), /sẽ nhận đúng những thông tin này/);
  const codes = await preview.locator("dl.rows div").evaluateAll((rows) => rows.map((r) => r.dataset.code));
  for (const code of ["sex", "incident_date", "violence_type"]) assert.ok(codes.includes(code), code);
  for (const code of ["name", "account", "perpetrators", "commune"]) assert.ok(!codes.includes(code), code);
  const shown = await preview.textContent();
  assert.ok(!shown.includes(REF_CODE) && !shown.includes("Zephyrquill"), "nothing else of the case");
  // Without consent for this organisation and service, sending waits.
  const send = button(page, "Gửi chuyển gửi");
  assert.ok(await send.isDisabled());
  assert.equal(await page.locator('.action .why[data-code="consent_missing"]').count(), 1);
  await look(page, "referral-form");

  await choose(page, "Người bị bạo lực đồng ý chuyển gửi đến đơn vị này cho dịch vụ này", "Có");
  // The age is not recorded: who gives consent is asked too.
  await choose(page, "Người đưa ra sự đồng ý", "người bị bạo lực");
  assert.ok(!(await send.isDisabled()));
  await click(page, send);
  await page.locator('.messages [data-code="referral_sent"]').waitFor();
  const item = page.locator('section[data-code="referrals"] li', { hasText: STATION });
  assert.match(await item.textContent(), /đã gửi, chờ trả lời/);
  await look(page, "case-referred");
  assert.ok(!child.log.includes(REF_CODE) && !child.log.includes(ACCOUNT), "nothing of the case in the console's log");
});
