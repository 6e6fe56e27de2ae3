// The app decided in core, driven from Kotlin exactly as the Compose shell
// drives it: it sends what the person did (keys, typed text, the event of a
// tapped action or choice) and reads the view model that comes back. No
// Kotlin code here decides anything about a case, a PIN or a survivor's
// safety. All data here is synthetic.
package vn.binhan.tests

import java.util.concurrent.CopyOnWriteArrayList
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.BinhAnException
import vn.binhan.core.TaskOutcome
import vn.binhan.core.Vault
import vn.binhan.core.appCore
import vn.binhan.core.model.CaseFilter
import vn.binhan.core.model.Lang
import vn.binhan.core.model.Role
import vn.binhan.ui.*

/** A shell that records the effects it is asked for. */
class RecordingShell : Shell {
    val effects = CopyOnWriteArrayList<Effect>()
    override fun effect(effect: Effect) {
        effects.add(effect)
    }
}

/** One app over a fresh vault directory, and what a shell does with it. */
class Phone(lang: Lang = Lang.VI, val dir: String = tempVaultDir()) {
    val shell = RecordingShell()
    val core: AppCore = appCore(dir, quickConfig(), null, lang, shell)
    var view: ViewModel = core.view()
        private set

    fun send(event: Event): ViewModel = core.send(event).also { view = it }

    /** The camouflage's secret: six digits, then = twice. */
    fun openGate(): ViewModel {
        for (digit in listOf(4, 0, 7, 1, 5, 2)) send(Event.Calculator(CalcKey.Digit(digit.toUByte())))
        send(Event.Calculator(CalcKey.Equals))
        return send(Event.Calculator(CalcKey.Equals))
    }

    fun tap(action: Action?): ViewModel = send(action!!.event)

    /** The form on screen. */
    fun form(): IntakeView = (view.screen as? Screen.RecordIncident)?.view
        ?: fail("expected the intake form, got ${view.screen}")

    private fun field(field: IntakeField, row: UInt = 0u): FieldView {
        val form = form()
        return (form.fields + form.rows.flatMap { it.fields })
            .firstOrNull { it.field == field && it.row == row }
            ?: fail("$field is not shown on ${form.step}")
    }

    /** Types into a text, date or number field. */
    fun type(field: IntakeField, text: String, row: UInt = 0u): ViewModel {
        val shown = field(field, row)
        return send(Event.SetIntake(shown.field, shown.row, text))
    }

    /** Taps the choice labelled `label` of a field. */
    fun choose(field: IntakeField, label: String, row: UInt = 0u): ViewModel {
        val options = when (val kind = field(field, row).kind) {
            is FieldKind.Choice -> kind.options
            is FieldKind.MultiChoice -> kind.options
            is FieldKind.YesNo -> kind.options
            else -> fail("$field has no choices")
        }
        val choice = options.firstOrNull { it.label == label } ?: fail("no choice '$label' in $field: ${options.map { it.label }}")
        return send(choice.event)
    }

    /** First run: the gate, a PIN twice; the home screen. */
    fun firstRun(): HomeView {
        openGate()
        send(Event.SetField(Field.PIN, PIN))
        send(Event.SetField(Field.PIN_CONFIRM, PIN))
        return (send(Event.Submit).screen as Screen.Home).view
    }

