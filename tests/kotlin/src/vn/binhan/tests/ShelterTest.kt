// Shelters from Kotlin: the signed synthetic directory of Lai Châu
// (tests/fixtures/shelters, NOT REAL DATA), the road network imported in
// the background, nearest search by road and by straight line, and a
// tampered publication refused.
package vn.binhan.tests

import java.io.File
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*
import vn.binhan.core.model.*

/** The synthetic shelter fixture. */
object ShelterFixture {
    val dir = File(System.getProperty("binhan.fixtures") ?: error("binhan.fixtures is not set: run tests/kotlin/run.sh"))
    fun bytes(name: String): ByteArray = File(dir, name).readBytes()
    val provincialKey: String get() = File(dir, "province_key.txt").readText().trim()
    private val valley: String get() = File(dir, "valley.json").readText()

    /** A shelter id of the Mù Cả valley scenario. */
    fun valleyShelter(name: String): String =
        Regex("\"$name\"\\s*:\\s*\"([0-9a-f]{32})\"").find(valley)!!.groupValues[1]

    /** Where the valley scenario starts (its west rim). */
    val valleyStart: GeoPoint
        get() {
            val number = { key: String -> Regex("\"$key\"\\s*:\\s*([0-9.]+)").find(valley)!!.groupValues[1].toDouble() }
            return GeoPoint(lat = number("lat"), lon = number("lon"))
        }
}

class ShelterTest {
    private val dir = tempVaultDir()
    private val vault = newVault(dir)

    @AfterEach
    fun close() {
        vault.close()
        deleteTree(dir)
    }

    private fun loadDirectory(): DirectoryStatus {
        vault.setProvincialKey(ShelterFixture.provincialKey)
        return vault.loadShelterDirectory(ShelterFixture.bytes("lai_chau_directory_v1.bhsd"))
    }

