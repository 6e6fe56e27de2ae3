// The case workflow from Kotlin: record, list, filter, read back, act, and
// the errors that name the field. Synthetic data.
package vn.binhan.tests

import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*
import vn.binhan.core.model.*

class CaseTest {
    private val dir = tempVaultDir()
    private val vault = newVault(dir)
    private val today = vault.today()

    @AfterEach
    fun close() {
        vault.close()
        deleteTree(dir)
    }

    @Test
    fun `Vietnamese text keeps its diacritics both ways`() {
        val name = "Nguyễn Thị Hồng Nhung (synthetic)"
        val account = "Tối hôm đó, anh ấy đã đánh tôi ở nhà. Tôi sợ hãi. — lời kể giả định, ễ ộ ữ ỹ đ Đ"
        val form = intake(today, account = account).let {
            it.copy(survivor = it.survivor.copy(name = name, village = "Bản Nậm Cuổi"))
        }
        val id = vault.createCase(form)
        val detail = vault.caseDetail(id)
        assertEquals(name, detail.survivor.name)
        assertEquals("Bản Nậm Cuổi", detail.survivor.village)
        assertEquals(account, detail.incident.account)
        // Composed and decomposed forms are kept exactly as given.
        val decomposed = "Nguye\u0302\u0303n"
        vault.act(id, CaseAction.AddNote(Note(text = decomposed)))
        assertEquals(decomposed, vault.caseDetail(id).notes.last().value.text)
    }

    @Test
    fun `list, filter and read back`() {
        val high = vault.createCase(intake(today, code = "SYN-HIGH", risk = RiskLevel.HIGH, commune = "tan_phong"))
        val low = vault.createCase(intake(today, code = "SYN-LOW", risk = RiskLevel.LOW, nextFollowUp = today))
        val all = vault.listCases(everything())
        assertEquals(setOf(high, low), all.cases.map { it.id }.toSet())
        assertEquals(emptyList<String>(), all.unreadable)
        // Most recent activity first.
        assertEquals(low, all.cases.first().id)

        val byRisk = vault.listCases(everything().copy(risk = RiskLevel.HIGH))
        assertEquals(listOf(high), byRisk.cases.map { it.id })
        val byCommune = vault.listCases(everything().copy(commune = "tan_phong"))
        assertEquals(listOf("SYN-HIGH"), byCommune.cases.map { it.survivorCode })
        val due = vault.listCases(everything().copy(followUp = FollowUpFilter.DUE_OR_OVERDUE))
        assertEquals(listOf(low), due.cases.map { it.id })
        assertEquals(listOf(high), vault.findBySurvivorCode("syn-hi").cases.map { it.id })

        val detail = vault.caseDetail(high)
        assertEquals(CaseStatus.OPEN, detail.status)
        assertEquals(RiskLevel.HIGH, detail.riskLevel)
        assertEquals("tan_phong", detail.survivor.commune)
        assertEquals(ViolenceType.PHYSICAL_ASSAULT, detail.incident.violenceType)
        assertEquals(today.minusDays(10), detail.incident.date)
        assertEquals(ReportingDelayBand.DAYS6_TO14, detail.derived.reportingDelay)
        assertEquals(false, detail.derived.survivorIsChild)
        assertEquals(vault.deviceId(), detail.recorded!!.author)
        assertTrue(detail.lastActivity.isAfter(java.time.Instant.now().minusSeconds(600)))
        assertTrue(detail.consents.single().granted)
        assertThrows<BinhAnException.NotFound> { vault.caseDetail("0".repeat(32)) }
    }

    @Test
    fun `an invalid field is an exception that names the field`() {
        val badCommune = intake(today).let { it.copy(survivor = it.survivor.copy(commune = "hanoi")) }
        val e = assertThrows<BinhAnException.InvalidField> { vault.createCase(badCommune) }
        assertEquals("survivor.commune", e.field)
        assertEquals("not_a_commune", e.code)
        assertTrue(e.ruleVi.isNotBlank() && e.ruleEn.isNotBlank())
        assertFalse(e.ruleVi.contains("hanoi") || e.ruleEn.contains("hanoi"), "the rule does not quote the value")

        val future = intake(today).let { it.copy(incident = it.incident.copy(date = today.plusDays(1))) }
        assertEquals("incident.date", assertThrows<BinhAnException.InvalidField> { vault.createCase(future) }.field)
        val badCode = intake(today, code = "có dấu")
        assertEquals("survivor.code", assertThrows<BinhAnException.InvalidField> { vault.createCase(badCode) }.field)
        // Nothing was written.
        assertEquals(0, vault.listCases(everything()).cases.size)
    }

    @Test
    fun `a 1 MB note is stored and read back whole`() {
        val id = vault.createCase(intake(today))
        val megabyte = buildString { while (length < 1_000_000) append("Ghi chú dài tổng hợp ễ — synthetic. ") }
        assertTrue(megabyte.toByteArray().size > 1_000_000)
        vault.act(id, CaseAction.AddNote(Note(text = megabyte)))
        assertEquals(megabyte, vault.caseDetail(id).notes.single().value.text)
        val tooBig = "x".repeat(3 * 1024 * 1024)
        val e = assertThrows<BinhAnException.InvalidField> { vault.act(id, CaseAction.AddNote(Note(text = tooBig))) }
        assertEquals("note.text", e.field)
    }

