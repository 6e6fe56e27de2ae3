// Communication activities (issue 19) driven from Kotlin as the Compose shell
// drives the registries desk: a collaborator records one offline (every
// field's problem shown on its field first), sync sends it, and the
// commune's manager sees it in the list the server gives. The core decides
// everything; all data here is synthetic.
package vn.binhan.tests

import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.model.Role
import vn.binhan.ui.*

private fun Phone.desk(): RegistriesView = (view.screen as? Screen.Registries)?.view
    ?: fail("expected the registries desk, got ${view.screen}")

private fun Phone.entry(): RegistryEntryView = (view.screen as? Screen.RegistryEntry)?.view
    ?: fail("expected the entry form, got ${view.screen}")

private fun Phone.setEntry(field: EntryField, value: String): ViewModel =
    send(Event.Registries(RegistriesEvent.SetEntry(field, value)))

private fun Phone.chooseEntry(field: EntryField, label: String): ViewModel {
    val kind = entry().fields.first { it.field == field }.kind as? FieldKind.Choice
        ?: fail("$field is not a choice")
    return send(kind.options.first { it.label == label }.event)
}

private fun Phone.entryErrors(): List<Pair<EntryField, String>> =
    entry().fields.mapNotNull { f -> f.error?.let { f.field to it.code } }

class ActivitiesTest {
    @Test
    fun `a collaborator records an activity offline, sync sends it, the commune's manager lists it`() {
        val commune = "ta_tong"
        val officer = newVault()
        enrol(officer, TestServer.officerCode(), "synthetic officer")

        val phone = Phone()
        phone.firstRun()
        phone.enrol(invite(officer, Role.COLLABORATOR, commune).code)
        val home = (phone.view.screen as Screen.Home).view
        phone.tap(home.actions.first { it.label == "Hoạt động truyền thông" })
        assertEquals(listOf("Truyền thông"), phone.desk().tabs.map { it.label })
        assertNull(phone.desk().`import`, "no import for a collaborator")
        phone.tap(phone.desk().add)

        // Saved empty: every problem on its field, nothing kept.
        phone.send(Event.Registries(RegistriesEvent.SaveEntry))
        assertEquals(
            listOf(
                EntryField.DATE to "empty",
                EntryField.ACTIVITY_KIND to "empty",
                EntryField.CAMPAIGN to "empty",
                EntryField.TITLE to "empty",
            ),
            phone.entryErrors(),
        )
        assertEquals("Xã Tà Tổng", phone.entry().fields.first { it.field == EntryField.COMMUNE }.value)

        phone.setEntry(EntryField.DATE, "10/06/2025")
        phone.chooseEntry(EntryField.ACTIVITY_KIND, "họp thôn, bản")
        phone.chooseEntry(EntryField.CAMPAIGN, "truyền thông thường xuyên")
        phone.setEntry(EntryField.TITLE, "Họp bản phòng ngừa bạo lực (synthetic)")
        phone.setEntry(EntryField.WOMEN, "8")
        phone.setEntry(EntryField.ETHNIC_MINORITY, "9")
        // Core's own check, on the field it names.
        assertEquals(listOf(EntryField.ETHNIC_MINORITY to "at_most"), phone.entryErrors())
        phone.setEntry(EntryField.MEN, "4")
        assertEquals(emptyList<Pair<EntryField, String>>(), phone.entryErrors())
        phone.send(Event.Registries(RegistriesEvent.SaveEntry))
        val row = phone.desk().rows.single()
        assertEquals("Họp bản phòng ngừa bạo lực (synthetic)", row.title)
        assertTrue(row.subtitle.endsWith("12 người được tiếp cận · chờ đồng bộ"), row.subtitle)

        phone.syncNow()
        phone.tap((phone.view.screen as Screen.Home).view.actions.first { it.label == "Hoạt động truyền thông" })
        assertTrue(phone.desk().rows.single().subtitle.endsWith("· đã gửi"), phone.desk().rows.single().subtitle)

        // The commune's manager: its tabs, and the activity from the server.
        val manager = Phone()
        manager.firstRun()
        manager.enrol(invite(officer, Role.COMMUNE_CASE_MANAGER, commune).code)
        manager.tap((manager.view.screen as Screen.Home).view.actions.first { it.label == "Tập huấn của xã" })
        manager.awaitView { v -> (v.screen as? Screen.Registries)?.view?.running == null }
        assertEquals(listOf("Tập huấn", "Truyền thông"), manager.desk().tabs.map { it.label })
        manager.send(Event.Registries(RegistriesEvent.ShowTab(RegistryKind.COMMUNICATION_ACTIVITIES)))
        val listed = manager.desk().rows.single()
        assertEquals("Họp bản phòng ngừa bạo lực (synthetic)", listed.title)
        assertTrue(listed.subtitle.endsWith("· ghi trên máy khác"), listed.subtitle)
        assertNull(manager.desk().`import`, "no import on the activities' tab")
    }
}
