// Sync from Kotlin against a real binhan-server process on loopback, started
// by tests/kotlin/run.sh (SQLite in a temporary folder): enrolment through the
// invitation chain, a case in Vietnamese from a collaborator to the commune
// case manager, progress phases, a wrong invitation code, and cancelling a
// sync. All data is synthetic.
package vn.binhan.tests

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*
import vn.binhan.core.model.*

/** The server run.sh started, and a way to get a bootstrap code from it. */
object TestServer {
    val url: String = System.getProperty("binhan.server.url")
        ?: error("binhan.server.url is not set: run tests/kotlin/run.sh, which starts the server")
    private val bin: String = System.getProperty("binhan.server.bin") ?: error("binhan.server.bin is not set")
    private val cli: String = System.getProperty("binhan.cli.bin") ?: error("binhan.cli.bin is not set")
    private val data: String = System.getProperty("binhan.server.data") ?: error("binhan.server.data is not set")

    /** The server's one bootstrap code (`binhan-server bootstrap-officer`
     *  works once per data folder: its phone becomes the province's root). */
    private fun bootstrapCode(): String {
        val process = ProcessBuilder(bin, "bootstrap-officer", "--data", data)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .apply { environment().remove("BINHAN_DATABASE_URL") }
            .start()
        val out = process.inputStream.bufferedReader().readText()
        check(process.waitFor() == 0) { "bootstrap-officer failed" }
        return Regex("\"code\"\\s*:\\s*\"([^\"]+)\"").find(out)?.groupValues?.get(1)
            ?: error("bootstrap-officer printed no code")
    }

    /** The province's root officer, enrolled once with the bootstrap code. */
    private val root: Vault by lazy {
        newVault().also { enrol(it, bootstrapCode(), "synthetic root officer") }
    }

    /** A one-time code for a provincial officer, invited by the root. */
    fun officerCode(): String = invite(root, Role.PROVINCIAL_OFFICER, "province").code

    /** The synthetic directory signed with the fixture's synthetic key
     *  (`binhan shelters sign`, as the provincial office does), naming `host`
     *  as the host device of `shelter`, at `version`. */
    fun signWithHost(shelter: String, host: String, version: Int): ByteArray =
        sign(java.io.File(ShelterFixture.dir, "lai_chau_shelters.json").readText(), version, "--host", "$shelter=$host")

    /** The synthetic directory with `services` (a JSON array of
     *  organisations) as its service directory, signed at `version`. */
    fun signWithServices(services: String, version: Int): ByteArray {
        val directory = java.io.File(ShelterFixture.dir, "lai_chau_shelters.json").readText()
        return sign(directory.replaceFirst("{", "{\"services\": $services, "), version)
    }

    private fun sign(directory: String, version: Int, vararg extra: String): ByteArray {
        val dir = java.nio.file.Files.createTempDirectory("binhan-sign")
        try {
            val out = dir.resolve("directory.bhsd")
            val file = dir.resolve("directory.json")
            java.nio.file.Files.writeString(file, directory)
            val process = ProcessBuilder(
                cli, "shelters", "sign", "--synthetic-key", "--file", file.toString(),
                *extra, "--version", "$version", "--out", out.toString(),
            ).redirectError(ProcessBuilder.Redirect.DISCARD)
                .apply { environment()["BINHAN_VAULT"] = dir.resolve("vault").toString() }
                .start()
            process.inputStream.readAllBytes()
            check(process.waitFor() == 0) { "binhan shelters sign failed" }
            return java.nio.file.Files.readAllBytes(out)
        } finally {
            dir.toFile().deleteRecursively()
        }
    }
}

/** A Vietnamese account with words that must never reach the server in clear. */
const val ACCOUNT_VI = "Chị Quillfeather kể: chồng đánh tối thứ Bảy ở bản Vexmorrow; đã sang nhà mẹ đẻ ở Mường Tè. Ưu tiên an toàn."

/** Enrols `vault` with `code` on the test server. */
fun enrol(vault: Vault, code: String, label: String): Enrolment {
    val recorder = Recorder()
    vault.enrol(TestServer.url, code, label, recorder).use {
        val outcome = recorder.await()
        assertTrue(outcome is TaskOutcome.Enrolled, "$outcome")
        return (outcome as TaskOutcome.Enrolled).enrolment
    }
}