    /** Records a minimal incident from the home screen, offline. */
    fun recordIncident(code: String, commune: String) {
        val home = (view.screen as Screen.Home).view
        tap(home.actions.first { it.label == "Ghi nhận vụ việc" })
        type(IntakeField.SURVIVOR_CODE, code)
        choose(IntakeField.SEX, "nữ")
        send(Event.SetIntake(IntakeField.COMMUNE, 0u, commune))
        tap(form().next)
        type(IntakeField.INCIDENT_DATE, "10/11/2026")
        choose(IntakeField.PLACE_TYPE, "nhà của người bị bạo lực")
        send(Event.SetIntake(IntakeField.INCIDENT_COMMUNE, 0u, commune))
        choose(IntakeField.VIOLENCE_TYPE, "bạo lực thể chất")
        type(IntakeField.ACCOUNT, ACCOUNT_VI)
        tap(form().next)
        // The perpetrator is not known: no row.
        tap(form().rows.single().remove)
        send(Event.GoToStep(IntakeStep.CONSENT))
        choose(IntakeField.STATISTICS_CONSENT, "Có")
        tap(form().next)
        tap(form().save)
        check(view.screen is Screen.CaseSummary) { "not saved: ${(view.screen as? Screen.RecordIncident)?.view?.problems}" }
        send(Event.Back)
    }

    /** Waits (at most 30 s) for the background to ask for a redraw after
     *  which `done` holds, as the shell redraws on `Effect.Refresh`. */
    fun awaitView(done: (ViewModel) -> Boolean): ViewModel {
        val deadline = System.nanoTime() + 30_000_000_000L
        while (true) {
            val refreshed = shell.effects.removeIf { it == Effect.Refresh }
            val current = core.view()
            if (refreshed && done(current)) return current.also { view = it }
            check(System.nanoTime() < deadline) { "the background never finished: ${current.screen}" }
            Thread.sleep(20)
        }
    }

    /** Enrols through the sync screen and waits for the first sync. */
    fun enrol(code: String): SyncView {
        send(Event.Open(vn.binhan.ui.Target.SYNC))
        tap((view.screen as Screen.Sync).view.enrol)
        send(Event.SetField(Field.SERVER_URL, TestServer.url))
        send(Event.SetField(Field.INVITATION_CODE, code))
        send(Event.SetField(Field.DEVICE_LABEL, "synthetic phone"))
        send(Event.Submit)
        return awaitSynced()
    }

    /** Syncs from the sync screen and waits for the end. */
    fun syncNow(): SyncView {
        send(Event.Open(vn.binhan.ui.Target.SYNC))
        send(Event.SyncNow)
        return awaitSynced()
    }

    fun awaitSynced(): SyncView {
        val done = awaitView { v ->
            val sync = (v.screen as? Screen.Sync)?.view
            sync != null && sync.progress == null && (sync.error != null || sync.lastSync.value != "chưa đồng bộ lần nào")
        }
        val view = (done.screen as Screen.Sync).view
        assertNull(view.error, "${view.error}")
        send(Event.Open(vn.binhan.ui.Target.HOME))
        return view
    }

    fun errors(): List<Pair<IntakeField, String>> {
        val form = form()
        return (form.fields + form.rows.flatMap { it.fields })
            .mapNotNull { f -> f.error?.let { f.field to it.code } }
    }
}

