// What crosses the boundary: threads, object lifetimes, bad input. Synthetic data.
package vn.binhan.tests

import java.time.LocalDate
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*
import vn.binhan.core.model.*

class BoundaryTest {
    @Test
    fun `eight threads at once on one vault`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            val today = vault.today()
            val pool = Executors.newFixedThreadPool(8)
            val start = CountDownLatch(1)
            val futures = (0 until 8).map { t ->
                pool.submit(Callable {
                    start.await()
                    val ids = (0 until 10).map { i -> vault.createCase(intake(today, code = "SYN-T$t-$i")) }
                    for (id in ids) {
                        vault.act(id, CaseAction.AddNote(Note(text = "luồng $t (synthetic)")))
                        assertEquals("SYN-T$t-", vault.caseDetail(id).survivor.code.substring(0, 7))
                    }
                    assertTrue(vault.listCases(everything()).cases.size >= ids.size)
                    ids
                })
            }
            start.countDown()
            val ids = futures.flatMap { it.get(120, TimeUnit.SECONDS) }
            pool.shutdown()
            assertEquals(80, ids.toSet().size)
            val listed = vault.listCases(everything()).cases
            assertEquals(ids.toSet(), listed.map { it.id }.toSet())
            assertTrue(listed.all { vault.caseDetail(it.id).notes.size == 1 })
        }
        deleteTree(dir)
    }

    @Test
    fun `close and use release the Rust objects`() {
        val before = liveVaults()
        val dir = tempVaultDir()
        var escaped: Vault? = null
        newVault(dir).use { vault ->
            assertEquals(before + 1u, liveVaults())
            vault.createCase(intake(vault.today()))
            escaped = vault
        }
        assertEquals(before, liveVaults())
        // A closed object refuses calls instead of touching freed memory.
        assertThrows<IllegalStateException> { escaped!!.listCases(everything()) }
        escaped!!.close() // closing twice is harmless

        val reopened = Vault.open(dir, null)
        assertEquals(before + 1u, liveVaults())
        reopened.close()
        assertEquals(before, liveVaults())
        deleteTree(dir)
    }

    @Test
    fun `bad input from Kotlin becomes an exception, never a crash`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            // Malformed ids and out-of-range dates cannot be lifted into Rust.
            assertThrows<vn.binhan.core.InternalException> { vault.caseDetail("not a case id") }
            assertThrows<vn.binhan.core.InternalException> { vault.caseDetail("ễ".repeat(16)) }
            val farFuture = intake(vault.today()).let { it.copy(incident = it.incident.copy(date = LocalDate.MAX)) }
            assertThrows<vn.binhan.core.InternalException> { vault.createCase(farFuture) }
            // Dates the type allows but the rules refuse name their field.
            val ancient = intake(vault.today()).let { it.copy(incident = it.incident.copy(date = LocalDate.of(1, 1, 1))) }
            assertEquals("incident.date", assertThrows<BinhAnException.InvalidField> { vault.createCase(ancient) }.field)
            // Control characters, empty strings, a lone surrogate.
            val control = intake(vault.today()).let { it.copy(survivor = it.survivor.copy(name = "a\u0000b")) }
            assertEquals("survivor.name", assertThrows<BinhAnException.InvalidField> { vault.createCase(control) }.field)
            assertThrows<BinhAnException.InvalidField> { vault.act(vault.createCase(intake(vault.today())), CaseAction.AddNote(Note(""))) }
            val surrogate = intake(vault.today()).let { it.copy(survivor = it.survivor.copy(name = "\uD800 synthetic")) }
            // Invalid UTF-16 is refused on the Kotlin side, before it reaches Rust.
            assertThrows<java.nio.charset.CharacterCodingException> { vault.createCase(surrogate) }
            assertThrows<BinhAnException.NotFound> {
                vault.act("0".repeat(32), CaseAction.ResolveConflict(field = "risk", keep = "1".repeat(32)))
            }
            // The library still works afterwards.
            assertEquals(1, vault.listCases(everything()).cases.size)
        }
        assertThrows<BinhAnException.NoVault> { Vault.open(tempVaultDir(), null) }
        deleteTree(dir)
    }
}
