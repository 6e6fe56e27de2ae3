// A school's cases in the browser, over a real server: a commune case manager
// invites a school counselor with its school; the counselor's new record
// starts as a student of that school; the case reaches a colleague of the
// same school (a second counselor, on the command line) and not a counselor
// of another school. All synthetic.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { BIN, DESK, PHONE, PIN, browser, button, choose, click, console_, enrol, firstRun, group, look, recordIncident, serverWithOfficer, syncNow, test, type, work } from "./harness.mjs";

const SCHOOL = "Trường PTDTBT THCS synthetic Nậm Sỏ";
const OTHER_SCHOOL = "Trường tiểu học synthetic Hua Bum";
const CASE = "SYN-WEB-SCH";

/** A counselor's vault on the command line, invited by the officer. */
function counselorCli(officer, server, name, school) {
  const vault = join(work, name);
  const cli = (args, env) => JSON.parse(execFileSync(BIN, ["--vault", vault, ...args], {
    encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BINHAN_PIN: PIN, ...env } }));
  const { code } = officer(["invite", "--role", "school_counselor", "--commune", "pa_u", "--school", school]);
  cli(["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"]);
  cli(["enrol", "--server", server, "--label", `synthetic ${name}`], { BINHAN_INVITATION: code });
  return cli;
}

/** The survivor codes of the cases `cli`'s vault holds after a sync. */
function casesAfterSync(cli) {
  cli(["sync"]);
  return cli(["case", "list"]).cases.map((c) => c.survivor_code);
}

test("a manager invites a school counselor; its student's case reaches the school's other counselor only", async () => {
  const { server, cli: officer } = await serverWithOfficer("officer-schools");
  const managerCode = officer(["invite", "--role", "commune_case_manager", "--commune", "pa_u"]).code;
  const colleague = counselorCli(officer, server, "colleague", "trường ptdtbt thcs synthetic  nậm sỏ");
  const elsewhere = counselorCli(officer, server, "elsewhere", OTHER_SCHOOL);

  const manager = await console_("manager-schools");
  const desk = await browser(DESK);
  const m = desk.page;
  await firstRun(m, manager.url);
  await enrol(m, server, managerCode, "synthetic manager");
  await click(m, m.locator("header .back button"));
  await click(m, button(m, "Mời thiết bị"));
  await choose(m, "Vai trò của máy mới", "cán bộ tư vấn học đường");
  // The school is asked for, and required.
  await click(m, button(m, "Tạo mã mời"));
  assert.ok(await m.locator("#e-invite_school[aria-invalid=true]").count() === 1, "the school is required");
  await type(m, "e-invite_school", SCHOOL);
  await look(m, "invite-counselor");
  await click(m, button(m, "Tạo mã mời"));
  const code = (await m.locator('[data-code="code"] dd').textContent({ timeout: 30000 })).trim();
  assert.equal((await m.locator('[data-code="school"] dd').textContent()).trim(), SCHOOL);

  const counselor = await console_("counselor");
  const phone = await browser(PHONE);
  const c = phone.page;
  await firstRun(c, counselor.url);
  await enrol(c, server, code, "synthetic counselor");
  await click(c, c.locator("header .back button"));
  // A new record starts as a student of the counselor's school.
  await click(c, button(c, "Ghi nhận vụ việc"));
  const student = group(c, "Học sinh, sinh viên").getByRole("button", { name: "Có", exact: true });
  assert.equal(await student.getAttribute("aria-pressed"), "true");
  assert.equal(await c.locator("#i-school-0").inputValue(), SCHOOL);
  await look(c, "record-incident-counselor");
  await click(c, c.locator("header .back button"));
  await recordIncident(c, CASE);
  await click(c, c.locator("header .back button"));
  await syncNow(c);

  assert.deepEqual(casesAfterSync(colleague), [CASE], "the school's other counselor holds the case");
  assert.deepEqual(casesAfterSync(elsewhere), [], "another school's counselor holds nothing");
});
