// The vault lifecycle from Kotlin: create, unlock, wrong PIN, duress, wipe,
// and a platform key implemented in Kotlin that Rust uses. Synthetic data.
package vn.binhan.tests

import java.security.SecureRandom
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.Test
import vn.binhan.core.*

class VaultTest {
    @Test
    fun `create, lock and unlock a vault`() {
        val dir = tempVaultDir()
        assertEquals(VaultStatus.NoVault, vaultStatus(dir, null))
        newVault(dir).use { vault ->
            assertTrue(vault.isUnlocked())
            val id = vault.createCase(intake(vault.today()))
            vault.lock()
            assertFalse(vault.isUnlocked())
            assertThrows<BinhAnException.Locked> { vault.listCases(everything()) }
            vault.unlock(PIN)
            assertEquals(listOf(id), vault.listCases(everything()).cases.map { it.id })
        }
        // Reopened from disk, locked until the PIN is given.
        Vault.open(dir, null).use { vault ->
            assertFalse(vault.isUnlocked())
            vault.unlock(PIN)
            assertEquals(1, vault.listCases(everything()).cases.size)
        }
        assertEquals(VaultStatus.Ready(5u), vaultStatus(dir, null))
        deleteTree(dir)
    }

    @Test
    fun `a wrong PIN is an exception that says how many attempts remain`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            vault.lock()
            val e = assertThrows<BinhAnException.WrongPin> { vault.unlock("000001") }
            assertEquals(4u, e.attemptsRemaining)
            assertEquals(4u, vault.attemptsRemaining())
            assertThrows<BinhAnException.WrongPin> { vault.unlock("000002") }.also {
                assertEquals(3u, it.attemptsRemaining)
            }
            vault.unlock(PIN)
            assertEquals(5u, vault.attemptsRemaining())
        }
        deleteTree(dir)
    }

    @Test
    fun `the last wrong PIN erases the keys`() {
        val dir = tempVaultDir()
        Vault.create(dir, PIN, quickConfig(maxAttempts = 2u), null).use { vault ->
            vault.createCase(intake(vault.today()))
            vault.lock()
            assertThrows<BinhAnException.WrongPin> { vault.unlock("000001") }
            assertThrows<BinhAnException.Erased> { vault.unlock("000002") }
            assertThrows<BinhAnException.Erased> { vault.unlock(PIN) }
        }
        assertEquals(VaultStatus.Erased, vaultStatus(dir, null))
        deleteTree(dir)
    }

    @Test
    fun `weak PINs are refused with a reason in Vietnamese and English`() {
        val e = assertThrows<BinhAnException.WeakPin> { checkPin("123456") }
        assertTrue(e.reasonVi.isNotBlank() && e.reasonEn.isNotBlank())
        checkPin(PIN)
        assertThrows<BinhAnException.WeakPin> { Vault.create(tempVaultDir(), "111111", quickConfig(), null) }
        val tooCheap = quickConfig().copy(kdf = quickConfig().kdf.copy(memoryKib = 1024u))
        val invalid = assertThrows<BinhAnException.InvalidField> { Vault.create(tempVaultDir(), PIN, tooCheap, null) }
        assertEquals("kdf.memory_kib", invalid.field)
    }

    @Test
    fun `the duress PIN opens an empty vault and the real data is gone`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            vault.createCase(intake(vault.today(), code = "SYN-REAL"))
            vault.setDuressPin(PIN, DURESS_PIN)
            vault.lock()
            vault.unlock(DURESS_PIN)
            assertTrue(vault.isUnlocked())
            assertEquals(emptyList<Any>(), vault.listCases(everything()).cases)
            vault.lock()
            // The real PIN no longer opens anything.
            assertThrows<BinhAnException.WrongPin> { vault.unlock(PIN) }
            vault.unlock(DURESS_PIN)
            assertEquals(0, vault.listCases(everything()).cases.size)
        }
        deleteTree(dir)
    }

    @Test
    fun `panic wipe erases the keys and a new vault can be made`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            vault.createCase(intake(vault.today()))
            vault.panicWipe()
            assertFalse(vault.isUnlocked())
            assertThrows<BinhAnException.Erased> { vault.unlock(PIN) }
            assertThrows<BinhAnException.Erased> { vault.attemptsRemaining() }
        }
        assertEquals(VaultStatus.Erased, vaultStatus(dir, null))
        assertThrows<BinhAnException.Erased> { Vault.open(dir, null).use { it.unlock(PIN) } }
        Vault.create(dir, OTHER_PIN, quickConfig(), null).use { vault ->
            assertEquals(0, vault.listCases(everything()).cases.size)
        }
        assertThrows<BinhAnException.VaultExists> { newVault(dir) }
        deleteTree(dir)
    }

    @Test
    fun `change PIN keeps the data`() {
        val dir = tempVaultDir()
        newVault(dir).use { vault ->
            vault.createCase(intake(vault.today()))
            vault.changePin(PIN, OTHER_PIN)
            vault.lock()
            assertThrows<BinhAnException.WrongPin> { vault.unlock(PIN) }
            vault.unlock(OTHER_PIN)
            assertEquals(1, vault.listCases(everything()).cases.size)
        }
        deleteTree(dir)
    }

    /** A platform key as an app would write one: AES-256-GCM with a key that
     *  never leaves this object (the Android Keystore in the real app). */
    class KotlinPlatformKey : PlatformKey {
        private var key: SecretKey? = null
        val wraps = AtomicInteger(0)
        val unwraps = AtomicInteger(0)
        val erases = AtomicInteger(0)
        var failNextUnwrap = false

        @Synchronized
        override fun wrap(plaintext: ByteArray): ByteArray {
            wraps.incrementAndGet()
            val k = key ?: KeyGenerator.getInstance("AES").apply { init(256) }.generateKey().also { key = it }
            val nonce = ByteArray(12).also { SecureRandom().nextBytes(it) }
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.ENCRYPT_MODE, k, GCMParameterSpec(128, nonce))
            return nonce + cipher.doFinal(plaintext)
        }

        @Synchronized
        override fun unwrap(wrapped: ByteArray): ByteArray {
            unwraps.incrementAndGet()
            if (failNextUnwrap) {
                failNextUnwrap = false
                throw IllegalStateException("synthetic keystore failure")
            }
            val k = key ?: throw PlatformKeyException.Failed("the platform key is gone")
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, k, GCMParameterSpec(128, wrapped.copyOfRange(0, 12)))
            try {
                return cipher.doFinal(wrapped.copyOfRange(12, wrapped.size))
            } catch (e: javax.crypto.AEADBadTagException) {
                throw PlatformKeyException.Failed("the wrapped keys were altered")
            }
        }

        @Synchronized
        override fun erase() {
            erases.incrementAndGet()
            key = null
        }
    }

    @Test
    fun `a platform key implemented in Kotlin wraps the vault keys`() {
        val dir = tempVaultDir()
        val platformKey = KotlinPlatformKey()
        Vault.create(dir, PIN, quickConfig(), platformKey).use { vault ->
            assertEquals(1, platformKey.wraps.get())
            vault.createCase(intake(vault.today()))
        }
        // Without the platform key the vault does not open.
        assertThrows<BinhAnException.PlatformKey> { Vault.open(dir, null) }
        Vault.open(dir, platformKey).use { vault ->
            vault.unlock(PIN)
            assertTrue(platformKey.unwraps.get() >= 1)
            assertEquals(1, vault.listCases(everything()).cases.size)
            vault.lock()
            // An exception thrown by the app's implementation becomes an error, not a crash.
            platformKey.failNextUnwrap = true
            val e = assertThrows<BinhAnException.PlatformKey> { vault.unlock(PIN) }
            assertTrue(e.reason.contains("synthetic keystore failure"), e.reason)
            vault.unlock(PIN)
            vault.panicWipe()
            assertEquals(1, platformKey.erases.get())
        }
        deleteTree(dir)
    }
}