/** An invitation from `vault` for `role` in `commune`. */
fun invite(vault: Vault, role: Role, commune: String): Invitation {
    val recorder = Recorder()
    vault.invite(role, commune, 24u, recorder).use {
        val outcome = recorder.await()
        assertTrue(outcome is TaskOutcome.Invited, "$outcome")
        return (outcome as TaskOutcome.Invited).invitation
    }
}

/** An invitation from `vault` for a school counselor of `school` in `commune`. */
fun inviteCounselor(vault: Vault, commune: String, school: String): Invitation {
    val recorder = Recorder()
    vault.inviteCounselor(commune, school, 24u, recorder).use {
        val outcome = recorder.await()
        assertTrue(outcome is TaskOutcome.Invited, "$outcome")
        return (outcome as TaskOutcome.Invited).invitation
    }
}

/** A test's phones: new vaults in temporary folders, closed and deleted
 *  after each test. */
abstract class Phones {
    private val dirs = mutableListOf<String>()
    private val vaults = mutableListOf<Vault>()

    protected fun phone(): Vault {
        val dir = tempVaultDir()
        dirs += dir
        return newVault(dir).also { vaults += it }
    }

    @AfterEach
    fun close() {
        vaults.forEach { it.close() }
        dirs.forEach { deleteTree(it) }
    }
}

/** Syncs `vault` with the test server, to the end. */
fun sync(vault: Vault, recorder: Recorder = Recorder()): SyncReport {
    vault.sync(recorder).use {
        val outcome = recorder.await()
        assertTrue(outcome is TaskOutcome.Synced, "$outcome")
        return (outcome as TaskOutcome.Synced).report
    }
}

class SyncTest : Phones() {

    /** An officer (invited by the root), a case manager of `commune` invited by
     *  the officer, and a collaborator invited by the officer too. Each test
     *  uses its own commune, as the server is shared. */
    private fun team(commune: String): Triple<Vault, Vault, Vault> {
        val officer = phone()
        val enrolment = enrol(officer, TestServer.officerCode(), "synthetic officer")
        assertEquals(Role.PROVINCIAL_OFFICER, enrolment.role)
        assertEquals(TestServer.url, officer.enrolment()?.serverUrl)
        val manager = phone()
        enrol(manager, invite(officer, Role.COMMUNE_CASE_MANAGER, commune).code, "synthetic manager")
        val collaborator = phone()
        val invitation = invite(officer, Role.COLLABORATOR, commune)
        assertEquals(Role.COLLABORATOR, invitation.role)
        assertTrue(invitation.expiresAt.isAfter(java.time.Instant.now()))
        val enrolled = enrol(collaborator, invitation.code, "điện thoại cộng tác viên (giả lập)")
        assertEquals(Role.COLLABORATOR, enrolled.role)
        assertEquals(commune, enrolled.commune)
        return Triple(officer, manager, collaborator)
    }

    @Test
    fun `a case in Vietnamese goes from the collaborator to the case manager`() {
        val (_, manager, collaborator) = team("mu_ca")
        assertNull(phone().enrolment(), "a new vault is not enrolled")

        val today = collaborator.today()
        val id = collaborator.createCase(intake(today, code = "SYN-SYNC-1", account = ACCOUNT_VI))
        assertEquals(1uL, collaborator.pendingEvents())

        val recorder = Recorder()
        val report = sync(collaborator, recorder)
        assertEquals(1uL, report.eventsPushed)
        assertEquals(1uL, report.teamChangesPushed)
        assertTrue(report.traffic.roundTrips > 0uL && report.traffic.bytesSent > 0uL)
        assertEquals(0uL, collaborator.pendingEvents())
        val phases = recorder.progress.map { it.phase }.distinct()
        assertEquals(ProgressPhase.AUTHENTICATING, phases.first(), "$phases")
        assertTrue(phases.containsAll(listOf(ProgressPhase.PUSHING, ProgressPhase.PULLING)), "$phases")
        assertEquals(0, recorder.progressAfterFinish.get())

        val pulled = sync(manager)
        assertEquals(1uL, pulled.eventsPulled)
        val seen = manager.caseDetail(id)
        assertEquals("SYN-SYNC-1", seen.survivor.code)
        assertEquals(ACCOUNT_VI, seen.incident.account, "diacritics intact through the server")
        assertEquals(collaborator.caseDetail(id), seen)
        assertEquals(listOf(id), manager.listCases(everything()).cases.map { it.id })
        // Both devices are on the case's team.
        assertEquals(2, manager.teamMembers(id).size)
        assertTrue(collaborator.deviceId() in manager.teamMembers(id))

        // Repeating a sync changes nothing.
        val again = sync(collaborator)
        assertEquals(0uL, again.eventsPushed)
        assertEquals(0uL, again.eventsPulled)
    }