class AppCoreTest {
    @Test
    fun `first run, record an incident offline, read it back, quick exit`() {
        val phone = Phone()
        assertTrue(phone.view.screen is Screen.Camouflage)
        assertNull(phone.view.quickExit, "the camouflage shows nothing but a calculator")

        assertTrue(phone.openGate().screen is Screen.Setup)
        phone.send(Event.SetField(Field.PIN, PIN))
        phone.send(Event.SetField(Field.PIN_CONFIRM, PIN))
        val home = phone.send(Event.Submit)
        val homeView = (home.screen as Screen.Home).view
        assertEquals("Chưa có hồ sơ nào", homeView.noCases)

        val record = homeView.actions.first { it.label == "Ghi nhận vụ việc" }
        assertTrue(record.enabled)
        phone.tap(record)
        assertEquals(IntakeStep.SURVIVOR, phone.form().step)

        // Every error of the step at once; the step stays.
        phone.tap(phone.form().next)
        assertEquals(IntakeStep.SURVIVOR, phone.form().step)
        assertEquals(
            listOf(IntakeField.SURVIVOR_CODE to "required", IntakeField.SEX to "required", IntakeField.COMMUNE to "required"),
            phone.errors(),
        )

        phone.type(IntakeField.SURVIVOR_CODE, "SYN-KT-01")
        phone.choose(IntakeField.SEX, "nữ")
        phone.type(IntakeField.AGE_YEARS, "15")
        phone.choose(IntakeField.STUDENT, "Có")
        phone.type(IntakeField.SCHOOL, "Synthetic school Vexmorrow")
        phone.choose(IntakeField.COMMUNE, "Xã Mù Cả")
        phone.tap(phone.form().next)
        assertEquals(IntakeStep.INCIDENT, phone.form().step)

        phone.type(IntakeField.INCIDENT_DATE, "10/11/2026")
        phone.choose(IntakeField.PLACE_TYPE, "trường học")
        phone.choose(IntakeField.INCIDENT_COMMUNE, "Xã Mù Cả")
        phone.choose(IntakeField.VIOLENCE_TYPE, "bạo lực tinh thần")
        phone.choose(IntakeField.CONTEXTS, "bạo lực học đường")
        phone.type(IntakeField.ACCOUNT, "Synthetic account Quillfeather, NOT REAL")
        phone.tap(phone.form().next)
        assertEquals(IntakeStep.PERPETRATORS, phone.form().step)

        phone.choose(IntakeField.PERPETRATOR_SEX, "nam")
        phone.choose(IntakeField.PERPETRATOR_RELATIONSHIP, "bạn học")
        phone.tap(phone.form().next)
        phone.tap(phone.form().next)
        assertEquals(IntakeStep.CONSENT, phone.form().step)

        phone.choose(IntakeField.STATISTICS_CONSENT, "Có")
        phone.tap(phone.form().addRow)
        phone.choose(IntakeField.CONSENT_SERVICE, "hỗ trợ tâm lý")
        phone.type(IntakeField.CONSENT_RECIPIENT, "Synthetic school counselor")
        phone.choose(IntakeField.CONSENT_GRANTED, "Có")
        phone.tap(phone.form().next)
        val review = phone.form()
        assertEquals(IntakeStep.REVIEW, review.step)
        assertTrue(review.problems.isEmpty(), "${review.problems}")
        assertTrue(review.review.first().rows.any { it.code == "survivor_code" && it.value == "SYN-KT-01" })

        val saved = phone.tap(review.save)
        assertTrue(saved.screen is Screen.CaseSummary, "${saved.screen}")
        assertEquals("case_saved", saved.messages.single().reason.code)

        // Case work: a referral to the recipient the survivor consented to at
        // intake asks nothing more; the services section shows it.
        val summary = (saved.screen as Screen.CaseSummary).view
        val services = summary.sections.first { it.code == "services" }
        phone.tap(services.add)
        for ((field, value) in listOf(
            WorkField.SERVICE to "psychosocial",
            WorkField.OUTCOME to "referred",
            WorkField.PROVIDER to "synthetic SCHOOL counselor",
        )) phone.send(Event.SetWork(field, value))
        val work = (phone.view.screen as Screen.CaseWork).view
        assertFalse(work.fields.any { it.field == WorkField.CONSENT }, "consent was given at intake")
        val referred = phone.tap(work.save)
        assertEquals("service_saved", referred.messages.single().reason.code)
        val after = (referred.screen as Screen.CaseSummary).view
        assertEquals(
            "hỗ trợ tâm lý · đã chuyển gửi",
            after.sections.first { it.code == "services" }.items.single().title,
        )
        // A referral elsewhere waits for consent, with the reason on Save.
        phone.tap(after.sections.first { it.code == "services" }.add)
        for ((field, value) in listOf(
            WorkField.SERVICE to "legal_aid",
            WorkField.OUTCOME to "referred",
            WorkField.PROVIDER to "Synthetic legal aid centre",
        )) phone.send(Event.SetWork(field, value))
        val blocked = (phone.view.screen as Screen.CaseWork).view.save
        assertFalse(blocked.enabled)
        assertEquals("consent_missing", blocked.disabledReason?.code)
        phone.send(Event.Back)

        val back = phone.send(Event.Back)
        assertEquals(1, (back.screen as Screen.Home).view.recent.size)

        // Quick exit from anywhere: the camouflage, locked, the app hidden.
        phone.tap(phone.send(Event.Open(vn.binhan.ui.Target.CASE_LIST)).quickExit)
        assertTrue(phone.view.screen is Screen.Camouflage)
        assertFalse(phone.core.isUnlocked())
        assertEquals(listOf<Effect>(Effect.HideApp), phone.shell.effects.toList())
        assertFalse(phone.view.toString().contains("SYN-KT-01"))
    }

