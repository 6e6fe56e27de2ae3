// The programme registries desk in the browser (harness: harness.mjs): the
// officer enters a training session through the form (field errors first),
// imports a CSV with a bad row that is refused as a whole with the row's
// line and reason, then a good one that records; the file input also works
// as a plain multipart post without the script. A commune case manager
// records a session of its commune, which the officer then sees. All
// synthetic.
import assert from "node:assert/strict";
import { DESK, PHONE, browser, button, choose, click, console_, enrol, firstRun, look, serverWithOfficer, test, type, unlock } from "./harness.mjs";

const BAD_CSV = "Ngày,Xã,Chủ đề,Mã học viên,Vai trò\n" +
  "12/05/2026,Xã Pa Ủ,Tập huấn nhập từ tệp (synthetic),SYN-F1,ctv\n" +
  "12/05/2026,Atlantis,Tập huấn nhập từ tệp (synthetic),SYN-F2,ctv\n";
const GOOD_CSV = BAD_CSV.replace("Atlantis", "Xã Mù Cả");

/** Hands `csv` to the import screen's file input, as a person choosing a file does. */
async function upload(page, name, csv) {
  await page.locator("#import-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await Promise.all([page.waitForNavigation(), button(page, "Đọc tệp").click()]);
}

test("the officer enters a session, imports a CSV refused as a whole then a good one; a manager records its commune's session", async () => {
  const { server, cli } = await serverWithOfficer("registry-officer");
  const managerCode = cli(["invite", "--role", "commune_case_manager", "--commune", "pa_u"]).code;

  // The officer's console over the vault the command line enrolled.
  const officer = await console_("registry-officer");
  const { context, page: o } = await browser(DESK);
  await unlock(o, officer.url);
  await click(o, button(o, "Tập huấn, trường học, doanh nghiệp"));
  await o.locator("main p", { hasText: "Chưa có mục nào." }).waitFor({ timeout: 30000 });
  await look(o, "registries");

  // The form, with the keyboard: every field's problem at once, then saved.
  await click(o, button(o, "Thêm buổi tập huấn"));
  await type(o, "r-date", "31/02/2026");
  await type(o, "r-commune", "Atlantis");
  await click(o, button(o, "Thêm người tham dự"));
  await click(o, button(o, "Lưu"));
  for (const [id, code] of [["r-date", "bad_format"], ["r-commune", "not_a_commune"], ["r-title", "empty"], ["a-0-person", "empty"]]) {
    assert.equal(await o.locator(`#${id}-error`).getAttribute("data-code"), code, id);
  }
  assert.ok(await button(o, "Lưu").isDisabled(), "Save waits for the corrections");
  await look(o, "registry-entry-errors");
  await type(o, "r-date", "10/05/2026");
  await type(o, "r-commune", "Xã Pa Ủ");
  await type(o, "r-title", "Tập huấn cộng tác viên (synthetic)");
  await type(o, "a-0-person", "SYN-P1");
  await choose(o, "Người tham dự 1", "Cộng tác viên");
  await click(o, button(o, "Thêm người tham dự"));
  await type(o, "a-1-person", "SYN-P2");
  await type(o, "a-1-commune", "mu_ca");
  await choose(o, "Người tham dự 2", "Cán bộ, công chức, viên chức");
  await look(o, "registry-entry");
  // Enter on the focused button sends it, as a click does.
  await button(o, "Lưu").focus();
  await o.keyboard.press("Enter");
  const saved = o.locator("ul.registry li", { hasText: "Tập huấn cộng tác viên (synthetic)" });
  await saved.waitFor({ timeout: 30000 });
  assert.match(await saved.innerText(), /2 người tham dự/);

  // A CSV with a bad row: refused as a whole, the row's line and reason shown.
  await click(o, button(o, "Nhập từ tệp CSV/XLSX"));
  await look(o, "registry-import");
  await upload(o, "tap-huan.csv", BAD_CSV);
  const problem = o.locator('ul.problems li[data-line="3"]');
  assert.equal(await problem.getAttribute("data-code"), "not_a_commune");
  assert.match(await problem.innerText(), /^Dòng 3, cột «Xã»: /);
  assert.ok(await o.locator('[data-code="import_refused"]').first().isVisible());
  assert.ok(await button(o, "Ghi tất cả").isDisabled(), "nothing can be recorded");
  await look(o, "registry-import-refused");

  // The same file input without the script: a plain multipart post behind
  // the session and the Origin check; a body far too large is cut off.
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  // The route closes the connection of a body far over its cap, and for a
  // moment after it a new request can be cut too (EPIPE, "fetch failed"),
  // so a request is tried again on a network error, for up to about five
  // seconds (a loaded machine is slower to let go; each is safe to repeat:
  // an import is read, not recorded, until "Ghi tất cả").
  const again = async (send) => {
    for (let tries = 1; ; tries++) {
      try {
        return await send();
      } catch (e) {
        if (!(e instanceof TypeError) || tries === 10) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const post = (body) => again(() => fetch(`${officer.origin}/import`, { method: "POST", body, headers: { cookie, origin: officer.origin }, redirect: "manual" }));
  const form = new FormData();
  form.append("file", new Blob([GOOD_CSV], { type: "text/csv" }), "tap-huan-sua.csv");
  // Just over the core's 5 MB: read no further, refused with its reason.
  const big = new FormData();
  big.append("file", new Blob([new Uint8Array(5 * 1024 * 1024 + 1)]), "big.csv");
  assert.equal((await post(big)).status, 303);
  await o.reload();
  assert.equal(await o.locator('ul.problems li[data-line="0"]').getAttribute("data-code"), "too_large");
  // Far over it: the route stops reading (413, or the connection closed
  // before the whole body was sent).
  const huge = new FormData();
  huge.append("file", new Blob([new Uint8Array(7 * 1024 * 1024)]), "huge.csv");
  const cut = await post(huge).then((r) => r.status, () => "closed");
  assert.ok(cut === 413 || cut === "closed", `size-capped: ${cut}`);
  assert.equal((await post(form)).status, 303, "read, then post-redirect-get");
  const noOrigin = await again(() => fetch(`${officer.origin}/import`, { method: "POST", body: form, headers: { cookie }, redirect: "manual" }));
  assert.equal(noOrigin.status, 403, "behind the same guard");
  await o.reload();
  assert.ok(await o.locator("main").getByText("tap-huan-sua.csv").isVisible());
  assert.equal(await o.locator("ul.problems li").count(), 0);
  assert.match(await o.locator("main").innerText(), /2 dòng: 2 buổi tập huấn, 2 lượt người tham dự/);
  await click(o, button(o, "Ghi tất cả"));
  await o.locator("ul.registry li", { hasText: "Tập huấn nhập từ tệp (synthetic)" }).first().waitFor({ timeout: 30000 });
  assert.equal(await o.locator("ul.registry li").count(), 3);
  assert.ok(await o.locator('.messages [data-code="registries_recorded"]').isVisible());

  // A manager of Pa Ủ records a session of its commune, at a phone's size.
  const manager = await console_("registry-manager");
  const { page: m } = await browser(PHONE);
  await firstRun(m, manager.url);
  await enrol(m, server, managerCode, "synthetic manager");
  await click(m, m.locator("header .back button"));
  await click(m, button(m, "Tập huấn của xã"));
  // It sees its commune's sessions only (not the one in Mù Cả).
  await m.locator("ul.registry li").first().waitFor({ timeout: 30000 });
  assert.equal(await m.locator("ul.registry li").count(), 2);
  assert.equal(await m.locator("main").getByText("Trường học").count(), 0, "no other registry");
  await look(m, "registries-manager");
  await click(m, button(m, "Thêm buổi tập huấn"));
  assert.equal(await m.locator("#r-commune").inputValue(), "Xã Pa Ủ");
  await type(m, "r-date", "2026-06-02");
  await type(m, "r-title", "Sinh hoạt cộng đồng (synthetic)");
  await click(m, button(m, "Thêm người tham dự"));
  await type(m, "a-0-person", "SYN-M1");
  await choose(m, "Người tham dự 1", "Cộng tác viên");
  await look(m, "registry-entry-manager");
  await click(m, button(m, "Lưu"));
  await m.locator("ul.registry li", { hasText: "Sinh hoạt cộng đồng (synthetic)" }).waitFor({ timeout: 30000 });

  // The officer sees it.
  await click(o, button(o, "Tải lại"));
  await o.locator("ul.registry li", { hasText: "Sinh hoạt cộng đồng (synthetic)" }).waitFor({ timeout: 30000 });
});