    @Test
    fun `a school's case reaches its other counselor and not another school's`() {
        val (_, manager, _) = team("than_uyen")
        val school = "Trường THCS synthetic Nậm Sỏ"
        val counselor = phone()
        enrol(counselor, inviteCounselor(manager, "than_uyen", school).code, "synthetic counselor")
        assertEquals(school, counselor.ownSchool())
        val colleague = phone()
        enrol(colleague, inviteCounselor(manager, "than_uyen", "trường thcs synthetic  nậm sỏ").code, "synthetic counselor")
        val elsewhere = phone()
        enrol(elsewhere, inviteCounselor(manager, "than_uyen", "Trường tiểu học synthetic").code, "synthetic counselor")

        val base = intake(counselor.today(), code = "SYN-SCH-K1", commune = "than_uyen")
        val student = base.copy(survivor = base.survivor.copy(ageYears = 14u, student = true, school = school))
        val id = counselor.createCase(student)
        sync(counselor)
        listOf(colleague, elsewhere, manager).forEach { sync(it) }
        assertEquals("SYN-SCH-K1", colleague.caseDetail(id).survivor.code)
        assertEquals("SYN-SCH-K1", manager.caseDetail(id).survivor.code)
        assertTrue(elsewhere.listCases(everything()).cases.isEmpty(), "another school's counselor sees nothing")
        assertEquals(
            setOf(counselor.deviceId(), colleague.deviceId(), manager.deviceId()),
            colleague.teamMembers(id).toSet(),
        )
    }