    @Test
    fun `the case list arrives as row changes that the shell applies`() {
        val phone = Phone()
        phone.firstRun()
        phone.recordIncident("SYN-KT-ROW-1", "pa_u")
        phone.send(Event.Open(vn.binhan.ui.Target.CASE_LIST))
        val rows = mutableListOf<CaseRow>()
        fun pull(since: ULong): RowsUpdate = phone.core.caseRows(since).also { update ->
            update.changes.forEach { change ->
                when (change) {
                    is RowChange.Reset -> { rows.clear(); rows.addAll(change.rows) }
                    is RowChange.Insert -> rows.add(change.index.toInt(), change.row)
                    is RowChange.Remove -> rows.removeAt(change.index.toInt())
                    is RowChange.Set -> rows[change.index.toInt()] = change.row
                }
            }
        }
        val first = pull(0uL)
        assertEquals(listOf("SYN-KT-ROW-1"), rows.map { it.title })
        assertTrue(pull(first.version).changes.isEmpty(), "nothing changed")
        phone.send(Event.Open(vn.binhan.ui.Target.HOME))
        phone.recordIncident("SYN-KT-ROW-2", "pa_u")
        val list = phone.send(Event.Open(vn.binhan.ui.Target.CASE_LIST))
        val second = pull(first.version)
        assertEquals(1, second.changes.size, "one insert, not every row: ${second.changes}")
        assertEquals((list.screen as Screen.CaseList).view.rows, rows)
    }

    @Test
    fun `events that make no sense are refused in the view, never thrown`() {
        val phone = Phone(Lang.EN)
        // On the camouflage: nothing reacts, nothing is said.
        val ignored = phone.send(Event.SetIntake(IntakeField.SURVIVOR_CODE, 0u, "SYN-X"))
        assertTrue(ignored.screen is Screen.Camouflage)
        assertTrue(ignored.messages.isEmpty())
        phone.openGate()
        phone.send(Event.SetField(Field.PIN, PIN))
        phone.send(Event.SetField(Field.PIN_CONFIRM, PIN))
        phone.send(Event.Submit)
        // A hammered case id, a form event on the home screen, a digit > 9.
        val refused = phone.send(Event.OpenCase("not a case id"))
        assertEquals("case_not_found", refused.messages.single().reason.code)
        assertEquals("not_available_here", phone.send(Event.Next).messages.single().reason.code)
        assertEquals("not_available_here", phone.send(Event.PinPad(PinKey.Digit(42u))).messages.single().reason.code)
        // A hidden field of the form.
        phone.send(Event.Open(vn.binhan.ui.Target.RECORD_INCIDENT))
        val hidden = phone.send(Event.SetIntake(IntakeField.SCHOOL, 0u, "x"))
        assertEquals("not_available_here", hidden.messages.single().reason.code)
        assertEquals("This cannot be done on this screen", hidden.messages.single().reason.text)
    }