    @Test
    fun `workflow rules live in core - referral needs consent, closure needs the checklist`() {
        val id = vault.createCase(intake(today))
        val referral = ServiceRecord(
            service = ServiceType.LEGAL_AID,
            outcome = ServiceOutcome.REFERRED,
            date = today,
            provider = "Legal aid centre (synthetic)",
            note = null,
        )
        val noConsent = assertThrows<BinhAnException.NotAllowed> { vault.act(id, CaseAction.AddService(referral)) }
        assertEquals("consent_missing", noConsent.code)
        assertTrue(noConsent.reasonVi.contains("sự đồng ý"), noConsent.reasonVi)
        vault.act(
            id,
            CaseAction.RecordConsent(
                Consent(
                    scope = ConsentScope.Service(ServiceType.LEGAL_AID, "Legal aid centre (synthetic)"),
                    granted = true,
                    givenBy = ConsentGiver.SURVIVOR,
                ),
            ),
        )
        vault.act(id, CaseAction.AddService(referral))
        vault.act(
            id,
            CaseAction.AddFollowUp(
                FollowUp(
                    date = today,
                    goals = listOf(GoalProgress(goal = "Nơi ở an toàn", status = GoalStatus.IN_PROGRESS)),
                    nextDate = today.plusDays(7),
                    note = null,
                ),
            ),
        )
        val incomplete = Closure(reason = ClosureReason.NEEDS_MET, checklist = ClosureChecklist(true, true, true, true, false), note = null)
        val e = assertThrows<BinhAnException.InvalidField> { vault.act(id, CaseAction.Close(incomplete)) }
        assertEquals("closure.checklist", e.field)
        vault.act(id, CaseAction.Close(incomplete.copy(checklist = ClosureChecklist(true, true, true, true, true))))
        assertEquals(CaseStatus.CLOSED, vault.caseDetail(id).status)
        assertThrows<BinhAnException.NotAllowed> { vault.act(id, CaseAction.AddService(referral)) }
        vault.act(id, CaseAction.Reopen(reason = "Sự việc mới (synthetic)"))
        val detail = vault.caseDetail(id)
        assertEquals(CaseStatus.OPEN, detail.status)
        assertEquals(1, detail.services.size)
        assertEquals(today.plusDays(7), detail.followUps.single().value.nextDate)
        assertEquals(emptyList<Conflict>(), vault.conflicts(id))
        assertTrue(detail.statusChange!!.value is StatusChange.Reopened)
    }

    @Test
    fun `labels come from core in Vietnamese and English`() {
        val all = allEnumerations().associateBy { it.name }
        val violence = all.getValue("violence_type")
        assertEquals(ViolenceType.entries.size, violence.values.size)
        for (v in ViolenceType.entries) {
            val label = violence.values.single { it.code == v.code() }
            assertEquals(label.vi, v.label(Lang.VI))
            assertEquals(label.en, v.label(Lang.EN))
        }
        assertEquals("bạo lực thể chất", ViolenceType.PHYSICAL_ASSAULT.label(Lang.VI))
        assertEquals("0_11", AgeGroup.AGE0_TO11.code())
        assertTrue(all.containsKey("ethnic_group") && all.containsKey("service_type"))
        val communes = communes()
        assertTrue(communes.any { it.code == "tan_phong" && it.name == "Phường Tân Phong" })
        assertEquals(communes.size, communes.map { it.code }.toSet().size)
    }

    @Test
    fun `a student's case follows the school procedure, and a transfer needs consent for that commune`() {
        val form = intake(today, code = "SYN-SCHOOL").let { it.copy(survivor = it.survivor.copy(student = true)) }
        val id = vault.createCase(form)
        val step = { s: SchoolStep -> CaseAction.RecordSchoolStep(SchoolProcedureStep(step = s, on = today, note = null)) }
        assertEquals(listOf(SchoolStep.DETECTED), vault.caseDetail(id).school?.next)
        vault.act(id, step(SchoolStep.DETECTED))
        val early = assertThrows<BinhAnException.NotAllowed> { vault.act(id, step(SchoolStep.REFERRED)) }
        assertEquals("school_step_out_of_order", early.code)
        vault.act(id, step(SchoolStep.REPORTED_TO_PRINCIPAL))
        val school = vault.caseDetail(id).school!!
        assertEquals(listOf(SchoolStep.DETECTED, SchoolStep.REPORTED_TO_PRINCIPAL), school.done.map { it.step })
        assertEquals(setOf(SchoolStep.FAMILY_INFORMED, SchoolStep.FAMILY_NOT_INFORMED), school.next.toSet())
        assertFalse(school.complete)

        // The case moves to another commune only with consent for that commune.
        val move = CaseAction.Transfer(commune = "tan_phong")
        assertEquals("consent_missing", assertThrows<BinhAnException.NotAllowed> { vault.act(id, move) }.code)
        vault.act(
            id,
            CaseAction.RecordConsent(
                Consent(scope = ConsentScope.Transfer(commune = "tan_phong"), granted = true, givenBy = ConsentGiver.SURVIVOR),
            ),
        )
        vault.act(id, move)
        assertEquals("tan_phong", vault.caseDetail(id).survivor.commune)
    }
}
