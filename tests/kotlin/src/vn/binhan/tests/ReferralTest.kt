// Referrals from Kotlin, through the bindings and a real binhan-server on
// loopback: a commune case manager enrols a synthetic health station's
// phone, the directory signed by the CLI lists it, a collaborator refers a
// case with the survivor's consent, and the station's inbox (accept, record
// the service delivered) answers back to the case. Withdrawal of consent
// empties the station's copy. All data here is synthetic.
package vn.binhan.tests

import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*
import vn.binhan.core.model.*

class ReferralTest : Phones() {

    private val commune = "bum_to"
    private val stationName = "Trạm Y tế xã Bum Tở (giả lập)"

    private fun organisation(id: String, device: String) = """
        [{"id": "$id", "name": "$stationName", "sector": "health",
          "services": ["health", "psychosocial"], "communes": ["$commune"],
          "hours": "7:00–17:00", "languages": ["vietnamese"], "phone": "0213000115",
          "devices": ["$device"]}]
    """.trimIndent()

    private fun consent(vault: Vault, case: String, granted: Boolean) {
        vault.act(
            case,
            CaseAction.RecordConsent(
                Consent(
                    scope = ConsentScope.Service(service = ServiceType.HEALTH, recipient = stationName),
                    granted = granted,
                    givenBy = ConsentGiver.SURVIVOR,
                ),
            ),
        )
    }

    @Test
    fun `a health station answers a referral from its inbox and withdrawal empties it`() {
        val officer = phone()
        enrol(officer, TestServer.officerCode(), "synthetic officer")
        val manager = phone()
        enrol(manager, invite(officer, Role.COMMUNE_CASE_MANAGER, commune).code, "synthetic manager")
        val collaborator = phone()
        enrol(collaborator, invite(manager, Role.COLLABORATOR, commune).code, "synthetic collaborator")
        val station = phone()
        val enrolled = enrol(station, invite(manager, Role.SERVICE_PROVIDER, commune).code, "synthetic station")
        assertEquals(Role.SERVICE_PROVIDER, enrolled.role)

        val organisationId = "5e" + "0".repeat(29) + "1"
        val publication = TestServer.signWithServices(organisation(organisationId, station.deviceId()), 903)
        for (vault in listOf(collaborator, station)) {
            vault.setProvincialKey(ShelterFixture.provincialKey)
            vault.loadShelterDirectory(publication)
        }
        val health = collaborator.serviceOrganisations(commune, ServiceType.HEALTH).single()
        assertEquals(stationName, health.name)

        val today = collaborator.today()
        val case = collaborator.createCase(intake(today, code = "SYN-REF-KT", commune = commune, account = ACCOUNT_VI))
        val draft = ReferralDraft(
            organisation = health.id, service = ServiceType.HEALTH, urgency = Urgency.URGENT,
            ask = "Khám sau vụ việc (giả lập).", due = null, chosen = listOf(ReferralField.RISK_LEVEL),
        )
        // Without consent core refuses, with its own reason.
        val refused = assertThrows(BinhAnException.NotAllowed::class.java) { collaborator.sendReferral(case, draft) }
        assertEquals("consent_missing", refused.code)
        consent(collaborator, case, true)
        val preview = collaborator.referralPreview(case, draft)
        assertTrue(preview.consented)
        val referral = collaborator.sendReferral(case, draft)
        assertEquals(1uL, sync(collaborator).shelters.messagesSent)

        // The station's inbox holds exactly the previewed fields, nothing of
        // the account or the survivor's code.
        assertEquals(1uL, sync(station).shelters.messagesReceived)
        val inbox = station.referralInbox()
        assertEquals(listOf(referral), inbox.map { it.id })
        assertEquals(preview.facts, inbox.single().content!!.facts)
        assertFalse(inbox.single().toString().contains("Quillfeather"))
        assertFalse(inbox.single().toString().contains("SYN-REF-KT"))

        station.answerReferral(referral, ProviderStep.Accepted)
        station.answerReferral(referral, ProviderStep.Delivered(on = station.today(), what = "Khám, điều trị (giả lập)"))
        assertEquals(ReferralStatus.DELIVERED, station.referralInbox().single().status)
        // A step that does not follow is refused by core.
        assertThrows(BinhAnException.NotAllowed::class.java) { station.answerReferral(referral, ProviderStep.Accepted) }
        sync(station)
        assertEquals(2uL, sync(collaborator).shelters.messagesReceived)
        val detail = collaborator.caseDetail(case)
        assertEquals(ReferralStatus.DELIVERED, detail.referrals.single().latest.status)
        assertTrue(detail.services.any { it.value.outcome == ServiceOutcome.DELIVERED })

        // Withdrawal of consent: the station's copy is emptied at its sync.
        consent(collaborator, case, false)
        sync(collaborator)
        sync(station)
        val withdrawn = station.referralInbox().single()
        assertEquals(ReferralStatus.WITHDRAWN, withdrawn.status)
        assertNull(withdrawn.content)
    }
}