    @Test
    fun `enrol by invitation, record offline, sync, and the commune manager reads the case`() {
        val commune = "bum_to"
        val officer = newVault()
        enrol(officer, TestServer.officerCode(), "synthetic officer")
        val manager = newVault()
        enrol(manager, invite(officer, Role.COMMUNE_CASE_MANAGER, commune).code, "synthetic manager")
        val invitation = invite(officer, Role.COLLABORATOR, commune)

        val phone = Phone()
        phone.firstRun()
        phone.recordIncident("SYN-KT-SYNC", commune)

        val home = (phone.view.screen as Screen.Home).view
        val status = (phone.tap(home.actions.first { it.label == "Đồng bộ dữ liệu" }).screen as Screen.Sync).view
        assertEquals("1 thay đổi chờ gửi", status.waiting)
        assertFalse(status.syncNow.enabled)
        assertEquals("not_enrolled", status.syncNow.disabledReason?.code)
        phone.tap(status.enrol)
        phone.send(Event.SetField(Field.SERVER_URL, TestServer.url))
        phone.send(Event.SetField(Field.INVITATION_CODE, invitation.code))
        phone.send(Event.SetField(Field.DEVICE_LABEL, "điện thoại cộng tác viên (giả lập)"))
        phone.send(Event.Submit)

        // Enrolment, then a first sync, in the background.
        val synced = phone.awaitView { v ->
            val sync = (v.screen as? Screen.Sync)?.view
            sync != null && sync.progress == null && sync.lastSync.value != "chưa đồng bộ lần nào"
        }
        val view = (synced.screen as Screen.Sync).view
        assertNull(view.error, "${view.error}")
        assertEquals("0 thay đổi chờ gửi", view.waiting)
        assertEquals(listOf("server", "role", "commune", "device"), view.enrolledAs.map { it.code })
        assertEquals("cộng tác viên cơ sở", view.enrolledAs[1].value)
        assertTrue(view.syncNow.enabled)

        // The commune's case manager receives it and can read it.
        sync(manager)
        val cases = manager.listCases(CaseFilter(status = null, risk = null, commune = null, followUp = null, survivorCode = null))
        assertEquals(listOf("SYN-KT-SYNC"), cases.cases.map { it.survivorCode })
    }