    private fun importRoads(): RoadImportReport {
        val recorder = Recorder()
        vault.importRoadNetwork(ShelterFixture.bytes("lai_chau_roads.osm.pbf"), recorder).use {
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.RoadsImported, "$outcome")
            assertEquals(
                listOf(Progress(ProgressPhase.IMPORTING_ROADS, 0uL, 1uL), Progress(ProgressPhase.IMPORTING_ROADS, 1uL, 1uL)),
                recorder.progress.toList(),
            )
            return (outcome as TaskOutcome.RoadsImported).report
        }
    }

    @Test
    fun `the signed directory loads, updates by delta and shows coverage`() {
        assertNull(vault.shelterDirectory())
        assertThrows<BinhAnException.NotFound> { vault.shelterCoverage() }
        val status = loadDirectory()
        assertEquals(1uL, status.version)
        assertNull(status.previousVersion)
        assertEquals(ShelterFixture.provincialKey, vault.provincialKey())
        val directory = vault.shelterDirectory()!!
        assertEquals(status.shelters, directory.shelters.size.toULong())
        assertTrue(directory.shelters.all { it.name.contains("giả lập") }, "synthetic names, diacritics intact")
        val office = directory.shelters.first { it.id == ShelterFixture.valleyShelter("same_side") }
        assertEquals(ShelterKind.COMMUNE_OFFICE, office.kind)
        assertTrue(office.checklist.items.isNotEmpty(), "the checklist crosses as a map of items")

        val delta = vault.loadShelterDirectory(ShelterFixture.bytes("lai_chau_directory_v1_to_v2.bhsd"))
        assertEquals(2uL, delta.version)
        assertEquals(1uL, delta.previousVersion)

        val coverage = vault.shelterCoverage()
        assertTrue(coverage.standardisedInProvince >= 5u, "$coverage")
        // The checklist crossed intact: counting from it agrees with core.
        val standardised = vault.shelterDirectory()!!.shelters.count { shelter ->
            shelter.active && StandardItem.entries.all { shelter.checklist.items[it] == true }
        }
        assertEquals(coverage.standardisedInProvince, standardised.toUInt())
        assertTrue(coverage.communes.flatMap { it.kinds }.contains(ShelterKind.COMMUNE_OFFICE))
        assertTrue(coverage.communes.any { it.commune == "mu_ca" && it.active > 0u })

        // A different provincial key is refused; the same one again is harmless.
        vault.setProvincialKey(ShelterFixture.provincialKey)
        assertThrows<BinhAnException.NotAllowed> { vault.setProvincialKey("11".repeat(32)) }
        assertThrows<BinhAnException.InvalidField> { vault.setProvincialKey("not a key") }

        // Every shelter enumeration is labelled in both languages.
        val labels = allEnumerations().associateBy { it.name }
        for (name in listOf("shelter_kind", "shelter_accepts", "placement_status", "placement_decline_reason", "shelter_ranking", "road_class", "settlement_kind")) {
            val values = labels[name]?.values ?: fail("no labels for $name")
            assertTrue(values.all { it.vi.isNotEmpty() && it.en.isNotEmpty() }, name)
        }
        assertEquals("trạm y tế xã", ShelterKind.HEALTH_STATION.label(Lang.VI))
    }

    @Test
    fun `nearest shelters by road travel time after importing the road network`() {
        loadDirectory()
        assertNull(vault.roadNetwork())
        val report = importRoads()
        assertEquals(RoadFormat.PBF, report.format)
        assertTrue(report.network.nodes > 0uL && report.network.edges > 0uL)
        assertEquals(report.network, vault.roadNetwork())

        val start = ShelterFixture.valleyStart
        val byRoad = vault.nearestShelters(shelterQuery(start))
        assertEquals(Ranking.ROAD_TRAVEL_TIME, byRoad.rankedBy)
        assertNotNull(byRoad.startToRoadM)
        val first = byRoad.shelters.first()
        assertEquals(ShelterFixture.valleyShelter("same_side"), first.shelter.id)
        val road = first.road
        assertTrue(road is RoadReach.Reachable, "$road")
        assertTrue((road as RoadReach.Reachable).travelTimeS in 60u..3600u, "$road")
        // Ranked: reachable shelters by travel time, then those no road reaches.
        val times = byRoad.shelters.map { it.road }.takeWhile { it is RoadReach.Reachable }
            .map { (it as RoadReach.Reachable).travelTimeS }
        assertTrue(times.size >= 2)
        assertEquals(times.sorted(), times)
        assertTrue(byRoad.shelters.drop(times.size).all { it.road is RoadReach.Unreachable })
        // The host's home across the valley is nearest in a straight line, far by road.
        val across = ShelterFixture.valleyShelter("across")
        val straight = vault.nearestShelters(shelterQuery(start).copy(straightLine = true))
        assertEquals(Ranking.STRAIGHT_LINE, straight.rankedBy)
        assertEquals(across, straight.shelters.first().shelter.id)
        assertEquals(RoadReach.NotSearched, straight.shelters.first().road)
        byRoad.shelters.firstOrNull { it.shelter.id == across }?.let {
            val far = it.road as RoadReach.Reachable
            assertTrue(far.travelTimeS > road.travelTimeS * 5u, "$far")
        }
        // Filters apply, and a bad query names its field.
        val forChildren = vault.nearestShelters(shelterQuery(start).copy(group = AcceptedGroup.CHILDREN_ALONE, limit = 3u))
        assertTrue(forChildren.shelters.size <= 3)
        assertTrue(forChildren.shelters.filter { it.road is RoadReach.Reachable }
            .all { AcceptedGroup.CHILDREN_ALONE in it.shelter.accepts })
        val invalid = assertThrows<BinhAnException.InvalidField> { vault.nearestShelters(shelterQuery(start).copy(limit = 0u)) }
        assertEquals("limit", invalid.field)

        // A placement needs a host device; these shelters take placements by phone.
        val case = vault.createCase(intake(vault.today()))
        val needs = PlacementNeeds(people = 1u, children = 0u, group = AcceptedGroup.WOMEN, stepFree = false, disabilitySupport = false, languages = listOf(Language.MONG))
        val phoneOnly = byRoad.shelters.first { it.shelter.hostDevice == null && it.shelter.active }.shelter.id
        assertThrows<BinhAnException.NotAllowed> { vault.requestPlacement(case, phoneOnly, needs) }
        assertEquals(emptyList<SentPlacement>(), vault.placementRequests())
        assertNull(vault.hostedShelter())
        assertThrows<BinhAnException.NotAllowed> { vault.hostShelter(phoneOnly, 1u) }
    }

    @Test
    fun `a tampered publication or road file is refused and what is held is kept`() {
        loadDirectory()
        val bytes = ShelterFixture.bytes("lai_chau_directory_v1_to_v2.bhsd")
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 0x01).toByte()
        val tampered = assertThrows<BinhAnException.Tampered> { vault.loadShelterDirectory(bytes) }
        assertTrue(tampered.record.contains("shelter directory"), tampered.record)
        assertThrows<BinhAnException.InvalidField> { vault.loadShelterDirectory("không phải danh bạ".toByteArray()) }
        assertEquals(1uL, vault.shelterDirectory()!!.version)

        // Without the provincial key nothing is loaded.
        val other = newVault(tempVaultDir())
        other.use {
            assertThrows<BinhAnException.NotAllowed> { it.loadShelterDirectory(ShelterFixture.bytes("lai_chau_directory_v1.bhsd")) }
        }

        val recorder = Recorder()
        vault.importRoadNetwork("{\"type\": \"nonsense\"".toByteArray(), recorder).use {
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.InvalidField, "$outcome")
        }
        assertNull(vault.roadNetwork())
    }
}
