// Long operations from Kotlin: run in the background on the layer's runtime,
// report progress to a listener written in Kotlin, and can be cancelled with
// the handle or by closing it. Synthetic data.
package vn.binhan.tests

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*

class TaskTest {
    private val dir = tempVaultDir()
    private val vault = newVault(dir)
    private val cases = 25

    init {
        val today = vault.today()
        repeat(cases) { vault.createCase(intake(today, code = "SYN-V$it")) }
    }

    @AfterEach
    fun close() {
        vault.close()
        deleteTree(dir)
    }

    @Test
    fun `verify the store in the background with progress`() {
        val recorder = Recorder()
        vault.verifyStore(recorder).use { handle ->
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.Verified, "$outcome")
            val report = (outcome as TaskOutcome.Verified).report
            assertEquals(cases.toULong(), report.casesChecked)
            assertEquals(cases.toULong(), report.eventsChecked)
            assertEquals(emptyList<String>(), report.unreadable)
            // Progress counted every case, in order, up to the total.
            val done = recorder.progress.map { it.done }
            assertEquals((0..cases).map { it.toULong() }, done)
            assertTrue(recorder.progress.all { it.total == cases.toULong() })
            assertEquals(1, recorder.finishedCalls.get())
            waitUntil { handle.isFinished() }
        }
    }

    @Test
    fun `cancel stops the operation and the listener hears Cancelled once`() {
        val proceed = CountDownLatch(1)
        val recorder = Recorder(onFirstProgress = { proceed.await(10, TimeUnit.SECONDS) })
        val handle = vault.verifyStore(recorder)
        handle.cancel()
        proceed.countDown()
        assertEquals(TaskOutcome.Cancelled, recorder.await())
        waitUntil { handle.isFinished() }
        Thread.sleep(50)
        assertEquals(1, recorder.finishedCalls.get())
        assertEquals(0, recorder.progressAfterFinish.get())
        assertTrue(recorder.progress.size < cases + 1, "stopped before the end")
        handle.close()
    }

    @Test
    fun `closing the handle cancels the operation`() {
        val proceed = CountDownLatch(1)
        val recorder = Recorder(onFirstProgress = { proceed.await(10, TimeUnit.SECONDS) })
        vault.verifyStore(recorder).use { }
        proceed.countDown()
        assertEquals(TaskOutcome.Cancelled, recorder.await())
        assertEquals(1, recorder.finishedCalls.get())
    }

    @Test
    fun `a failure is reported as an outcome`() {
        vault.lock()
        val recorder = Recorder()
        vault.verifyStore(recorder).use {
            val outcome = recorder.await()
            assertTrue(outcome is TaskOutcome.Failed && outcome.error is BinhAnException.Locked, "$outcome")
        }
    }

    private fun waitUntil(condition: () -> Boolean) {
        repeat(500) {
            if (condition()) return
            Thread.sleep(10)
        }
        fail<Unit>("condition not met in 5 s")
    }
}