    @Test
    fun `find a shelter for a case, request a place, the host accepts and records the arrival`() {
        val officer = newVault()
        enrol(officer, TestServer.officerCode(), "synthetic officer")

        // Two apps driven by send alone: a collaborator and a shelter host.
        val host = Phone()
        host.firstRun()
        val hostId = host.enrol(invite(officer, Role.SHELTER_HOST, "mu_ca").code)
            .enrolledAs.first { it.code == "device" }.value
        val collaborator = Phone()
        collaborator.firstRun()
        collaborator.recordIncident("SYN-KT-SHELTER", "mu_ca")
        collaborator.enrol(invite(officer, Role.COLLABORATOR, "mu_ca").code)

        // The province names the host's phone for the valley's commune office.
        // The signed publication is side-loaded on both phones (through a
        // second Vault object on each one's vault), at a version above any the
        // shared server holds, as the placement test of SyncTest does: other
        // tests own the server's directory versions.
        val office = ShelterFixture.valleyShelter("same_side")
        val publication = TestServer.signWithHost(office, hostId, 901)
        for (phone in listOf(host, collaborator)) {
            Vault.open(phone.dir, null).use { vault ->
                vault.unlock(PIN)
                vault.setProvincialKey(ShelterFixture.provincialKey)
                assertEquals(901uL, vault.loadShelterDirectory(publication).version)
            }
        }

        host.syncNow()
        val home = (host.view.screen as Screen.Home).view
        host.tap(home.actions.first { it.label == "Nơi tạm lánh của tôi" })
        val desk = (host.view.screen as Screen.HostDesk).view
        host.tap(desk.start.single())

        // The collaborator finds the office from the case and asks, with consent.
        collaborator.syncNow()
        collaborator.send((collaborator.view.screen as Screen.Home).view.recent.single().open)
        val summary = (collaborator.view.screen as Screen.CaseSummary).view
        collaborator.tap(summary.actions.first { it.event is Event.FindShelterFor })
        val start = ShelterFixture.valleyStart
        collaborator.send(Event.Located((start.lat * 1e6).toInt(), (start.lon * 1e6).toInt()))
        val row = { (collaborator.view.screen as Screen.FindShelter).view.shelters.first { it.id == office } }
        assertEquals("consent_needed", row().request?.disabledReason?.code)
        collaborator.tap(row().consent)
        collaborator.tap(row().request)
        assertEquals("placement_requested", collaborator.view.messages.single().reason.code)
        collaborator.syncNow()

        // The host sees one person, no name, and accepts; then the arrival.
        host.syncNow()
        host.send(Event.Open(vn.binhan.ui.Target.HOST_DESK))
        val request = (host.view.screen as Screen.HostDesk).view.inbox.single()
        assertFalse(host.view.toString().contains("SYN-KT-SHELTER"))
        host.tap(request.actions.first { it.label == "Nhận" })
        val stay = (host.view.screen as Screen.HostDesk).view.stays.single()
        host.tap(stay.actions.first { it.label == "Đã đến" })
        assertEquals("đã đến nơi tạm lánh", (host.view.screen as Screen.HostDesk).view.stays.single().status)
        host.syncNow()
        collaborator.syncNow()

        // The collaborator follows the request on the case: it arrived.
        collaborator.send(Event.Open(vn.binhan.ui.Target.HOME))
        collaborator.send((collaborator.view.screen as Screen.Home).view.recent.single().open)
        val placed = (collaborator.view.screen as Screen.CaseSummary).view.sections.first { it.code == "placement" }
        assertTrue(placed.items.single().title.endsWith("đã đến nơi tạm lánh"), placed.items.single().title)
    }

    @Test
    fun `a commune case manager invites a collaborator from the app, and the code enrols a phone`() {
        val commune = "tan_uyen"
        val officer = newVault()
        enrol(officer, TestServer.officerCode(), "synthetic officer")
        val manager = Phone()
        manager.firstRun()
        manager.enrol(invite(officer, Role.COMMUNE_CASE_MANAGER, commune).code)

        val home = (manager.view.screen as Screen.Home).view
        // The manager's home leads to the online reports; none came yet.
        manager.tap(home.actions.first { it.label == "Báo cáo trực tuyến" })
        val reports = (manager.view.screen as Screen.OnlineReports).view
        assertEquals("Chưa có báo cáo trực tuyến nào.", reports.empty)
        assertEquals("0 chờ xử lý", reports.waiting)
        manager.send(Event.Open(vn.binhan.ui.Target.HOME))
        manager.tap(home.actions.first { it.label == "Mời thiết bị" })
        var form = (manager.view.screen as Screen.Invite).view
        assertFalse(form.roles.any { it.label == "cán bộ Sở Nội vụ" }, "a manager cannot invite the province")
        manager.tap(form.submit)
        form = (manager.view.screen as Screen.Invite).view
        assertEquals("required", form.roleError?.code)
        manager.send(form.roles.first { it.label == "cộng tác viên cơ sở" }.event)
        manager.send(form.hours.first { it.label == "1 ngày" }.event)
        manager.tap((manager.view.screen as Screen.Invite).view.submit)
        val made = manager.awaitView { v -> (v.screen as? Screen.Invite)?.view?.invitation?.isNotEmpty() == true }
        val view = (made.screen as Screen.Invite).view
        val code = view.invitation.first { it.code == "code" }.value
        manager.tap(view.share)
        assertTrue(manager.shell.effects.any { it is Effect.Share && it.text.contains(code) })

        val phone = newVault()
        assertEquals(Role.COLLABORATOR, enrol(phone, code, "synthetic collaborator").role)
        assertEquals(commune, phone.enrolment()?.commune)

        // The phone is lost: the manager finds it among the commune's
        // devices and revokes it, after a confirmation.
        manager.send(Event.Open(vn.binhan.ui.Target.HOME))
        manager.tap((manager.view.screen as Screen.Home).view.actions.first { it.label == "Các máy trong xã" })
        val devices = { v: ViewModel -> (v.screen as? Screen.Devices)?.view }
        val listed = devices(manager.awaitView { v -> devices(v)?.rows?.size == 2 })!!
        assertNull(listed.rows.first { it.code == "máy này" }.revoke, "a phone does not revoke itself")
        val lost = listed.rows.first { it.label == "synthetic collaborator" }
        assertEquals("cộng tác viên cơ sở", lost.role)
        manager.tap(lost.revoke)
        val confirm = devices(manager.view)!!.confirm!!
        assertTrue(confirm.text.contains("synthetic collaborator"))
        manager.tap(confirm.confirm)
        devices(manager.awaitView { v -> devices(v)?.rows?.size == 1 && devices(v)?.running == null })
        val revoked = Recorder()
        phone.sync(revoked).use {
            val outcome = revoked.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Revoked, "$outcome")
        }