    @Test
    fun `wrong code, wrong role, revoked device and no network are errors the app can act on`() {
        val vault = phone()
        val recorder = Recorder()
        vault.enrol(TestServer.url, "SYNTHETIC-WRONG-CODE", "synthetic phone", recorder).use {
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.Failed, "$outcome")
            assertTrue((outcome as TaskOutcome.Failed).error is BinhAnException.InvalidInvitation, "$outcome")
        }
        assertNull(vault.enrolment())
        // Not enrolled: sync says so.
        val sync = Recorder()
        vault.sync(sync).use {
            val outcome = sync.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.NotEnrolled, "$outcome")
        }
        // A collaborator may not invite.
        val (_, _, collaborator) = team("pa_u")
        val refused = Recorder()
        collaborator.invite(Role.COLLABORATOR, "pa_u", 24u, refused).use {
            val outcome = refused.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Forbidden, "$outcome")
        }
        // A revoked device is told so at its next contact and erases its vault.
        val officer = phone()
        enrol(officer, TestServer.officerCode(), "synthetic officer")
        val lost = phone()
        enrol(lost, invite(officer, Role.COLLABORATOR, "pa_u").code, "synthetic lost phone")
        lost.createCase(intake(lost.today(), code = "SYN-LOST", commune = "pa_u"))
        val revoke = Recorder()
        officer.revokeDevice(lost.deviceId(), revoke).use { assertEquals(TaskOutcome.Done, revoke.await()) }
        val revoked = Recorder()
        lost.sync(revoked).use {
            val outcome = revoked.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Revoked, "$outcome")
        }
        assertFalse(lost.isUnlocked())
        assertThrows<BinhAnException.Erased> { lost.unlock(PIN) }

        // No server there: a network error.
        val offline = Recorder()
        phone().enrol("http://127.0.0.1:9", "SYNTHETIC", "synthetic phone", offline).use {
            val outcome = offline.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Network, "$outcome")
        }
    }

    @Test
    fun `cancelling a sync keeps what the server acknowledged and the next sync completes`() {
        val (_, manager, collaborator) = team("sin_ho")
        val today = collaborator.today()
        val cases = 12
        val ids = (0 until cases).map { collaborator.createCase(intake(today, code = "SYN-CANCEL-$it", commune = "sin_ho", account = ACCOUNT_VI)) }
        assertEquals(cases.toULong(), collaborator.pendingEvents())

        // Hold the sync once the push is acknowledged, then close the handle.
        val acknowledged = CountDownLatch(1)
        val proceed = CountDownLatch(1)
        val recorder = object : TaskListener {
            val inner = Recorder()
            override fun onProgress(progress: Progress) {
                inner.onProgress(progress)
                if (progress.phase == ProgressPhase.PUSHING && progress.done > 0uL && acknowledged.count > 0) {
                    acknowledged.countDown()
                    proceed.await(10, TimeUnit.SECONDS)
                }
            }
            override fun onFinished(outcome: TaskOutcome) = inner.onFinished(outcome)
        }
        val handle = collaborator.sync(recorder)
        assertTrue(acknowledged.await(30, TimeUnit.SECONDS), "the push was acknowledged")
        handle.close()
        proceed.countDown()
        assertEquals(TaskOutcome.Cancelled, recorder.inner.await())
        assertEquals(1, recorder.inner.finishedCalls.get())
        assertFalse(recorder.inner.progress.any { it.phase == ProgressPhase.PULLING }, "stopped before pulling")

        // What the server acknowledged stays acknowledged.
        assertEquals(0uL, collaborator.pendingEvents())
        val again = sync(collaborator)
        assertEquals(0uL, again.eventsPushed)

        // Cancelling before it starts: nothing is lost either.
        val extra = collaborator.createCase(intake(today, code = "SYN-CANCEL-X", commune = "sin_ho"))
        val early = Recorder()
        collaborator.sync(early).apply { cancel() }.close()
        assertTrue(early.await().let { it == TaskOutcome.Cancelled || it is TaskOutcome.Synced })
        sync(collaborator)
        assertEquals(0uL, collaborator.pendingEvents())

        sync(manager)
        val codes = manager.listCases(everything()).cases.map { it.survivorCode }.toSet()
        assertTrue(codes.containsAll(ids.indices.map { "SYN-CANCEL-$it" } + "SYN-CANCEL-X"), "$codes")
        assertEquals(ACCOUNT_VI, manager.caseDetail(ids.last()).incident.account)
        assertEquals(collaborator.caseDetail(extra), manager.caseDetail(extra))
    }

    private fun publish(vault: Vault, name: String): TaskOutcome {
        val recorder = Recorder()
        vault.publishShelterDirectory(ShelterFixture.bytes(name), recorder).use { return recorder.await() }
    }

    @Test
    fun `the officer publishes the shelter directory and devices receive it at sync`() {
        val (officer, _, collaborator) = team("than_uyen")
        // Only the province publishes.
        val refused = publish(collaborator, "lai_chau_directory_v1.bhsd")
        assertTrue(refused is TaskOutcome.Failed && refused.error is BinhAnException.Forbidden, "$refused")

        val first = publish(officer, "lai_chau_directory_v1.bhsd")
        assertTrue(first is TaskOutcome.DirectoryPublished && first.version == 1uL, "$first")
        val report = sync(collaborator).shelters
        assertEquals(1uL, report.directoryVersion)
        assertEquals(1uL, report.publicationsApplied)
        assertNull(report.directoryRefused)
        // The device pinned the province's key, and searches offline.
        assertEquals(ShelterFixture.provincialKey, collaborator.provincialKey())
        val nearest = collaborator.nearestShelters(shelterQuery(ShelterFixture.valleyStart))
        assertEquals(Ranking.STRAIGHT_LINE, nearest.rankedBy)
        assertEquals(ShelterFixture.valleyShelter("across"), nearest.shelters.first().shelter.id)

        val delta = publish(officer, "lai_chau_directory_v1_to_v2.bhsd")
        assertTrue(delta is TaskOutcome.DirectoryPublished && delta.version == 2uL, "$delta")
        assertEquals(2uL, sync(collaborator).shelters.directoryVersion)
        assertEquals(2uL, collaborator.shelterDirectory()?.version)

        // A tampered publication never leaves the officer's phone.
        val bytes = ShelterFixture.bytes("lai_chau_directory_v1_to_v2.bhsd")
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 0x01).toByte()
        val recorder = Recorder()
        officer.publishShelterDirectory(bytes, recorder).use {
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Tampered, "$outcome")
        }
    }

    @Test
    fun `a placement goes from a collaborator to the shelter's host and back through the server`() {
        val (officer, _, collaborator) = team("bum_nua")
        val host = phone()
        enrol(host, invite(officer, Role.SHELTER_HOST, "mu_ca").code, "synthetic host")
        val office = ShelterFixture.valleyShelter("same_side")
        // A version above any the shared server holds, so sync keeps it.
        val publication = TestServer.signWithHost(office, host.deviceId(), 900)
        for (vault in listOf(host, collaborator)) {
            vault.setProvincialKey(ShelterFixture.provincialKey)
            assertEquals(900uL, vault.loadShelterDirectory(publication).version)
        }
        assertEquals(host.deviceId(), collaborator.shelterDirectory()!!.shelters.first { it.id == office }.hostDevice)
        val desk = host.hostShelter(office, 3u)
        assertEquals(3.toUShort(), desk.freePlaces)
        assertEquals(4.toUShort(), desk.capacity)
        sync(host)

        // The collaborator hears the free places, and asks for two of them.
        assertTrue(sync(collaborator).shelters.messagesReceived >= 1uL)
        val known = collaborator.nearestShelters(shelterQuery(ShelterFixture.valleyStart).copy(limit = 50u))
            .shelters.first { it.shelter.id == office }.availability
        assertEquals(3.toUShort(), known.freePlaces)
        assertEquals(Freshness.CONFIRMED, known.freshness)
        val today = collaborator.today()
        val case = collaborator.createCase(intake(today, code = "SYN-PLACE-1", commune = "bum_nua", account = ACCOUNT_VI))
        val needs = PlacementNeeds(
            people = 2u, children = 1u, group = AcceptedGroup.WOMEN_WITH_CHILDREN,
            stepFree = false, disabilitySupport = false, languages = listOf(Language.VIETNAMESE),
        )
        // Without the survivor's consent for this shelter, core refuses.
        val refused = assertThrows(BinhAnException.NotAllowed::class.java) {
            collaborator.requestPlacement(case, office, needs)
        }
        assertEquals("consent_missing", refused.code)
        val name = collaborator.shelterDirectory()!!.shelters.first { it.id == office }.name
        collaborator.act(
            case,
            CaseAction.RecordConsent(
                Consent(scope = ConsentScope.Service(ServiceType.SAFE_SHELTER, name), granted = true, givenBy = ConsentGiver.SURVIVOR),
            ),
        )
        val request = collaborator.requestPlacement(case, office, needs)
        assertEquals(PlacementStatus.REQUESTED, collaborator.placementRequests().single().status)
        assertTrue(sync(collaborator).shelters.messagesSent >= 1uL)

        // The host sees only what it needs, accepts, and the people arrive.
        sync(host)
        val waiting = host.placementInbox().single()
        assertEquals(request, waiting.request.request)
        assertEquals(needs, waiting.request.needs)
        assertEquals(collaborator.deviceId(), waiting.from)
        assertEquals(1.toUShort(), host.acceptPlacement(request).freePlaces)
        sync(host)
        sync(collaborator)
        val sent = collaborator.placementRequests().single()
        assertEquals(PlacementStatus.ACCEPTED, sent.status)
        assertEquals(case, sent.caseId)
        assertTrue(collaborator.caseDetail(case).placement.any { it.value.status == PlacementStatus.ACCEPTED })
        val arrived = host.recordArrival(request)
        assertEquals(PlacementStatus.ARRIVED, arrived.stays.single().status)
        sync(host)
        sync(collaborator)
        assertEquals(PlacementStatus.ARRIVED, collaborator.placementRequests().single().status)
        assertEquals(3.toUShort(), host.recordDeparture(request).freePlaces)
    }
}