        // Another phone scans the next invitation's QR code instead of
        // typing the server and the code: ZXing reads what the manager's
        // screen draws, the core decides what it is.
        manager.send(Event.Open(vn.binhan.ui.Target.HOME))
        manager.tap((manager.view.screen as Screen.Home).view.actions.first { it.label == "Mời thiết bị" })
        manager.send((manager.view.screen as Screen.Invite).view.roles.first { it.label == "cộng tác viên cơ sở" }.event)
        manager.tap((manager.view.screen as Screen.Invite).view.submit)
        val next = (manager.awaitView { v -> (v.screen as? Screen.Invite)?.view?.qr != null }.screen as Screen.Invite).view
        val nextCode = next.invitation.first { it.code == "code" }.value
        val scanned = Phone()
        scanned.firstRun()
        scanned.send(Event.Open(vn.binhan.ui.Target.SYNC))
        scanned.tap((scanned.view.screen as Screen.Sync).view.enrol)
        scanned.tap((scanned.view.screen as Screen.Enrol).view.scan)
        assertEquals(listOf<Effect>(Effect.ScanCode), scanned.shell.effects.filter { it == Effect.ScanCode })
        scanned.send(Event.Scanned("https://shop.example.test/menu"))
        assertEquals("not_an_invitation", scanned.view.messages.single().reason.code)
        scanned.send(Event.Scanned(decodeQr(next.qr!!)))
        val filled = (scanned.view.screen as Screen.Enrol).view.fields.map { it.value }
        assertEquals(listOf(TestServer.url, nextCode, ""), filled)
        scanned.send(Event.SetField(Field.DEVICE_LABEL, "synthetic scanned phone"))
        scanned.send(Event.Submit)
        assertEquals("cộng tác viên cơ sở", scanned.awaitSynced().enrolledAs.first { it.code == "role" }.value)
    }
}

/** What a camera's QR scanner reads off the code drawn four pixels a module. */
fun decodeQr(qr: QrCode): String {
    val scale = 4
    val width = qr.width.toInt()
    val side = (width + 8) * scale
    val pixels = IntArray(side * side) { i ->
        val x = i % side / scale - 4
        val y = i / side / scale - 4
        val dark = x in 0 until width && y in 0 until width && qr.dark[y * width + x]
        if (dark) 0xFF000000.toInt() else 0xFFFFFFFF.toInt()
    }
    val bitmap = com.google.zxing.BinaryBitmap(
        com.google.zxing.common.HybridBinarizer(com.google.zxing.RGBLuminanceSource(side, side, pixels)),
    )
    return com.google.zxing.qrcode.QRCodeReader().decode(bitmap).text
}
